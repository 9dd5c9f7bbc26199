"""Review deadlines in SQL, so that lists find reviews overdue or due soon without Python."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement
from sqlmodel import col, select

from tracker.core.timeutil import london_to_utc
from tracker.meetings import rules
from tracker.meetings.models import MEETING_LEVELS, AgendaItem, Case, CaseStatus, Meeting, MeetingStatus

# Deadlines in SQL ----------------------------------------------------------------------------------


def review_due_before(limit: date) -> sa.ColumnElement[bool]:
    """Cases still managed through meetings whose next meeting is due before `limit`.

    The same rule as `rules.review_due_on`, written for SQL: the initial meeting deadline (in working days)
    before the first meeting, then the earlier of the date the last meeting set and the longest interval.
    """
    per_level = []
    for level in MEETING_LEVELS:
        cutoff = rules.latest_referral_due_before(limit, rules.initial_working_days(level))
        interval_start = limit - timedelta(weeks=rules.review_weeks(level))
        per_level.append(
            sa.and_(
                Case.level == level,
                sa.or_(
                    sa.and_(col(Case.last_reviewed_on).is_(None), Case.referred_on <= cutoff),
                    sa.and_(
                        col(Case.last_reviewed_on).is_not(None),
                        sa.or_(Case.next_review_on < limit, Case.last_reviewed_on < interval_start),
                    ),
                ),
            )
        )
    return sa.and_(Case.status != CaseStatus.EXITED, sa.or_(*per_level))


def overdue_condition(today: date) -> sa.ColumnElement[bool]:
    return review_due_before(today)


def due_soon_condition(today: date) -> sa.ColumnElement[bool]:
    horizon = today + timedelta(days=rules.due_soon_days() + 1)
    return sa.and_(review_due_before(horizon), sa.not_(review_due_before(today)))


def start_of_day_utc(day: date) -> datetime:
    return london_to_utc(day, time.min)


def without_next_meeting_condition(today: date) -> sa.ColumnElement[bool]:
    """Cases managed through meetings that are on no scheduled meeting from today on."""
    upcoming = (
        select(AgendaItem.case_id)
        .join(Meeting, Meeting.id == AgendaItem.meeting_id)
        .where(Meeting.status == MeetingStatus.SCHEDULED, Meeting.starts_at >= start_of_day_utc(today))
    )
    return sa.and_(
        Case.status != CaseStatus.EXITED,
        col(Case.level).in_(MEETING_LEVELS),
        col(Case.id).not_in(upcoming),
    )


class _AddDays(FunctionElement):
    """A date plus a fixed number of days; each database spells date arithmetic its own way."""

    type = sa.Date()
    inherit_cache = True
    name = "add_days"


@compiles(_AddDays)
def _add_days(element, compiler, **kw):
    day, days = element.clauses
    return f"({compiler.process(day, **kw)} + {compiler.process(days, **kw)})"


@compiles(_AddDays, "sqlite")
def _add_days_sqlite(element, compiler, **kw):
    day, days = element.clauses
    return f"date({compiler.process(day, **kw)}, '+' || {compiler.process(days, **kw)} || ' days')"


def add_days(day: sa.ColumnElement, days: int) -> sa.ColumnElement:
    return _AddDays(day, sa.literal_column(str(int(days)), sa.Integer))


def review_due_key() -> sa.ColumnElement:
    """When each case is next due at a meeting, in SQL, to sort by (NULL for cases without meetings).

    The same rule as `case_review_due`: exact once a case has had a meeting. Before its first meeting the
    initial deadline counts its working days as weeks of five (20 working days as 28 days), so a bank
    holiday can move a case a day or two in the order; the date shown beside it is always exact.
    """
    whens = [(Case.status == CaseStatus.EXITED, None)]
    for level in MEETING_LEVELS:
        initial = add_days(Case.referred_on, -(-rules.initial_working_days(level) * 7 // 5))
        latest = add_days(Case.last_reviewed_on, rules.review_weeks(level) * 7)
        set_earlier = sa.and_(col(Case.next_review_on).is_not(None), Case.next_review_on < latest)
        whens += [
            (sa.and_(Case.level == level, col(Case.last_reviewed_on).is_(None)), initial),
            (Case.level == level, sa.case((set_earlier, Case.next_review_on), else_=latest)),
        ]
    return sa.case(*whens, else_=None)


def case_review_due(case: Case) -> date | None:
    """When this case is next due at a meeting (None if it is not managed through meetings)."""
    if not rules.needs_meetings(case.level, case.status):
        return None
    return rules.review_due_on(
        referred_on=case.referred_on,
        last_reviewed_on=case.last_reviewed_on,
        next_review_on=case.next_review_on,
        initial_days=rules.initial_working_days(case.level),
        interval_weeks=rules.review_weeks(case.level),
    )
