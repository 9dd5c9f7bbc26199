"""What the casework panel of the home page shows: this week's meetings, reviews due and overdue actions."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager
from sqlmodel import col, select

from tracker.auth.models import User
from tracker.core.db import db
from tracker.core.timeutil import LONDON
from tracker.meetings import access, rules, tallies
from tracker.meetings.models import (
    Action,
    ActionStatus,
    AgendaItem,
    Case,
    Invitation,
    Meeting,
    MeetingStatus,
    action_due_in_force,
)
from tracker.meetings.queries.deadlines import (
    due_soon_condition,
    overdue_condition,
    review_due_key,
    start_of_day_utc,
    upcoming_condition,
    without_next_meeting_condition,
)

# The dashboard -------------------------------------------------------------------------------------


def week_bounds(today: date) -> tuple[datetime, datetime]:
    monday = today - timedelta(days=today.weekday())
    return start_of_day_utc(monday), start_of_day_utc(monday + timedelta(days=7))


def my_meetings_this_week(user: User, today: date) -> list[Meeting]:
    start, end = week_bounds(today)
    invited = select(Invitation.meeting_id).where(Invitation.user_id == user.id)
    statement = (
        select(Meeting)
        .where(
            access.meeting_condition(user),
            sa.or_(
                Meeting.chair_id == user.id, Meeting.administrator_id == user.id, col(Meeting.id).in_(invited)
            ),
            Meeting.starts_at >= start,
            Meeting.starts_at < end,
            Meeting.status != MeetingStatus.CANCELLED,
        )
        .order_by(Meeting.starts_at)
    )
    return list(db.session.exec(statement))


def count_cases(user: User, **conditions: sa.ColumnElement[bool]) -> dict[str, int]:
    """How many of this person's own cases (`access.working_case_condition`) meet each condition, counted in
    one pass."""
    counts = [sa.func.count().filter(condition).label(name) for name, condition in conditions.items()]
    statement = select(*counts).select_from(Case).where(access.working_case_condition(user))
    row = db.session.execute(statement).one()
    return dict(row._mapping)


def case_counts(user: User, today: date) -> dict[str, int]:
    """How many of the cases this person sees are overdue, due soon and on no scheduled meeting, in one
    query, and (`seen`) how many they see at all, None for someone who sees the whole area. For someone
    who sees every case the first two are added up from the counts kept per day, and the third is the
    cases managed through meetings less those on one from today on; otherwise the person's own cases are
    counted."""
    horizon = today + timedelta(days=rules.due_soon_days() + 1)
    if not access.sees_all(user):
        return count_cases(
            user,
            overdue=overdue_condition(today),
            due_soon=due_soon_condition(today),
            no_meeting=without_next_meeting_condition(today),
            seen=sa.true(),
        )
    kept = tallies.due_counts(today, horizon, category_4=user.terrorism_cleared).subquery()
    on_a_meeting = (
        select(sa.func.count(sa.distinct(AgendaItem.case_id)))
        .join(Meeting, Meeting.id == AgendaItem.meeting_id)
        .join(Case, Case.id == AgendaItem.case_id)
        .where(
            upcoming_condition(today),
            col(Case.review_due_on).is_not(None),
            access.category_condition(user),
        )
        .scalar_subquery()
    )
    row = db.session.execute(
        select(kept.c.overdue, kept.c.due_soon, (kept.c.managed - on_a_meeting).label("no_meeting"))
    ).one()
    return {"overdue": row.overdue, "due_soon": row.due_soon, "no_meeting": row.no_meeting, "seen": None}


def first_cases(user: User, condition: sa.ColumnElement[bool], limit: int = 5) -> list[Case]:
    statement = (
        select(Case)
        .where(access.working_case_condition(user), condition)
        .order_by(review_due_key(), Case.id)
        .limit(limit)
    )
    return list(db.session.exec(statement))


def my_overdue_actions(user: User, today: date, limit: int = 5) -> tuple[int, list[Action]]:
    """How many of this person's actions on the cases they see are overdue, and the first few with their
    case, in one query (the count is a window over every row, taken before the limit)."""
    due = action_due_in_force()
    condition = sa.and_(Action.owner_id == user.id, Action.status == ActionStatus.OPEN, due < today)
    rows = db.session.execute(
        select(Action, sa.func.count().over().label("total"))
        .join(Action.case)
        .where(access.working_case_condition(user), condition)
        .order_by(due, Action.id)
        .limit(limit)
        .options(contains_eager(Action.case))
    ).all()
    return (rows[0].total if rows else 0), [row.Action for row in rows]


def local_day(moment: datetime) -> date:
    return moment.astimezone(LONDON).date()
