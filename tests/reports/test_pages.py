"""The dashboard, the entered figures and the meeting audits, through the client; and the check that no
reports page shows a person or a case, on the whole demo area."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from bs4 import BeautifulSoup
from sqlmodel import select

from tracker.auth.models import AgencySector
from tracker.core.models import AuditEvent
from tracker.core.timeutil import today_london
from tracker.meetings.models import (
    Action,
    ActionStatus,
    AttendanceStatus,
    Category,
    PillarStatus,
)
from tracker.reports import rules
from tracker.reports.models import AnnualFigures, AuditCriterion, AuditStatus, MeetingAudit


def _soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.data, "html.parser")


def _trend(soup, key) -> list[str]:
    """A measure's row of the year-at-a-glance table: its title, each quarter, and the year."""
    return [c.get_text(" ", strip=True) for c in soup.find(id=f"trend-{key}").parent.find_all(["th", "td"])]


def _table(soup, table_id) -> list[list[str]]:
    return [
        [c.get_text(" ", strip=True) for c in row.find_all(["th", "td"])]
        for row in soup.find(id=table_id).select("tr")
    ]


# The dashboard -------------------------------------------------------------------------------------------


def test_the_dashboard_counts_pillars_attendance_actions_and_minutes_by_quarter(factory, client_as):
    today = today_london()
    meeting = factory.held_meeting(days_ago=2, cases=2)
    first, second = meeting.agenda_items
    first.pillar_entries[0].status = PillarStatus.OUTSTANDING
    factory.save(first.pillar_entries[0])
    done_on_time = first.case_id
    for action in factory.session.exec(select(Action).where(Action.case_id == done_on_time)):
        action.due_on, action.status, action.completed_on = (
            today - timedelta(days=1),
            ActionStatus.DONE,
            today - timedelta(days=2),
        )
        factory.save(action)
    housing = factory.agency("Test Housing", AgencySector.HOUSING)
    factory.invitation(meeting, agency=housing, attendance=AttendanceStatus.ABSENT)
    factory.minutes(meeting)
    soup = _soup(client_as("SMB").get("/reports/"))
    quarter = rules.quarter_of(today)
    assert _table(soup, "trends")[0][-1] == "Year"
    assert _trend(soup, "pillars")[-1] == "50% (1 of 2)"
    assert _trend(soup, "pillars")[quarter.number] == "50% (1 of 2)"
    agencies = {row[0]: row[1:5] for row in _table(soup, "agency-table")[1:]}
    assert agencies["Test Police"] == ["Responsible Authority", "1", "1", "100%"]
    assert agencies["Test Housing"] == ["Duty to co-operate", "1", "0", "0%"]
    assert _trend(soup, "actions")[-1] == "100% (1 of 1)"
    # Held two days ago: the minutes are not yet due, so not counted.
    assert _trend(soup, "minutes")[-1] == "No data"
    assert soup.find(id="pillar-table").select_one(".app-bar")["class"][-1].startswith("app-bar--")


def test_category_4_discussions_are_left_out_of_the_dashboard(factory, client_as):
    from tracker.meetings.models import Category

    meeting = factory.held_meeting(days_ago=2)
    factory.agenda_item(meeting, factory.case(category=Category.CATEGORY_4))
    soup = _soup(client_as("LAY_ADVISER").get("/reports/"))
    assert _trend(soup, "pillars")[-1] == "100% (1 of 1)"


def test_reviews_are_on_time_when_held_by_the_date_the_last_meeting_set(factory, client_as):
    today = today_london()
    late, on_time = factory.case(), factory.case()
    earlier = factory.held_meeting(days_ago=60, cases=0)
    factory.agenda_item(earlier, late, next_review_on=today - timedelta(days=30))
    factory.agenda_item(earlier, on_time, next_review_on=today - timedelta(days=5))
    review = factory.held_meeting(days_ago=5, cases=0)
    factory.agenda_item(review, late)
    factory.agenda_item(review, on_time)
    soup = _soup(client_as("SMB").get("/reports/"))
    quarter = rules.quarter_of(today - timedelta(days=5)).number
    assert _trend(soup, "reviews")[quarter] == "50% (1 of 2)"


