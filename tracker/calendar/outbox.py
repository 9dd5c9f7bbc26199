"""Calendar emails wait until the change they announce is saved.

The meetings and training services queue an invitation, update or cancellation where they make the
change. The emails go out after the request's one commit, so nobody hears of a change that was rolled
back, and the database is not held (SQLite's write lock) while the mail server answers. If the mail
server fails, the change stays saved: the failure is logged and written to the audit trail, and the
person who made the change is told, by name, who was not reached, so that they can tell them another way.
Every email that goes out is in the audit trail too (calendars leave the secure system).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from flask import current_app, flash, g

from tracker.calendar import mail, rules
from tracker.calendar.events import Attendee, CalendarEvent
from tracker.core import audit
from tracker.core.db import db
from tracker.core.types import utcnow

_SEND = {
    "invitation": mail.send_invitations,
    "update": mail.send_update,
    "cancellation": mail.send_cancellation,
}


@dataclass(frozen=True)
class Letter:
    """Emails about one event to some people, and the object (meeting, session) they are about."""

    kind: str
    event: CalendarEvent
    recipients: tuple[Attendee, ...]
    about: Any


def invite(event: CalendarEvent, recipients: Iterable[Attendee], about: Any) -> None:
    """Invite these people (attendees of `event`) once the change is saved."""
    _queue("invitation", event, recipients, about)


def update(event: CalendarEvent, recipients: Iterable[Attendee], about: Any) -> None:
    """Send these people the changed event (its sequence already raised) once the change is saved."""
    _queue("update", event, recipients, about)


def cancel(event: CalendarEvent, recipients: Iterable[Attendee], about: Any) -> None:
    """Send these people a cancellation (everyone invited, or one person taken off) once it is saved."""
    _queue("cancellation", event, recipients, about)


def pending() -> list[Letter]:
    """What this request will send once it commits."""
    return list(g.get("calendar_outbox", []))


def _queue(kind: str, event: CalendarEvent, recipients: Iterable[Attendee], about: Any) -> None:
    people = tuple(recipients)
    if not people or not rules.still_to_come(event, utcnow()):
        return
    if "calendar_outbox" not in g:
        g.calendar_outbox = []
        db.after_commit(deliver)
    g.calendar_outbox.append(Letter(kind, event, people, about))


def deliver() -> None:
    """Send what the request queued (it has committed), record it, and warn of anyone not reached."""
    letters: list[Letter] = g.pop("calendar_outbox", [])
    missed: list[Attendee] = []
    for letter in letters:
        try:
            _SEND[letter.kind](letter.event, letter.recipients)
        except mail.NotDelivered as problem:
            missed.extend(problem.failed)
            current_app.logger.warning(
                "calendar %s for %s not sent to %s: %s",
                letter.kind,
                letter.event.uid,
                ", ".join(person.email for person in problem.failed),
                problem.error,
            )
            failure = _summary(letter, problem.failed, problem.error)
            audit.record("email failed", letter.about, summary=failure)
            if problem.sent:
                audit.record("email sent", letter.about, summary=_summary(letter, problem.sent))
        else:
            audit.record("email sent", letter.about, summary=_summary(letter, letter.recipients))
    try:
        db.session.commit()
    except Exception:  # the change itself is saved; a lost audit entry must not turn it into an error page
        current_app.logger.exception("could not record the calendar emails in the audit trail")
        db.session.rollback()
    if missed:
        flash(_warning(missed), "important")


def _summary(letter: Letter, people: Iterable[Attendee], error: Exception | None = None) -> str:
    addresses = ", ".join(person.email for person in people)
    text = f"calendar {letter.kind} for {letter.event.subject.summary} to {addresses}"
    return f"{text} (not sent: {error})" if error else text


def _warning(missed: list[Attendee]) -> str:
    names = ", ".join(dict.fromkeys(person.name or person.email for person in missed))
    return (
        f"Your change is saved, but the calendar email could not be sent to {names}. "
        "Let them know another way: the mail server did not accept the email."
    )
