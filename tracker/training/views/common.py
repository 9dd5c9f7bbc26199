"""Pieces several training views share: loading an event, flash messages, certificates, file names."""

from __future__ import annotations

import re

from flask import abort
from sqlalchemy.orm import selectinload
from sqlmodel import select

from tracker.core.db import db
from tracker.training import rules
from tracker.training.models import (
    CourseEvent,
    Enrolment,
    EnrolmentStatus,
)


def certificate_kind(enrolment: Enrolment) -> str | None:
    return rules.certificate_kind(
        enrolment.event.is_chair_course,
        enrolment.status is EnrolmentStatus.COMPLETED,
        enrolment.sessions_attended,
    )


def event_or_404(event_id: int) -> CourseEvent:
    event = db.session.exec(
        select(CourseEvent)
        .where(CourseEvent.id == event_id)
        .options(selectinload(CourseEvent.course), selectinload(CourseEvent.sessions))
    ).first()
    return event or abort(404)


def saved_message(message: str, moved: list[Enrolment]) -> str:
    if moved:
        names = ", ".join(enrolment.trainee.name for enrolment in moved)
        message += f" Moved up from the waiting list: {names}."
    return message


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "event"
