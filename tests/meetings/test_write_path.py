"""The meetings area's one write path: every change to a meeting's record passes
`services.ensure_record_open` first, and a refused change says why and changes nothing."""

import pytest

from tests.pages import page_text
from tracker.meetings import services
from tracker.meetings.models import MeetingStatus, PillarStatus


def test_the_record_of_a_cancelled_meeting_is_closed_and_of_a_held_one_open(factory):
    cancelled = factory.meeting(status=MeetingStatus.CANCELLED)
    with pytest.raises(services.RecordClosed, match="This meeting is cancelled"):
        services.ensure_record_open(cancelled)
    services.ensure_record_open(factory.meeting(status=MeetingStatus.HELD))
    with pytest.raises(services.RecordClosed, match="This meeting is held"):
        services.ensure_record_open(factory.meeting(status=MeetingStatus.HELD), services.PLANNING)


def test_a_change_to_a_cancelled_meetings_record_is_refused_with_the_reason(client_as, factory, session):
    chair = factory.user("CHAIR")
    meeting = factory.meeting(chair=chair, status=MeetingStatus.CANCELLED)
    item = factory.agenda_item(meeting)
    entry = item.pillar_entries[0]
    client = client_as(chair)
    response = client.post(
        f"/meetings/{meeting.id}/agenda/{item.id}/pillars/{entry.pillar.slug}",
        data={"status": "ADDRESSED", "summary": "Changed", "version": str(entry.version)},
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/meetings/{meeting.id}")
    assert "This meeting is cancelled, so this can no longer be changed." in page_text(
        client.get(response.headers["Location"])
    )
    session.refresh(entry)
    assert entry.status is PillarStatus.OUTSTANDING and entry.summary == ""