def test_the_dashboard_says_a_review_with_no_earlier_meeting_here_is_not_counted(factory, client_as):
    """A case whose first meeting in the tracker was a review has nothing to be on time against: the
    dashboard leaves it out of "reviews held on time", and its note on counting says so."""
    meeting = factory.held_meeting(days_ago=5, cases=1)
    soup = _soup(client_as("SMB").get("/reports/"))
    assert _trend(soup, "reviews")[-1] == "No data"
    how = next(
        details.get_text(" ", strip=True)
        for details in soup.select("details")
        if "How each measure is counted" in details.get_text()
    )
    assert (
        "A review of a case with no earlier held meeting in the tracker is left out (what came before, and so "
        "when the review was due, is not recorded here), so fewer reviews can be counted than cases discussed"
    ) in how
    assert meeting.agenda_items


@pytest.mark.parametrize("who", ["SMB", "LAY_ADVISER"])
def test_the_boards_home_page_leads_to_the_dashboard_and_last_years_report(client_as, who):
    soup = _soup(client_as(who).get("/home"))
    links = {a.get_text(" ", strip=True): a["href"] for a in soup.select("main a")}
    current = rules.reporting_year_of(today_london())
    last = rules.ReportingYear(current.start_year - 1)
    assert links[f"Quality dashboard {current.label}"] == "/reports/"
    assert links[f"Annual report {last.label}"] == f"/reports/annual-report?year={last.start_year}"


def test_the_dashboard_refuses_people_who_work_on_cases(client_as):
    assert client_as("CHAIR").get("/reports/").status_code == 403
    assert client_as("PRACTITIONER").get("/reports/annual-report").status_code == 403


def test_the_dashboard_makes_the_same_number_of_queries_whatever_the_data(factory, client_as, count_queries):
    client = client_as("SMB")
    factory.held_meeting(days_ago=3)
    client.get("/reports/")
    with count_queries() as counted:
        client.get("/reports/")
    before = counted[0]
    for _ in range(4):
        factory.held_meeting(days_ago=3, cases=2)
    with count_queries() as counted:
        client.get("/reports/")
    after = counted[0]
    assert after == before


# Entered figures ----------------------------------------------------------------------------------------


def _year() -> int:
    return rules.reporting_year_of(today_london()).start_year


def test_the_coordinator_enters_a_years_figures(client_as, session):
    client = client_as("COORDINATOR")
    form = _soup(client.get(f"/reports/annual-report/{_year()}/figures"))
    assert form.find("input", {"name": "version"})["value"] == "0"
    response = client.post(
        f"/reports/annual-report/{_year()}/figures",
        data={
            "version": "0",
            "level_1_category_1": "6,912",
            "shpo_imposed": "10",
            "population": "8,043,000",
            "population_source": "ONS mid-year estimate",
        },
    )
    assert response.status_code == 302
    figures = session.exec(select(AnnualFigures).where(AnnualFigures.start_year == _year())).one()
    assert (figures.level_1_category_1, figures.shpo_imposed, figures.population) == (6912, 10, 8_043_000)
    assert figures.population_source == "ONS mid-year estimate"
    assert figures.level_1_category_2 is None


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"shpo_imposed": "-1"},
            "The number of Sexual Harm Prevention Orders imposed must be between 0 and 10,000,000",
        ),
        (
            {"shpo_imposed": "ten"},
            "Enter the number of Sexual Harm Prevention Orders imposed as a whole number",
        ),
        ({"notification_orders": "2.5"}, "Enter the number of notification orders as a whole number"),
        ({"population": "lots"}, "Enter the population aged 10 and over as a whole number"),
        ({"population": "8000000"}, "Enter where the population figure comes from"),
        (
            {"shpo_imposed": "2", "shpo_foreign_travel": "3"},
            "must be no more than the Sexual Harm Prevention",
        ),
    ],
)
def test_figures_that_are_not_whole_numbers_are_refused_and_nothing_is_saved(
    client_as, session, data, message
):
    response = client_as("COORDINATOR").post(
        f"/reports/annual-report/{_year()}/figures", data={"version": "0", **data}
    )
    assert response.status_code == 200
    soup = _soup(response)
    assert soup.title.get_text().startswith("Error: ")
    assert message in soup.select_one(".govuk-error-summary").get_text()
    assert session.exec(select(AnnualFigures)).first() is None


