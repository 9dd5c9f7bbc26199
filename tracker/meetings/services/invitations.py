"""Who is invited to a meeting, their replies, and the attendance the meeting records."""

from __future__ import annotations

from datetime import date

from tracker.auth.models import User
from tracker.calendar import outbox
from tracker.core.db import db
from tracker.core.forms import name_key
from tracker.core.timeutil import london
from tracker.core.types import utcnow
from tracker.meetings import ics, rules
from tracker.meetings.models import AttendanceStatus, Invitation, Meeting, MeetingStatus, Rsvp
from tracker.meetings.services.base import (
    ANY_STATUS,
    RECORDING,
    Refused,
    ensure_invitee_cleared,
    ensure_record_open,
    in_diaries,
)
from tracker.meetings.services.meetings import note_calendar_change


def invite_to(meeting: Meeting, agency_id: int, user_id: int | None, by: User) -> Invitation:
    ensure_record_open(meeting, RECORDING)
    if any(i.agency_id == agency_id and i.user_id == user_id for i in meeting.invitations):
        raise Refused("This agency or person is already invited")
    ensure_invitee_cleared(meeting, user_id, by)
    return invite(meeting, agency_id, user_id)


def uninvite(meeting: Meeting, invitation: Invitation, by: User) -> None:
    """Take an invitation off the meeting, unless its attendance has been recorded; a walk-in (recorded
    by mistake, or twice) while attendance may still be recorded."""
    ensure_may_uninvite(meeting, invitation)
    remove_invitation(meeting, invitation)


def ensure_may_uninvite(meeting: Meeting, invitation: Invitation) -> None:
    """Whether the invitation may come off the meeting (asked before the person confirms, and again as it
    is taken off): RecordClosed or Refused, with the reason, when not."""
    ensure_record_open(meeting, RECORDING if invitation.walk_in else ANY_STATUS)
    if invitation.attendance is not None and not invitation.walk_in:
        raise Refused("Attendance has been recorded for this invitation, so it cannot be removed.")


def reply(meeting: Meeting, invitation: Invitation, answer: Rsvp, deputy_name: str, by: User) -> None:
    """The invited person's own answer (with a deputy's name when they cannot come)."""
    if meeting.status is not MeetingStatus.SCHEDULED:
        raise Refused(f"This meeting is {meeting.status.label.lower()}, so replies are closed.")
    invitation.rsvp = answer
    invitation.rsvp_at = utcnow()
    invitation.rsvp_comment = ""  # a comment came only with a reply by email
    invitation.deputy_name = deputy_name if answer is Rsvp.DECLINED else ""


def ensure_meeting_day_come(meeting: Meeting, today: date) -> None:
    """Attendance (walk-ins too) is recorded from the day of the meeting, as the level decision is."""
    if problem := rules.attendance_date_problem(london(meeting.starts_at).date(), today):
        raise Refused(problem)


def record_attendance(meeting: Meeting, attendance: dict[int, dict], today: date, by: User) -> None:
    """`attendance`: for each invitation id, `status` (whether they attended), `deputy` (the deputy's name),
    `deputy_agency_id` (the deputy's agency, empty for the invited agency's own), `accepted` (whether
    the attendee, or their deputy, accepted the confidentiality statement) and, for an agency invited with
    no one named, `attendee` (who came from it, if given). Refused before the day of the meeting."""
    ensure_record_open(meeting, RECORDING)
    ensure_meeting_day_come(meeting, today)
    for invitation in meeting.invitations:
        row = attendance.get(invitation.id)
        if row and row.get("deputy") and row["status"] is not AttendanceStatus.APOLOGIES:
            who = invitation.user.name if invitation.user else invitation.agency.name
            raise Refused(
                f"{who} is recorded as {row['status'].label.lower()}: a deputy comes only for someone who "
                "sent apologies. Choose Apologies, or leave the deputy out",
                field=f"deputy_{invitation.id}",
            )
        attended = row and (row["status"] is AttendanceStatus.PRESENT or row.get("deputy"))
        if row and row.get("accepted") and not attended:
            who = invitation.user.name if invitation.user else invitation.agency.name
            status = row["status"].label.lower() if row["status"] else "not recorded as present"
            raise Refused(
                f"{who} is recorded as {status}: only someone at the meeting (or their deputy) accepts the "
                "confidentiality statement. Record them as present, name the deputy, or leave it unticked",
                field=f"accepted_{invitation.id}",
            )
        if row and row.get("attendee", "").strip() and row["status"] is not AttendanceStatus.PRESENT:
            raise Refused(
                f"{invitation.agency.name} is recorded as {row['status'].label.lower()}: name who attended "
                "only for an agency recorded as present (someone who came in place of an absent person is "
                "their deputy)",
                field=f"attendee_{invitation.id}",
            )
    for invitation in meeting.invitations:
        if invitation.id not in attendance:
            continue
        row = attendance[invitation.id]
        invitation.attendance = row["status"]
        if invitation.user is None and not invitation.walk_in:
            invitation.attendee_name = row.get("attendee", "").strip()
        invitation.deputy_name = row.get("deputy") or ""
        deputy_agency = row.get("deputy_agency_id") if invitation.deputy_name else None
        invitation.deputy_agency_id = int(deputy_agency) if deputy_agency else None
        invitation.statement_accepted = bool(row.get("accepted"))


