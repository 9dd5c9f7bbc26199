"""A chair handed the approval of a left chair's minutes reads that meeting (its record, the minutes) and
the case as it stood for it, not the case's other meetings' actions; the case joins none of his lists."""

from __future__ import annotations

from tests.meetings.test_grant_scope import _case_with_three_meetings
from tests.pages import page_text
from tracker.minutes.models import MinutesStatus


def test_a_chair_approving_minutes_in_place_of_one_who_left_reads_only_that_meeting_of_the_case(
    client_as, factory
):
    case, meeting, item, _later, _auditor, _audit = _case_with_three_meetings(factory, audited_by_a_chair=False)
    minutes = factory.minutes(meeting, MinutesStatus.SUBMITTED)
    approver = factory.user("CHAIR", name="Ann Other")
    minutes.approver_id = approver.id
    factory.save(minutes)
    client = client_as(approver)

    pages = [f"/meetings/{meeting.id}", f"/meetings/{meeting.id}/agenda/{item.id}", f"/meetings/{meeting.id}/minutes"]
    assert [client.get(url).status_code for url in pages] == [200, 200, 200]
    shown = page_text(client.get(f"/cases/{case.id}"))
    assert "Visit at the audited meeting" in shown
    assert "Check the earlier address" not in shown and "Book the later visit" not in shown
    assert "This page shows the case as it stood for that meeting" in shown
    assert case.reference not in page_text(client.get("/cases?status=all"))
    assert "Visit at the audited meeting" not in page_text(client.get("/actions?owner=all&status=all"))
