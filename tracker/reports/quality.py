"""The Board's quality dashboard for a reporting year: how well meetings follow the guidance, quarter by
quarter. Every figure is an aggregate counted in SQL (GROUP BY), so the page makes the same few queries
however many meetings there are; only the deadlines that need working days are worked out in Python, over
one row per meeting or discussion of the year.

Figures about people (the Four Pillars, reviews, actions) leave Category 4 out, as every local statistic
does; figures about meetings (minutes, attendance, audits) count every held meeting.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from sqlmodel import col, select

from tracker.auth.models import Agency, AgencySector
from tracker.core.db import db
from tracker.core.pillars import Pillar
from tracker.core.timeutil import london, london_to_utc, today_london
from tracker.core.types import UTCDateTime
from tracker.meetings import rules as meeting_rules
from tracker.meetings.models import (
    Action,
    ActionStatus,
    AgendaItem,
    AgendaPurpose,
    AttendanceStatus,
    Case,
    Category,
    Invitation,
    Meeting,
    MeetingStatus,
    PillarEntry,
    PillarStatus,
)
from tracker.minutes import rules as minutes_rules
from tracker.minutes.models import Minutes, MinutesVersion
from tracker.reports import rules
from tracker.reports.models import AuditCriterion, AuditScore, AuditStatus, MeetingAudit
from tracker.reports.rules import Quarter, ReportingYear
from tracker.training.queries import DUE_SOON, register_counts
from tracker.training.rules import ChairState


@dataclass(frozen=True)
class Ratio:
    part: int = 0
    whole: int = 0

    @property
    def share(self) -> float | None:
        return rules.share(self.part, self.whole)

    def __add__(self, other: Ratio) -> Ratio:
        return Ratio(self.part + other.part, self.whole + other.whole)


@dataclass(frozen=True)
class Trend:
    """A share measured in each quarter of the year, and over the year as a whole."""

    key: str
    title: str
    counted: str  # what `whole` counts, for the table's heading
    quarters: list[Ratio]
    # A state at the end of each quarter (not events within it): the year is the latest quarter's.
    snapshot: bool = False

    @property
    def year(self) -> Ratio:
        if self.snapshot:
            return next((ratio for ratio in reversed(self.quarters) if ratio.whole), Ratio())
        return sum(self.quarters, Ratio())

    @property
    def year_label(self) -> str:
        return "Latest" if self.snapshot else "Year to date"


@dataclass(frozen=True)
class AgencyAttendance:
    name: str
    sector: AgencySector
    invited: int
    attended: int

    @property
    def share(self) -> float | None:
        return rules.share(self.attended, self.invited)

    @property
    def group(self) -> str:
        if self.sector.is_responsible_authority:
            return "Responsible Authority"
        return "Other" if self.sector is AgencySector.OTHER else "Duty to co-operate"


@dataclass(frozen=True)
class CriterionScore:
    criterion: AuditCriterion
    mean: float | None
    scored: int


@dataclass
class Dashboard:
    year: ReportingYear
    quarters: list[Quarter]
    begun: list[bool]
    trends: list[Trend]
    pillars: list[tuple[Pillar, Ratio, Ratio]]  # addressed, not applicable (of discussions)
    agencies: list[AgencyAttendance]
    chairs_now: dict[str, int]
    audit_criteria: list[CriterionScore]
    audit_quarters: list[tuple[float | None, int]]  # mean score, audits completed
    notes: dict[str, str] = field(default_factory=dict)

    def trend(self, key: str) -> Trend:
        return next(trend for trend in self.trends if trend.key == key)


# Quarters in SQL ---------------------------------------------------------------------------------------


def instant(day: date) -> datetime:
    """The start of a London day, in UTC."""
    return london_to_utc(day, time.min)


def _quarter_of_instant(column, year: ReportingYear):
    """Which quarter (1 to 4) a UTC timestamp falls in, London time; for rows already within the year."""
    starts = [instant(quarter.first_day) for quarter in rules.quarters(year)]
    return sa.case((column < starts[1], 1), (column < starts[2], 2), (column < starts[3], 3), else_=4)


def _quarter_of_day(column, year: ReportingYear):
    starts = [quarter.first_day for quarter in rules.quarters(year)]
    return sa.case((column < starts[1], 1), (column < starts[2], 2), (column < starts[3], 3), else_=4)


def held_in(year: ReportingYear, until: datetime) -> sa.ColumnElement[bool]:
    """Meetings held in the year, before `until` (a UTC instant)."""
    start = instant(year.first_day)
    end = min(instant(year.last_day + timedelta(days=1)), until)
    return sa.and_(Meeting.status == MeetingStatus.HELD, Meeting.starts_at >= start, Meeting.starts_at < end)


def _by_quarter(rows, part_index: int = 1, whole_index: int = 2) -> list[Ratio]:
    found = {row[0]: Ratio(int(row[part_index] or 0), int(row[whole_index] or 0)) for row in rows}
    return [found.get(number, Ratio()) for number in (1, 2, 3, 4)]


# The measures ------------------------------------------------------------------------------------------


def _pillars(year: ReportingYear, until: datetime) -> tuple[Trend, list[tuple[Pillar, Ratio, Ratio]]]:
    quarter = _quarter_of_instant(Meeting.starts_at, year)
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
        _by_quarter(rows),
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


def _reviews(year: ReportingYear, until: datetime) -> tuple[Trend, Trend]:
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


def _minutes(year: ReportingYear, until: datetime, today: date) -> Trend:
    """Minutes first distributed within the working days allowed; minutes not yet due are not counted,
    minutes overdue and not yet sent count as late."""
    first_sent = (
        select(sa.func.min(MinutesVersion.distributed_at))
        .join(Minutes, col(Minutes.id) == MinutesVersion.minutes_id)
        .where(Minutes.meeting_id == Meeting.id)
        .correlate(Meeting)
        .scalar_subquery()
    )
    rows = db.session.execute(select(Meeting.starts_at, first_sent).where(held_in(year, until))).all()
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


def _attendance(year: ReportingYear, until: datetime) -> tuple[list[AgencyAttendance], Trend, Trend]:
    """Invited agencies that were represented (present, or a named deputy went), where attendance was
    recorded at a held meeting."""
    represented = sa.or_(Invitation.attendance == AttendanceStatus.PRESENT, Invitation.deputy_name != "")
    quarter = _quarter_of_instant(Meeting.starts_at, year)
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


def _actions(year: ReportingYear, today: date) -> Trend:
    """Actions due in each quarter that were done by their due date, of those done or now overdue (actions
    dropped, or open and not yet due, are not counted)."""
    quarter = _quarter_of_day(Action.due_on, year)
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
    return Trend("actions", "Actions completed on time", "Actions due", _by_quarter(rows))


CHAIR_STATES = [
    "Trained",
    "Trained, CPD due soon",
    ChairState.CPD_LAPSED.label,
    ChairState.AWAITING_TRAINING.label,
]


def _chairs(year: ReportingYear, begun: list[bool], today: date) -> tuple[dict[str, int], Trend]:
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


def _audits(
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
    quarter = _quarter_of_instant(Meeting.starts_at, year)
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


def build(year: ReportingYear, today: date | None = None) -> Dashboard:
    """Every figure of the dashboard for the year, as it stood at the end of `today`."""
    today = today or today_london()
    until = instant(today + timedelta(days=1))
    quarters = rules.quarters(year)
    begun = [quarter.first_day <= today for quarter in quarters]
    pillar_trend, pillars = _pillars(year, until)
    reviews, initial = _reviews(year, until)
    agencies, ra, dtc = _attendance(year, until)
    chairs_now, chairs = _chairs(year, begun, today)
    criteria, audit_quarters = _audits(year, until)
    return Dashboard(
        year=year,
        quarters=quarters,
        begun=begun,
        trends=[
            pillar_trend,
            reviews,
            initial,
            _minutes(year, until, today),
            ra,
            dtc,
            _actions(year, today),
            chairs,
        ],
        pillars=pillars,
        agencies=agencies,
        chairs_now=chairs_now,
        audit_criteria=criteria,
        audit_quarters=audit_quarters,
    )
