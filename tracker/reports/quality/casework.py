"""The dashboard's figures about people (Category 4 left out): the Four Pillars, reviews on time, and
actions done by their due dates."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlmodel import col, select

from tracker.core.db import db
from tracker.core.pillars import Pillar
from tracker.core.timeutil import london
from tracker.core.types import UTCDateTime
from tracker.meetings import rules as meeting_rules
from tracker.meetings.models import (
    Action,
    ActionStatus,
    AgendaItem,
    AgendaPurpose,
    Case,
    Category,
    Meeting,
    MeetingStatus,
    PillarEntry,
    PillarStatus,
)
from tracker.reports import rules
from tracker.reports.quality.figures import (
    Ratio,
    Trend,
    by_quarter,
    held_in,
    instant,
    quarter_of_day,
    quarter_of_instant,
)
from tracker.reports.rules import ReportingYear

# The measures ------------------------------------------------------------------------------------------


def pillar_measures(year: ReportingYear, until: datetime) -> tuple[Trend, list[tuple[Pillar, Ratio, Ratio]]]:
    quarter = quarter_of_instant(Meeting.starts_at, year)
    recorded = (
        select(sa.func.count())
        .where(PillarEntry.agenda_item_id == AgendaItem.id, PillarEntry.status != PillarStatus.OUTSTANDING)
        .correlate(AgendaItem)
        .scalar_subquery()
    )
    items = (
        select(quarter.label("quarter"), recorded.label("recorded"))
        .select_from(AgendaItem)
        .join(Meeting, col(Meeting.id) == AgendaItem.meeting_id)
        .join(Case, col(Case.id) == AgendaItem.case_id)
        .where(held_in(year, until), Case.category != Category.CATEGORY_4)
        .subquery()
    )
    rows = db.session.execute(
        select(
            items.c.quarter,
            sa.func.sum(sa.case((items.c.recorded >= len(Pillar), 1), else_=0)),
            sa.func.count(),
        ).group_by(items.c.quarter)
    ).all()
    trend = Trend(
        "pillars",
        "Case discussions with all Four Pillars addressed or recorded as not applicable",
        "Case discussions",
        by_quarter(rows),
    )
    per_pillar = db.session.execute(
        select(PillarEntry.pillar, PillarEntry.status, sa.func.count())
        .join(AgendaItem, col(AgendaItem.id) == PillarEntry.agenda_item_id)
        .join(Meeting, col(Meeting.id) == AgendaItem.meeting_id)
        .join(Case, col(Case.id) == AgendaItem.case_id)
        .where(held_in(year, until), Case.category != Category.CATEGORY_4)
        .group_by(PillarEntry.pillar, PillarEntry.status)
    ).all()
    counts: dict[Pillar, dict[PillarStatus, int]] = {}
    for pillar, status, count in per_pillar:
        counts.setdefault(pillar, {})[status] = count
    pillars = []
    for pillar in Pillar:
        found = counts.get(pillar, {})
        total = sum(found.values())
        pillars.append(
            (
                pillar,
                Ratio(found.get(PillarStatus.ADDRESSED, 0), total),
                Ratio(found.get(PillarStatus.NOT_APPLICABLE, 0), total),
            )
        )
    return trend, pillars


def review_measures(year: ReportingYear, until: datetime) -> tuple[Trend, Trend]:
    """Reviews and initial meetings held by the date they were due (the rule of `meetings.rules`).

    Each discussion is compared with the case's previous discussion at a held meeting (found with a
    window function): a review was due by the earlier of the date that meeting set and the longest
    interval for the level; a first discussion that was an initial meeting was due within the working
    days allowed after referral.
    """
    end = min(instant(year.last_day + timedelta(days=1)), until)
    ordering = (col(Meeting.starts_at), col(AgendaItem.id))
    # The year's cases as a derived table that drives the join (each case's history through the case_id
    # index): written as `case_id IN (...)`, SQLite probed every held meeting's items once per case listed.
    year_cases = (
        select(AgendaItem.case_id)
        .join(Meeting, col(Meeting.id) == AgendaItem.meeting_id)
        .where(held_in(year, until))
        .distinct()
        .subquery()
    )
    history = (
        select(
            AgendaItem.case_id,
            AgendaItem.purpose,
            AgendaItem.level_considered,
            Meeting.starts_at,
            Case.referred_on,
            sa.func.lag(Meeting.starts_at, type_=UTCDateTime)
            .over(partition_by=AgendaItem.case_id, order_by=ordering)
            .label("before"),
            sa.func.lag(AgendaItem.next_review_on, type_=sa.Date)
            .over(partition_by=AgendaItem.case_id, order_by=ordering)
            .label("review_set"),
        )
        .select_from(year_cases)
        .join(AgendaItem, col(AgendaItem.case_id) == year_cases.c.case_id)
        .join(Meeting, col(Meeting.id) == AgendaItem.meeting_id)
        .join(Case, col(Case.id) == AgendaItem.case_id)
        .where(
            Meeting.status == MeetingStatus.HELD,
            Meeting.starts_at < end,
            Case.category != Category.CATEGORY_4,
        )
        .subquery()
    )
    rows = db.session.execute(select(history).where(history.c.starts_at >= instant(year.first_day))).all()
    reviews: dict[int, list[int]] = {n: [0, 0] for n in (1, 2, 3, 4)}
    initials: dict[int, list[int]] = {n: [0, 0] for n in (1, 2, 3, 4)}
    for row in rows:
        level = row.level_considered
        if level not in rules.MEETING_LEVELS:
            continue
        held_on = london(row.starts_at).date()
        before = london(row.before).date() if row.before else None
        if before is None and row.purpose is not AgendaPurpose.INITIAL:
            continue  # first seen at a review: what came before is not in the tracker
        due = meeting_rules.review_due_on(
            referred_on=row.referred_on,
            last_reviewed_on=before,
            next_review_on=row.review_set,
            initial_days=meeting_rules.initial_working_days(level),
            interval_weeks=meeting_rules.review_weeks(level),
        )
        tally = (initials if before is None else reviews)[rules.quarter_of(held_on).number]
        tally[0] += held_on <= due
        tally[1] += 1
    return (
        Trend("reviews", "Reviews held on time", "Reviews", [Ratio(*reviews[n]) for n in (1, 2, 3, 4)]),
        Trend(
            "initial",
            "Initial meetings held on time",
            "Initial meetings",
            [Ratio(*initials[n]) for n in (1, 2, 3, 4)],
        ),
    )


def action_measures(year: ReportingYear, today: date) -> Trend:
    """Actions due in each quarter that were done by their due date, of those done or now overdue (actions
    dropped, or open and not yet due, are not counted)."""
    quarter = quarter_of_day(Action.due_on, year)
    on_time = sa.and_(
        Action.status == ActionStatus.DONE,
        col(Action.completed_on).is_not(None),
        Action.completed_on <= Action.due_on,
    )
    counted = sa.or_(
        sa.and_(Action.status == ActionStatus.DONE, col(Action.completed_on).is_not(None)),
        sa.and_(Action.status == ActionStatus.OPEN, Action.due_on < today),
    )
    rows = db.session.execute(
        select(quarter, sa.func.sum(sa.case((on_time, 1), else_=0)), sa.func.count())
        .select_from(Action)
        .join(Case, col(Case.id) == Action.case_id)
        .where(
            Action.due_on >= year.first_day,
            Action.due_on <= year.last_day,
            Case.category != Category.CATEGORY_4,
            counted,
        )
        .group_by(quarter)
    ).all()
    return Trend("actions", "Actions completed on time", "Actions due", by_quarter(rows))
