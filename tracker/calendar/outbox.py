"""Calendar emails wait until the change they announce is saved.

The meetings and training services queue an invitation, update or cancellation where they make the
change. The emails go out after the request's one commit, so nobody hears of a change that was rolled
back, and the database is not held (SQLite's write lock) while the mail server answers. If the mail
server fails, the change stays saved: the failure is logged and written to the audit trail, and the
person who made the change is told, by name, who was not reached, so that they can tell them another way.
Every email that goes out is in the audit trail too (calendars leave the secure system).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any

from flask import current_app, flash, g

from tracker.calendar import mail, rules
from tracker.calendar.events import Attendee, CalendarEvent
from tracker.core import audit
from tracker.core import mail as core_mail
from tracker.core.db import db
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


def invite(event: CalendarEvent, recipients: Iterable[Attendee], about: Any, *, separately=False) -> None:
    """Invite these people (attendees of `event`, unless `separately`) once the change is saved."""
    _queue(Letter("invitation", event, tuple(recipients), about, separately))


def update(event: CalendarEvent, recipients: Iterable[Attendee], about: Any, *, separately=False) -> None:
    """Send these people the changed event (its sequence already raised) once the change is saved."""
    _queue(Letter("update", event, tuple(recipients), about, separately))


def cancel(event: CalendarEvent, recipients: Iterable[Attendee], about: Any, *, separately=False) -> None:
    """Send these people a cancellation (everyone invited, or one person taken off) once it is saved."""
    _queue(Letter("cancellation", event, tuple(recipients), about, separately))


def pending() -> list[Letter]:
    """What this request will send once it commits."""
    return list(g.get("calendar_outbox", []))


def _queue(letter: Letter) -> None:
    if not letter.recipients or not rules.still_to_come(letter.event, utcnow()):
        return
    if "calendar_outbox" not in g:
        g.calendar_outbox = []
        db.after_commit(deliver)
    g.calendar_outbox.append(letter)


def deliver() -> None:
    """Send what the request queued (it has committed) over one connection, record each letter in the
    audit trail, and warn of anyone not reached."""
    letters: list[Letter] = g.pop("calendar_outbox", [])
    composed = [(letter, person, email) for letter in letters for person, email in _compose(letter)]
    failures = {id(email): error for email, error in core_mail.send_all([email for *_, email in composed])}
    missed: list[Attendee] = []
    for letter in letters:
        mine = [(person, failures.get(id(email))) for each, person, email in composed if each is letter]
        sent = [person for person, error in mine if error is None]
        failed = [(person, error) for person, error in mine if error is not None]
        if sent:
            audit.record("email sent", letter.about, summary=_summary(letter, sent))
        if failed:
            people, error = [person for person, _ in failed], failed[0][1]
            missed.extend(people)
            current_app.logger.warning(
                "calendar %s for %s not sent to %s: %s",
                letter.kind,
                letter.event.uid,
                ", ".join(person.email for person in people),
                error,
            )
            audit.record("email failed", letter.about, summary=_summary(letter, people, error))
    try:
        db.session.commit()
    except Exception:  # the change itself is saved; a lost audit entry must not turn it into an error page
        current_app.logger.exception("could not record the calendar emails in the audit trail")
        db.session.rollback()
    if missed:
        flash(_warning(missed), "important")


def _compose(letter: Letter) -> list[tuple[Attendee, EmailMessage]]:
    if not letter.separately:
        return mail.compose(letter.kind, letter.event, letter.recipients)
    return [
        composed
        for person in letter.recipients
        for composed in mail.compose(
            letter.kind, dataclasses.replace(letter.event, attendees=(person,)), [person]
        )
    ]


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
