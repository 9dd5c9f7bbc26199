"""Referring, finding, viewing and changing cases, and recording level and custody changes."""

from datetime import timedelta

from bs4 import BeautifulSoup
from sqlmodel import select

from tests.justify import OVERSIGHT, give_reason
from tests.pages import error_summary, page_text
from tests.posted import date_parts, referral
from tracker.core.models import AuditEvent
from tracker.core.timeutil import today_london
from tracker.meetings import rules
from tracker.meetings.models import Case, CaseEvent, CaseEventKind, CaseStatus, Category, Level, MeetingStatus


def _refer(client, agency, **fields):
    """The referral form sent for a case from the agency, with the fields given instead of the usual ones."""
    return client.post("/cases/new", data=referral(agency, **fields))


def test_an_administrator_refers_a_case_which_starts_its_history(client_as, factory, session):
    administrator = factory.user("ADMINISTRATOR")
    agency = factory.agency("Probation for referral")
    response = _refer(client_as(administrator), agency)
    assert response.status_code == 302
    case = session.exec(select(Case).where(Case.reference == "LDN-2026-9001")).one()
    assert case.level is Level.LEVEL_2 and case.status is CaseStatus.ACTIVE
    assert case.created_by_id == administrator.id
    events = session.exec(select(CaseEvent).where(CaseEvent.case_id == case.id)).all()
    assert [e.kind for e in events] == [CaseEventKind.REFERRED]
    page = page_text(client_as(administrator).get(response.headers["Location"]))
    assert "LDN-2026-9001: Alan Testcase" in page
    assert "Referred" in page


def test_a_duplicate_reference_or_a_future_referral_is_refused_and_nothing_is_saved(
    client_as, factory, session
):
    factory.case(reference="LDN-2026-9002")
    agency = factory.agency("Probation for duplicates")
    client = client_as("ADMINISTRATOR")
    tomorrow = today_london() + timedelta(days=1)
    response = _refer(
        client,
        agency,
        reference="LDN-2026-9002",
        referred_on=date_parts(tomorrow),
        date_of_birth=["31", "2", "1980"],
    )
    assert response.status_code == 200
    assert error_summary(response) == [
        "There is already a case with this MAPPA reference",
        "Date of birth must be a real date",
        "The date referred must be today or in the past",
    ]
    assert len(session.exec(select(Case).where(Case.reference == "LDN-2026-9002")).all()) == 1
    assert response.data.count(b"<title>Error: ") == 1


def test_a_case_is_referred_after_the_person_was_born(client_as, factory, session):
    agency = factory.agency("Probation for birth dates")
    client = client_as("ADMINISTRATOR")
    born = today_london() - timedelta(days=30)
    response = _refer(
        client,
        agency,
        reference="LDN-2026-9010",
        date_of_birth=date_parts(born),
        referred_on=date_parts(born - timedelta(days=1)),
    )
    assert error_summary(response) == ["The date referred must be after the date of birth"]
    assert session.exec(select(Case).where(Case.reference == "LDN-2026-9010")).first() is None


def test_a_reference_differing_only_in_letter_case_is_a_duplicate(client_as, factory, session):
    factory.case(reference="LDN-2026-9003")
    agency = factory.agency("Probation for letter case")
    client = client_as("ADMINISTRATOR")
    response = _refer(client, agency, reference=" ldn-2026-9003 ")
    assert response.status_code == 200
    assert error_summary(response) == ["There is already a case with this MAPPA reference"]
    assert session.exec(select(Case).where(Case.reference.ilike("ldn-2026-9003"))).all() == [
        session.exec(select(Case).where(Case.reference == "LDN-2026-9003")).one()
    ]
    response = _refer(client, agency, reference="ldn-2026-9004")
    assert response.status_code == 302
    assert session.exec(select(Case).where(Case.reference == "LDN-2026-9004")).one()


def test_a_missing_choice_gets_a_govuk_message(client_as, factory):
    agency = factory.agency("Probation for missing")
    response = _refer(client_as("CHAIR"), agency, level="", category="", borough="")
    assert error_summary(response) == ["Select the category", "Select the level", "Enter the borough"]


