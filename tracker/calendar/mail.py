"""Invitations, updates and cancellations by email, with the calendar part Outlook turns into
Accept and Decline buttons.

Each message is multipart/alternative: a text part, an HTML part and a
`text/calendar; method=REQUEST|CANCEL; charset=utf-8` part carrying the calendar. One message goes to
each recipient, through `tracker.core.mail` (SMTP, or .eml files in MAIL_FOLDER when none is set).
Subjects and bodies are written from the `CalendarEvent` alone, so they carry references only.
"""

from __future__ import annotations

from collections.abc import Iterable
from email.message import EmailMessage

from flask import render_template

from tracker.calendar import ics
from tracker.calendar.events import Attendee, CalendarEvent
from tracker.core import mail
from tracker.core.timeutil import format_date, format_datetime

_SUBJECT_PREFIX = {"invitation": "Invitation", "update": "Updated", "cancellation": "Cancelled"}


KINDS = ("invitation", "update", "cancellation")


def send_invitations(event: CalendarEvent, recipients: Iterable[Attendee] | None = None) -> int:
    """Invite people (by default every attendee; pass the newly added ones to invite just them)."""
    return _deliver(compose("invitation", event, recipients))


def send_update(event: CalendarEvent, recipients: Iterable[Attendee] | None = None) -> int:
    """Tell invitees of a change of time, date or place. `event.sequence` must already be raised
    (`rules.next_sequence`): Outlook ignores an update that is not newer than what it holds."""
    return _deliver(compose("update", event, recipients))


def send_cancellation(event: CalendarEvent, recipients: Iterable[Attendee] | None = None) -> int:
    """Cancel the event for these people: everyone invited (the default) when it is called off, or one
    person taken off the list. Raise `event.sequence` first, so the cancellation outranks the invitation."""
    return _deliver(compose("cancellation", event, recipients))


def compose(
    kind: str,
    event: CalendarEvent,
    recipients: Iterable[Attendee] | None = None,
    *,
    changes: Iterable[str] = (),
    still_on: Iterable[CalendarEvent] = (),
    contact: Attendee | None = None,
) -> list[tuple[Attendee, EmailMessage]]:
    """The emails of an invitation, update or cancellation (one of KINDS), one per person, unsent.
    `still_on`: with a cancellation of one session of several, the others still taking place. `contact`:
    whom someone without an account asks (they cannot sign in to see the details)."""
    if kind == "cancellation":
        people = _people(event, recipients, must_be_invited=False)
        calendar, method = ics.cancel(event, people), ics.Method.CANCEL
    elif kind in KINDS:
        if event.cancelled:
            raise ValueError("a cancelled event is sent with send_cancellation")
        people = _people(event, recipients, must_be_invited=True)
        calendar, method = ics.request(event), ics.Method.REQUEST
    else:
        raise ValueError(f"no such calendar email as {kind!r}")
    said = {"changes": tuple(changes), "still_on": tuple(still_on), "contact": contact}
    return [(person, message(event, person, kind, calendar, method, **said)) for person in people]


def _people(
    event: CalendarEvent, recipients: Iterable[Attendee] | None, *, must_be_invited: bool
) -> list[Attendee]:
    people = list(event.attendees if recipients is None else recipients)
    if must_be_invited:
        invited = {person.email.lower() for person in event.attendees}
        strangers = [person.email for person in people if person.email.lower() not in invited]
        if strangers:
            # Outlook warns a recipient who is not an attendee that the invitation is not theirs.
            raise ValueError(f"not attendees of {event.uid}: {', '.join(strangers)}")
    return people


class NotDelivered(Exception):
    """Some of the people could not be sent their email (the others were): `failed` and the error."""

    def __init__(self, sent: list[Attendee], failed: list[Attendee], error: Exception):
        super().__init__(f"{len(failed)} of {len(sent) + len(failed)} not sent: {error}")
        self.sent, self.failed, self.error = sent, failed, error


def _deliver(composed: list[tuple[Attendee, EmailMessage]]) -> int:
    """Send over one connection. Raises NotDelivered if any could not be sent."""
    failures = {id(failed): error for failed, error in mail.send_all([m for _person, m in composed])}
    if failures:
        sent = [person for person, m in composed if id(m) not in failures]
        failed = [person for person, m in composed if id(m) in failures]
        raise NotDelivered(sent, failed, next(iter(failures.values())))
    return len(composed)


def subject(event: CalendarEvent, kind: str) -> str:
    when = format_date(event.start) if event.all_day else format_datetime(event.start)
    return f"{_SUBJECT_PREFIX[kind]}: {event.subject.summary}, {when}"


def message(
    event: CalendarEvent,
    person: Attendee,
    kind: str,
    calendar: bytes,
    method: str,
    changes: tuple[str, ...] = (),
    *,
    still_on: tuple[CalendarEvent, ...] = (),
    contact: Attendee | None = None,
) -> EmailMessage:
    """One person's email: text, HTML and the calendar, as alternatives of one another. Someone without
    an account is told the attached file holds the details and whom to ask (`contact`), not to sign in."""
    email = mail.new_message(person.email, subject(event, kind))
    if ics.organiser_address() != email["From"]:
        email["Reply-To"] = ics.organiser_address()
    context = {"event": event, "person": person, "kind": kind, "changes": _listed(changes)}
    context.update(still_on=still_on, contact=contact)
    email.set_content(render_template("calendar/email/event.txt", **context))
    email.add_alternative(render_template("calendar/email/event.html", **context), subtype="html")
    # Base64 keeps the calendar's CRLF line endings and folding byte for byte on the way.
    email.add_alternative(
        calendar,
        maintype="text",
        subtype="calendar",
        cte="base64",
        params={"method": method, "charset": "utf-8"},
    )
    return email


def _listed(changes: tuple[str, ...]) -> str:
    """"the date, the time and the place": a change already worded as a phrase ("the other session was
    cancelled, ...") is kept as it is."""
    items = [change if change.startswith("the ") else f"the {change}" for change in changes]
    if len(items) < 2:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]

