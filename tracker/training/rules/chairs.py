"""Reporting years, counting months, the CPD lapse, and a chair's status on the register."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

from tracker.core import settings
from tracker.core.pillars import Pillar
from tracker.core.types import LabelledEnum

CPD_LAPSE_MONTHS = settings.define(
    "cpd_lapse_months",
    12,
    "Months without CPD before a chair's CPD lapses",
    hint="A trained chair with no CPD (a Chairs' Forum, development day or briefing) for this long is "
    "shown as 'CPD lapsed' on the chairs' register and in meetings.",
    group="Training",
    minimum=1,
    maximum=60,
)
CPD_WARNING_MONTHS = settings.define(
    "cpd_warning_months",
    2,
    "Months' warning before a chair's CPD lapses",
    hint="Chairs whose CPD lapses within this many months are listed as reminders.",
    group="Training",
    minimum=0,
    maximum=24,
)

# Reporting years ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportingYear:
    """The year the SMB reports on: 1 April to 31 March, named by its first year ("2024/25")."""

    start_year: int

    @property
    def first_day(self) -> date:
        return date(self.start_year, 4, 1)

    @property
    def last_day(self) -> date:
        return date(self.start_year + 1, 3, 31)

    @property
    def label(self) -> str:
        return f"{self.start_year}/{(self.start_year + 1) % 100:02d}"

    @property
    def slug(self) -> str:
        """The year as a file name has it: "2024-25"."""
        return self.label.replace("/", "-")

    def __contains__(self, day: date) -> bool:
        return self.first_day <= day <= self.last_day


def reporting_year_of(day: date) -> ReportingYear:
    """The reporting year a day falls in: 31 March belongs to the year before, 1 April starts a new one."""
    return ReportingYear(day.year if day.month >= 4 else day.year - 1)


# Months and the CPD lapse ------------------------------------------------------------------------


def months_before(day: date, months: int) -> date:
    """The same day `months` earlier; the last day of that month when it is shorter (31 May → 30 April)."""
    return months_after(day, -months)


def months_after(day: date, months: int) -> date:
    """The same day `months` later; the last day of that month when it is shorter (31 Jan → 28 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def lapses_on(reference: date, months: int) -> date:
    """The first day on which CPD dated `reference` is more than `months` old.

    The same day `months` later; when that month has no such day (31 January + 1 month), the first day
    of the month after. This is exactly the first day `d` with `months_before(d, months) >= reference`,
    which is how the chairs' register filters in SQL.
    """
    index = reference.year * 12 + reference.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    if reference.day <= calendar.monthrange(year, month)[1]:
        return date(year, month, reference.day)
    return date(year + month // 12, month % 12 + 1, 1)


@dataclass(frozen=True)
class CpdThresholds:
    """The chair rule as two dates for queries: CPD (or training) on or before `lapsed_if_on_or_before`
    has lapsed today; on or before `due_soon_if_on_or_before`, it lapses within the warning window."""

    lapsed_if_on_or_before: date
    due_soon_if_on_or_before: date


def cpd_thresholds(today: date, lapse_months: int, warning_months: int) -> CpdThresholds:
    """Thresholds equivalent to `chair_status` (since `lapses_on(r, n) <= d` exactly when
    `r <= months_before(d, n)`)."""
    return CpdThresholds(
        lapsed_if_on_or_before=months_before(today, lapse_months),
        due_soon_if_on_or_before=months_before(months_after(today, warning_months), lapse_months),
    )


class ChairState(LabelledEnum):
    TRAINED = "Trained"
    AWAITING_TRAINING = "Awaiting training"
    CPD_LAPSED = "CPD lapsed"


@dataclass(frozen=True)
class ChairStatus:
    """Where a chair stands: trained and current, awaiting training, or trained with CPD lapsed."""

    state: ChairState
    completed_on: date | None = None
    last_cpd_on: date | None = None
    last_cpd_pillar: Pillar | None = None
    # The day CPD lapses (or lapsed); None while awaiting training.
    cpd_due_by: date | None = None
    # Trained and current, but CPD lapses within the warning window: a reminder is due.
    cpd_due_soon: bool = False

    @property
    def may_chair(self) -> bool:
        return self.state is ChairState.TRAINED

    @property
    def label(self) -> str:
        return "Trained, CPD due soon" if self.cpd_due_soon else self.state.label


def chair_status(
    completed_on: date | None,
    last_cpd_on: date | None,
    today: date,
    lapse_months: int,
    warning_months: int = 0,
    *,
    trained_without_record: bool = False,
    last_cpd_pillar: Pillar | None = None,
) -> ChairStatus:
    """A chair's status from the day they completed chair training and the day of their last CPD.

    Completing the course starts the CPD clock: CPD lapses `lapse_months` after the later of the two.
    `trained_without_record` is an account marked trained before the tracker held the training (the
    date is unknown, so only recorded CPD keeps them current).
    """
    if completed_on is None and not trained_without_record:
        return ChairStatus(
            ChairState.AWAITING_TRAINING, last_cpd_on=last_cpd_on, last_cpd_pillar=last_cpd_pillar
        )
    known = [day for day in (completed_on, last_cpd_on) if day is not None]
    if not known:
        return ChairStatus(ChairState.CPD_LAPSED)
    due_by = lapses_on(max(known), lapse_months)
    common = {
        "completed_on": completed_on,
        "last_cpd_on": last_cpd_on,
        "last_cpd_pillar": last_cpd_pillar,
        "cpd_due_by": due_by,
    }
    if today >= due_by:
        return ChairStatus(ChairState.CPD_LAPSED, **common)
    # Due soon: it will have lapsed `warning_months` from today. Said this way, the register can ask
    # the same question in SQL (see `cpd_thresholds`).
    due_soon = warning_months > 0 and due_by <= months_after(today, warning_months)
    return ChairStatus(ChairState.TRAINED, cpd_due_soon=due_soon, **common)