def test_category_4_is_offered_and_shown_only_to_people_cleared_for_terrorism_cases(client_as, factory):
    secret = factory.case(category=Category.CATEGORY_4, reference="CT-0001")
    factory.case(reference="PLAIN-0001")
    coordinator = factory.user("COORDINATOR")
    cleared = factory.user("COORDINATOR", terrorism_cleared=True)
    listing = page_text(client_as(coordinator).get("/cases"))
    assert "PLAIN-0001" in listing and "CT-0001" not in listing
    assert client_as(coordinator).get(f"/cases/{secret.id}").status_code == 404
    assert "Category 4: Terrorism" not in page_text(client_as(coordinator).get("/cases/new"))
    assert "CT-0001" in page_text(client_as(cleared).get("/cases"))
    cleared_client = client_as(cleared)
    give_reason(cleared_client, secret.id)
    assert cleared_client.get(f"/cases/{secret.id}").status_code == 200
    assert "Category 4: Terrorism" in page_text(client_as(cleared).get("/cases/new"))


def test_people_see_only_the_cases_on_their_meetings(client_as, factory):
    chair, other_chair = factory.user("CHAIR"), factory.user("CHAIR")
    mine, theirs = factory.case(reference="MINE-1"), factory.case(reference="THEIRS-1")
    factory.agenda_item(factory.meeting(chair=chair), mine)
    factory.agenda_item(factory.meeting(chair=other_chair), theirs)
    listing = page_text(client_as(chair).get("/cases"))
    assert "MINE-1" in listing and "THEIRS-1" not in listing
    assert client_as(chair).get(f"/cases/{theirs.id}").status_code == 404
    assert client_as("SMB").get(f"/cases/{mine.id}").status_code == 403


def test_viewing_a_case_is_recorded_in_the_audit_trail(client_as, factory, session):
    case = factory.case()
    coordinator = factory.user("COORDINATOR")
    client = client_as(coordinator)
    give_reason(client, case.id)
    client.get(f"/cases/{case.id}")
    event = session.exec(
        select(AuditEvent).where(AuditEvent.action == "view", AuditEvent.object_type == "Case")
    ).one()
    assert event.object_id == str(case.id) and event.user_id == coordinator.id
    assert event.summary == case.reference
    assert (event.justified_by, event.reason) == ("reason", OVERSIGHT)


def test_the_case_list_filters_by_level_category_borough_status_and_review(client_as, factory):
    today = today_london()
    factory.case(reference="F-L3", level=Level.LEVEL_3, borough="Hackney")
    factory.case(reference="F-C1", category=Category.CATEGORY_1, borough="Camden")
    factory.case(
        reference="F-OVERDUE",
        referred_on=today - timedelta(days=200),
        last_reviewed_on=today - timedelta(weeks=17),
    )
    factory.case(reference="F-EXITED", status=CaseStatus.EXITED)
    client = client_as("COORDINATOR")

    def shown(query):
        text = page_text(client.get("/cases?" + query))
        return {ref for ref in ("F-L3", "F-C1", "F-OVERDUE", "F-EXITED") if ref in text}

    assert shown("level=LEVEL_3") == {"F-L3"}
    assert shown("category=CATEGORY_1") == {"F-C1"}
    assert shown("borough=Hackney") == {"F-L3"}
    assert shown("status=EXITED") == {"F-EXITED"}
    assert "F-EXITED" not in shown(""), "the list opens on current cases"
    assert shown("status=all") == {"F-L3", "F-C1", "F-OVERDUE", "F-EXITED"}
    assert shown("review=overdue&q=F-") == {"F-OVERDUE"}
    assert shown("q=f-l3") == {"F-L3"}


def test_the_case_search_takes_percent_and_underscore_as_themselves(client_as, factory):
    """"%" was a LIKE wildcard: it listed every case."""
    factory.case(reference="W-1", name="Ann Axbridge")
    factory.case(reference="W-2", name="Bob 100% Sure")
    client = client_as("COORDINATOR")

    def shown(query):
        return {ref for ref in ("W-1", "W-2") if ref in page_text(client.get("/cases", query_string={"q": query}))}

    assert shown("%") == {"W-2"}
    assert shown("a_b") == set()
    assert shown("w-") == {"W-1", "W-2"}


