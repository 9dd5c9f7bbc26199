"""The co-ordinator, who reads a meeting's minutes by oversight of every meeting rather than a part in it,
says why first (once per meeting per sign-in session), as for a case's own pages: the minutes hold every
case's risk, plan and decision, more than the executive summary that already asked. People with a part in
the meeting are not asked."""

from __future__ import annotations

from sqlmodel import select

from tests.justify import OVERSIGHT, disclosed
from tests.pages import page_text
from tracker.core import audit
from tracker.core.models import AuditEvent
from tracker.minutes.models import MinutesStatus


def _entries(session, **where) -> list[AuditEvent]:
    statement = select(AuditEvent).order_by(AuditEvent.id)
    for name, value in where.items():
        statement = statement.where(getattr(AuditEvent, name) == value)
    return list(session.exec(statement).all())


def _approved(factory, people):
    meeting = factory.held_meeting(chair=people["chair"], administrator=people["administrator"])
    factory.minutes(meeting, MinutesStatus.APPROVED)
    return meeting


def test_the_coordinator_is_asked_why_before_the_minutes_and_their_pdf(client_as, factory, people, session):
    meeting = _approved(factory, people)
    coordinator = factory.user("COORDINATOR")
    client = client_as(coordinator)
    for page in ("minutes", "minutes/versions/1", "minutes/versions/1/pdf"):
        url = f"/meetings/{meeting.id}/{page}"
        asked = client.get(url)
        assert asked.status_code == 302, page
        assert asked.headers["Location"].startswith(f"/meetings/{meeting.id}/minutes/reason?next=")
    assert not _entries(session, action="view", meeting_id=meeting.id)
    assert not _entries(session, action="export", meeting_id=meeting.id)

    form = client.get(f"/meetings/{meeting.id}/minutes/reason?next=/meetings/{meeting.id}/minutes")
    text = page_text(form)
    assert "Why do you need to open these minutes?" in text and meeting.reference in text
    assert OVERSIGHT in text and "Open the minutes" in text
    refused = client.post(f"/meetings/{meeting.id}/minutes/reason", data={})
    assert "Select a reason" in page_text(refused)
    assert not _entries(session, action=audit.REASON_GIVEN)

    given = client.post(
        f"/meetings/{meeting.id}/minutes/reason",
        data={"reason": "Responding to a request for information", "next": f"/meetings/{meeting.id}/minutes"},
    )
    assert given.headers["Location"] == f"/meetings/{meeting.id}/minutes"
    item = meeting.agenda_items[0]
    shown = client.get(f"/meetings/{meeting.id}/minutes")
    assert shown.status_code == 200 and item.case.name in page_text(shown)
    # The PDF then asks who the file is for, as every download does, and hands it over.
    assert client.get(disclosed(f"/meetings/{meeting.id}/minutes/versions/1/pdf")).status_code == 200

    [reason] = _entries(session, action=audit.REASON_GIVEN)
    assert (reason.meeting_id, reason.case_id, reason.user_id, reason.reason) == (
        meeting.id,
        None,
        coordinator.id,
        "Responding to a request for information",
    )
    assert reason.summary == f"reason for opening the minutes of {meeting.reference}"
    [view] = _entries(session, action="view", meeting_id=meeting.id)
    assert view.summary == f"minutes of {meeting.reference}"
    assert (view.justified_by, view.reason) == ("reason", "Responding to a request for information")
    [export] = _entries(session, action="export", meeting_id=meeting.id)
    assert export.recipient and export.reason and export.justified_by == "disclosure"


def test_the_reason_is_asked_once_per_meeting_per_session(client_as, factory, people, session):
    meeting, other = _approved(factory, people), _approved(factory, people)
    coordinator = factory.user("COORDINATOR")
    client = client_as(coordinator)
    client.post(f"/meetings/{meeting.id}/minutes/reason", data={"reason": OVERSIGHT})
    assert client.get(f"/meetings/{meeting.id}/minutes").status_code == 200
    assert client.get(f"/meetings/{meeting.id}/minutes/versions/1").status_code == 200
    assert len(_entries(session, action=audit.REASON_GIVEN)) == 1
    views = _entries(session, action="view", meeting_id=meeting.id)
    assert [(e.justified_by, e.reason) for e in views] == [("reason", OVERSIGHT)] * 2
    # Another meeting's minutes ask again, and so does a new sign-in session.
    assert client.get(f"/meetings/{other.id}/minutes").status_code == 302
    assert client_as(coordinator).get(f"/meetings/{meeting.id}/minutes").status_code == 302


def test_people_with_a_part_in_the_meeting_are_not_asked(client_as, factory, people, session):
    meeting = _approved(factory, people)
    coordinator = factory.user("COORDINATOR")
    administering = factory.held_meeting(chair=people["chair"], administrator=coordinator)
    factory.minutes(administering, MinutesStatus.APPROVED)
    for person, seen, part in (
        (people["chair"], meeting, f"chair of {meeting.reference}"),
        (coordinator, administering, f"administrator of {administering.reference}"),
    ):
        client = client_as(person)
        assert client.get(f"/meetings/{seen.id}/minutes").status_code == 200
        assert client.get(disclosed(f"/meetings/{seen.id}/minutes/versions/1/pdf")).status_code == 200
        entry = _entries(session, action="view", meeting_id=seen.id, user_id=person.id)[-1]
        assert (entry.justified_by, entry.reason) == ("role", part)
        # The question itself sends them straight back.
        back = client.get(f"/meetings/{seen.id}/minutes/reason")
        assert back.headers["Location"] == f"/meetings/{seen.id}/minutes"
    assert not _entries(session, action=audit.REASON_GIVEN)


def test_the_meeting_page_itself_still_opens_by_oversight(client_as, factory, people, session):
    meeting = _approved(factory, people)
    client = client_as("COORDINATOR")
    assert client.get(f"/meetings/{meeting.id}").status_code == 200
    entry = _entries(session, action="view", meeting_id=meeting.id)[-1]
    assert (entry.justified_by, entry.reason) == ("role", "oversight of every meeting (MAPPA co-ordinator)")
