"""Every change to training records goes through here: courses, events, sessions, enrolling and
withdrawing, registers, uploads. A function per change a person makes, taking who makes it and, for a
record two people may edit, the version their page was built from (claimed first, in one conditional
UPDATE: `tracker.core.locking`), so of two saves at once exactly one is kept and the other raises Conflict
having changed nothing. The audit trail records each change when the session flushes.

Services flush when they need ids and never commit: the request commits once. A session is in the
diary of everyone with a place on its event: taking a place (enrolling, or moving up from the waiting
list), losing one (withdrawing), and adding, moving or cancelling a session queue the Outlook
invitation, update or cancellation here; `tracker.calendar.outbox` sends them once the change is saved.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, timedelta

import sqlalchemy as sa
from sqlmodel import col, select

from tracker.auth.models import User
from tracker.calendar import outbox
from tracker.calendar import rules as calendar_rules
from tracker.core import audit
from tracker.core.db import db
from tracker.core.locking import Conflict, claim_or_conflict, parse_version
from tracker.core.timeutil import london, london_to_utc
from tracker.core.types import utcnow
from tracker.training import certificates, ics, listings, rules
from tracker.training.models import (
    TAKING_A_PLACE,
    Attendance,
    Course,
    CourseEvent,
    Enrolment,
    EnrolmentImport,
    EnrolmentStatus,
    EventKind,
    Mark,
    SessionStatus,
    Trainee,
    TraineeRole,
    TrainingSession,
)


class AlreadyEnrolled(ValueError):
    pass


class TooFewPlaces(ValueError):
    """An event's places cannot go below the number of people who already have one."""

    def __init__(self, taken: int):
        super().__init__(f"Places must be {taken} or more: {taken} people already have a place")
        self.taken = taken


class UploadHasErrors(ValueError):
    pass


class BreaksEnrolmentRule(ValueError):
    """The person holds a place elsewhere on the course, or is a completed chair on a chair course:
    enrolling them needs the TRSG's reason for overriding the rule."""


def _assign(obj, details: dict) -> None:
    for name, value in details.items():
        setattr(obj, name, value)


# Courses -------------------------------------------------------------------------------------------


def add_course(actor: User, **details) -> Course:
    """A new course (`details`: title, kind, description, days, cpd_minutes, active)."""
    course = Course(**details)
    db.session.add(course)
    db.session.flush()
    return course


def update_course(course: Course, version, actor: User, **details) -> None:
    """Change a course. A changed completion rule applies at once to its events still running (those
    whose outcomes are set keep them: the TRSG can override one with a reason)."""
    before = (list(course.completion_marks), course.sessions_required)
    claim_or_conflict(course, version)
    _assign(course, details)
    db.session.flush()
    if (list(course.completion_marks), course.sessions_required) != before:
        for event in listings.open_events(course.id):
            recalculate(event)


# Events --------------------------------------------------------------------------------------------


@dataclass
class FirstSessions:
    """When a new event's sessions are: the course's days on consecutive weekdays from the first."""

    first_day: date
    starts: time
    ends: time
    venue: str = ""
    online_link: str = ""


def _event_details(details: dict) -> dict:
    """Only a Chairs' Forum is about a pillar."""
    if details.get("kind") is not EventKind.CHAIRS_FORUM:
        details = {**details, "pillar": None}
    return details


def create_event(course: Course, actor: User, first: FirstSessions, **details) -> CourseEvent:
    """A new event of a course, with a session for each of the course's days (each can be moved
    afterwards). `details`: title, kind, pillar, capacity, audience, presenters, lived_experience,
    cpd_minutes."""
    event = CourseEvent(course=course, created_by_id=actor.id, **_event_details(details))
    db.session.add(event)
    day = first.first_day
    for number in range(1, course.days + 1):
        event.sessions.append(
            TrainingSession(
                title=f"Day {number}" if course.days > 1 else "Session",
                starts_at=london_to_utc(day, first.starts),
                ends_at=london_to_utc(day, first.ends),
                venue=first.venue,
                online_link=first.online_link,
            )
        )
        day += timedelta(days=1)
        while day.weekday() >= 5:
            day += timedelta(days=1)
    event.refresh_dates()
    db.session.flush()
    return event


