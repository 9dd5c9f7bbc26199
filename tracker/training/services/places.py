"""People and places: a trainee's record, enrolling, withdrawing and filling places from the waiting list,
each place in and out of the person's diary."""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlmodel import col, select

from tracker.auth.models import User
from tracker.calendar import outbox
from tracker.core import audit
from tracker.core.db import db
from tracker.core.locking import claim_or_conflict
from tracker.core.types import utcnow
from tracker.training import ics, listings, queries, rules
from tracker.training.models import (
    TAKING_A_PLACE,
    CourseEvent,
    Enrolment,
    EnrolmentStatus,
    Trainee,
    TraineeRole,
)
from tracker.training.services.common import (
    AlreadyEnrolled,
    BreaksEnrolmentRule,
    EnrolmentClosed,
    RoleRefused,
)
from tracker.training.services.sessions import invite_to_sessions

# People --------------------------------------------------------------------------------------------


def trainee_for(name: str, email: str, agency_id: int | None) -> Trainee:
    """The person with this email: already known to training, an account holder, or someone new (whose
    `name` and `agency_id` are then required).

    An account's name and agency win over what was typed, so a person is one record however they
    were enrolled.
    """
    email = email.lower()
    known = listings.on_record(email)
    if isinstance(known, Trainee):
        return known
    trainee = Trainee(
        name=known.name if known else name,
        email=email,
        agency_id=known.agency_id if known else agency_id,
        user_id=known.id if known else None,
    )
    db.session.add(trainee)
    db.session.flush()
    return trainee


