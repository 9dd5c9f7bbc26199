"""The dashboard's figures about held meetings: minutes on time, attendance by agency, chairs' training
and the quality audits' scores."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import col, select

from tracker.auth.models import Agency, AgencySector
from tracker.core.db import db
from tracker.core.timeutil import london
from tracker.meetings.models import (
    AttendanceStatus,
    Invitation,
    Meeting,
)
from tracker.minutes import rules as minutes_rules
from tracker.minutes.models import Minutes, MinutesVersion
from tracker.reports import rules
from tracker.reports.models import AuditCriterion, AuditScore, AuditStatus, MeetingAudit
from tracker.reports.quality.figures import (
    AgencyAttendance,
    CriterionScore,
    Ratio,
    Trend,
    held_in,
    quarter_of_instant,
)
from tracker.reports.rules import ReportingYear
from tracker.training.queries import DUE_SOON, register_counts
from tracker.training.rules import ChairState


def minute_measures(year: ReportingYear, until: datetime, today: date) -> Trend:
    """Minutes first distributed within the working days allowed; minutes not yet due are not counted,
    minutes overdue and not yet sent count as late. Meetings brought in from the area's records are left
    out: their minutes were never sent through the tracker."""
    first_sent = (
        select(sa.func.min(MinutesVersion.distributed_at))
        .join(Minutes, col(Minutes.id) == MinutesVersion.minutes_id)
        .where(Minutes.meeting_id == Meeting.id)
        .correlate(Meeting)
        .scalar_subquery()
    )
    rows = db.session.execute(
        select(Meeting.starts_at, first_sent).where(held_in(year, until), sa.not_(Meeting.imported))
    ).all()
    days = minutes_rules.working_days_setting()
    tallies = {n: [0, 0] for n in (1, 2, 3, 4)}
    for starts_at, sent_at in rows:
        held_on = london(starts_at).date()
        due = minutes_rules.distribution_due_on(held_on, days)
        state = minutes_rules.timeliness(due, london(sent_at).date() if sent_at else None, today)
        if state is minutes_rules.Timeliness.DUE:
            continue
        tally = tallies[rules.quarter_of(held_on).number]
        tally[0] += state is minutes_rules.Timeliness.ON_TIME
        tally[1] += 1
    return Trend(
        "minutes",
        "Minutes distributed on time",
        "Meetings",
        [Ratio(*tallies[n]) for n in (1, 2, 3, 4)],
    )


def attendance_measures(year: ReportingYear, until: datetime) -> tuple[list[AgencyAttendance], Trend, Trend]:
    """Invited agencies that were represented (present, or a named deputy went), where attendance was
    recorded at a held meeting."""
    represented = sa.or_(Invitation.attendance == AttendanceStatus.PRESENT, Invitation.deputy_name != "")
    quarter = quarter_of_instant(Meeting.starts_at, year)
    rows = db.session.execute(
        select(
            Agency.name,
            Agency.sector,
            quarter,
            sa.func.sum(sa.case((represented, 1), else_=0)),
            sa.func.count(),
        )
        .select_from(Invitation)
        .join(Meeting, col(Meeting.id) == Invitation.meeting_id)
        .join(Agency, col(Agency.id) == Invitation.agency_id)
        .where(held_in(year, until), col(Invitation.attendance).is_not(None))
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
        elif sector is not AgencySector.OTHER:
            dtc[number] += Ratio(attended, invited)
    listed = [
        AgencyAttendance(name, sector, invited, attended)
        for (name, sector), (attended, invited) in agencies.items()
    ]
    listed.sort(key=lambda a: (not a.sector.is_responsible_authority, a.sector is AgencySector.OTHER, a.name))
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
    now = register_counts(today)
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
    ratios = []
    for quarter, started in zip(rules.quarters(year), begun, strict=True):
        if not started:
            ratios.append(Ratio())
            continue
        then = register_counts(min(quarter.last_day, today))
        ratios.append(Ratio(then[ChairState.TRAINED.name], then["ALL"]))
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
    completed = sa.and_(held_in(year, until), MeetingAudit.status == AuditStatus.COMPLETED)
    by_criterion = dict(
        (criterion, (mean, count))
        for criterion, mean, count in db.session.execute(
            select(AuditScore.criterion, sa.func.avg(AuditScore.score), sa.func.count(AuditScore.score))
            .join(MeetingAudit, col(MeetingAudit.id) == AuditScore.audit_id)
            .join(Meeting, col(Meeting.id) == MeetingAudit.meeting_id)
            .where(completed)
            .group_by(AuditScore.criterion)
        ).all()
    )
    criteria = [
        CriterionScore(
            criterion,
            float(by_criterion[criterion][0])
            if criterion in by_criterion and by_criterion[criterion][1]
            else None,
            by_criterion.get(criterion, (None, 0))[1],
        )
        for criterion in AuditCriterion
    ]
    quarter = quarter_of_instant(Meeting.starts_at, year)
    rows = db.session.execute(
        select(quarter, sa.func.avg(AuditScore.score), sa.func.count(sa.distinct(MeetingAudit.id)))
        .select_from(MeetingAudit)
        .join(Meeting, col(Meeting.id) == MeetingAudit.meeting_id)
        .outerjoin(AuditScore, col(AuditScore.audit_id) == MeetingAudit.id)
        .where(completed)
        .group_by(quarter)
    ).all()
    found = {number: (float(mean) if mean is not None else None, count) for number, mean, count in rows}
    return criteria, [found.get(n, (None, 0)) for n in (1, 2, 3, 4)]