def update_event(event: CourseEvent, version, actor: User, **details) -> list[Enrolment]:
    """Change an event's details; the waiting list moves up into any places added. Returns those who
    moved up. Raises TooFewPlaces (changing nothing) if fewer places than are taken are asked for."""
    if parse_version(version) != event.version:
        raise Conflict
    taken = listings.places_taken(event.id)
    if details["capacity"] < taken:
        raise TooFewPlaces(taken)
    claim_or_conflict(event, version)
    _assign(event, _event_details(details))
    moved = fill_places(event)
    recalculate(event)
    return moved


# People --------------------------------------------------------------------------------------------


def trainee_for(name: str, email: str, agency_id: int) -> Trainee:
    """The person with this email: already known to training, an account holder, or someone new.

    An account's name and agency win over what was typed, so a person is one record however they
    were enrolled.
    """
    email = email.lower()
    trainee = listings.find_trainee(email)
    if trainee is not None:
        return trainee
    user = db.session.exec(select(User).where(sa.func.lower(User.email) == email)).first()
    trainee = Trainee(
        name=user.name if user else name,
        email=email,
        agency_id=user.agency_id if user else agency_id,
        user_id=user.id if user else None,
    )
    db.session.add(trainee)
    db.session.flush()
    return trainee


# Places and the waiting list ------------------------------------------------------------------------


def lock_event(event_id: int) -> CourseEvent | None:
    """The event, locked for the rest of the transaction so two people cannot take its last place.

    PostgreSQL takes a row lock; SQLite's transactions already take the write lock when they begin.
    """
    return db.session.get(CourseEvent, event_id, with_for_update=True, populate_existing=True)


def enrol(
    event: CourseEvent, trainee: Trainee, role: TraineeRole | None = None, override_reason: str = ""
) -> Enrolment:
    """Give the person a place, or a place on the waiting list when the event is full.

    Raises BreaksEnrolmentRule, changing nothing, when the person holds a place on another event of the
    course or (on a chair course) has completed a chair course, unless `override_reason` says why the
    TRSG gives them one anyway: the reason is kept on the enrolment and in the audit trail.
    """
    existing = db.session.exec(
        select(Enrolment).where(Enrolment.event_id == event.id, Enrolment.trainee_id == trainee.id)
    ).first()
    if existing is not None and existing.status is not EnrolmentStatus.WITHDRAWN:
        raise AlreadyEnrolled(f"{trainee.name} is already enrolled on this event")
    override_reason = override_reason.strip()
    conflict = listings.enrolment_conflict(event, trainee)
    if conflict and not override_reason:
        raise BreaksEnrolmentRule(conflict)
    status = rules.placement(listings.places_taken(event.id), event.capacity)
    position = None
    if status is EnrolmentStatus.WAITING:
        position = len(listings.waiting_list(event.id)) + 1
    enrolment = existing or Enrolment(event_id=event.id, trainee_id=trainee.id)
    enrolment.role = role or listings.default_role(event, trainee)
    enrolment.status = status
    enrolment.waiting_position = position
    enrolment.enrolled_at = utcnow()
    enrolment.withdrawn_at = None
    enrolment.override_reason = override_reason if conflict else ""
    db.session.add(enrolment)
    db.session.flush()
    if conflict:
        audit.record("override", enrolment, summary=f"{conflict}. Reason: {override_reason}"[:1000])
    if enrolment.status is EnrolmentStatus.ENROLLED:
        _invite(event.scheduled_sessions, [trainee])
    return enrolment


def enrol_person(
    event: CourseEvent,
    actor: User,
    name: str,
    email: str,
    agency_id: int,
    role: TraineeRole | None,
    override_reason: str = "",
) -> Enrolment:
    """Enrol someone the TRSG names (see `trainee_for`), on the event or its waiting list (see `enrol`
    for the rules and their override)."""
    lock_event(event.id)
    return enrol(event, trainee_for(name, email, agency_id), role, override_reason)


def withdraw(enrolment: Enrolment, actor: User | None = None) -> list[Enrolment]:
    """Withdraw someone; the waiting list moves up into any place freed. Returns those who moved up.

    Raises Conflict if someone else changed the enrolment since it was read (withdrew them already)."""
    lock_event(enrolment.event_id)
    claim_or_conflict(enrolment, enrolment.version)
    had_a_place = enrolment.status in TAKING_A_PLACE
    enrolment.status = EnrolmentStatus.WITHDRAWN
    enrolment.waiting_position = None
    enrolment.withdrawn_at = utcnow()
    if had_a_place:
        for session in enrolment.event.scheduled_sessions:
            session.someone_taken_off()
            outbox.cancel(
                ics.session_entry(session), [ics.attendee(enrolment.trainee)], session, separately=True
            )
    db.session.flush()
    return fill_places(enrolment.event)


