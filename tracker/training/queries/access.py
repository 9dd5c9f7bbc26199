"""Who may see which enrolment, event and session, as WHERE clauses and per object."""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import col, select

from tracker.auth.models import User
from tracker.core.db import db
from tracker.core.permissions import Permission
from tracker.training.models import ON_REGISTER, CourseEvent, Enrolment, Trainee, TrainingSession

# Who may see which enrolment --------------------------------------------------------------------


def visible_enrolments(user: User) -> sa.ColumnElement[bool]:
    """Which enrolments a person may see, as a condition on a query joined to Trainee: the TRSG sees
    every one; anyone else with a training record only their own."""
    if user.can(Permission.MANAGE_TRAINING):
        return sa.true()
    if user.can(Permission.VIEW_OWN_TRAINING):
        return Trainee.user_id == user.id
    return sa.false()


def enrolment_visible(enrolment: Enrolment, user: User) -> bool:
    """The same rule for one enrolment (certificates), asked of the database."""
    statement = (
        select(Enrolment.id).join(Trainee).where(Enrolment.id == enrolment.id, visible_enrolments(user))
    )
    return db.session.scalar(statement) is not None


def visible_events(user: User) -> sa.ColumnElement[bool]:
    """Which events (and their sessions) a person may see, as a condition on CourseEvent: the TRSG
    every one; anyone else with a training record those they have a place on."""
    if user.can(Permission.MANAGE_TRAINING):
        return sa.true()
    if not user.can(Permission.VIEW_OWN_TRAINING):
        return sa.false()
    mine = (
        select(Enrolment.event_id)
        .join(Trainee, col(Trainee.id) == Enrolment.trainee_id)
        .where(Trainee.user_id == user.id, col(Enrolment.status).in_(ON_REGISTER))
    )
    return col(CourseEvent.id).in_(mine)


def event_visible(event: CourseEvent, user: User) -> bool:
    statement = select(CourseEvent.id).where(CourseEvent.id == event.id, visible_events(user))
    return db.session.scalar(statement) is not None


def session_visible(session: TrainingSession, user: User) -> bool:
    statement = select(CourseEvent.id).where(CourseEvent.id == session.event_id, visible_events(user))
    return db.session.scalar(statement) is not None
