"""Changes to an event's sessions (each change sent to the diaries of those with a place) and to its
registers, with each enrolment's outcome worked out again."""

from __future__ import annotations

from datetime import date, time
from typing import TYPE_CHECKING

from sqlmodel import col, select

from tracker.auth.models import User
from tracker.calendar import outbox
from tracker.calendar import rules as calendar_rules
from tracker.core.db import db
from tracker.core.locking import claim_or_conflict
from tracker.core.timeutil import format_date, london, london_to_utc
from tracker.core.types import utcnow
from tracker.training import certificates, ics, listings, rules
from tracker.training.models import (
    Attendance,
    Course,
    CourseEvent,
    Enrolment,
    EnrolmentStatus,
    Mark,
    SessionStatus,
    Trainee,
    TrainingSession,
)
from tracker.training.services.common import OutcomesSet, RegisterTaken

if TYPE_CHECKING:
    from tracker.training.services.places import ChairPlaces

# Sessions ------------------------------------------------------------------------------------------


def session_times(day: date, starts: time, ends: time) -> dict:
    """A session's start and end, from the London day and times a form asks for."""
    return {"starts_at": london_to_utc(day, starts), "ends_at": london_to_utc(day, ends)}


def add_session(event: CourseEvent, actor: User, **details) -> TrainingSession:
    """Add a session to the event and invite everyone with a place to it. `details`: title, starts_at,
    ends_at, venue, online_link. Refused (OutcomesSet) once the event's outcomes are set."""
    ensure_open(event)
    numbered = ics.numbering(event)
    session = TrainingSession(**details)
    event.sessions.append(session)
    sessions_changed(event)
    trainees = ics.with_a_place(event.id)
    invite_to_sessions([session], trainees)
    update_numbers(event, numbered, trainees, but=session)
    return session


def register_taken(session: TrainingSession) -> bool:
    """Whether anyone has been marked on the session's register."""
    taken = select(Attendance.id).where(Attendance.session_id == session.id).limit(1)
    return db.session.exec(taken).first() is not None


def ensure_open(event: CourseEvent, done: str = "added") -> None:
    if event.closed_at is not None:
        raise OutcomesSet(event.title, done)


def reschedule_session(session: TrainingSession, version, actor: User, **details) -> None:
    """Change a session (`TrainingSession.reschedule`); if its time or place moved, everyone with a place
    gets an update. Refused once the event's outcomes are set (OutcomesSet), and a move to another day
    once the session's register has been taken (RegisterTaken)."""
    ensure_open(session.event, "changed")
    held_on = london(session.starts_at).date()
    if london(details["starts_at"]).date() != held_on and register_taken(session):
        raise RegisterTaken(format_date(held_on))
    before = (session.starts_at, session.ends_at, session.venue, session.online_link)
    claim_or_conflict(session, version)
    numbered = ics.numbering(session.event)
    moved = session.reschedule(**details)
    sessions_changed(session.event)
    if moved:
        trainees = ics.with_a_place(session.event_id)
        people = [ics.attendee(trainee) for trainee in trainees]
        after = (session.starts_at, session.ends_at, session.venue, session.online_link)
        changes = calendar_rules.what_changed(before, after)
        outbox.update(ics.session_entry(session), people, session, separately=True, changes=changes)
        update_numbers(session.event, numbered, trainees, but=session)


def cancel_session(session: TrainingSession, actor: User) -> None:
    """Cancel a session: it no longer counts towards completion, and everyone with a place gets a
    cancellation. Raises Conflict if someone else changed it since it was read, OutcomesSet once the
    event's outcomes are set."""
    ensure_open(session.event, "cancelled")
    claim_or_conflict(session, session.version)
    numbered = ics.numbering(session.event)
    session.cancel()
    sessions_changed(session.event)
    trainees = ics.with_a_place(session.event_id)
    people = [ics.attendee(trainee) for trainee in trainees]
    # Named as the invitations named it, with the sessions still on (renumbered: their updates follow).
    still_on = [ics.session_entry(other) for other in session.event.scheduled_sessions]
    outbox.cancel(
        ics.session_entry(session, numbers=numbered), people, session, separately=True, still_on=still_on
    )
    update_numbers(session.event, numbered, trainees, but=session)


def update_numbers(
    event: CourseEvent, numbered: dict[int, tuple[int, int]], trainees: list[Trainee], *, but: TrainingSession
) -> None:
    """Each other session taking place whose number the change moved (`numbered`: as they were before):
    diaries show "session 2 of 3" in the title, so everyone with a place gets it updated, lest two
    entries read "session 1 of 2". With no one on the event, no diary holds them."""
    people = [ics.attendee(trainee) for trainee in trainees]
    if not people:
        return
    now = ics.numbering(event)
    for session in event.scheduled_sessions:
        if session is not but and numbered.get(session.id, now[session.id]) != now[session.id]:
            session.renumbered()
            changes = (renumbering_change(now[session.id]),)
            outbox.update(ics.session_entry(session), people, session, separately=True, changes=changes)


