"""Changes to training records that touch several rows: enrolling, withdrawing, sessions, registers,
uploads.

Services flush when they need ids and never commit: the request commits once. A session is in the
diary of everyone with a place on its event: taking a place (enrolling, or moving up from the waiting
list), losing one (withdrawing), and adding, moving or cancelling a session queue the Outlook
invitation, update or cancellation here; `tracker.calendar.outbox` sends them once the change is saved.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.orm import selectinload
from sqlmodel import col, select

from tracker.auth.models import User
from tracker.calendar import outbox
from tracker.calendar import rules as calendar_rules
from tracker.core.db import db
from tracker.core.permissions import Role
from tracker.core.timeutil import london
from tracker.core.types import utcnow
from tracker.training import ics, rules
from tracker.training.models import (
    TAKING_A_PLACE,
    Attendance,
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


# People --------------------------------------------------------------------------------------------


def find_trainee(email: str) -> Trainee | None:
    return db.session.exec(select(Trainee).where(Trainee.email == email.lower())).first()


def trainee_for_user(user: User) -> Trainee | None:
    return db.session.exec(select(Trainee).where(Trainee.user_id == user.id)).first()


def trainee_for(name: str, email: str, agency_id: int) -> Trainee:
    """The person with this email: already known to training, an account holder, or someone new.

    An account's name and agency win over what was typed, so a person is one record however they
    were enrolled.
    """
    email = email.lower()
    trainee = find_trainee(email)
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


def default_role(event: CourseEvent, trainee: Trainee) -> TraineeRole:
    """The capacity someone attends in, unless the TRSG says otherwise: from their account's roles,
    else chairs for the chair course and Chairs' Forums, else agency staff."""
    roles = trainee.user.roles if trainee.user else set()
    if Role.CHAIR in roles:
        return TraineeRole.CHAIR
    if Role.ADMINISTRATOR in roles:
        return TraineeRole.ADMINISTRATOR
    if event.is_chair_course or event.kind is EventKind.CHAIRS_FORUM:
        return TraineeRole.CHAIR
    return TraineeRole.STAFF


# Places and the waiting list ------------------------------------------------------------------------


def lock_event(event_id: int) -> CourseEvent | None:
    """The event, locked for the rest of the transaction so two people cannot take its last place.

    PostgreSQL takes a row lock; SQLite's transactions already take the write lock when they begin.
    """
    return db.session.get(CourseEvent, event_id, with_for_update=True, populate_existing=True)


def places_taken(event_id: int) -> int:
    return db.session.scalar(
        select(sa.func.count())
        .select_from(Enrolment)
        .where(Enrolment.event_id == event_id, col(Enrolment.status).in_(TAKING_A_PLACE))
    )


def _waiting(event_id: int) -> list[Enrolment]:
    return list(
        db.session.exec(
            select(Enrolment)
            .where(Enrolment.event_id == event_id, Enrolment.status == EnrolmentStatus.WAITING)
            .order_by(col(Enrolment.waiting_position), col(Enrolment.id))
        )
    )


def enrol(event: CourseEvent, trainee: Trainee, role: TraineeRole | None = None) -> Enrolment:
    """Give the person a place, or a place on the waiting list when the event is full."""
    existing = db.session.exec(
        select(Enrolment).where(Enrolment.event_id == event.id, Enrolment.trainee_id == trainee.id)
    ).first()
    if existing is not None and existing.status is not EnrolmentStatus.WITHDRAWN:
        raise AlreadyEnrolled(f"{trainee.name} is already enrolled on this event")
    status = rules.placement(places_taken(event.id), event.capacity)
    position = None
    if status is EnrolmentStatus.WAITING:
        position = len(_waiting(event.id)) + 1
    enrolment = existing or Enrolment(event_id=event.id, trainee_id=trainee.id)
    enrolment.role = role or default_role(event, trainee)
    enrolment.status = status
    enrolment.waiting_position = position
    enrolment.enrolled_at = utcnow()
    enrolment.withdrawn_at = None
    db.session.add(enrolment)
    db.session.flush()
    if enrolment.status is EnrolmentStatus.ENROLLED:
        _invite(event.scheduled_sessions, [trainee])
    return enrolment


def withdraw(enrolment: Enrolment) -> list[Enrolment]:
    """Withdraw someone; the waiting list moves up into any place freed. Returns those who moved up."""
    lock_event(enrolment.event_id)
    had_a_place = enrolment.status in TAKING_A_PLACE
    enrolment.status = EnrolmentStatus.WITHDRAWN
    enrolment.waiting_position = None
    enrolment.withdrawn_at = utcnow()
    enrolment.version += 1
    if had_a_place:
        for session in enrolment.event.scheduled_sessions:
            session.someone_taken_off()
            outbox.cancel(
                ics.session_entry(session), [ics.attendee(enrolment.trainee)], session, separately=True
            )
    db.session.flush()
    return fill_places(enrolment.event)


def waiting_count(event_id: int) -> int:
    """How many people are on the event's waiting list."""
    return db.session.scalar(
        select(sa.func.count())
        .select_from(Enrolment)
        .where(Enrolment.event_id == event_id, Enrolment.status == EnrolmentStatus.WAITING)
    )


