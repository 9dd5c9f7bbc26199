"""A meeting as a calendar entry: its reference and level, time, place or join link and a link back to
the tracker, never anything about the cases on its agenda. Also who is invited (the chair, the
administrator and each person invited by name) and the provider that puts a person's meetings in their
calendar feed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import Response, url_for
from sqlmodel import col, select

from tracker.auth.models import User
from tracker.calendar import ics as files
from tracker.calendar.events import Attendee, CalendarEvent, meeting_event, usable_link
from tracker.core.db import db
from tracker.core.permissions import Permission
from tracker.meetings import access
from tracker.meetings.models import Invitation, Meeting, MeetingStatus


def attendee(user: User | GroupMailbox) -> Attendee:
    return Attendee(user.email, user.name)


@dataclass(frozen=True)
class GroupMailbox:
    """An agency invited without a named person, reached at its secure group mailbox."""

    id: str
    email: str
    name: str
    active: bool = True


def diary(meeting: Meeting, without: Invitation | None = None) -> dict[int | str, User | GroupMailbox]:
    """Everyone the meeting is in the diary of, by account id: its chair, its administrator and each
    person invited by name, and (keyed "agency-<id>") the secure group mailbox of each agency invited
    without a name, if it has one (one without has no one to email). Closed accounts are left out, and so
    are walk-ins, who were never sent the meeting. `without`: as it would be with that invitation taken
    off."""
    invitations = [i for i in meeting.invitations if i is not without and not i.walk_in]
    people = [meeting.chair, meeting.administrator, *(i.user for i in invitations)]
    found: dict[int | str, User | GroupMailbox] = {
        user.id: user for user in people if user is not None and user.active
    }
    for invitation in invitations:
        agency = invitation.agency
        if invitation.user_id is None and agency.secure_mailbox and agency.active:
            key = f"agency-{agency.id}"
            found.setdefault(key, GroupMailbox(key, agency.secure_mailbox, agency.name))
    return found


def attendees(meeting: Meeting) -> tuple[Attendee, ...]:
    return tuple(attendee(user) for user in diary(meeting).values())


def event(meeting: Meeting, people: tuple[Attendee, ...] = ()) -> CalendarEvent:
    """The meeting's calendar entry (with `people` as attendees, for an invitation)."""
    return meeting_event(
        meeting_id=meeting.id,
        reference=meeting.reference,
        level=meeting.level.number,
        start=meeting.starts_at,
        end=meeting.ends_at,
        path=url_for("meetings.meeting_view", meeting_id=meeting.id),
        venue=meeting.venue,
        join_url=usable_link(meeting.online_link),
        sequence=meeting.sequence,
        cancelled=meeting.status is MeetingStatus.CANCELLED,
        last_modified=meeting.updated_at,
        attendees=people,
    )


def download(meeting: Meeting) -> Response:
    """The meeting as a file to add to a calendar (PUBLISH, no attendees)."""
    return files.download_response(files.publish([event(meeting)]), f"mappa-meeting-{meeting.reference}")


def meetings_in_calendar(user: User, start: datetime, end: datetime) -> list[CalendarEvent]:
    """The meetings this person chairs, supports or is invited to by name, overlapping [start, end):
    one query. Cancelled ones stay, shown as cancelled, so that a subscribed calendar says so."""
    if not user.can(Permission.VIEW_CASE_DATA):
        return []
    meetings = db.session.exec(
        select(Meeting)
        .where(
            # Their own part in it: not a meeting they may only read (another area's, one they audit).
            col(Meeting.id).in_(access.involved_meeting_ids(user, grants=False)),
            Meeting.starts_at < end,
            Meeting.ends_at > start,
        )
        .order_by(Meeting.starts_at)
    )
    return [event(meeting) for meeting in meetings]
