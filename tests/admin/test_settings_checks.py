"""Area settings that contradict one another, lists with repeats and names too long are refused on the
settings page, next to the setting to change and in the error summary, and nothing is saved."""

import pytest
from sqlmodel import select

from tests.pages import soup
from tracker.admin import rules
from tracker.core import settings as area_settings
from tracker.core.models import Setting


def summary(page) -> list[str]:
    box = page.select_one(".govuk-error-summary")
    return [a.get_text(strip=True) for a in box.select("a")] if box else []


def beside(page, key: str) -> str:
    """The error message shown with the setting's own field (without the hidden "Error:")."""
    message = page.select_one(f"#{key}-error")
    if message is None:
        return ""
    for hidden in message.select(".govuk-visually-hidden"):
        hidden.decompose()
    return message.get_text(strip=True)


def defaults() -> dict:
    return {k: v for k, v in area_settings.all_values().items() if v is not False}


# The rules, over plain values ------------------------------------------------------------------


def test_a_working_day_ends_after_it_starts():
    assert rules.working_day_problem(8, 18) is None
    assert rules.working_day_problem(0, 24) is None
    assert rules.working_day_problem(9, 9) == "The working day must end after it starts: enter an hour later than 9"
    assert rules.working_day_problem(18, 8) is not None


def test_the_cpd_warning_is_shorter_than_the_time_cpd_lasts():
    assert rules.cpd_warning_problem(12, 2) is None
    assert rules.cpd_warning_problem(12, 0) is None
    assert rules.cpd_warning_problem(12, 12) == (
        "The warning before a chair's CPD lapses must be shorter than the time before it lapses: "
        "enter fewer than 12 months"
    )
    assert rules.cpd_warning_problem(6, 24) is not None


def test_level_3_is_reviewed_at_least_as_often_as_level_2():
    assert rules.review_interval_problem(16, 8) is None
    assert rules.review_interval_problem(16, 16) is None
    assert rules.review_interval_problem(16, 20) == (
        "Level 3 cases must be reviewed at least as often as Level 2 cases: enter 16 weeks or fewer"
    )


def test_a_level_3_initial_meeting_is_due_no_later_than_a_level_2_one():
    assert rules.initial_meeting_problem(20, 5) is None
    assert rules.initial_meeting_problem(10, 10) is None
    assert rules.initial_meeting_problem(10, 11) == (
        "A Level 3 initial meeting must be due no later than a Level 2 one: enter 10 working days or fewer"
    )


def test_an_evaluation_reminder_can_go_before_the_evaluation_closes():
    assert rules.reminder_gap_problem(14, 3) is None
    assert rules.reminder_gap_problem(14, 13) is None
    assert rules.reminder_gap_problem(1, 0) is None
    assert rules.reminder_gap_problem(14, 14) == (
        "The gap between evaluation reminders must be shorter than the time an evaluation stays open: "
        "enter fewer than 14 days"
    )
    assert rules.reminder_gap_problem(14, 30) is not None


def test_a_repeated_entry_is_found_whatever_its_capitals_and_spaces():
    assert rules.repeated_entry(["OASys", "ARMS"]) is None
    assert rules.repeated_entry(["OASys", "ARMS", "  oasys "]) == "oasys"
    assert rules.repeated_entry([]) is None


def test_an_entry_the_page_offers_anyway_is_found():
    assert rules.offered_entry(["Audit", "  other "], ("Other",)) == "other"
    assert rules.offered_entry(["Audit", "Other agency"], ("Other",)) is None
    assert rules.offered_entry(["Other"], ()) is None


