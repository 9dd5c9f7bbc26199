"""A list page of case data (the case list, the action list, the cases due for a meeting's agenda, the home
page's panels) records the cases it showed beside its one `view` entry, so that a search of the log review
for a case finds who read it on a list, when and on which page; and Category 4 stays with those cleared."""

from __future__ import annotations

from datetime import timedelta

from bs4 import BeautifulSoup
from sqlmodel import select

from tests.admin.test_log_review import rows
from tests.justify import disclosed
from tracker.core.models import AuditEvent, AuditEventCase
from tracker.core.timeutil import today_london
from tracker.meetings.models import Category


def pages_read(response) -> list[str]:
    """The rows of a page of the log review, but for the reviewer's own searches (about the case too)."""
    return [row for row in rows(response) if "searched the audit trail" not in row]


def _views_of(session, user) -> list[AuditEvent]:
    return session.exec(
        select(AuditEvent).where(AuditEvent.user_id == user.id, AuditEvent.action == "view").order_by(AuditEvent.id)
    ).all()


def test_a_search_for_a_case_finds_the_list_page_that_showed_it_and_not_the_one_that_did_not(
    client_as, factory, session
):
    cases = [factory.case(reference=f"LST-{number:04d}") for number in range(1, 27)]  # one past a page
    reader = factory.user("COORDINATOR", name="Rhiannon Reader")
    client = client_as(reader)
    assert client.get("/cases?q=LST").status_code == 200
    entries = _views_of(session, reader)
    assert [(entry.summary, entry.case_id) for entry in entries] == [("page /cases?q=[search]", None)]
    shown = session.exec(select(AuditEventCase.case_id).where(AuditEventCase.audit_event_id == entries[0].id))
    assert sorted(shown.all()) == sorted(case.id for case in cases[:25])  # the page as rendered

    reviewer = client_as(factory.user("COORDINATOR"))
    found = pages_read(reviewer.get("/admin/audit?case=LST-0007&action=view"))
    assert len(found) == 1
    assert reader.email in found[0] and "page /cases?q=[search]" in found[0]
    assert "LST-0007 was on this page" in found[0]
    # The 26th case was on the next page, which nobody opened.
    assert rows(reviewer.get("/admin/audit?case=LST-0026&action=view")) == ["Nothing matches this search."]
    assert client.get("/cases?q=LST&page=2").status_code == 200
    found = pages_read(reviewer.get("/admin/audit?case=LST-0026&action=view"))
    assert len(found) == 1 and "page /cases?q=[search]&page=2" in found[0]


def test_the_action_list_and_the_cases_due_for_an_agenda_are_found_by_their_cases(client_as, factory, session):
    chair = factory.user("CHAIR")
    meeting = factory.meeting(chair)
    item = factory.agenda_item(meeting, factory.case(reference="ACT-0001"))
    factory.action(item, owner=chair)
    factory.case(reference="DUE-0001", next_review_on=today_london() + timedelta(days=1))
    coordinator = factory.user("COORDINATOR")
    client = client_as(coordinator)
    assert client.get("/actions?owner=all").status_code == 200
    later = factory.meeting(chair, day=today_london() + timedelta(days=2))
    assert client.get(f"/meetings/{later.id}/agenda/new").status_code == 200

    reviewer = client_as(factory.user("COORDINATOR"))
    on_actions = pages_read(reviewer.get("/admin/audit?case=ACT-0001&action=view"))
    assert any("page /actions?owner=all" in row for row in on_actions), on_actions
    # The agenda's page is its meeting's; the case due was not on that meeting, but was on its page.
    on_agenda = pages_read(reviewer.get("/admin/audit?case=DUE-0001&action=view"))
    assert len(on_agenda) == 1 and f"/meetings/{later.id}/agenda/new" in on_agenda[0]


