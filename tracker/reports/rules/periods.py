"""The quarters of a reporting year (April to March)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from tracker.training.rules import ReportingYear, reporting_year_of

# Quarters of a reporting year ------------------------------------------------------------------------


@dataclass(frozen=True)
class Quarter:
    """A quarter of a reporting year: Q1 is April to June, Q4 January to March."""

    year: ReportingYear
    number: int

    @property
    def first_day(self) -> date:
        month = 4 + 3 * (self.number - 1)
        return date(self.year.start_year + (month - 1) // 12, (month - 1) % 12 + 1, 1)

    @property
    def last_day(self) -> date:
        if self.number == 4:
            return self.year.last_day
        return Quarter(self.year, self.number + 1).first_day - timedelta(days=1)

    @property
    def label(self) -> str:
        return f"Q{self.number} {self.year.label}"

    @property
    def months(self) -> str:
        return f"{self.first_day:%B} to {self.last_day:%B %Y}"

    def __contains__(self, day: date) -> bool:
        return self.first_day <= day <= self.last_day


def quarters(year: ReportingYear) -> list[Quarter]:
    return [Quarter(year, number) for number in (1, 2, 3, 4)]


def quarter_of(day: date) -> Quarter:
    year = reporting_year_of(day)
    return Quarter(year, (day.month - 4) % 12 // 3 + 1)