def test_category_3_at_level_1_cannot_be_entered(client_as, session):
    client = client_as("COORDINATOR")
    form = _soup(client.get(f"/reports/annual-report/{_year()}/figures"))
    assert form.find("input", {"name": "level_1_category_3"}) is None
    assert "Category 3 is never managed at Level 1" in form.get_text()
    response = client.post(
        f"/reports/annual-report/{_year()}/figures",
        data={"version": "0", "level_1_category_1": "7368", "level_1_category_3": "4137"},
    )
    assert response.status_code == 302
    figures = session.exec(select(AnnualFigures)).one()
    assert not hasattr(figures, "level_1_category_3")
    report = _soup(client.get(f"/reports/annual-report?year={_year()}"))
    assert "4,137" not in report.get_text()


def test_two_people_saving_the_same_figures_do_not_overwrite_each_other(client_as, factory, session):
    figures = factory.annual_figures(_year(), shpo_imposed=5)
    client = client_as("COORDINATOR")
    url = f"/reports/annual-report/{_year()}/figures"
    assert client.post(url, data={"version": "1", "shpo_imposed": "6"}).status_code == 302
    stale = client.post(url, data={"version": "1", "shpo_imposed": "7"})
    assert stale.status_code == 409
    assert "Someone else saved changes" in _soup(stale).get_text()
    session.refresh(figures)
    assert figures.shpo_imposed == 6


# Meeting audits ------------------------------------------------------------------------------------------


def _last_quarter_day() -> date:
    current = rules.quarter_of(today_london())
    return current.first_day - timedelta(days=10)


def test_the_coordinator_assigns_the_suggested_sample_to_an_auditor(factory, client_as, session):
    coordinator = factory.user("COORDINATOR")
    chairs = [factory.user("CHAIR", name=f"Chair {n}") for n in range(3)]
    day = _last_quarter_day()
    days_ago = (today_london() - day).days
    meetings = [factory.held_meeting(chair=chairs[n % 3], days_ago=days_ago + n) for n in range(6)]
    client = client_as(coordinator)
    page = _soup(client.get("/reports/audits/sample"))
    checked = [box["value"] for box in page.select("input[name=meetings][checked]")]
    assert len(checked) == 4  # the default sample size
    assert page.get_text().count("Suggested") == 4
    auditor = chairs[0]
    own = [str(m.id) for m in meetings if m.chair_id == auditor.id]
    refused = client.post("/reports/audits/sample", data={"meetings": own, "auditor": str(auditor.id)})
    assert refused.status_code == 200
    message = _soup(refused).select_one(".govuk-error-summary").get_text()
    assert "A chair cannot audit a meeting they chaired" in message
    assert any(f"leave {m.reference} out" in message for m in meetings if m.chair_id == auditor.id)
    others = [str(m.id) for m in meetings if m.chair_id != auditor.id][:2]
    assert (
        client.post(
            "/reports/audits/sample", data={"meetings": others, "auditor": str(auditor.id)}
        ).status_code
        == 302
    )
    audits = session.exec(select(MeetingAudit)).all()
    assert sorted(str(a.meeting_id) for a in audits) == sorted(others)
    assert {a.auditor_id for a in audits} == {auditor.id}
    # Audited meetings are no longer offered.
    again = _soup(client.get("/reports/audits/sample"))
    offered = {box["value"] for box in again.select("input[name=meetings]")}
    assert not offered & set(others)


