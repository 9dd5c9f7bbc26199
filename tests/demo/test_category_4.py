"""The demo keeps the app's own rule for Category 4 cases: every meeting that discusses one is run by a
chair and administrator (minute-taker) cleared for them, and everyone named on it (invitees, the
presenting officer, action owners) is cleared too, so that the demo's people can edit their own meetings."""

from __future__ import annotations

from sqlalchemy.orm import selectinload
from sqlmodel import select

from tests.pages import page_text
from tracker.auth.models import User
from tracker.meetings.models import Action, AgendaItem, Case, Category, Meeting


def _not_cleared(session, *ids) -> list[str]:
    people = [session.get(User, person_id) for person_id in ids if person_id]
    return [person.name for person in people if not person.terrorism_cleared]


def test_every_demo_meeting_with_a_category_4_case_is_run_and_attended_by_cleared_people(demo, session):
    items = session.exec(
        select(AgendaItem)
        .join(Case, Case.id == AgendaItem.case_id)
        .where(Case.category == Category.CATEGORY_4)
        .options(selectinload(AgendaItem.meeting).selectinload(Meeting.invitations))
    ).all()
    assert items, "the demo shows a Category 4 case on a meeting"
    problems = []
    for item in items:
        meeting = item.meeting
        named = [i.user_id for i in meeting.invitations if not i.walk_in]
        owners = session.exec(select(Action.owner_id).where(Action.agenda_item_id == item.id)).all()
        for role, ids in (
            ("chair", [meeting.chair_id]),
            ("administrator", [meeting.administrator_id]),
            ("invitee", named),
            ("presenting officer", [item.presenting_officer_id]),
            ("action owner", owners),
        ):
            problems += [f"{meeting.reference} {role}: {name}" for name in _not_cleared(session, *ids)]
    assert problems == []
    lead_officers = session.exec(select(Case.lead_officer_id).where(Case.category == Category.CATEGORY_4)).all()
    assert _not_cleared(session, *lead_officers) == []


def test_the_demo_administrator_changes_the_venue_of_each_of_her_scheduled_meetings(demo, session, client_as):
    from tracker.core.timeutil import london
    from tracker.meetings.models import MeetingStatus

    aisha = session.exec(select(User).where(User.name == "Aisha Karim")).one()
    client = client_as(aisha)
    meetings = session.exec(
        select(Meeting).where(Meeting.administrator_id == aisha.id, Meeting.status == MeetingStatus.SCHEDULED)
    ).all()
    assert meetings
    for meeting in meetings:
        start, end = london(meeting.starts_at), london(meeting.ends_at)
        form = {
            "level": meeting.level.name,
            "meeting_type": meeting.meeting_type.name,
            "day": [str(start.day), str(start.month), str(start.year)],
            "start_time": f"{start:%H:%M}",
            "end_time": f"{end:%H:%M}",
            "venue": "MAPPA Unit, Room 7",
            "online_link": meeting.online_link,
            "chair_id": str(meeting.chair_id),
            "chair_reason": meeting.chair_reason,
            "administrator_id": str(meeting.administrator_id),
            "version": str(meeting.version),
        }
        response = client.post(f"/meetings/{meeting.id}/edit", data=form)
        assert response.status_code == 302, (meeting.reference, page_text(response)[:600])
