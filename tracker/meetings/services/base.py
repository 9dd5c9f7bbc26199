"""What every change to a meeting's record is checked against first, and how a service says no."""

from __future__ import annotations

from tracker.auth.models import User
from tracker.core.db import db
from tracker.meetings.models import AgendaItem, Case, Meeting, MeetingStatus

# The statuses in which a meeting's details and agenda may change, and those in which what it records
# (attendance, the Four Pillars, risk, the level decision, actions agreed, next review) may.
PLANNING = (MeetingStatus.SCHEDULED,)
RECORDING = (MeetingStatus.SCHEDULED, MeetingStatus.HELD)
ANY_STATUS = tuple(MeetingStatus)


class Refused(Exception):
    """A change the rules do not allow; the message is for the person, beside the form or as a banner.
    `field`, when given, names the form field the message belongs beside."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


class RecordClosed(Refused):
    """The meeting's record can no longer be changed; the message says why (the meetings blueprint shows
    it on the meeting's page)."""

    def __init__(self, meeting: Meeting, message: str):
        super().__init__(message)
        self.meeting = meeting


def ensure_record_open(meeting: Meeting, open_to: tuple[MeetingStatus, ...] = RECORDING) -> None:
    """The one check before any change to what a meeting records or plans: every service that changes a
    meeting's details, agenda, invitations, attendance or record calls it before changing anything.

    Raises RecordClosed when the meeting's status no longer allows the change (`open_to`), or when its
    minutes are approved (`freeze`: the record changes only through a correction to the minutes).
    """
    from sqlalchemy.orm import object_session

    from tracker.meetings import freeze

    if meeting.status not in open_to:
        raise RecordClosed(
            meeting, f"This meeting is {meeting.status.label.lower()}, so this can no longer be changed."
        )
    if meeting.id is not None and not freeze.is_open(meeting, object_session(meeting)):
        raise RecordClosed(meeting, freeze.REFUSAL.format(reference=meeting.reference))


def ensure_discussed(item: AgendaItem) -> None:
    """Nothing is recorded for a case the meeting did not discuss (deferred): RecordClosed, saying how to
    record its discussion after all (undo "not discussed" first)."""
    if item.not_discussed:
        raise RecordClosed(
            item.meeting,
            f"{item.case.reference} is marked as not discussed at this meeting, so nothing can be recorded "
            "for it. If it was discussed after all, undo “not discussed” on the case's agenda item first.",
        )


def in_diaries(meeting: Meeting) -> bool:
    """Invitations and updates are for meetings still to happen (`outbox` drops past ones too)."""
    return meeting.status is MeetingStatus.SCHEDULED


def ensure_cleared(case: Case, person_id: int | None, role: str) -> None:
    """Only people cleared for Category 4 take a role on a Category 4 case (lead officer, presenting
    officer, action owner, or chair or administrator of a meeting that discusses it). Raises Refused,
    naming the person, for anyone else. Said only to someone who sees the case (they are acting on it)."""
    if not person_id or not case.is_category_4:
        return
    person = db.session.get(User, int(person_id))
    if person is not None and not person.terrorism_cleared:
        raise Refused(
            f"{person.name} is not cleared for Category 4 cases, so cannot be the {role} for {case.reference}"
        )


def ensure_meeting_cleared(meeting: Meeting, case: Case) -> None:
    """A Category 4 case goes only on a meeting whose chair and administrator (who take and approve its
    minutes) and named invitees (who hear it discussed) are cleared for it."""
    ensure_cleared(case, meeting.chair_id, "chair of a meeting discussing it")
    ensure_cleared(case, meeting.administrator_id, "administrator (minute-taker) of a meeting discussing it")
    for invitation in meeting.invitations:
        if not invitation.walk_in:
            ensure_cleared(case, invitation.user_id, "invitee of a meeting discussing it")


def ensure_invitee_cleared(meeting: Meeting, person_id: int | None, by: User) -> None:
    """Someone invited by name to a meeting with a Category 4 case on its agenda must be cleared for it.
    Someone not cleared themselves (a co-ordinator) is told only that the person cannot be invited."""
    for item in meeting.agenda_items:
        try:
            ensure_cleared(item.case, person_id, "invitee of a meeting discussing it")
        except Refused as refused:
            if by.terrorism_cleared:
                raise
            raise Refused("Choose someone else: this person cannot be invited to this meeting") from refused