def test_the_case_search_finds_every_word_in_any_order_and_the_other_systems_references(client_as, factory):
    chair = factory.user("CHAIR")
    whitlock = factory.case(
        reference="S-1",
        name="Jason Whitlock",
        visor_reference="VIS010177",
        ndelius_reference="X010121",
        pnc_reference="2001/0123456A",
    )
    factory.case(reference="S-2", name="Jason Smith", ndelius_reference="X999921")
    factory.agenda_item(factory.meeting(chair=chair), factory.case(reference="S-3", name="Mary Whitlock"))
    client = client_as("COORDINATOR")

    def shown(query, who=client):
        text = page_text(who.get("/cases", query_string={"q": query}))
        return {ref for ref in ("S-1", "S-2", "S-3") if ref in text}

    assert shown("jason  whitlock") == {"S-1"}
    assert shown("Whitlock Jason") == {"S-1"}
    assert shown(" whitlock ") == {"S-1", "S-3"}
    assert shown("X010121") == {"S-1"}
    assert shown("vis010177") == {"S-1"}
    assert shown("2001/0123456A") == {"S-1"}
    assert shown("S- x99") == {"S-2"}
    # A chair searches only the cases they may see, by any of their references.
    chairs = client_as(chair)
    assert shown("X010121", chairs) == set()
    assert shown("whitlock", chairs) == {"S-3"}
    assert whitlock.reference not in page_text(chairs.get("/cases?q=jason"))


def test_the_case_list_is_sorted_and_paginated_in_sql(client_as, factory, app):
    for number in range(30):
        factory.case(reference=f"P-{number:03d}", borough="Paged")
    client = client_as("COORDINATOR")
    first = page_text(client.get("/cases?borough=Paged&sort=reference&order=desc"))
    assert "P-029" in first and "P-000" not in first
    assert "Showing 1 to 25 of 30 cases" in first
    second = page_text(client.get("/cases?borough=Paged&sort=reference&order=desc&page=2"))
    assert "P-000" in second and "P-029" not in second


def test_editing_a_case_is_refused_when_someone_else_saved_it_first(client_as, factory, session):
    case = factory.case(reference="LOCK-1", borough="Camden")
    client = client_as("COORDINATOR")
    data = {
        "version": str(case.version),
        "reference": "LOCK-1",
        "name": case.name,
        "date_of_birth": ["1", "1", "1980"],
        "category": "CATEGORY_2",
        "referred_on": [
            str(d) for d in (case.referred_on.day, case.referred_on.month, case.referred_on.year)
        ],
        "lead_agency_id": str(case.lead_agency_id),
        "borough": "Hackney",
    }
    assert client.post(f"/cases/{case.id}/edit", data=data).status_code == 302
    data["borough"] = "Islington"
    stale = client.post(f"/cases/{case.id}/edit", data=data)
    assert stale.status_code == 409
    assert error_summary(stale)[0].startswith(
        "Someone else saved changes to this case while you were editing it"
    )
    session.expire_all()
    assert session.get(Case, case.id).borough == "Hackney"


def test_recording_a_recall_puts_the_person_in_custody_and_in_the_history(client_as, factory, session):
    case = factory.case()
    today = today_london()
    client = client_as("COORDINATOR")
    data = {
        "kind": "RECALLED",
        "occurred_on": date_parts(today),
        "reason": "Breached the curfew condition",
    }
    assert client.post(f"/cases/{case.id}/events/new", data=data).status_code == 302
    session.expire_all()
    assert session.get(Case, case.id).status is CaseStatus.IN_CUSTODY
    recalled = session.exec(select(CaseEvent).where(CaseEvent.kind == CaseEventKind.RECALLED)).one()
    assert recalled.level is Level.LEVEL_2 and recalled.occurred_on == today
    give_reason(client, case.id)
    assert "Returned to custody (breach of licence)" in page_text(client.get(f"/cases/{case.id}"))
    again = client.post(f"/cases/{case.id}/events/new", data=data)
    assert error_summary(again) == ["The person is already recorded as in custody"]


def test_a_level_change_needs_a_new_level(client_as, factory, session):
    case = factory.case()
    today = today_london()
    response = client_as("CHAIR").post(
        f"/cases/{case.id}/events/new",
        data={
            "kind": "LEVEL_CHANGED",
            "occurred_on": date_parts(today),
            "reason": "x",
        },
    )
    assert response.status_code in (200, 404)


def _edit_form(case, referred_on) -> dict:
    """The case's edit form as it stands, with the referral date changed."""
    return {
        "version": str(case.version),
        "reference": case.reference,
        "name": case.name,
        "date_of_birth": date_parts(case.date_of_birth),
        "category": case.category.name,
        "referred_on": date_parts(referred_on),
        "lead_agency_id": str(case.lead_agency_id),
        "borough": case.borough,
    }


