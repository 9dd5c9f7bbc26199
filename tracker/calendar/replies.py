"""Replies to invitations that come back by email: Outlook's Accept, Tentative and Decline.

`tracker fetch-replies` reads the organiser's mailbox (MAIL_REPLY_TO) over IMAP and hands each message
here. A reply is an iTIP REPLY (RFC 5546): a text/calendar part with METHOD:REPLY, the invitation's UID
and SEQUENCE, one ATTENDEE with PARTSTAT ACCEPTED, TENTATIVE or DECLINED, and perhaps a COMMENT. It is
applied to the meeting invitation or the training place it answers, and audited. Anything else (no valid
calendar part, an unknown UID, a SEQUENCE older than the invitation's or beyond any version sent, an
address that was not invited, or a reply sent from another address than the attendee's) is recorded as
not applied, for the system admin to see, and never changes anything. Each message is recorded once, by
its Message-ID, so a reply read twice (a run that stopped before moving it) is not applied twice.
"""

from __future__ import annotations

import email
import email.policy
import hashlib
import re
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import parseaddr
from typing import Any
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import current_app
from icalendar import Calendar
from sqlmodel import col, select

from tracker.calendar.models import EmailReply, ReplyAnswer
from tracker.core import audit
from tracker.core.db import db
from tracker.core.types import utcnow

_UID = re.compile(r"^(meeting|training-session)-(\d+)@(.+)$")
# The largest id or SEQUENCE the database holds (PostgreSQL's integer): a UID or SEQUENCE beyond it is no
# invitation of ours, and must not reach a query or a row, which would fail.
LARGEST = 2**31 - 1


class NotAReply(Exception):
    """The message is not a reply the tracker can apply; the text says why."""


@dataclass(frozen=True)
class Reply:
    uid: str
    sequence: int
    attendee: str
    answer: ReplyAnswer
    comment: str


def read(message: EmailMessage) -> Reply:
    """The iTIP REPLY in this email, or NotAReply."""
    parts = [p for p in message.walk() if p.get_content_type() in ("text/calendar", "application/ics")]
    if not parts:
        raise NotAReply("no calendar reply in the email")
    try:
        calendar = Calendar.from_ical(parts[0].get_payload(decode=True) or b"")
    except Exception as error:  # icalendar raises ValueError and others on a broken file
        raise NotAReply(f"the calendar part cannot be read ({error})") from error
    method = str(calendar.get("method", "")).upper()
    if method != "REPLY":
        raise NotAReply(f"the calendar part is not a reply (METHOD:{method or 'none'})")
    events = calendar.walk("VEVENT")
    if len(events) != 1:
        raise NotAReply("a reply must answer exactly one event")
    event = events[0]
    uid = str(event.get("uid", "")).strip()
    if not uid:
        raise NotAReply("the reply has no UID")
    attendees = event.get("attendee")
    attendees = attendees if isinstance(attendees, list) else [attendees] if attendees else []
    if len(attendees) != 1:
        raise NotAReply("a reply must name exactly one attendee")
    (attendee,) = attendees
    partstat = str(attendee.params.get("PARTSTAT", "")).upper()
    if partstat not in ReplyAnswer.__members__:
        raise NotAReply(f"the answer {partstat or '(none)'} is not Accepted, Tentative or Declined")
    try:
        sequence = int(event.get("sequence", 0))
    except (TypeError, ValueError) as error:
        raise NotAReply("the reply's SEQUENCE is not a number") from error
    if not 0 <= sequence <= LARGEST:
        raise NotAReply(f"the reply's SEQUENCE {sequence} is not one the tracker sends")
    return Reply(
        uid=uid,
        sequence=sequence,
        attendee=_mailbox(str(attendee)),
        answer=ReplyAnswer[partstat],
        comment=str(event.get("comment", "")).strip(),
    )


def _mailbox(address: str) -> str:
    address = address.strip()
    if address.lower().startswith("mailto:"):
        address = address[len("mailto:") :]
    return address.strip().lower()


def handle(raw: bytes) -> EmailReply:
    """Record one email from the organiser's mailbox, applying it if it is a valid reply; committed.

    Whatever goes wrong with one email (a bug, or something in it the database cannot hold), it is
    recorded as not applied, saying so, and the error is logged: one email never stops the others being
    read. Only a failure to record even that (the database down) is raised."""
    try:
        return _handle(raw)
    except Exception as error:  # noqa: BLE001 (any error in one email: the run goes on)
        db.session.rollback()
        current_app.logger.exception("the email reply could not be handled")
        return _record_failure(raw, error)