def test_contradictions_are_said_against_the_second_setting_of_each_pair():
    agreeing = {key: definition.default for key, definition in area_settings.REGISTRY.items()}
    values = {
        **agreeing,
        "working_day_starts_hour": 18,
        "working_day_ends_hour": 8,
        "cpd_lapse_months": 6,
        "cpd_warning_months": 7,
        "review_interval_weeks_level_2": 8,
        "review_interval_weeks_level_3": 9,
        "initial_meeting_working_days_level_2": 10,
        "initial_meeting_working_days_level_3": 11,
        "evaluation_open_days": 14,
        "evaluation_reminder_gap_days": 30,
    }
    assert set(rules.settings_problems(values)) == {
        "working_day_ends_hour",
        "cpd_warning_months",
        "review_interval_weeks_level_3",
        "initial_meeting_working_days_level_3",
        "evaluation_reminder_gap_days",
    }
    # A value that is not a number yet has its own message; it is not compared.
    assert rules.settings_problems({**values, "working_day_starts_hour": None}).keys() == {
        "cpd_warning_months",
        "review_interval_weeks_level_3",
        "initial_meeting_working_days_level_3",
        "evaluation_reminder_gap_days",
    }
    assert rules.settings_problems(agreeing) == {}


# The settings page -------------------------------------------------------------------------------

REFUSED = [
    (
        {"working_day_starts_hour": "9", "working_day_ends_hour": "9"},
        "working_day_ends_hour",
        "The working day must end after it starts: enter an hour later than 9",
    ),
    (
        {"working_day_starts_hour": "17", "working_day_ends_hour": "8"},
        "working_day_ends_hour",
        "The working day must end after it starts: enter an hour later than 17",
    ),
    (
        {"cpd_lapse_months": "6", "cpd_warning_months": "9"},
        "cpd_warning_months",
        "The warning before a chair's CPD lapses must be shorter than the time before it lapses: "
        "enter fewer than 6 months",
    ),
    (
        {"review_interval_weeks_level_3": "20"},
        "review_interval_weeks_level_3",
        "Level 3 cases must be reviewed at least as often as Level 2 cases: enter 16 weeks or fewer",
    ),
    (
        {"evaluation_open_days": "14", "evaluation_reminder_gap_days": "30"},
        "evaluation_reminder_gap_days",
        "The gap between evaluation reminders must be shorter than the time an evaluation stays open: "
        "enter fewer than 14 days",
    ),
    (
        {"assessment_tools": "OASys, ARMS, oasys , Other"},
        "assessment_tools",
        "“oasys” is in the list of risk assessment tools more than once: remove one",
    ),
    (
        {"consultation_reasons": "Preparing a referral\r\n\r\nAudit\r\n  preparing a REFERRAL  \r\n"},
        "consultation_reasons",
        "“preparing a REFERRAL” is in the list of reasons for opening a case more than once: remove one",
    ),
    (
        {"disclosure_reasons": "For the Board\nFor the Board"},
        "disclosure_reasons",
        "“For the Board” is in the list of reasons for exporting a file more than once: remove one",
    ),
    (
        # "Other", with the reason typed, is offered beside the list already: listed, it would show twice.
        {"consultation_reasons": "Preparing a referral\nOther"},
        "consultation_reasons",
        "“Other” is always offered, with a box to type the reason: remove it from the list of reasons for "
        "opening a case",
    ),
    ({"area_name": "A" * 500}, "area_name", "Area name must be 80 characters or fewer"),
    ({"assessment_tools": " , ,"}, "assessment_tools", "Enter the risk assessment tools"),
]


@pytest.mark.parametrize("changed, key, message", REFUSED, ids=[key for _, key, _ in REFUSED])
def test_contradictory_settings_are_refused_beside_the_setting_and_nothing_is_saved(
    client_as, factory, session, app_context, changed, key, message
):
    client = client_as(factory.user("SYSTEM_ADMIN"))
    response = client.post("/admin/settings", data={**defaults(), **changed})
    assert response.status_code == 200
    page = soup(response)
    assert summary(page) == [message]
    assert beside(page, key) == message
    assert page.title.get_text().startswith("Error: ")
    assert session.exec(select(Setting)).all() == []