def fill_places(event: CourseEvent) -> list[Enrolment]:
    """Move people up from the waiting list into free places, and renumber those still waiting."""
    waiting = _waiting(event.id)
    by_id = {enrolment.id: enrolment for enrolment in waiting}
    moved, still = rules.move_up([e.id for e in waiting], event.capacity - places_taken(event.id))
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


def add_session(event: CourseEvent, session: TrainingSession) -> None:
    """Add a session to the event and invite everyone with a place to it."""
    event.sessions.append(session)
    _sessions_changed(event)
    _invite([session], ics.with_a_place(event.id))


def reschedule_session(session: TrainingSession, **details) -> None:
    """Change a session (`TrainingSession.reschedule`); if its time or place moved, everyone with a place
    gets an update."""
    before = (session.starts_at, session.ends_at, session.venue, session.online_link)
    moved = session.reschedule(**details)
    _sessions_changed(session.event)
    if moved:
        people = [ics.attendee(trainee) for trainee in ics.with_a_place(session.event_id)]
        after = (session.starts_at, session.ends_at, session.venue, session.online_link)
        changes = calendar_rules.what_changed(before, after)
        outbox.update(ics.session_entry(session), people, session, separately=True, changes=changes)


def cancel_session(session: TrainingSession) -> None:
    """Cancel a session: it no longer counts towards completion, and everyone with a place gets a
    cancellation."""
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


def register_enrolments(event_id: int) -> list[Enrolment]:
    """The people on an event's registers (with a place, or completed), by name."""
    return list(
        db.session.exec(
            select(Enrolment)
            .join(Trainee)
            .where(Enrolment.event_id == event_id, col(Enrolment.status).in_(TAKING_A_PLACE))
            .options(selectinload(Enrolment.trainee).selectinload(Trainee.user))
            .order_by(col(Trainee.name), col(Trainee.id))
        )
    )


def session_marks(session_id: int) -> dict[int, Attendance]:
    rows = db.session.exec(select(Attendance).where(Attendance.session_id == session_id))
    return {row.enrolment_id: row for row in rows}


def save_register(
    session: TrainingSession, marks: dict[int, tuple[Mark | None, str]], marked_by: User
) -> int:
    """Record the marks of a session's register and bring everyone's completion and CPD up to date.

    `marks` maps enrolment ids to (mark or None for not marked, note). Returns how many changed.
    """
    existing = session_marks(session.id)
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
        changed += 1
    session.register_version += 1
    db.session.flush()
    recalculate(session.event)
    return changed


def recalculate(event: CourseEvent) -> None:
    """Work out each person's completion, CPD minutes and dates from the event's registers."""
    sessions = event.scheduled_sessions
    days = {s.id: london(s.starts_at).date() for s in sessions}
    rows = db.session.exec(select(Attendance).where(col(Attendance.session_id).in_(list(days)))).all()
    marks = {(row.session_id, row.enrolment_id): row.mark for row in rows}
    for enrolment in register_enrolments(event.id):
        result = rules.outcome(
            [(days[s.id], marks.get((s.id, enrolment.id))) for s in sessions], event.cpd_minutes
        )
        enrolment.record_outcome(result)
        user = enrolment.trainee.user
        if result.complete and event.is_chair_course and user is not None and not user.chair_trained:
            # The meetings area reads this flag; a completion sets it (a correction never clears what
            # an admin may have set by hand).
            user.chair_trained = True
    db.session.flush()


# Uploads -------------------------------------------------------------------------------------------


@dataclass
class UploadPreview:
    rows: list[rules.CheckedRow]
    places: int
    waiting: int

    @property
    def errors(self) -> list[rules.CheckedRow]:
        return [row for row in self.rows if row.errors]


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


def preview_upload(upload: EnrolmentImport, event: CourseEvent) -> UploadPreview:
    """Check an upload against the tracker as it is now (agencies, who is already enrolled)."""
    from tracker.auth.models import Agency

    agencies = {
        " ".join(agency.name.lower().split()): agency.id
        for agency in db.session.exec(select(Agency).where(Agency.active))
    }
    enrolled = set(
        db.session.exec(
            select(Trainee.email)
            .join(Enrolment)
            .where(Enrolment.event_id == event.id, Enrolment.status != EnrolmentStatus.WITHDRAWN)
        )
    )
    checked = rules.check_rows(upload.rows, agencies, enrolled)
    free = max(0, event.capacity - places_taken(event.id))
    places = min(free, len(checked))
    return UploadPreview(rows=checked, places=places, waiting=len(checked) - places)


def confirm_upload(upload: EnrolmentImport, event: CourseEvent) -> list[Enrolment]:
    """Enrol everyone on a checked upload (the caller has made sure it has no errors)."""
    preview = preview_upload(upload, event)
    if preview.errors:
        raise ValueError("the upload has errors")
    enrolments = []
    for row in preview.rows:
        trainee = trainee_for(row.name, row.email, row.agency_id)
        enrolments.append(enrol(event, trainee, row.role))
    db.session.delete(upload)
    return enrolments