def test_a_list_that_showed_a_category_4_case_never_reveals_it_to_someone_not_cleared(client_as, factory, session):
    factory.case(reference="CAT-0001")
    factory.case(reference="CAT-0002", category=Category.CATEGORY_4)
    cleared = factory.user("COORDINATOR", terrorism_cleared=True)
    assert client_as(cleared).get("/cases?q=CAT").status_code == 200
    entry = _views_of(session, cleared)[-1]
    assert len(session.exec(select(AuditEventCase).where(AuditEventCase.audit_event_id == entry.id)).all()) == 2

    uncleared = client_as(factory.user("COORDINATOR"))
    assert rows(uncleared.get("/admin/audit?case=CAT-0002")) == ["Nothing matches this search."]
    seen = pages_read(uncleared.get("/admin/audit?case=CAT-0001&action=view"))
    assert len(seen) == 1 and "CAT-0001 was on this page" in seen[0] and "CAT-0002" not in seen[0]
    assert b"CAT-0002" not in uncleared.get("/admin/audit?case=CAT-0001").data
    assert b"CAT-0002" not in uncleared.get(disclosed("/admin/audit.csv?case=CAT-0001")).data
    # The system admin reads the trail but no case data: a search by a case finds no list either.
    admin = client_as("SYSTEM_ADMIN")
    assert rows(admin.get("/admin/audit?case=CAT-0001&action=view")) == ["Nothing matches this search."]
    # Someone cleared finds the list by the Category 4 case.
    other_cleared = client_as(factory.user("COORDINATOR", terrorism_cleared=True))
    found = pages_read(other_cleared.get("/admin/audit?case=CAT-0002&action=view"))
    assert len(found) == 1 and "CAT-0002 was on this page" in found[0]


def test_the_home_page_panels_are_logged_with_the_cases_they_show(client_as, factory, session):
    chair = factory.user("CHAIR")
    meeting = factory.meeting(chair, day=today_london() - timedelta(days=30))
    item = factory.agenda_item(
        meeting, factory.case(reference="HOM-0001", next_review_on=today_london() - timedelta(days=3))
    )
    factory.action(item, owner=chair, due_on=today_london() - timedelta(days=2))
    client = client_as(chair)
    page = BeautifulSoup(client.get("/home").data, "html.parser")
    assert "HOM-0001" in page.get_text()
    entry = _views_of(session, chair)[-1]
    assert entry.summary == "page /home" and entry.case_id is None
    found = pages_read(client_as(factory.user("COORDINATOR")).get("/admin/audit?case=HOM-0001&action=view"))
    assert any("page /home" in row for row in found), found


def test_a_home_page_that_shows_no_case_logs_nothing(client_as, factory, session):
    person = factory.user("TRSG")
    assert client_as(person).get("/home").status_code == 200
    assert _views_of(session, person) == []


def test_work_left_lists_the_cases_of_the_actions_it_shows_and_no_category_4_one_it_hides(
    client_as, factory, session
):
    leaver = factory.user("PRACTITIONER", active=False)
    meeting = factory.meeting(factory.user("CHAIR"))
    for reference, category in (("WRK-0001", Category.CATEGORY_2), ("WRK-0002", Category.CATEGORY_4)):
        factory.action(factory.agenda_item(meeting, factory.case(reference=reference, category=category)), leaver)
    coordinator = factory.user("COORDINATOR")
    shown = client_as(coordinator).get(f"/people/{leaver.id}/work-left").get_data(as_text=True)
    assert "WRK-0001" in shown and "WRK-0002" not in shown
    entry = _views_of(session, coordinator)[-1]
    links = session.exec(select(AuditEventCase.case_id).where(AuditEventCase.audit_event_id == entry.id)).all()
    assert links == [meeting.agenda_items[0].case_id]
    found = pages_read(client_as(factory.user("COORDINATOR")).get("/admin/audit?case=WRK-0001&action=view"))
    assert len(found) == 1 and f"/people/{leaver.id}/work-left" in found[0]