def _unchanged(session, case, referred_on, version, due) -> None:
    session.expire_all()
    stored = session.get(Case, case.id)
    assert (stored.referred_on, stored.version, stored.review_due_on) == (referred_on, version, due)
    referral_entry = session.exec(
        select(CaseEvent).where(CaseEvent.case_id == case.id, CaseEvent.kind == CaseEventKind.REFERRED)
    ).one()
    assert referral_entry.occurred_on == referred_on


def test_a_referral_date_after_a_meeting_that_discussed_the_case_is_refused_and_changes_nothing(
    client_as, factory, session
):
    today = today_london()
    referred = today - timedelta(days=90)
    case = factory.case(referred_on=referred)
    meeting = factory.meeting(day=today - timedelta(days=40), status=MeetingStatus.HELD)
    factory.agenda_item(meeting, case)
    # A cancelled meeting did not discuss the case: it sets no limit.
    factory.agenda_item(factory.meeting(day=today - timedelta(days=60), status=MeetingStatus.CANCELLED), case)
    session.refresh(case)
    version, due = case.version, case.review_due_on
    client = client_as("COORDINATOR")
    response = client.post(f"/cases/{case.id}/edit", data=_edit_form(case, today - timedelta(days=10)))
    assert response.status_code == 200
    first = today - timedelta(days=40)
    assert error_summary(response) == [
        f"The referral date must be on or before {first:%-d %B %Y}, when meeting {meeting.reference} "
        "discussed the case"
    ]
    _unchanged(session, case, referred, version, due)
    # The day of that meeting itself is allowed.
    assert client.post(f"/cases/{case.id}/edit", data=_edit_form(case, first)).status_code == 302


def test_a_referral_date_after_an_event_in_the_case_history_is_refused(client_as, factory, session):
    today = today_london()
    referred = today - timedelta(days=50)
    case = factory.case(referred_on=referred)
    recalled_on = today - timedelta(days=20)
    factory.save(
        CaseEvent(case_id=case.id, kind=CaseEventKind.RECALLED, occurred_on=recalled_on, level=case.level)
    )
    version, due = case.version, case.review_due_on
    response = client_as("COORDINATOR").post(
        f"/cases/{case.id}/edit", data=_edit_form(case, today - timedelta(days=5))
    )
    assert error_summary(response) == [
        f"The referral date must be on or before {recalled_on:%-d %B %Y}, when the case's history records: "
        "Returned to custody (breach of licence)"
    ]
    _unchanged(session, case, referred, version, due)


def test_changing_the_referral_date_moves_the_history_entry_and_the_review_due_date(
    client_as, factory, session
):
    today = today_london()
    case = factory.case(referred_on=today - timedelta(days=3))
    session.refresh(case)
    due_before = case.review_due_on
    client = client_as("COORDINATOR")
    referred = today - timedelta(days=30)
    assert client.post(f"/cases/{case.id}/edit", data=_edit_form(case, referred)).status_code == 302
    session.expire_all()
    stored = session.get(Case, case.id)
    assert stored.referred_on == referred
    referral_entry = session.exec(
        select(CaseEvent).where(CaseEvent.case_id == case.id, CaseEvent.kind == CaseEventKind.REFERRED)
    ).one()
    assert referral_entry.occurred_on == referred
    # Not yet discussed at Level 2: due at its initial meeting, 20 working days after the referral.
    assert stored.review_due_on == rules.initial_meeting_due(referred, 20) != due_before
    give_reason(client, case.id)
    soup = BeautifulSoup(client.get(f"/cases/{case.id}").data, "html.parser")
    history = soup.select_one("#history tbody")
    assert [row.get_text(" ", strip=True) for row in history.select("tr")] == [
        f"{referred:%-d %B %Y} Referred Level 2"
    ]
    assert f"Referred {referred:%-d %B %Y}" in page_text(client.get(f"/cases/{case.id}"))


def test_the_error_summary_takes_you_to_a_dates_first_box(client_as, factory):
    """GOV.UK's error summary links each message to its field: for a date, its day box (the group around
    the three boxes takes no focus)."""
    agency = factory.agency("Probation for dates")
    response = _refer(client_as("ADMINISTRATOR"), agency, date_of_birth=["31", "2", "1980"])
    links = BeautifulSoup(response.data, "html.parser").select(".govuk-error-summary__list a")
    assert [(a.get_text(strip=True), a["href"]) for a in links] == [
        ("Date of birth must be a real date", "#date_of_birth-day")
    ]
