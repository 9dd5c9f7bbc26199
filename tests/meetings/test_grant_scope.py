"""A read-only grant (named to audit a meeting, or approving its minutes in place of a chair who has left)
lets a person read that meeting and the case as it stood for it: not the case's other meetings' actions
and events, and the case never joins their own working lists (cases, actions, home page)."""

from __future__ import annotations

from datetime import timedelta

from bs4 import BeautifulSoup

from tests.pages import page_text
from tracker.core.timeutil import today_london
from tracker.meetings.models import CaseEvent, CaseEventKind, Category, Level, MeetingStatus
from tracker.reports.models import AuditStatus


def _case_with_three_meetings(factory, audited_by_a_chair: bool = True):
    """A case discussed at an earlier meeting, at the meeting audited and at a later one (each chaired by
    someone else, each with an action), with an event of the earlier meeting and one recorded after the
    audited meeting; and (`audited_by_a_chair`) a chair named to audit the middle one (audit still open)."""
    today = today_london()
    case = factory.case(category=Category.CATEGORY_3, referred_on=today - timedelta(days=200))
    meetings = []
    for days, status, what in (
        (-120, MeetingStatus.HELD, "Check the earlier address"),
        (-10, MeetingStatus.HELD, "Visit at the audited meeting"),
        (7, MeetingStatus.SCHEDULED, "Book the later visit"),
    ):
        meeting = factory.meeting(chair=factory.user("CHAIR"), day=today + timedelta(days=days), status=status)
        item = factory.agenda_item(meeting, case)
        factory.action(item, description=what)
        meetings.append((meeting, item))
    earlier_item = meetings[0][1]
    factory.save(
        CaseEvent(
            case_id=case.id,
            kind=CaseEventKind.LEVEL_CHANGED,
            occurred_on=today - timedelta(days=120),
            level=Level.LEVEL_3,
            previous_level=Level.LEVEL_2,
            reason="Raised at the earlier meeting",
            agenda_item_id=earlier_item.id,
        )
    )
    factory.save(
        CaseEvent(
            case_id=case.id,
            kind=CaseEventKind.RECALLED,
            occurred_on=today - timedelta(days=2),
            level=Level.LEVEL_3,
            reason="Recalled after the audited meeting",
        )
    )
    audited, audited_item = meetings[1]
    auditor = factory.user("CHAIR", name="Audrey Auditor")
    audit = factory.meeting_audit(audited, auditor) if audited_by_a_chair else None
    return case, audited, audited_item, meetings[2][0], auditor, audit


def test_the_auditor_reads_the_case_as_it_stood_for_the_meeting_he_audits(client_as, factory):
    case, audited, _item, later, auditor, _audit = _case_with_three_meetings(factory)
    response = client_as(auditor).get(f"/cases/{case.id}")
    assert response.status_code == 200
    shown = page_text(response)
    assert "Visit at the audited meeting" in shown
    assert "Check the earlier address" not in shown
    assert "Book the later visit" not in shown
    assert "Raised at the earlier meeting" not in shown
    assert "Recalled after the audited meeting" not in shown
    assert audited.reference in shown and later.reference not in shown
    assert "This page shows the case as it stood for that meeting" in shown
    back = BeautifulSoup(response.data, "html.parser").select_one(".govuk-back-link")
    assert back["href"] == f"/meetings/{audited.id}"  # not his case list, which does not hold the case


def test_someone_on_the_case_still_reads_all_of_it(client_as, factory):
    case, _audited, _item, later, _auditor, _audit = _case_with_three_meetings(factory)
    # The chair of its current meeting (the later one) reads the case through that part.
    shown = page_text(client_as(later.chair).get(f"/cases/{case.id}"))
    for what in ("Check the earlier address", "Visit at the audited meeting", "Book the later visit"):
        assert what in shown
    assert "Raised at the earlier meeting" in shown and "Recalled after the audited meeting" in shown
    assert "This page shows the case as it stood for that meeting" not in shown


def test_the_cases_of_an_audited_meeting_are_not_in_the_auditors_lists(client_as, factory):
    case, _audited, _item, _later, auditor, _audit = _case_with_three_meetings(factory)
    client = client_as(auditor)
    assert case.reference not in page_text(client.get("/cases?status=all"))
    assert case.reference not in page_text(client.get(f"/cases?status=all&q={case.reference}"))
    actions = page_text(client.get("/actions?owner=all&status=all"))
    for what in ("Check the earlier address", "Visit at the audited meeting", "Book the later visit"):
        assert what not in actions
    assert case.reference not in page_text(client.get("/home"))


def test_the_auditor_still_opens_the_meeting_its_item_and_the_case_until_the_audit_is_done(
    client_as, factory
):
    case, audited, item, _later, auditor, audit = _case_with_three_meetings(factory)
    client = client_as(auditor)
    pages = [f"/meetings/{audited.id}", f"/meetings/{audited.id}/agenda/{item.id}", f"/cases/{case.id}"]
    assert [client.get(url).status_code for url in pages] == [200, 200, 200]
    assert audited.reference in page_text(client.get("/reports/audits"))
    audit.status = AuditStatus.COMPLETED
    factory.save(audit)
    assert [client.get(url).status_code for url in pages] == [404, 404, 404]