def fill_places(event: CourseEvent) -> list[Enrolment]:
    """Move people up from the waiting list into free places, and renumber those still waiting.

    Someone who has since taken a place on another event of the course (or completed it, or completed a
    chair course) is passed over, unless their place here was given by an override: the next moves up.
    Once the event's outcomes are set its waiting list is closed, and nobody moves up."""
    if event.closed_at is not None:
        return []
    waiting = listings.waiting_list(event.id)
    by_id = {enrolment.id: enrolment for enrolment in waiting}
    skip = {
        e.id
        for e in waiting
        if not e.override_reason and listings.enrolment_conflict(event, e.trainee) is not None
    }
    free = event.capacity - listings.places_taken(event.id)
    moved, still = rules.move_up([e.id for e in waiting], free, skip)
    for enrolment_id in moved:
        by_id[enrolment_id].status = EnrolmentStatus.ENROLLED
        by_id[enrolment_id].waiting_position = None
    for position, enrolment_id in enumerate(still, start=1):
        if by_id[enrolment_id].waiting_position != position:
            by_id[enrolment_id].waiting_position = position
    db.session.flush()
    moved_up = [by_id[enrolment_id] for enrolment_id in moved]
    _invite(event.scheduled_sessions, [enrolment.trainee for enrolment in moved_up])
    return moved_up


# Sessions ------------------------------------------------------------------------------------------


def session_times(day: date, starts: time, ends: time) -> dict:
    """A session's start and end, from the London day and times a form asks for."""
    return {"starts_at": london_to_utc(day, starts), "ends_at": london_to_utc(day, ends)}


def add_session(event: CourseEvent, actor: User, **details) -> TrainingSession:
    """Add a session to the event and invite everyone with a place to it. `details`: title, starts_at,
    ends_at, venue, online_link."""
    session = TrainingSession(**details)
    event.sessions.append(session)
    _sessions_changed(event)
    _invite([session], ics.with_a_place(event.id))
    return session


def reschedule_session(session: TrainingSession, version, actor: User, **details) -> None:
    """Change a session (`TrainingSession.reschedule`); if its time or place moved, everyone with a place
    gets an update."""
    before = (session.starts_at, session.ends_at, session.venue, session.online_link)
    claim_or_conflict(session, version)
    moved = session.reschedule(**details)
    _sessions_changed(session.event)
    if moved:
        people = [ics.attendee(trainee) for trainee in ics.with_a_place(session.event_id)]
        after = (session.starts_at, session.ends_at, session.venue, session.online_link)
        changes = calendar_rules.what_changed(before, after)
        outbox.update(ics.session_entry(session), people, session, separately=True, changes=changes)


def cancel_session(session: TrainingSession, actor: User) -> None:
    """Cancel a session: it no longer counts towards completion, and everyone with a place gets a
    cancellation. Raises Conflict if someone else changed it since it was read."""
    claim_or_conflict(session, session.version)
    session.cancel()
    _sessions_changed(session.event)
    people = [ics.attendee(trainee) for trainee in ics.with_a_place(session.event_id)]
    outbox.cancel(ics.session_entry(session), people, session, separately=True)


def _sessions_changed(event: CourseEvent) -> None:
    db.session.flush()
    db.session.refresh(event, ["sessions"])
    event.refresh_dates()
    recalculate(event)


def _invite(sessions: list[TrainingSession], trainees: list[Trainee]) -> None:
    """Invite these people, each on their own, to these sessions (`outbox` leaves out past ones)."""
    people = [ics.attendee(trainee) for trainee in trainees]
    for session in sessions:
        if session.status is SessionStatus.SCHEDULED:
            outbox.invite(ics.session_entry(session), people, session, separately=True)


# Registers -----------------------------------------------------------------------------------------