def namesake(name: str, email: str, agency_id: int | None) -> Trainee | None:
    """Someone already known to training by this name (ignoring case and spacing) and agency but another
    email address, when no one is known by this one: perhaps the same person, whom enrolling would
    duplicate. For an account holder, the name and agency are the account's."""
    known = listings.on_record(email)
    if isinstance(known, Trainee):
        return None
    if known is not None:
        name, agency_id = known.name, known.agency_id
    wanted = " ".join(name.lower().split())
    if not wanted:
        return None
    same_agency = db.session.exec(
        select(Trainee)
        .where(Trainee.agency_id == agency_id)
        .where(sa.func.lower(Trainee.name).contains(wanted.split()[0], autoescape=True))
        .order_by(col(Trainee.id))
    )
    return next((t for t in same_agency if " ".join(t.name.lower().split()) == wanted), None)


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

    Raises RoleRefused when they may not attend in that capacity (a lay adviser as a chair, or anyone in
    an agency that holds no case records as a chair or an administrator).
    Raises BreaksEnrolmentRule, changing nothing, when the person holds a place on another event of the
    course or (on a chair course) has completed a chair course, unless `override_reason` says why the
    TRSG gives them one anyway: the reason is kept on the enrolment and in the audit trail.
    Raises EnrolmentClosed once the event's outcomes are set.
    """
    if event.closed_at is not None:
        raise EnrolmentClosed(event.title)
    existing = db.session.exec(
        select(Enrolment).where(Enrolment.event_id == event.id, Enrolment.trainee_id == trainee.id)
    ).first()
    if existing is not None and existing.status is not EnrolmentStatus.WITHDRAWN:
        raise AlreadyEnrolled(f"{trainee.name} is already enrolled on this event")
    role = role or listings.default_role(event, trainee)
    account_roles = trainee.user.roles if trainee.user else ()
    agency = trainee.agency
    if refused := rules.role_refused(
        trainee.name, role, account_roles, agency.name, agency.sector.holds_case_records
    ):
        raise RoleRefused(refused)
    override_reason = override_reason.strip()
    conflict = listings.enrolment_conflict(event, trainee)
    if conflict and not override_reason:
        raise BreaksEnrolmentRule(conflict)
    status = rules.placement(listings.places_taken(event.id), event.capacity)
    position = None
    if status is EnrolmentStatus.WAITING:
        position = len(listings.waiting_list(event.id)) + 1
    enrolment = existing or Enrolment(event_id=event.id, trainee_id=trainee.id)
    enrolment.role = role
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
        invite_to_sessions(event.scheduled_sessions, [trainee], given_a_place_again=existing is not None)
    return enrolment


def enrol_person(
    event: CourseEvent,
    actor: User,
    name: str,
    email: str,
    agency_id: int | None,
    role: TraineeRole | None,
    override_reason: str = "",
    existing: Trainee | None = None,
) -> Enrolment:
    """Enrol someone the TRSG names (see `trainee_for`), or the `existing` person the TRSG confirmed
    they are, on the event or its waiting list (see `enrol` for the rules and their override). When
    `enrol` refuses, nothing is kept: not even the training record of someone new."""
    lock_event(event.id)
    with db.session.begin_nested():
        return enrol(event, existing or trainee_for(name, email, agency_id), role, override_reason)


def withdraw(enrolment: Enrolment, actor: User | None = None) -> list[Enrolment]:
    """Withdraw someone; the waiting list moves up into any place freed. Returns those who moved up.

    Raises Conflict if someone else changed the enrolment since it was read (withdrew them already)."""
    lock_event(enrolment.event_id)
    claim_or_conflict(enrolment, enrolment.version)
    _take_off(enrolment)
    return fill_places(enrolment.event)


def _take_off(enrolment: Enrolment) -> None:
    """Withdraw the person from the event, cancelling the sessions in their diary if they had a place."""
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


def release_chair_places(event: CourseEvent, completed: list[Enrolment]) -> list[Enrolment]:
    """Withdraw those who `completed` this chair course event from their places (and waiting-list
    places) on other chair course events not yet begun: completed chairs are not offered another chair
    course. Each release is recorded, with its reason, in the audit trail; the next on those waiting
    lists move up and are sent the sessions. A place given by the TRSG's override stays. Returns the
    places released."""
    if not event.is_chair_course or not completed:
        return []
    by_trainee = {enrolment.trainee_id: enrolment for enrolment in completed}
    places = db.session.exec(queries.places_to_release(event, list(by_trainee), utcnow())).all()
    released = []
    for place in places:
        lock_event(place.event_id)
        claim_or_conflict(place, place.version)
        was = place.status.label
        _take_off(place)
        reason = (
            f"{place.trainee.name} completed {event.course.title} ({event.title}): completed chairs are "
            "not offered places on another chair course"
        )
        summary = f"{was} to {place.status.label}. Reason: {reason}"
        audit.record("place released", place, summary=summary[:1000])
        released.append(place)
    for other in {place.event_id: place.event for place in released}.values():
        fill_places(other)
    return released


@dataclass
class GivenBack:
    """A place a chair course completion released, looked at again when a correction undid that
    completion (`give_back_chair_places`). `outcome`: "enrolled" (the place is hers again), "waiting"
    (first on the waiting list: the event is full), or "not given back" with the `why`."""

    place: Enrolment
    completion: Enrolment
    outcome: str
    why: str = ""


@dataclass
class ChairPlaces:
    """What a chair course's outcomes changed on other chair course events: places completions
    released, and places given back after a correction undid a completion."""

    released: list[Enrolment] = field(default_factory=list)
    given_back: list[GivenBack] = field(default_factory=list)


def give_back_chair_places(event: CourseEvent, undone: list[Enrolment]) -> list[GivenBack]:
    """Those whose completion of this chair course event a correction `undone` (a register or an
    outcome set again) have the places it released (`release_chair_places`) offered back, unless they
    still completed another chair course: the place itself when the event has not begun and has one
    free, else the top of its waiting list; once it has begun, nothing (the TRSG is told). Each place
    given back is recorded in the audit trail, and a place is sent to the person's diary as enrolling
    does."""
    if not event.is_chair_course or not undone:
        return []
    now = utcnow()
    given = []
    for completion in undone:
        own = Enrolment.trainee_id == completion.trainee_id
        if db.session.exec(listings.chair_courses_completed(event, own).limit(1)).first() is not None:
            continue
        for place, release in db.session.exec(queries.released_chair_places(event, completion.trainee_id)):
            given.append(_give_back(place, completion, release, now))
    return given


def _give_back(place: Enrolment, completion: Enrolment, release: str, now) -> GivenBack:
    other = lock_event(place.event_id)
    if rules.event_begun(other.starts_at, now):
        return GivenBack(place, completion, "not given back", f"{other.title} has begun")
    conflict = listings.enrolment_conflict(other, place.trainee, waiting_counts=False)
    if conflict:
        return GivenBack(place, completion, "not given back", conflict)
    claim_or_conflict(place, place.version)
    free = other.capacity - listings.places_taken(other.id) > 0
    place.withdrawn_at = None
    if free:
        place.status, place.waiting_position = EnrolmentStatus.ENROLLED, None
    else:
        for waiting in listings.waiting_list(other.id):
            waiting.waiting_position = (waiting.waiting_position or 0) + 1
        place.status, place.waiting_position = EnrolmentStatus.WAITING, 1
    db.session.flush()
    reason = (
        f"{place.trainee.name}'s completion of {completion.event.course.title} ({completion.event.title}), "
        f"which released this place, was undone by a correction"
    )
    audit.record(
        "place given back",
        place,
        summary=f"Withdrawn to {place.status.label}. Reason: {reason}. The release: {release}"[:1000],
    )
    if free:
        invite_to_sessions(other.scheduled_sessions, [place.trainee], given_a_place_again=True)
        return GivenBack(place, completion, "enrolled")
    return GivenBack(place, completion, "waiting")


def fill_places(event: CourseEvent) -> list[Enrolment]:
    """Move people up from the waiting list into free places, and renumber those still waiting.

    Someone who has since taken a place on another event of the course or of another chair course (or
    completed the course, or a chair course) is passed over, unless their place here was given by an
    override: the next moves up. Once the event has begun (its first session has started) a place is no
    use to anyone waiting, so nobody moves up (those waiting are only renumbered); once its outcomes are
    set its waiting list is closed."""
    if event.closed_at is not None:
        return []
    waiting = listings.waiting_list(event.id)
    by_id = {enrolment.id: enrolment for enrolment in waiting}
    if rules.event_begun(event.starts_at, utcnow()):
        free = 0
    else:
        free = event.capacity - listings.places_taken(event.id)
    # Who is passed over matters only when a place is free (each check is a query): not otherwise.
    skip = {
        e.id
        for e in waiting
        if free > 0
        and not e.override_reason
        and listings.enrolment_conflict(event, e.trainee, waiting_counts=False) is not None
    }
    moved, still = rules.move_up([e.id for e in waiting], free, skip)
    for enrolment_id in moved:
        by_id[enrolment_id].status = EnrolmentStatus.ENROLLED
        by_id[enrolment_id].waiting_position = None
    for position, enrolment_id in enumerate(still, start=1):
        if by_id[enrolment_id].waiting_position != position:
            by_id[enrolment_id].waiting_position = position
    db.session.flush()
    moved_up = [by_id[enrolment_id] for enrolment_id in moved]
    invite_to_sessions(event.scheduled_sessions, [enrolment.trainee for enrolment in moved_up])
    return moved_up