def record_walk_in(meeting: Meeting, values: dict, today: date, by: User) -> Invitation:
    """Someone who came without an invitation (`values`: name, agency id, role, accepted): recorded as
    present, with whether they accepted the confidentiality statement. Not in anyone's diary; refused
    before the day of the meeting."""
    ensure_record_open(meeting, RECORDING)
    ensure_meeting_day_come(meeting, today)
    name = (values.get("name") or "").strip()
    if not name:
        raise Refused("Enter the name of the person who attended")
    agency_id = int(values["agency_id"])
    for recorded in meeting.invitations:
        if recorded.walk_in and recorded.agency_id == agency_id and same_name(recorded.attendee_name, name):
            who = f"{recorded.attendee_name} from {recorded.agency.name}"
            raise Refused(f"{who} is already recorded as attending")
    invitation = Invitation(
        meeting_id=meeting.id,
        agency_id=agency_id,
        walk_in=True,
        attendee_name=name,
        attendee_role=(values.get("role") or "").strip(),
        attendance=AttendanceStatus.PRESENT,
        statement_accepted=bool(values.get("accepted")),
    )
    db.session.add(invitation)
    db.session.flush()
    db.session.expire(meeting, ["invitations"])
    return invitation


def same_name(one: str, other: str) -> bool:
    """Whether two names typed by hand are the same (case and spacing aside)."""
    return name_key(one) == name_key(other)


def invite(meeting: Meeting, agency_id: int, user_id: int | None) -> Invitation:
    """Invite an agency (and, usually, a named person from it), who gets an Outlook invitation."""
    invitation = Invitation(meeting_id=meeting.id, agency_id=agency_id, user_id=user_id)
    db.session.add(invitation)
    db.session.flush()
    db.session.expire(meeting, ["invitations"])
    address = invitation_address(invitation)
    if address and in_diaries(meeting):
        if meeting.sequence > meeting.sequence_for_all:
            # A cancellation went out at this SEQUENCE (someone taken off, perhaps this very person): the
            # invitation must outrank it in their calendar, whichever arrives first.
            note_calendar_change(meeting, moved=False, someone_removed=True)
        # A person invited by name, or an agency without one at its secure group mailbox.
        people = ics.attendees(meeting)
        newcomer = [p for p in people if p.email == address]
        outbox.invite(ics.event(meeting, people), newcomer, about=meeting)
    return invitation


def invitation_address(invitation: Invitation) -> str:
    """Where an invitation's Outlook invitation goes: the person named, or else the agency's secure
    mailbox ("" when it has none: then no one is told)."""
    return invitation.user.email if invitation.user is not None else invitation.agency.secure_mailbox or ""


def invited_notice(meeting: Meeting, invitation: Invitation) -> tuple[str, str]:
    """What the page says once someone is invited (the text, and the banner's kind): who, and whether the
    Outlook invitation reached anyone. An agency invited with no one named and no secure mailbox is told
    nothing, which the administrator must know at once."""
    agency = invitation.agency.name
    who = f"{invitation.user.name} ({agency})" if invitation.user is not None else agency
    if not in_diaries(meeting):
        return f"{who} invited.", "success"
    if invitation.user is not None:
        return f"{who} invited: an Outlook invitation is on its way to them.", "success"
    if invitation.agency.secure_mailbox:
        return f"{who} invited: an Outlook invitation is on its way to its secure mailbox.", "success"
    return (
        f"{who} invited, but no one there has been sent the invitation: the agency has no secure mailbox. "
        "Invite a named person from it, or ask a system admin to add the agency's secure mailbox.",
        "important",
    )


def remove_invitation(meeting: Meeting, invitation: Invitation) -> None:
    """Take an invitation off the meeting; whoever it put the meeting in the diary of gets a cancellation
    (`cancellation_to`)."""
    invited = _invited(invitation)
    still_there = invited is None or _in_diary_without(meeting, invitation, invited)
    told = cancellation_to(meeting, invitation)
    db.session.delete(invitation)
    db.session.flush()
    db.session.expire(meeting, ["invitations"])
    if still_there:
        return
    note_calendar_change(meeting, moved=False, someone_removed=True)
    if told is not None:
        outbox.cancel(ics.event(meeting, ics.attendees(meeting)), [ics.attendee(told)], about=meeting)


def cancellation_to(meeting: Meeting, invitation: Invitation) -> User | ics.GroupMailbox | None:
    """Who is sent a cancellation for their calendar when the invitation is taken off: the person invited
    by name, or an agency invited without one at its secure group mailbox, while the meeting is still to
    happen. Nobody for someone who walked in (never sent an invitation), a closed account, an agency
    without a mailbox, or someone the meeting stays in the diary of (its chair, or invited again)."""
    invited = _invited(invitation)
    if invited is None or not in_diaries(meeting) or not invited.active:
        return None
    return None if _in_diary_without(meeting, invitation, invited) else invited


def _invited(invitation: Invitation) -> User | ics.GroupMailbox | None:
    """Whom the invitation put the meeting in the diary of (None for a walk-in, or an agency without a
    secure group mailbox)."""
    if invitation.walk_in:
        return None
    if invitation.user is not None:
        return invitation.user
    agency = invitation.agency
    if not agency.secure_mailbox:
        return None
    return ics.GroupMailbox(f"agency-{agency.id}", agency.secure_mailbox, agency.name)


def _in_diary_without(meeting: Meeting, invitation: Invitation, invited: User | ics.GroupMailbox) -> bool:
    return any(p.email == invited.email for p in ics.diary(meeting, without=invitation).values())