def _record_failure(raw: bytes, error: Exception) -> EmailReply:
    """Record an email that failed unexpectedly as not applied, under its digest (its own headers may be
    what the database refused), once."""
    message_id = f"sha256:{hashlib.sha256(raw).hexdigest()}"
    earlier = db.session.exec(select(EmailReply).where(EmailReply.message_id == message_id)).first()
    if earlier is not None:
        return earlier
    message = email.message_from_bytes(raw, policy=email.policy.default)
    sender = _printable(parseaddr(_header(message, "From"))[1].lower())[:320]
    outcome = f"it could not be read or applied: an unexpected error ({type(error).__name__}), in the log"
    row = EmailReply(
        message_id=message_id,
        sender=sender,
        subject=_header(message, "Subject"),
        applied=False,
        outcome=outcome,
    )
    db.session.add(row)
    audit.record("email reply not applied", row, summary=f"from {sender or 'no address'}: {outcome}")
    db.session.commit()
    return row


def _header(message: EmailMessage, name: str) -> str:
    """A header as text the database can hold, however it was written; "" if it cannot be read."""
    try:
        return _printable(str(message.get(name, "")))
    except Exception:  # noqa: BLE001 (a header the email package cannot parse)
        return ""


def _printable(text: str) -> str:
    """The text without NUL or other control characters."""
    return "".join(character for character in text if character.isprintable())


def _handle(raw: bytes) -> EmailReply:
    message = email.message_from_bytes(raw, policy=email.policy.default)
    message_id = str(message.get("Message-ID", "")).strip() or f"sha256:{hashlib.sha256(raw).hexdigest()}"
    message_id = message_id[:500]
    earlier = db.session.exec(select(EmailReply).where(EmailReply.message_id == message_id)).first()
    if earlier is not None:
        return earlier
    sender = parseaddr(str(message.get("From", "")))[1].lower()
    row = EmailReply(message_id=message_id, sender=sender[:320], subject=str(message.get("Subject", "")))
    try:
        reply = read(message)
        row.event_uid, row.sequence = reply.uid[:255], reply.sequence
        row.attendee, row.answer, row.comment = reply.attendee[:320], reply.answer, reply.comment
        about = _apply(reply, sender)
    except NotAReply as problem:
        row.applied, row.outcome = False, str(problem)
        db.session.add(row)
        audit.record("email reply not applied", row, summary=f"from {sender}: {problem}")
    else:
        row.applied = True
        row.object_type, row.object_id, _label = audit.describe(about)
        row.outcome = f"{reply.answer.label} recorded"
        db.session.add(row)
    db.session.commit()
    return row


def _apply(reply: Reply, sender: str) -> Any:
    """Apply the reply to what it answers (flushed, not committed), or raise NotAReply."""
    found = _UID.match(reply.uid)
    host = urlsplit(current_app.config["BASE_URL"]).hostname or "mappa-tracker"
    if not found or found.group(3).lower() != host.lower():
        raise NotAReply(f"the UID {reply.uid} is not one of the tracker's invitations")
    if sender != reply.attendee:
        raise NotAReply(f"sent from {sender or 'no address'}, not the attendee's address {reply.attendee}")
    kind, object_id = found.group(1), int(found.group(2))
    if object_id > LARGEST:
        raise NotAReply(f"no {kind.replace('-', ' ')} has the UID {reply.uid}")
    if kind == "meeting":
        return _apply_to_meeting(reply, object_id)
    return _apply_to_session(reply, object_id)


def _check_answers(reply: Reply, entry: Any, kind: str, short: str = "") -> None:
    """Refuse a reply to no entry of ours, to an older version of the invitation than the one last sent to
    everyone (a reply that crossed an update in the post), or to a version never sent (a SEQUENCE beyond
    the latest: made up, or meant for another calendar). A cancellation sent to one person taken off the
    list does not make the others' invitations old."""
    if entry is None:
        raise NotAReply(f"no {kind} has the UID {reply.uid}")
    if reply.sequence > entry.sequence:
        raise NotAReply(
            f"it answers a version of the invitation that was never sent (SEQUENCE {reply.sequence}; "
            f"the {short or kind} is at {entry.sequence})"
        )
    if reply.sequence < entry.sequence_for_all:
        raise NotAReply(
            f"it answers an older version of the invitation (SEQUENCE {reply.sequence}; "
            f"the {short or kind} is at {entry.sequence_for_all})"
        )


