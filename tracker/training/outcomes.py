"""Outcomes and mailings: setting the outcomes when an event ends, the TRSG's override of one outcome
with a reason, and a message to everyone with a place, on the waiting list, or who attended.

These change records like `services` (flushing, never committing): closing an event runs from the
event's page and from `tracker close-training-events`, which the server runs daily.
"""

from __future__ import annotations

from datetime import datetime

from flask import render_template

from tracker.auth.models import User
from tracker.core import audit, mail
from tracker.core.db import db
from tracker.core.locking import claim_or_conflict
from tracker.core.types import utcnow
from tracker.training import listings, rules, services
from tracker.training.models import (
    OUTCOMES,
    CourseEvent,
    Enrolment,
    EnrolmentStatus,
)


class NotEnded(ValueError):
    """Outcomes are set only once the event has ended."""


def close_event(
    event: CourseEvent, actor: User | None = None, now: datetime | None = None
) -> services.ChairPlaces | None:
    """Set the outcomes of an event that has ended: Completed or Did not complete for everyone on its
    registers (by the course's completion rule), the waiting list closed, and certificates emailed to
    those who completed. Returns the places on other chair course events that completions released
    (`services.recalculate`), or None, changing nothing, if its outcomes were set already (so the daily
    command and the TRSG may both close it). Raises NotEnded if its last session is still to come.
    """
    now = now or utcnow()
    locked = services.lock_event(event.id)
    if locked.closed_at is not None:
        return None
    if not rules.event_ended(locked.ends_at, now):
        raise NotEnded("The outcomes can be set once the event's last session has ended")
    locked.closed_at = now
    for enrolment in listings.waiting_list(locked.id):
        enrolment.status = EnrolmentStatus.NOT_PLACED
        enrolment.waiting_position = None
    db.session.flush()
    places = services.recalculate(locked)
    who = f"by {actor.email}" if actor else "when it ended"
    audit.record("outcomes set", locked, summary=f"Outcomes set {who}; waiting list closed")
    return places


def close_ended_events(now: datetime | None = None) -> list[str]:
    """Close every event that has ended and is not yet closed (the daily command); their titles."""
    now = now or utcnow()
    closed = []
    for event in listings.events_to_close(now):
        if close_event(event, now=now) is not None:
            closed.append(event.title)
    return closed


class NotClosed(ValueError):
    """An outcome can be overridden once the event's outcomes are set."""


def override_outcome(
    enrolment: Enrolment, version, outcome: EnrolmentStatus, reason: str, actor: User
) -> services.ChairPlaces:
    """Set a person's outcome by hand, with the reason (kept on the enrolment and in the audit trail);
    the registers no longer decide it. Completed gives them a certificate, emailed at once, and (on a
    chair course) releases their places on other chair course events not yet begun; taking Completed
    away offers back the places a completion released: returns both (`services.recalculate`).

    Raises Conflict if someone changed the enrolment since `version`; NotClosed before the outcomes
    are set; ValueError for an outcome that is not one of `OUTCOMES` or an empty reason."""
    if outcome not in OUTCOMES:
        raise ValueError("Select an outcome")
    reason = reason.strip()
    if not reason:
        raise ValueError("Enter the reason for overriding the outcome")
    event = enrolment.event
    if event.closed_at is None:
        raise NotClosed("The outcome can be overridden once the event's outcomes are set")
    claim_or_conflict(enrolment, version)
    before = enrolment.status
    enrolment.outcome_override = outcome
    enrolment.outcome_reason = reason
    enrolment.status = outcome
    enrolment.waiting_position = None
    if outcome is EnrolmentStatus.WITHDRAWN:
        enrolment.withdrawn_at = enrolment.withdrawn_at or utcnow()
    db.session.flush()
    undone = (enrolment,) if before is EnrolmentStatus.COMPLETED and outcome is not before else ()
    places = services.recalculate(event, undone)
    audit.record(
        "outcome overridden",
        enrolment,
        summary=f"{before.label} to {outcome.label}. Reason: {reason}"[:1000],
    )
    return places


# Messages to an event's people -------------------------------------------------------------------------


def email_event(event: CourseEvent, audience: str, subject: str, body: str, actor: User) -> int:
    """Email the message to each of the event's `audience` (`listings.AUDIENCES`) on their own, through
    the outbox; log it in the audit trail. Returns how many it went to."""
    people = listings.mailing_recipients(event.id, audience)
    for trainee in people:
        message = mail.new_message(trainee.email, subject)
        message.set_content(
            render_template("training/email/message.txt", name=trainee.name, body=body, event=event)
        )
        mail.queue(message, about=event, summary=f"message about event {event.id} to {trainee.email}")
    audit.record(
        "event emailed",
        event,
        summary=f"'{subject}' to {listings.AUDIENCES[audience].lower()} ({len(people)} people) "
        f"by {actor.email}"[:1000],
    )
    return len(people)
