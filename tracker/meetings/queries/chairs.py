"""The chair picker and the chair warnings read the chairs' register: where each chair stands (trained,
CPD current until, the levels their chair record allows)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlmodel import col, select

from tracker.auth.models import User, UserRole
from tracker.core.db import db
from tracker.core.permissions import Role
from tracker.meetings import chairing
from tracker.meetings.models import MEETING_LEVELS, ChairProfile


def chair_standings(user_ids, day: date | None = None) -> dict[int, chairing.ChairStanding]:
    """Each chair's standing on a day (today when not given): training and CPD from the chairs'
    register, the levels they may chair from their chair record. A fixed number of queries."""
    from tracker.training.queries import chair_statuses
    from tracker.training.rules import ChairState

    ids = list(set(user_ids))
    statuses = chair_statuses(ids, day)
    profiles = {
        p.user_id: p for p in db.session.exec(select(ChairProfile).where(col(ChairProfile.user_id).in_(ids)))
    }
    standings = {}
    for user_id, status in statuses.items():
        profile = profiles.get(user_id)
        levels = (
            None if profile is None else frozenset(lvl for lvl in MEETING_LEVELS if profile.may_chair(lvl))
        )
        standings[user_id] = chairing.ChairStanding(
            trained=status.state is not ChairState.AWAITING_TRAINING,
            cpd_current=status.state is ChairState.TRAINED,
            cpd_due_by=status.cpd_due_by,
            levels=levels,
        )
    return standings


@dataclass(frozen=True)
class ChairOption:
    """A chair the meeting form offers, with where they stand today."""

    user_id: int
    name: str
    agency: str
    standing: chairing.ChairStanding

    @property
    def label(self) -> str:
        return f"{self.name} ({self.agency}) – {chairing.chair_summary(self.standing)}"


def chair_options(today: date | None = None) -> list[ChairOption]:
    """Every active account with the chair role, by name, with their standing from the chairs' register
    (the chair picker)."""
    chairs = db.session.exec(
        select(User)
        .where(User.active, col(User.id).in_(select(UserRole.user_id).where(UserRole.role == Role.CHAIR)))
        .order_by(User.name, User.id)
    ).all()
    standings = chair_standings([chair.id for chair in chairs], today)
    return [ChairOption(c.id, c.name, c.agency.name, standings[c.id]) for c in chairs]


def trained_chairs_without_accounts(today: date | None = None) -> int:
    """How many chairs on the register are trained and current but have no account, so cannot be
    chosen yet (the TRSG can invite them to make one)."""
    from tracker.training.queries import chairs_register_statement
    from tracker.training.rules import ChairState

    register = chairs_register_statement(ChairState.TRAINED.name, today=today).subquery()
    return (
        db.session.scalar(select(sa.func.count()).select_from(register).where(register.c.user_id.is_(None)))
        or 0
    )