def test_the_sample_suggestion_is_the_same_each_time_until_another_is_asked_for(factory, client_as):
    day = _last_quarter_day()
    days_ago = (today_london() - day).days
    for n in range(10):
        factory.held_meeting(chair=factory.user("CHAIR"), days_ago=days_ago + n)
    client = client_as("COORDINATOR")

    def suggested(url):
        return sorted(box["value"] for box in _soup(client.get(url)).select("input[name=meetings][checked]"))

    assert suggested("/reports/audits/sample") == suggested("/reports/audits/sample")
    quarter = rules.quarter_of(day)
    others = [
        suggested(f"/reports/audits/sample?period={quarter.year.start_year}-{quarter.number}&attempt={n}")
        for n in range(1, 6)
    ]
    assert any(other != suggested("/reports/audits/sample") for other in others)


def test_the_audit_list_shows_a_meeting_reference_as_text_never_as_markup(factory, client_as):
    """A reference brought in from an area's records may hold anything (the import accepts "<B>...</B>"):
    the list shows it as typed, as every other page does."""
    meeting = factory.held_meeting(chair=factory.user("CHAIR"), reference="<B>M-2026-0X</B>")
    factory.meeting_audit(meeting, factory.user("CHAIR"))
    response = client_as("COORDINATOR").get("/reports/audits")
    assert b"<B>M-2026-0X</B>" not in response.data
    assert _soup(response).find("a", string="<B>M-2026-0X</B>") is not None


def _scores(**overrides) -> dict[str, str]:
    data = {f"score_{c.name.lower()}": "3" for c in AuditCriterion}
    data.update(overrides)
    return data


def test_the_named_auditor_scores_the_meeting_and_may_open_it_until_done(factory, client_as, session):
    auditor = factory.user("CHAIR")
    meeting = factory.held_meeting(chair=factory.user("CHAIR"))
    audit = factory.meeting_audit(meeting, auditor)
    client = client_as(auditor)
    page = client.get(f"/reports/audits/{audit.id}")
    assert page.status_code == 200
    assert client.get(f"/meetings/{meeting.id}").status_code == 200
    bad = client.post(
        f"/reports/audits/{audit.id}",
        data={"version": "1", **_scores(score_introductions="", score_risk_summary="1")},
    )
    assert bad.status_code == 200
    errors = _soup(bad).select_one(".govuk-error-summary").get_text()
    assert "Select a score for ‘Introductions made’" in errors
    assert "Explain the score for ‘The chair summarised the risk factors’ in a comment" in errors
    good = client.post(
        f"/reports/audits/{audit.id}",
        data={"version": "1", **_scores(score_dissent_recorded="NA", score_risk_summary="1",
                                         comment_risk_summary="The risk factors were not summarised")},
    )  # fmt: skip
    assert good.status_code == 302
    session.refresh(audit)
    assert audit.status is AuditStatus.COMPLETED
    assert audit.score_for(AuditCriterion.DISSENT_RECORDED).score is None
    assert audit.score_for(AuditCriterion.RISK_SUMMARY).score == 1
    # Done: the meeting is theirs no longer, and the scores are read, not changed, by them.
    assert client.get(f"/meetings/{meeting.id}").status_code == 404
    done = client.get(f"/reports/audits/{audit.id}")
    assert done.status_code == 200 and _soup(done).select_one("main form[method=post]") is None
    again = client.post(f"/reports/audits/{audit.id}", data={"version": "2", **_scores()})
    assert again.status_code == 403
    session.refresh(audit)
    assert audit.score_for(AuditCriterion.RISK_SUMMARY).score == 1


