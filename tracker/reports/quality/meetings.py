"""The dashboard's figures about held meetings: minutes on time, attendance by agency, chairs' training
and the quality audits' scores. A meeting held only for Category 4 cases is not counted (the counts
`reports.meeting_tallies` keeps leave it out)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlmodel import col, select

from tracker.auth.models import Agency, AgencySector
from tracker.core.db import db
from tracker.core.timeutil import london
from tracker.minutes import rules as minutes_rules
from tracker.reports import meeting_tallies, rules
from tracker.reports.models import (
    AttendanceTally,
    AuditCriterion,
    AuditScoreTally,
    AuditTally,
    MinutesSentTally,
)
from tracker.reports.quality.figures import (
    AgencyAttendance,
    CriterionScore,
    Ratio,
    Trend,
    quarter_of_day,
)
from tracker.reports.rules import ReportingYear
from tracker.training.queries import DUE_SOON, register_counts_on
from tracker.training.rules import ChairState


def minute_measures(year: ReportingYear, until: datetime, today: date) -> Trend:
    """Minutes first distributed within the working days allowed; minutes not yet due are not counted,
    minutes overdue and not yet sent count as late. Meetings brought in from the area's records are left
    out: their minutes were never sent through the tracker. From the counts per day of meetings held that
    `reports.meeting_tallies` keeps (sent on time, late, or not yet)."""
    table = MinutesSentTally.__table__
    last = min(year.last_day, london(until).date() - timedelta(days=1))
    rows = db.session.execute(
        select(table.c.held_on, table.c.sent, table.c.meetings).where(
            table.c.held_on >= year.first_day, table.c.held_on <= last
        )
    ).all()
    days = minutes_rules.working_days_setting()
    counts = {n: [0, 0] for n in (1, 2, 3, 4)}
    for held_on, sent, meetings in rows:
        if sent == meeting_tallies.UNSENT:
            due = minutes_rules.distribution_due_on(held_on, days)
            if minutes_rules.timeliness(due, None, today) is minutes_rules.Timeliness.DUE:
                continue
        count = counts[rules.quarter_of(held_on).number]
        count[0] += meetings if sent == meeting_tallies.ON_TIME else 0
        count[1] += meetings
    return Trend(
        "minutes",
        "Minutes distributed on time",
        "Meetings",
        [Ratio(*counts[n]) for n in (1, 2, 3, 4)],
    )


def attendance_measures(year: ReportingYear, until: datetime) -> tuple[list[AgencyAttendance], Trend, Trend]:
    """Invited agencies that were represented (present, or a named deputy went), where attendance was
    recorded at a held meeting, from the counts per day and agency that `reports.meeting_tallies` keeps."""
    table = AttendanceTally.__table__
    quarter = quarter_of_day(table.c.held_on, year)
    last = min(year.last_day, london(until).date() - timedelta(days=1))
    rows = db.session.execute(
        select(
            Agency.name,
            Agency.sector,
            quarter,
            sa.func.sum(sa.case((table.c.represented, table.c.invitations), else_=0)),
            sa.func.sum(table.c.invitations),
        )
        .select_from(table)
        .join(Agency, col(Agency.id) == table.c.agency_id)
        .where(table.c.held_on >= year.first_day, table.c.held_on <= last)
        .group_by(Agency.name, Agency.sector, quarter)
    ).all()
    agencies: dict[tuple[str, AgencySector], list[int]] = {}
    ra = {n: Ratio() for n in (1, 2, 3, 4)}
    dtc = {n: Ratio() for n in (1, 2, 3, 4)}
    for name, sector, number, attended, invited in rows:
        total = agencies.setdefault((name, sector), [0, 0])
        total[0] += attended
        total[1] += invited
        if sector.is_responsible_authority:
            ra[number] += Ratio(attended, invited)
        elif sector.is_duty_to_cooperate:
            dtc[number] += Ratio(attended, invited)
    listed = [
        AgencyAttendance(name, sector, invited, attended)
        for (name, sector), (attended, invited) in agencies.items()
    ]
    listed.sort(
        key=lambda a: (not a.sector.is_responsible_authority, not a.sector.is_duty_to_cooperate, a.name)
    )
    return (
        listed,
        Trend(
            "ra-attendance",
            "Responsible Authority agencies represented",
            "Invitations",
            [ra[n] for n in (1, 2, 3, 4)],
        ),
        Trend(
            "dtc-attendance",
            "Duty-to-co-operate agencies represented",
            "Invitations",
            [dtc[n] for n in (1, 2, 3, 4)],
        ),
    )


CHAIR_STATES = [
    "Trained",
    "Trained, CPD due soon",
    ChairState.CPD_LAPSED.label,
    ChairState.AWAITING_TRAINING.label,
]


def chair_measures(year: ReportingYear, begun: list[bool], today: date) -> tuple[dict[str, int], Trend]:
    """Today's chairs by training and CPD status, as the chairs' register counts them (accounts and
    trained chairs without one alike), and the share of them trained with CPD current at the end of each
    quarter (today, for the quarter under way)."""
    # Today and the end of each quarter begun (today, for the one under way), in one pass over the register.
    quarters = rules.quarters(year)
    ends = [min(quarter.last_day, today) for quarter, started in zip(quarters, begun, strict=True) if started]
    now, *at_ends = register_counts_on([today, *ends])
    counts = dict(
        zip(
            CHAIR_STATES,
            [
                now[ChairState.TRAINED.name] - now[DUE_SOON],
                now[DUE_SOON],
                now[ChairState.CPD_LAPSED.name],
                now[ChairState.AWAITING_TRAINING.name],
            ],
            strict=True,
        )
    )
    counted = iter(at_ends)
    ratios = []
    for started in begun:
        then = next(counted) if started else None
        ratios.append(Ratio(then[ChairState.TRAINED.name], then["ALL"]) if then else Ratio())
    return counts, Trend(
        "chairs",
        "Chairs trained with CPD current (at the end of the quarter)",
        "Chairs",
        ratios,
        snapshot=True,
    )


def audit_measures(
    year: ReportingYear, until: datetime
) -> tuple[list[CriterionScore], list[tuple[float | None, int]]]:
    """The completed audits' mean score per criterion and per quarter (of every criterion scored), and
    the audits completed per quarter, from the counts per day that `reports.meeting_tallies` keeps."""
    last = min(year.last_day, london(until).date() - timedelta(days=1))
    scores, audits = AuditScoreTally.__table__, AuditTally.__table__
    by_day = quarter_of_day(scores.c.held_on, year)
    rows = db.session.execute(
        select(
            scores.c.criterion,
            by_day,
            sa.func.sum(scores.c.score * scores.c.scores),
            sa.func.sum(scores.c.scores),
        )
        .where(scores.c.held_on >= year.first_day, scores.c.held_on <= last)
        .group_by(scores.c.criterion, by_day)
    ).all()
    per_criterion: dict[str, list[int]] = {}
    per_quarter: dict[int, list[int]] = {}
    for name, number, total, count in rows:
        for sums in (per_criterion.setdefault(name, [0, 0]), per_quarter.setdefault(number, [0, 0])):
            sums[0] += int(total)
            sums[1] += int(count)
    criteria = []
    for criterion in AuditCriterion:
        total, count = per_criterion.get(criterion.name, (0, 0))
        criteria.append(CriterionScore(criterion, total / count if count else None, count))
    quarter = quarter_of_day(audits.c.held_on, year)
    completed = dict(
        db.session.execute(
            select(quarter, sa.func.sum(audits.c.audits))
            .where(audits.c.held_on >= year.first_day, audits.c.held_on <= last)
            .group_by(quarter)
        ).all()
    )
    quarters = []
    for number in (1, 2, 3, 4):
        total, count = per_quarter.get(number, (0, 0))
        quarters.append((total / count if count else None, int(completed.get(number) or 0)))
    return criteria, quarters
