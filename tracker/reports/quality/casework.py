"""The dashboard's figures about people (Category 4 left out): the Four Pillars, reviews on time, and
actions done by their due dates."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlmodel import select

from tracker.core.db import db
from tracker.core.pillars import Pillar
from tracker.core.timeutil import london
from tracker.meetings.models import (
    PillarStatus,
)
from tracker.reports import tallies
from tracker.reports.models import ActionTally, DiscussionTally, PillarTally, ReviewTally
from tracker.reports.quality.figures import (
    Ratio,
    Trend,
    by_quarter,
    quarter_of_day,
)
from tracker.reports.rules import ReportingYear

# The measures ------------------------------------------------------------------------------------------


def last_day_counted(year: ReportingYear, until: datetime) -> date:
    """The last day of the year whose meetings count, before `until` (the start of a London day)."""
    return min(year.last_day, london(until).date() - timedelta(days=1))


def pillar_measures(year: ReportingYear, until: datetime) -> tuple[Trend, list[tuple[Pillar, Ratio, Ratio]]]:
    """Discussions at held meetings with all Four Pillars recorded, and each pillar's entries by status,
    from the counts per day that `reports.tallies` keeps."""
    last = last_day_counted(year, until)
    discussions = DiscussionTally.__table__
    quarter = quarter_of_day(discussions.c.held_on, year)
    rows = db.session.execute(
        select(
            quarter,
            sa.func.sum(sa.case((discussions.c.all_pillars, discussions.c.discussions), else_=0)),
            sa.func.sum(discussions.c.discussions),
        )
        .where(discussions.c.held_on >= year.first_day, discussions.c.held_on <= last)
        .group_by(quarter)
    ).all()
    trend = Trend(
        "pillars",
        "Case discussions with all Four Pillars addressed or recorded as not applicable",
        "Case discussions",
        by_quarter(rows),
    )
    entries = PillarTally.__table__
    per_pillar = db.session.execute(
        select(entries.c.pillar, entries.c.status, sa.func.sum(entries.c.entries))
        .where(entries.c.held_on >= year.first_day, entries.c.held_on <= last)
        .group_by(entries.c.pillar, entries.c.status)
    ).all()
    counts: dict[str, dict[str, int]] = {}
    for pillar, status, count in per_pillar:
        counts.setdefault(pillar, {})[status] = int(count)
    pillars = []
    for pillar in Pillar:
        found = counts.get(pillar.name, {})
        total = sum(found.values())
        pillars.append(
            (
                pillar,
                Ratio(found.get(PillarStatus.ADDRESSED.name, 0), total),
                Ratio(found.get(PillarStatus.NOT_APPLICABLE.name, 0), total),
            )
        )
    return trend, pillars


def review_measures(year: ReportingYear, until: datetime) -> tuple[Trend, Trend]:
    """Reviews and initial meetings held by the date they were due (the rule of `meetings.rules`), from
    the counts per day that `reports.tallies` keeps: each discussion was compared with the case's previous
    discussion at a held meeting when it was recorded (and again whenever either changes)."""
    table = ReviewTally.__table__
    last = last_day_counted(year, until)
    quarter = quarter_of_day(table.c.held_on, year)
    rows = db.session.execute(
        select(
            table.c.kind,
            quarter,
            sa.func.sum(sa.case((table.c.on_time, table.c.discussions), else_=0)),
            sa.func.sum(table.c.discussions),
        )
        .where(table.c.held_on >= year.first_day, table.c.held_on <= last)
        .group_by(table.c.kind, quarter)
    ).all()
    reviews = by_quarter([row[1:] for row in rows if row[0] == tallies.REVIEW])
    initials = by_quarter([row[1:] for row in rows if row[0] == tallies.INITIAL])
    return (
        Trend("reviews", "Reviews held on time", "Reviews", reviews),
        Trend("initial", "Initial meetings held on time", "Initial meetings", initials),
    )


def action_measures(year: ReportingYear, today: date) -> Trend:
    """Actions due in each quarter that were done by their due date, of those done or now overdue (actions
    dropped, or open and not yet due, are not counted), from the counts per day `reports.tallies` keeps."""
    table = ActionTally.__table__
    quarter = quarter_of_day(table.c.due_on, year)
    counted = sa.or_(
        table.c.outcome.in_([tallies.ON_TIME, tallies.LATE]),
        sa.and_(table.c.outcome == tallies.OPEN, table.c.due_on < today),
    )
    rows = db.session.execute(
        select(
            quarter,
            sa.func.sum(sa.case((table.c.outcome == tallies.ON_TIME, table.c.actions), else_=0)),
            sa.func.sum(table.c.actions),
        )
        .where(table.c.due_on >= year.first_day, table.c.due_on <= year.last_day, counted)
        .group_by(quarter)
    ).all()
    return Trend("actions", "Actions completed on time", "Actions due", by_quarter(rows))