def test_an_audit_the_coordinator_scores_in_place_of_its_auditor_names_the_coordinator(
    factory, client_as, session
):
    auditor = factory.user("CHAIR", name="Daniel Price")
    coordinator = factory.user("COORDINATOR", name="Helen Marsh")
    audit = factory.meeting_audit(factory.held_meeting(chair=factory.user("CHAIR")), auditor)
    client = client_as(coordinator)
    assert client.post(f"/reports/audits/{audit.id}", data={"version": "1", **_scores()}).status_code == 302
    session.expire_all()
    audit = session.get(MeetingAudit, audit.id)
    assert (audit.auditor_id, audit.status) == (coordinator.id, AuditStatus.COMPLETED)
    shown = " ".join(_soup(client.get(f"/reports/audits/{audit.id}")).get_text(" ").split())
    assert "Helen Marsh" in shown and "Daniel Price" not in shown
    trail = session.exec(select(AuditEvent).where(AuditEvent.action == "audit taken over")).one()
    assert trail.summary == "Scored by Helen Marsh in place of Daniel Price"


def test_an_auditor_not_cleared_for_terrorism_cases_is_not_told_of_one_by_the_case_count(factory, client_as):
    auditor = factory.user("CHAIR")
    meeting = factory.held_meeting(chair=factory.user("CHAIR"), cases=2)
    factory.agenda_item(meeting, factory.case(category=Category.CATEGORY_4))
    audit = factory.meeting_audit(meeting, auditor)
    client = client_as(auditor)
    summary = _soup(client.get(f"/reports/audits/{audit.id}")).select_one(".govuk-summary-list").get_text(" ")
    assert "Cases discussed 2" in " ".join(summary.split())
    assert _table(_soup(client.get("/reports/audits")), "audits")[1][4] == "2"
    # Someone cleared for them counts every case.
    cleared = factory.user("COORDINATOR", terrorism_cleared=True)
    assert _table(_soup(client_as(cleared).get("/reports/audits")), "audits")[1][4] == "3"


def test_audit_scores_feed_the_dashboard_by_criterion_and_quarter(factory, client_as):
    meeting = factory.held_meeting(days_ago=1)
    factory.meeting_audit(
        meeting, factory.user("COORDINATOR"), AuditStatus.COMPLETED,
        {c: (4 if c is AuditCriterion.INTRODUCTIONS else 2) for c in AuditCriterion},
    )  # fmt: skip
    soup = _soup(client_as("SMB").get("/reports/"))
    criteria = {row[0]: row[1:3] for row in _table(soup, "audit-criteria")[1:]}
    assert criteria["Introductions made"] == ["1", "4.0"]
    assert criteria["A review date set"] == ["1", "2.0"]
    quarter = rules.quarter_of(today_london() - timedelta(days=1)).number
    assert _table(soup, "audit-quarters")[quarter][1:3] == ["1", "2.2"]


def test_nobody_else_sees_an_audit(factory, client_as):
    audit = factory.meeting_audit(factory.held_meeting(), factory.user("CHAIR"))
    assert client_as("CHAIR").get(f"/reports/audits/{audit.id}").status_code == 404
    assert client_as("SMB").get(f"/reports/audits/{audit.id}").status_code == 403
    assert client_as("COORDINATOR").get(f"/reports/audits/{audit.id}").status_code == 200


def test_the_coordinator_withdraws_an_audit_not_yet_done(factory, client_as, session):
    audit = factory.meeting_audit(factory.held_meeting(), factory.user("CHAIR"))
    assert client_as("COORDINATOR").post(f"/reports/audits/{audit.id}/withdraw").status_code == 302
    session.expire_all()
    assert session.exec(select(MeetingAudit)).all() == []


def test_the_audit_list_shows_only_the_auditors_own(factory, client_as):
    mine, theirs = factory.user("CHAIR"), factory.user("CHAIR")
    own = factory.meeting_audit(factory.held_meeting(), mine)
    factory.meeting_audit(factory.held_meeting(days_ago=4), theirs)
    rows = _table(_soup(client_as(mine).get("/reports/audits")), "audits")[1:]
    assert [row[0] for row in rows] == [own.meeting.reference]
    assert len(_table(_soup(client_as("COORDINATOR").get("/reports/audits")), "audits")) == 3
