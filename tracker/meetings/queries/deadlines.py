"""Review deadlines in SQL, so that lists find reviews overdue or due soon without Python."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from sqlmodel import col, select

from tracker.core.timeutil import london_to_utc
from tracker.meetings import rules
from tracker.meetings.models import AgendaItem, Case, Meeting, MeetingStatus

# Deadlines in SQL ----------------------------------------------------------------------------------


def review_due_before(limit: date) -> sa.ColumnElement[bool]:
    """Cases still managed through meetings whose next meeting is due before `limit`: a range of the
    stored due date's index (`tracker.meetings.tallies` keeps it to `rules.review_due_on`)."""
    return Case.review_due_on < limit


def overdue_condition(today: date) -> sa.ColumnElement[bool]:
    return review_due_before(today)


def due_soon_condition(today: date) -> sa.ColumnElement[bool]:
    horizon = today + timedelta(days=rules.due_soon_days() + 1)
    return sa.and_(Case.review_due_on >= today, Case.review_due_on < horizon)


def start_of_day_utc(day: date) -> datetime:
    return london_to_utc(day, time.min)


def upcoming_condition(today: date) -> sa.ColumnElement[bool]:
    """Meetings scheduled from today on."""
    return sa.and_(Meeting.status == MeetingStatus.SCHEDULED, Meeting.starts_at >= start_of_day_utc(today))


def without_next_meeting_condition(today: date) -> sa.ColumnElement[bool]:
    """Cases managed through meetings (those with a due date) that are on no scheduled meeting from today
    on. (The upcoming agenda items are listed once; asking of each case through its own items instead
    was five times slower for a chair's thousand cases.)"""
    upcoming = (
        select(AgendaItem.case_id)
        .join(Meeting, Meeting.id == AgendaItem.meeting_id)
        .where(upcoming_condition(today))
    )
    return sa.and_(col(Case.review_due_on).is_not(None), col(Case.id).not_in(upcoming))


def review_due_key() -> sa.ColumnElement:
    """When each case is next due at a meeting, to sort by (NULL for cases without meetings)."""
    return col(Case.review_due_on)


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