def save_register(
    session: TrainingSession,
    register_version,
    marks: dict[int, tuple[Mark | None, str]],
    marked_by: User,
    from_paper: bool = False,
) -> int:
    """Record the marks of a session's register and bring everyone's completion and CPD up to date.

    `marks` maps enrolment ids to (mark or None for not marked, note). Marks changed `from_paper` (after
    the day, from the sign-in sheet) are kept as such. Returns how many changed. Raises Conflict,
    changing nothing, if someone else saved the register since `register_version`.
    """
    claim_or_conflict(session, register_version, "register_version")
    existing = listings.session_marks(session.id)
    changed = 0
    for enrolment_id, (mark, note) in marks.items():
        row = existing.get(enrolment_id)
        if mark is None:
            if row is not None:
                db.session.delete(row)
                changed += 1
            continue
        if row is None:
            row = Attendance(session_id=session.id, enrolment_id=enrolment_id, mark=mark)
            db.session.add(row)
        elif (row.mark, row.note) == (mark, note):
            continue
        row.mark, row.note = mark, note
        row.marked_at = utcnow()
        row.marked_by_id = marked_by.id
        row.from_paper = from_paper
        changed += 1
    db.session.flush()
    recalculate(session.event)
    return changed


def recalculate(event: CourseEvent) -> None:
    """Work out each person's completion, CPD minutes and dates from the event's registers, by the
    course's completion rule. Once the event is closed, those who did not complete are told so by their
    outcome, and anyone newly Completed (a register corrected from paper) is sent their certificate."""
    sessions = event.scheduled_sessions
    days = {s.id: london(s.starts_at).date() for s in sessions}
    rows = db.session.exec(select(Attendance).where(col(Attendance.session_id).in_(list(days)))).all()
    marks = {(row.session_id, row.enrolment_id): row.mark for row in rows}
    rule = completion_rule(event.course)
    closed = event.closed_at is not None
    last_day = max(days.values(), default=None)
    for enrolment in listings.register_enrolments(event.id):
        result = rules.outcome(
            [(days[s.id], marks.get((s.id, enrolment.id))) for s in sessions], event.cpd_minutes, rule
        )
        enrolment.record_outcome(result, closed=closed, last_day=last_day)
        user = enrolment.trainee.user
        completed = enrolment.status is EnrolmentStatus.COMPLETED
        if completed and event.is_chair_course and user is not None and not user.chair_trained:
            # The meetings area reads this flag; a completion sets it (a correction never clears what
            # an admin may have set by hand).
            user.chair_trained = True
    db.session.flush()
    if closed:
        certificates.send_due(event)


def completion_rule(course: Course) -> rules.CompletionRule:
    return rules.CompletionRule(course.counted_marks, course.sessions_required)


# Uploads -------------------------------------------------------------------------------------------


def stage_upload(event: CourseEvent, filename: str, rows: list[dict], user: User) -> EnrolmentImport:
    """Keep an upload on the server until it is confirmed. This person's earlier upload for the event,
    and anyone's left unconfirmed for a day, are dropped."""
    db.session.execute(
        sa.delete(EnrolmentImport).where(
            sa.or_(
                sa.and_(EnrolmentImport.created_by_id == user.id, EnrolmentImport.event_id == event.id),
                col(EnrolmentImport.created_at) < utcnow() - timedelta(days=1),
            )
        )
    )
    upload = EnrolmentImport(event_id=event.id, created_by_id=user.id, filename=filename[:255], rows=rows)
    db.session.add(upload)
    db.session.flush()
    return upload


def confirm_upload(upload: EnrolmentImport, actor: User, override_reason: str = "") -> list[Enrolment]:
    """Enrol everyone on a checked upload. Raises UploadHasErrors, enrolling nobody, if it still has
    errors (the agencies or who is enrolled may have changed since it was checked), or rows that break
    an enrolment rule and no `override_reason` (which is then kept on each of those enrolments)."""
    event = lock_event(upload.event_id)
    preview = listings.preview_upload(upload, event)
    if preview.errors:
        raise UploadHasErrors("The file still has errors: nobody has been enrolled. Upload a corrected file.")
    if preview.conflicts and not override_reason.strip():
        raise UploadHasErrors(
            "Nobody has been enrolled: give a reason for overriding the enrolment rules, or upload a "
            "corrected file."
        )
    enrolments = []
    for row in preview.rows:
        trainee = trainee_for(row.name, row.email, row.agency_id)
        enrolments.append(enrol(event, trainee, row.role, override_reason if row.conflict else ""))
    db.session.delete(upload)
    return enrolments
