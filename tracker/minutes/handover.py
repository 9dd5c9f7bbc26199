"""Handing the approval of minutes from a chair who has left to another chair.

A meeting's minutes are approved by its chair (the primer: minutes "are approved by the chair"). When the
chair leaves (a system admin deactivates the account) before approving them, or after approving minutes
that are then corrected, no one can approve them. The co-ordinator hands the approval to another active
chair, who stands in for the meeting's chair on those minutes: reads and drafts them as the chair may,
and approves them. The approved version records who approved it and for whom ("approved by Ann Other for
Daniel Price, who has left"); the meeting's own record of who chaired it never changes, since a held
meeting's chair is part of what the meeting recorded.

The co-ordinator does not approve them in the chair's place. The primer gives the approval of minutes to
the chair, and the co-ordinator the running and oversight of the arrangements ("oversees meetings and
quality"): their role carries no permission to approve minutes, and the meeting audits they run judge
minutes a chair approved, which would then be their own. So approval stays with a chair, and with one
the meeting would have allowed to chair it: their chair record allows the meeting's level (Level 3 is
chaired at a more senior grade) and, where the meeting discussed a Category 4 case, they are cleared for
it.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import col, select

from tracker.auth.models import User
from tracker.core import audit
from tracker.core.db import db
from tracker.core.permissions import Permission
from tracker.meetings import follow_up
from tracker.meetings.access import restricted_meeting_ids
from tracker.meetings.models import Meeting, MeetingStatus
from tracker.meetings.queries import chair_options, chair_standings
from tracker.minutes import leavers, services
from tracker.minutes.models import Minutes


class HandoverRefused(Exception):
    """The approval cannot be handed over as asked; the message says why, beside `field` on the form."""

    def __init__(self, message: str, field: str = "approver_id"):
        super().__init__(message)
        self.field = field


def approver_choices(person: User) -> list[tuple[str, str]]:
    """The chairs who may be handed `person`'s approvals: every other active chair, with where they stand
    on the chairs' register (as the meeting form's chair picker shows them)."""
    return [("", "Select a chair")] + [
        (str(option.user_id), option.label) for option in chair_options() if option.user_id != person.id
    ]


def departed_approver(meeting: Meeting, minutes: Minutes | None) -> User | None:
    """The person a held meeting's minutes wait for, if their account is deactivated (so no one can
    approve them until the co-ordinator hands the approval over); None otherwise, or once approved."""
    if meeting.status is not MeetingStatus.HELD or (minutes is not None and minutes.current.is_approved):
        return None  # a meeting still scheduled is given another chair (the meeting's page says so)
    approver = minutes.approver if minutes is not None and minutes.approver_id else meeting.chair
    return None if approver.active else approver


@dataclass(frozen=True)
class HandedOver:
    """The meetings whose minutes were handed over, and whether the chair handed them was emailed (not
    if they turned such emails off)."""

    meetings: list[Meeting]
    emailed: bool


def hand_over(person: User, meeting_ids: list[int], approver: User | None, by: User) -> HandedOver:
    """Hand the approval of these meetings' minutes, waiting for `person` (who has left), to `approver`,
    and tell them by email. Minutes not begun yet are begun (an empty first draft) to hold the approver.
    Refused, changing nothing, when `person` is still active, a meeting's minutes no longer wait for them,
    or the approver may not approve them all."""
    if person.active:
        raise HandoverRefused(
            f"{person.name}'s account is active: they approve the minutes of the meetings they chair",
            field="meetings",
        )
    waiting = {meeting.id: (meeting, minutes) for meeting, minutes in leavers.pending_approvals(person.id)}
    if not meeting_ids:
        raise HandoverRefused("Select the minutes to hand over", field="meetings")
    if any(meeting_id not in waiting for meeting_id in meeting_ids):
        raise HandoverRefused(
            f"Some of these minutes no longer wait for {person.name}'s approval: check the list again",
            field="meetings",
        )
    chosen = [waiting[meeting_id] for meeting_id in dict.fromkeys(meeting_ids)]
    _ensure_may_approve(approver, person, [meeting for meeting, _minutes in chosen], by)
    for meeting, minutes in chosen:
        minutes = minutes or services.begin(meeting, by)
        minutes.approver_id = approver.id
        audit.record(
            "approval handed over",
            minutes,
            summary=f"{meeting.reference}: to {approver.name}, in place of {person.name}, who has left",
        )
    db.session.flush()
    meetings = [meeting for meeting, _minutes in chosen]
    return HandedOver(meetings, follow_up.approval_handed_over(approver, meetings))


def _ensure_may_approve(approver: User | None, person: User, meetings: list[Meeting], by: User) -> None:
    """The chair handed the approval must be active, approve minutes, and be one each meeting would have
    allowed to chair it (its level, and Category 4 clearance where it discussed such a case)."""
    if (
        approver is None
        or approver.id == person.id
        or not approver.active
        or not approver.can(Permission.APPROVE_MINUTES)
    ):
        raise HandoverRefused("Select a chair whose account is active to approve the minutes")
    standing = chair_standings([approver.id])[approver.id]
    too_senior = [meeting for meeting in meetings if not standing.may_chair(meeting.level)]
    if too_senior:
        levels = " or ".join(sorted({meeting.level.label for meeting in too_senior}))
        raise HandoverRefused(
            f"{approver.name}'s chair record does not allow {levels} meetings "
            f"({_references(too_senior)}): choose another chair, or leave those minutes out"
        )
    if approver.terrorism_cleared:
        return
    restricted = set(
        db.session.scalars(
            select(Meeting.id).where(
                col(Meeting.id).in_([m.id for m in meetings]), col(Meeting.id).in_(restricted_meeting_ids())
            )
        )
    )
    if restricted:
        named = _references([meeting for meeting in meetings if meeting.id in restricted])
        if by.terrorism_cleared:
            message = f"{approver.name} is not cleared for Category 4 cases, and {named} discussed one"
        else:  # someone not cleared is not told which meetings discussed such a case
            message = f"{approver.name} cannot approve the minutes of {named}"
        raise HandoverRefused(f"{message}: choose another chair, or leave those minutes out")


def _references(meetings: list[Meeting]) -> str:
    return ", ".join(meeting.reference for meeting in meetings)