def test_each_contradiction_is_said_at_once(client_as, factory, session, app_context):
    client = client_as(factory.user("SYSTEM_ADMIN"))
    response = client.post(
        "/admin/settings",
        data={
            **defaults(),
            "working_day_ends_hour": "7",
            "cpd_warning_months": "12",
            "review_interval_weeks_level_3": "17",
            "review_interval_weeks_level_2": "abc",
        },
    )
    assert sorted(summary(soup(response))) == [
        "Longest interval between reviews, Level 2 (weeks) must be a whole number",
        "The warning before a chair's CPD lapses must be shorter than the time before it lapses: "
        "enter fewer than 12 months",
        "The working day must end after it starts: enter an hour later than 8",
    ]
    assert session.exec(select(Setting)).all() == []


def test_a_setting_out_of_range_gets_its_own_message_and_none_derived_from_it_on_its_pair(
    client_as, factory, session, app_context
):
    """A Level 2 interval of 0 weeks is out of range: Level 3 was also told to "enter 0 weeks or fewer",
    a message from a value already refused, and one no one could follow."""
    client = client_as(factory.user("SYSTEM_ADMIN"))
    response = client.post("/admin/settings", data={**defaults(), "review_interval_weeks_level_2": "0"})
    page = soup(response)
    (message,) = summary(page)
    assert message.startswith("Longest interval between reviews, Level 2 (weeks) must be between 1 and")
    assert beside(page, "review_interval_weeks_level_2") == message
    assert beside(page, "review_interval_weeks_level_3") == ""
    assert session.exec(select(Setting)).all() == []


def test_settings_that_agree_are_saved_with_blank_lines_and_spaces_dropped(
    client_as, factory, session, app_context
):
    client = client_as(factory.user("SYSTEM_ADMIN"))
    response = client.post(
        "/admin/settings",
        data={
            **defaults(),
            "area_name": "A" * 80,
            "working_day_starts_hour": "0",
            "working_day_ends_hour": "24",
            "cpd_lapse_months": "6",
            "cpd_warning_months": "5",
            "review_interval_weeks_level_2": "10",
            "review_interval_weeks_level_3": "10",
            "assessment_tools": " OASys ,, ARMS,  ",
            "consultation_reasons": "\r\n  Preparing a referral  \r\n\r\nAudit of the record\r\n\r\n",
        },
    )
    assert response.status_code == 302
    stored = {row.key: row.value for row in session.exec(select(Setting))}
    assert stored["assessment_tools"] == '"OASys, ARMS"'
    assert stored["consultation_reasons"] == '"Preparing a referral\\nAudit of the record"'
    assert stored["review_interval_weeks_level_3"] == "10"
    assert stored["working_day_ends_hour"] == "24"


def test_settings_already_contradictory_are_shown_on_opening_the_page(
    client_as, factory, session, app_context
):
    # Saved before the rule existed, or changed outside the page: the admin sees it without saving first.
    session.add(Setting(key="working_day_starts_hour", value="18"))
    session.add(Setting(key="working_day_ends_hour", value="8"))
    session.commit()
    client = client_as(factory.user("SYSTEM_ADMIN"))
    page = soup(client.get("/admin/settings"))
    message = "The working day must end after it starts: enter an hour later than 18"
    assert summary(page) == [message]
    assert beside(page, "working_day_ends_hour") == message


def test_settings_that_agree_show_no_error_on_opening_the_page(client_as, factory, app_context):
    page = soup(client_as(factory.user("SYSTEM_ADMIN")).get("/admin/settings"))
    assert summary(page) == [] and not page.title.get_text().startswith("Error: ")


# Two admins with the page open -----------------------------------------------------------------------


def _as_the_page_sends_it(response) -> dict:
    """What the browser sends back from the settings page as it was shown."""
    page = soup(response)
    data = {}
    for field in page.select("form input, form textarea"):
        name = field.get("name")
        if not name or (field.get("type") == "checkbox" and not field.has_attr("checked")):
            continue
        data[name] = field.get_text() if field.name == "textarea" else field.get("value", "")
    return data


