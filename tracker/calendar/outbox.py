"""Calendar emails go into the outbox with the change they announce.

The meetings and training services queue an invitation, update or cancellation where they make the
change. Each email is written to the outbox (tracker.core.mail.queue) in the same transaction, so nobody
hears of a change that was rolled back and no email is lost when the mail server is down: the sender
(`tracker send-mail`) delivers it, tries again later, and the system admin sees any that failed for good
in the outbox. Every email that goes out is in the audit trail (calendars leave the secure system).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default as default_policy
from typing import Any

from flask import g
from icalendar import Calendar
from sqlmodel import col, select

from tracker.calendar import mail, rules
from tracker.calendar.events import Attendee, CalendarEvent
from tracker.core import audit
from tracker.core import mail as core_mail
from tracker.core.db import db
from tracker.core.models import OutboxMessage
from tracker.core.types import utcnow


@dataclass(frozen=True)
class Letter:
    """Emails about one event to some people, and the object (meeting, session) they are about."""

    kind: str
    event: CalendarEvent
    recipients: tuple[Attendee, ...]
    about: Any
    # Each person's email names them alone as the attendee (people who do not work together).
    separately: bool = False
    # What an update changed ("date", "time", "place", "join link", "session number", or a phrase starting
    # "the " that says why), for the email to say.
    changes: tuple[str, ...] = ()
    # An update of an event that was still to come before it changed: people's diaries hold it as it was,
    # so they hear of it even when the change puts it in the past.
    was_to_come: bool = False
    # A cancellation of one session of several: the others, as they now stand (those still to come).
    still_on: tuple[CalendarEvent, ...] = ()


def invite(event: CalendarEvent, recipients: Iterable[Attendee], about: Any, *, separately=False) -> None:
    """Invite these people (attendees of `event`, unless `separately`) with the change."""
    _queue(Letter("invitation", event, tuple(recipients), about, separately))


def update(
    event: CalendarEvent,
    recipients: Iterable[Attendee],
    about: Any,
    *,
    separately=False,
    changes: Iterable[str] = (),
    was_to_come: bool = False,
) -> None:
    """Send these people the changed event (its sequence already raised) with the change, saying what
    changed (`rules.what_changed`); `was_to_come`: it had not ended before the change."""
    _queue(Letter("update", event, tuple(recipients), about, separately, tuple(changes), was_to_come))


def cancel(
    event: CalendarEvent,
    recipients: Iterable[Attendee],
    about: Any,
    *,
    separately=False,
    still_on: Iterable[CalendarEvent] = (),
) -> None:
    """Send these people a cancellation (everyone invited, or one person taken off) once it is saved.
    `still_on`: for one session of several called off, the others, which the email says still stand."""
    now = utcnow()
    others = tuple(other for other in still_on if rules.still_to_come(other, now))
    _queue(Letter("cancellation", event, tuple(recipients), about, separately, still_on=others))


def pending() -> list[Letter]:
    """What this request has queued."""
    return list(g.get("calendar_outbox", []))


def _queue(letter: Letter) -> None:
    if not letter.recipients or not (letter.was_to_come or rules.still_to_come(letter.event, utcnow())):
        return
    g.setdefault("calendar_outbox", []).append(letter)
    for person, email in _compose(letter):
        core_mail.queue(email, about=letter.about, summary=_summary(letter, [person]))


def _compose(letter: Letter) -> list[tuple[Attendee, EmailMessage]]:
    said = {"changes": letter.changes, "still_on": letter.still_on, "contact": _contact()}
    if not letter.separately:
        return mail.compose(letter.kind, letter.event, letter.recipients, **said)
    return [
        composed
        for person in letter.recipients
        for composed in mail.compose(
            letter.kind, dataclasses.replace(letter.event, attendees=(person,)), [person], **said
        )
    ]


def _contact() -> Attendee | None:
    """Whom someone without an account asks about the change: the person who made it."""
    user = g.get("user")
    return Attendee(user.email, user.name) if user is not None else None


def _summary(letter: Letter, people: Iterable[Attendee]) -> str:
    addresses = ", ".join(person.email for person in people)
    return f"calendar {letter.kind} for {letter.event.subject.summary} to {addresses}"


# Sending again -------------------------------------------------------------------------------------------


def resend_refusal(row: OutboxMessage) -> str | None:
    """Why this email, if it is a calendar email, must not be sent again as it is (`rules.resend_refused`):
    an invitation to a meeting or session since cancelled, or a version later ones have replaced. None
    for any other email, and for a calendar email that is still right."""
    found = _calendar_of(row.message)
    about = audit.described(row.about_type, row.about_id)
    if found is None or about is None or not hasattr(about, "sequence_for_all"):
        return None
    method, uid, sequence = found
    people = {address.lower() for address in row.recipient_list}
    later_to_them = [
        other[2]
        for message in _queued_after(row)
        if {address.lower() for address in message.recipient_list} & people
        and (other := _calendar_of(message.message)) is not None
        and other[1] == uid
    ]
    meeting = hasattr(about, "reference")
    what = f"meeting {about.reference}" if meeting else f"training session {about.audit_label()}"
    return rules.resend_refused(
        method,
        sequence,
        what,
        cancelled=about.status.name == "CANCELLED",
        sequence_for_all=about.sequence_for_all,
        later_to_them=later_to_them,
    )


def _queued_after(row: OutboxMessage) -> list[OutboxMessage]:
    """The emails about the same meeting or session queued after this one."""
    return list(
        db.session.exec(
            select(OutboxMessage).where(
                col(OutboxMessage.id) > row.id,
                OutboxMessage.about_type == row.about_type,
                OutboxMessage.about_id == row.about_id,
            )
        )
    )


def _calendar_of(raw: bytes) -> tuple[str, str, int] | None:
    """The METHOD, UID and SEQUENCE of an email's calendar part, or None if it has none."""
    message = message_from_bytes(raw or b"", policy=default_policy)
    part = next((p for p in message.walk() if p.get_content_type() == "text/calendar"), None)
    if part is None:
        return None
    try:
        calendar = Calendar.from_ical(part.get_payload(decode=True) or b"")
        (event,) = calendar.walk("VEVENT")
        method, uid = str(calendar.get("method", "")).upper(), str(event.get("uid", ""))
        return method, uid, int(event.get("sequence", 0))
    except (ValueError, TypeError):
        return None
