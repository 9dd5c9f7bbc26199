"""The annual report counts every person's history in one pass over plain rows (`rules.count_rows`), as
the database hands them over; it must give exactly what the rules give person by person (`count_year`)."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from tracker.meetings.models import CaseEventKind, Category, Level
from tracker.reports import rules
from tracker.reports.rules import HistoryEvent, ReportingYear

YEAR = ReportingYear(2024)
KINDS = list(CaseEventKind)
LEVELS = [Level.LEVEL_1, Level.LEVEL_2, Level.LEVEL_2, Level.LEVEL_3]


def random_history(rng: random.Random) -> list[HistoryEvent]:
    """Any order of events, several on one day, some starting with a level change or an exit: the
    one-pass count must follow the rules even for histories no one would record."""
    day = date(2022, 1, 1) + timedelta(days=rng.randint(0, 1300))
    events = []
    for _ in range(rng.randint(1, 7)):
        day += timedelta(days=rng.choice([0, 0, 1, 30, 200, 400]))
        events.append(HistoryEvent(day, rng.choice(KINDS), rng.choice(LEVELS)))
    return events


def as_rows(people):
    """The rows as the database returns them: names for the enumerations, in order."""
    return [
        (number, category.name, event.occurred_on, event.kind.name, event.level.name)
        for number, (category, events) in enumerate(people)
        for event in events
        if event.occurred_on <= YEAR.last_day
    ]


@pytest.mark.parametrize("seed", range(5))
def test_one_pass_over_rows_counts_what_the_rules_count_person_by_person(seed):
    rng = random.Random(seed)
    people = [(rng.choice(list(Category)), random_history(rng)) for _ in range(2_000)]
    expected = rules.count_year(people, YEAR)
    counted = rules.count_rows(as_rows(people), YEAR.first_day, YEAR.last_day)
    assert counted == expected
    assert sum(counted.over_year.values()) > 0 and sum(counted.recalled.values()) > 0


def test_one_pass_accepts_days_as_iso_text_as_sqlite_returns_them():
    rng = random.Random(7)
    people = [(Category.CATEGORY_2, random_history(rng)) for _ in range(500)]
    rows = [(n, c, day.isoformat(), k, lv) for n, c, day, k, lv in as_rows(people)]
    counted = rules.count_rows(rows, YEAR.first_day.isoformat(), YEAR.last_day.isoformat())
    assert counted == rules.count_year(people, YEAR)


def test_no_rows_count_no_one():
    assert rules.count_rows([], YEAR.first_day, YEAR.last_day) == rules.YearCounts()