def test_two_admins_saving_the_page_keep_each_others_changes(client_as, factory, session, app_context):
    first, second = client_as(factory.user("SYSTEM_ADMIN")), client_as(factory.user("SYSTEM_ADMIN"))
    seen_by_first = _as_the_page_sends_it(first.get("/admin/settings"))
    seen_by_second = _as_the_page_sends_it(second.get("/admin/settings"))
    assert first.post("/admin/settings", data={**seen_by_first, "area_name": "Thameside"}).status_code == 302
    saved = second.post("/admin/settings", data={**seen_by_second, "minutes_distribution_working_days": "8"})
    assert saved.status_code == 302
    stored = {row.key: row.value for row in session.exec(select(Setting)).all()}
    assert stored == {"area_name": '"Thameside"', "minutes_distribution_working_days": "8"}


def test_a_setting_two_admins_changed_is_not_saved_over_and_the_second_is_told(
    client_as, factory, session, app_context
):
    first, second = client_as(factory.user("SYSTEM_ADMIN")), client_as(factory.user("SYSTEM_ADMIN"))
    seen_by_first = _as_the_page_sends_it(first.get("/admin/settings"))
    seen_by_second = _as_the_page_sends_it(second.get("/admin/settings"))
    assert first.post("/admin/settings", data={**seen_by_first, "area_name": "Thameside"}).status_code == 302
    changes = {"area_name": "Riverside", "minutes_distribution_working_days": "8"}
    clash = second.post("/admin/settings", data={**seen_by_second, **changes})
    assert clash.status_code == 409
    message = (
        "Another administrator changed “Area name” to “Thameside” after you opened this page: check it, "
        "then save again"
    )
    assert beside(soup(clash), "area_name") == message
    # Nothing was saved: the first admin's name stands, and the other change waits for the second save.
    as_it_stands = _as_the_page_sends_it(first.get("/admin/settings"))
    assert (as_it_stands["area_name"], as_it_stands["minutes_distribution_working_days"]) == ("Thameside", "10")
    # Told, the second admin saves again from the page as it now stands: their choice is saved.
    again = second.post("/admin/settings", data=_as_the_page_sends_it(clash))
    assert again.status_code == 302
    stored = {row.key: row.value for row in session.exec(select(Setting)).all()}
    assert stored == {"area_name": '"Riverside"', "minutes_distribution_working_days": "8"}


def test_a_clash_is_still_found_after_the_page_came_back_with_an_error(client_as, factory, session, app_context):
    first, second = client_as(factory.user("SYSTEM_ADMIN")), client_as(factory.user("SYSTEM_ADMIN"))
    seen_by_first = _as_the_page_sends_it(first.get("/admin/settings"))
    seen_by_second = _as_the_page_sends_it(second.get("/admin/settings"))
    assert first.post("/admin/settings", data={**seen_by_first, "area_name": "Thameside"}).status_code == 302
    # The second admin's save has a mistake of its own: the page comes back with it, and keeps what the
    # page showed when first opened, so fixing the mistake and saving still finds the clash.
    wrong = second.post(
        "/admin/settings", data={**seen_by_second, "area_name": "Riverside", "minutes_distribution_working_days": "x"}
    )
    assert wrong.status_code == 200
    fixed = {**_as_the_page_sends_it(wrong), "minutes_distribution_working_days": "8"}
    clash = second.post("/admin/settings", data=fixed)
    assert clash.status_code == 409
    assert "Another administrator changed “Area name” to “Thameside”" in beside(soup(clash), "area_name")


def test_two_admins_choosing_the_same_value_do_not_clash(client_as, factory, session, app_context):
    first, second = client_as(factory.user("SYSTEM_ADMIN")), client_as(factory.user("SYSTEM_ADMIN"))
    seen_by_first = _as_the_page_sends_it(first.get("/admin/settings"))
    seen_by_second = _as_the_page_sends_it(second.get("/admin/settings"))
    assert first.post("/admin/settings", data={**seen_by_first, "area_name": "Thameside"}).status_code == 302
    assert second.post("/admin/settings", data={**seen_by_second, "area_name": "Thameside"}).status_code == 302
