"""The shapes of the quality dashboard's figures, and a reporting year's quarters in SQL."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa

from tracker.auth.models import AgencySector
from tracker.core.pillars import Pillar
from tracker.core.timeutil import london_to_utc
from tracker.meetings.models import (
    Meeting,
    MeetingStatus,
)
from tracker.reports import rules
from tracker.reports.models import AuditCriterion
from tracker.reports.rules import Quarter, ReportingYear


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
        return "Duty to co-operate" if self.sector.is_duty_to_cooperate else "Other"


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


def quarter_of_instant(column, year: ReportingYear):
    """Which quarter (1 to 4) a UTC timestamp falls in, London time; for rows already within the year."""
    starts = [instant(quarter.first_day) for quarter in rules.quarters(year)]
    return sa.case((column < starts[1], 1), (column < starts[2], 2), (column < starts[3], 3), else_=4)


def quarter_of_day(column, year: ReportingYear):
    starts = [quarter.first_day for quarter in rules.quarters(year)]
    return sa.case((column < starts[1], 1), (column < starts[2], 2), (column < starts[3], 3), else_=4)


def held_in(year: ReportingYear, until: datetime) -> sa.ColumnElement[bool]:
    """Meetings held in the year, before `until` (a UTC instant)."""
    start = instant(year.first_day)
    end = min(instant(year.last_day + timedelta(days=1)), until)
    return sa.and_(Meeting.status == MeetingStatus.HELD, Meeting.starts_at >= start, Meeting.starts_at < end)


def by_quarter(rows, part_index: int = 1, whole_index: int = 2) -> list[Ratio]:
    found = {row[0]: Ratio(int(row[part_index] or 0), int(row[whole_index] or 0)) for row in rows}
    return [found.get(number, Ratio()) for number in (1, 2, 3, 4)]