def _replying(reply: Reply, model: type, to: type, joined_on: Any, address: Any, *among: Any) -> Any:
    """The first `model` row (of those `among` picks) whose person, agency or trainee (`to`, joined on
    `joined_on`) has the replier's address, compared in lower case."""
    return db.session.exec(
        select(model).join(to, joined_on).where(*among, sa.func.lower(address) == reply.attendee)
    ).first()


def _record_reply(reply: Reply, applied_to: Any, about: str) -> None:
    """The audit entry for a reply applied to `applied_to`: the answer, who sent it, what it was `about`, and
    whether it came with a comment."""
    comment = " (with a comment)" if reply.comment else ""
    audit.record(
        "reply by email",
        applied_to,
        summary=f"{reply.answer.label} by email from {reply.attendee} for {about}{comment}",
    )


def _apply_to_meeting(reply: Reply, meeting_id: int) -> Any:
    from tracker.auth.models import User
    from tracker.meetings.models import Invitation, Meeting, MeetingStatus, Rsvp

    meeting = db.session.get(Meeting, meeting_id)
    _check_answers(reply, meeting, "meeting")
    if meeting.status is not MeetingStatus.SCHEDULED:
        raise NotAReply(f"meeting {meeting.reference} is {meeting.status.label.lower()}: replies are closed")
    invitation = _replying(
        reply, Invitation, User, col(User.id) == Invitation.user_id, User.email,
        Invitation.meeting_id == meeting.id
    )
    if invitation is None:  # an agency invited without a name replies from its secure group mailbox
        from tracker.auth.models import Agency

        invitation = _replying(
            reply,
            Invitation,
            Agency,
            col(Agency.id) == Invitation.agency_id,
            Agency.secure_mailbox,
            Invitation.meeting_id == meeting.id,
            col(Invitation.user_id).is_(None),
        )
    if invitation is None:
        return _from_a_runner(reply, meeting)
    invitation.rsvp = Rsvp[reply.answer.name]
    invitation.rsvp_at = utcnow()
    invitation.rsvp_comment = reply.comment
    if invitation.rsvp is not Rsvp.DECLINED:
        invitation.deputy_name = ""
    _record_reply(reply, invitation, f"meeting {meeting.reference}")
    return invitation


def _from_a_runner(reply: Reply, meeting: Any) -> Any:
    """A reply from the meeting's chair or administrator, who are sent the invitation as the people who run
    it (they have no invitation of their own to mark): an acceptance is noted as applied, with nothing to
    change; a decline is kept unapplied and listed, as the meeting needs someone else in that role."""
    from tracker.auth.models import User

    runners = {"chair": meeting.chair_id, "administrator": meeting.administrator_id}
    role = next(
        (
            role
            for role, user_id in runners.items()
            if user_id and (user := db.session.get(User, user_id)) and user.email.lower() == reply.attendee
        ),
        None,
    )
    if role is None:
        raise NotAReply(f"{reply.attendee} is not invited to meeting {meeting.reference}")
    if reply.answer is ReplyAnswer.DECLINED:
        raise NotAReply(
            f"the {role} of meeting {meeting.reference} declined it: give the meeting another {role} on its "
            "details page"
        )
    audit.record(
        "reply by email",
        meeting,
        summary=f"{reply.answer.label} by email from the {role}, {reply.attendee}, for {meeting.reference}",
    )
    return meeting


def _apply_to_session(reply: Reply, session_id: int) -> Any:
    from tracker.training.models import (
        TAKING_A_PLACE,
        Enrolment,
        SessionReply,
        SessionStatus,
        Trainee,
        TrainingSession,
    )

    session = db.session.get(TrainingSession, session_id)
    _check_answers(reply, session, "training session", "session")
    if session.status is SessionStatus.CANCELLED:
        raise NotAReply("the session is cancelled: replies are closed")
    enrolment = _replying(
        reply,
        Enrolment,
        Trainee,
        col(Trainee.id) == Enrolment.trainee_id,
        Trainee.email,
        Enrolment.event_id == session.event_id,
        col(Enrolment.status).in_(TAKING_A_PLACE),
    )
    if enrolment is None:
        raise NotAReply(f"{reply.attendee} has no place on this session's event")
    answer = db.session.exec(
        select(SessionReply).where(
            SessionReply.session_id == session.id, SessionReply.enrolment_id == enrolment.id
        )
    ).first() or SessionReply(session_id=session.id, enrolment_id=enrolment.id, answer=reply.answer)
    answer.answer, answer.comment, answer.replied_at = reply.answer, reply.comment, utcnow()
    db.session.add(answer)
    db.session.flush()
    _record_reply(reply, answer, f"session {session.id}")
    return answer
