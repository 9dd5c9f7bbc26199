"""Loading a training record for a page: one loader per kind of object and what the page does with it.

Each finds the object or answers 404, and refuses (403) anyone who may not do that with it, so a view
cannot open a record without the check its action needs. Managing training is the TRSG's
(MANAGE_TRAINING); seeing one's own enrolments, sessions and certificates goes through `can_view`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import abort, g
from sqlalchemy.orm import selectinload
from sqlmodel import col, select

from tracker.core.db import db
from tracker.core.models import AuditEvent
from tracker.core.permissions import Permission, get_visible_or_404
from tracker.training.models import Course, CourseEvent, Enrolment, EnrolmentImport, Trainee, TrainingSession
from tracker.training.services.common import UPLOAD_ENROLLED, upload_named


def _managing() -> None:
    if not g.user.can(Permission.MANAGE_TRAINING):
        abort(403)


def _load_event(event_id: int) -> CourseEvent:
    event = db.session.exec(
        select(CourseEvent)
        .where(CourseEvent.id == event_id)
        .options(selectinload(CourseEvent.course), selectinload(CourseEvent.sessions))
    ).first()
    return event or abort(404)


def course_to_manage(course_id: int, *, active: bool = False) -> Course:
    """A course to change, or (`active`) to add an event to: only a course still running takes one."""
    _managing()
    course = db.session.get(Course, course_id)
    if course is None or (active and not course.active):
        abort(404)
    return course


def event_to_manage(event_id: int) -> CourseEvent:
    """An event with its course and sessions, for the TRSG."""
    _managing()
    return _load_event(event_id)


def event_to_view(event_id: int) -> CourseEvent:
    """An event with its course and sessions, for anyone who may see it (someone with a place on it)."""
    get_visible_or_404(CourseEvent, event_id)
    return _load_event(event_id)


def session_to_manage(session_id: int) -> TrainingSession:
    _managing()
    return db.session.get(TrainingSession, session_id) or abort(404)


def session_to_view(session_id: int) -> TrainingSession:
    return get_visible_or_404(TrainingSession, session_id)


def enrolment_to_manage(enrolment_id: int) -> Enrolment:
    _managing()
    return db.session.get(Enrolment, enrolment_id) or abort(404)


def enrolment_to_view(enrolment_id: int) -> Enrolment:
    return get_visible_or_404(Enrolment, enrolment_id)


def trainee_to_manage(trainee_id: int) -> Trainee:
    _managing()
    return db.session.get(Trainee, trainee_id) or abort(404)


def own_upload(upload_id: int) -> EnrolmentImport:
    """An uploaded file waiting to be confirmed: only the person who uploaded it may see or confirm it."""
    _managing()
    staged = db.session.get(EnrolmentImport, upload_id)
    if staged is None or staged.created_by_id != g.user.id:
        abort(404)
    return staged


@dataclass(frozen=True)
class UsedUpload:
    """An upload of one's own already confirmed: the event its people were enrolled on, and when."""

    event_id: int
    at: datetime


def used_upload(upload_id: int) -> UsedUpload | None:
    """The upload this person confirmed, if it is gone because they did (the trail's entry of it on the
    event); None while it waits to be confirmed, or when it never was theirs or was replaced unconfirmed."""
    _managing()
    if db.session.get(EnrolmentImport, upload_id) is not None:
        return None
    entry = db.session.exec(
        select(AuditEvent)
        .where(
            AuditEvent.action == UPLOAD_ENROLLED,
            AuditEvent.object_type == "CourseEvent",
            AuditEvent.user_id == g.user.id,
            col(AuditEvent.summary).startswith(upload_named(upload_id) + " ", autoescape=True),
        )
        .order_by(col(AuditEvent.at).desc())
        .limit(1)
    ).first()
    if entry is None or not (entry.object_id or "").isdigit():
        return None
    return UsedUpload(int(entry.object_id), entry.at)