def renumbering_change(now: tuple[int, int]) -> str:
    """What the update for a renumbered session says changed, from its (number, of) now. With one session
    left its entry shows no number ("session 1 of 1" is not written), so the email says why it changed."""
    if now[1] == 1:
        return "the other session was cancelled, so this is now the only session of the course"
    return "session number"


def sessions_changed(event: CourseEvent) -> None:
    db.session.flush()
    db.session.refresh(event, ["sessions"])
    event.refresh_dates()
    recalculate(event)


def invite_to_sessions(
    sessions: list[TrainingSession], trainees: list[Trainee], *, given_a_place_again: bool = False
) -> None:
    """Invite these people, each on their own, to these sessions (`outbox` leaves out past ones).
    Someone `given_a_place_again` may hold a cancellation at the session's SEQUENCE: theirs is raised
    above it."""
    people = [ics.attendee(trainee) for trainee in trainees]
    for session in sessions:
        if session.status is SessionStatus.SCHEDULED:
            if given_a_place_again:
                session.invited_after_a_cancellation()
            outbox.invite(ics.session_entry(session), people, session, separately=True)


# Registers -----------------------------------------------------------------------------------------


def save_register(
    session: TrainingSession,
    register_version,
    marks: dict[int, tuple[Mark | None, str]],
    marked_by: User,
    from_paper: bool = False,
) -> tuple[int, ChairPlaces]:
    """Record the marks of a session's register and bring everyone's completion and CPD up to date.

    `marks` maps enrolment ids to (mark or None for not marked, note). Marks changed `from_paper` (after
    the day, from the sign-in sheet) are kept as such. Returns how many changed, and the places on other
    chair course events released or given back (`recalculate`). Raises Conflict,
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
    return changed, recalculate(session.event)


def recalculate(event: CourseEvent, undone: tuple[Enrolment, ...] = ()) -> ChairPlaces:
    """Work out each person's completion, CPD minutes and dates from the event's registers, by the
    course's completion rule. Once the event is closed, those who did not complete are told so by their
    outcome, anyone newly Completed (a register corrected from paper) is sent their certificate, and
    anyone whose emailed certificate a correction undid is told it no longer stands.

    On a chair course, those who completed lose their places on other chair course events not yet
    begun (`places.release_chair_places`), and those whose completion a correction undid are offered
    back the places it released (`places.give_back_chair_places`; `undone`: those whose Completed an
    override has just taken away): returns both (`places.ChairPlaces`)."""
    from tracker.training.services.places import ChairPlaces, give_back_chair_places, release_chair_places

    sessions = event.scheduled_sessions
    days = {s.id: london(s.starts_at).date() for s in sessions}
    rows = db.session.exec(select(Attendance).where(col(Attendance.session_id).in_(list(days)))).all()
    marks = {(row.session_id, row.enrolment_id): row.mark for row in rows}
    rule = completion_rule(event.course)
    closed = event.closed_at is not None
    last_day = max(days.values(), default=None)
    completed, undone = [], list(undone)
    in_full = rules.outcome([(day, Mark.PRESENT) for day in days.values()], event.cpd_minutes_earned, rule)
    for enrolment in listings.register_enrolments(event.id):
        was_completed = enrolment.status is EnrolmentStatus.COMPLETED
        result = rules.outcome(
            [(days[s.id], marks.get((s.id, enrolment.id))) for s in sessions], event.cpd_minutes_earned, rule
        )
        result = rules.as_overridden(result, enrolment.outcome_override, in_full)
        enrolment.record_outcome(result, closed=closed, last_day=last_day)
        if enrolment.status is EnrolmentStatus.COMPLETED:
            completed.append(enrolment)
        elif was_completed and enrolment not in undone:
            undone.append(enrolment)
        user = enrolment.trainee.user
        if event.is_chair_course and user is not None:
            _chair_trained(user, event, completed=enrolment.status is EnrolmentStatus.COMPLETED)
    db.session.flush()
    if closed:
        certificates.withdraw_sent(undone)
        certificates.send_due(event)
    return ChairPlaces(release_chair_places(event, completed), give_back_chair_places(event, undone))


def _chair_trained(user: User, event: CourseEvent, *, completed: bool) -> None:
    """The meetings read the account's "completed chair training": a completion sets it; a correction
    that undoes the completion takes back what a completion set (unless another chair course was
    completed), never what an admin set by hand."""
    if completed and not user.chair_trained:
        user.chair_trained = user.chair_trained_by_course = True
    elif not completed and user.chair_trained_by_course and not _completed_another(user, event):
        user.chair_trained = user.chair_trained_by_course = False


def _completed_another(user: User, event: CourseEvent) -> bool:
    own = col(Enrolment.trainee_id).in_(select(Trainee.id).where(Trainee.user_id == user.id))
    return db.session.exec(listings.chair_courses_completed(event, own).limit(1)).first() is not None


def completion_rule(course: Course) -> rules.CompletionRule:
    return rules.CompletionRule(course.counted_marks, course.sessions_required)
