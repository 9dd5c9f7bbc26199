"""A person's dated history, and who counts in the annual report's tables from it, so that any past
year gives the same answer."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from tracker.meetings.models import CaseEventKind, Category, Level
from tracker.reports.rules.tables import MEETING_LEVELS, REPORT_CATEGORIES
from tracker.training.rules import ReportingYear

# A person's history: who counts in the annual report -------------------------------------------------


@dataclass(frozen=True)
class HistoryEvent:
    """One dated entry of a person's MAPPA history (a `CaseEvent`)."""

    occurred_on: date
    kind: CaseEventKind
    level: Level


class State:
    ACTIVE = "in the community"
    IN_CUSTODY = "in custody"
    EXITED = "exited"


_STATE_AFTER = {
    CaseEventKind.REFERRED: State.ACTIVE,
    CaseEventKind.RELEASED: State.ACTIVE,
    CaseEventKind.RECALLED: State.IN_CUSTODY,
    CaseEventKind.CUSTODY_OTHER: State.IN_CUSTODY,
    CaseEventKind.EXITED: State.EXITED,
}


def state_after(state: tuple[str, Level] | None, event: HistoryEvent) -> tuple[str, Level]:
    """(state, level) once the event has happened: a level change keeps the person where they are."""
    if event.kind is CaseEventKind.LEVEL_CHANGED:
        return (state[0] if state else State.ACTIVE), event.level
    return _STATE_AFTER[event.kind], event.level


def state_on(events: Sequence[HistoryEvent], day: date) -> tuple[str, Level] | None:
    """Where the person stood at the end of `day`: (state, level) after every event dated on or before it,
    taken in the order they happened. None before their first referral."""
    state = None
    for event in events:
        if event.occurred_on > day:
            break
        state = state_after(state, event)
    return state


def _end_of_day_states(events: Sequence[HistoryEvent], first: date, last: date) -> list[tuple[str, Level]]:
    """The person's state at the end of `first`, and at the end of each later day in the period on which
    something happened. A state replaced the same day (referred at Level 2 and raised to Level 3 that
    afternoon) never held at the end of a day, so it does not count. One pass over the events."""
    states = []
    state = None
    index, count = 0, len(events)
    while index < count and events[index].occurred_on <= first:
        state = state_after(state, events[index])
        index += 1
    if state is not None:
        states.append(state)
    while index < count and events[index].occurred_on <= last:
        day = events[index].occurred_on
        while index < count and events[index].occurred_on == day:
            state = state_after(state, events[index])
            index += 1
        states.append(state)
    return states


def levels_managed(events: Sequence[HistoryEvent], first: date, last: date) -> set[Level]:
    """The Levels 2 and 3 at which the person was managed at some time from `first` to `last`.

    Managed means referred and not exited: in the community or in custody (a person recalled stays a
    MAPPA case at their level). Someone managed at Level 2 and then raised to Level 3 is managed at both;
    someone lowered to Level 1 counts only at the levels they held before.
    """
    return {
        level
        for state, level in _end_of_day_states(events, first, last)
        if state != State.EXITED and level in MEETING_LEVELS
    }


def level_in_community_on(events: Sequence[HistoryEvent], day: date) -> Level | None:
    """The person's level at the end of `day` if they were living in the community under MAPPA management
    at Level 2 or 3 then (referred, not in custody, not exited); otherwise None. The 31 March snapshot."""
    state = state_on(events, day)
    if state is None or state[0] != State.ACTIVE or state[1] not in MEETING_LEVELS:
        return None
    return state[1]


def recall_levels(events: Sequence[HistoryEvent], first: date, last: date) -> set[Level]:
    """The Levels 2 and 3 at which the person was returned to custody for breach of licence in the period
    (the level they were managed at when recalled). Two recalls at the same level count once."""
    return {
        event.level
        for event in events
        if event.kind is CaseEventKind.RECALLED
        and first <= event.occurred_on <= last
        and event.level in MEETING_LEVELS
    }


Counts = dict[tuple[Level, Category], int]


@dataclass
class YearCounts:
    """The three tables the tracker can count for a year, by (level, category)."""

    snapshot: Counts = field(default_factory=dict)
    over_year: Counts = field(default_factory=dict)
    recalled: Counts = field(default_factory=dict)

    def add(self, category: Category, events: Sequence[HistoryEvent], year: ReportingYear) -> None:
        """Count one person (their events in the order they happened)."""
        if category not in REPORT_CATEGORIES:
            return
        level = level_in_community_on(events, year.last_day)
        if level is not None:
            _bump(self.snapshot, level, category)
        for level in levels_managed(events, year.first_day, year.last_day):
            _bump(self.over_year, level, category)
        for level in recall_levels(events, year.first_day, year.last_day):
            _bump(self.recalled, level, category)


def _bump(counts: Counts, level: Level, category: Category) -> None:
    counts[(level, category)] = counts.get((level, category), 0) + 1


def count_year(
    histories: Iterable[tuple[Category, Sequence[HistoryEvent]]], year: ReportingYear
) -> YearCounts:
    """The year's counts from every person's category and history."""
    counts = YearCounts()
    for category, events in histories:
        counts.add(category, events, year)
    return counts


# The same counts from one ordered stream of rows ------------------------------------------------------

_CLASS_AFTER = {
    CaseEventKind.REFERRED.name: State.ACTIVE,
    CaseEventKind.RELEASED.name: State.ACTIVE,
    CaseEventKind.RECALLED.name: State.IN_CUSTODY,
    CaseEventKind.CUSTODY_OTHER.name: State.IN_CUSTODY,
    CaseEventKind.EXITED.name: State.EXITED,
}
_LEVEL_CHANGED = CaseEventKind.LEVEL_CHANGED.name
_END = object()
_RECALLED = CaseEventKind.RECALLED.name
_MEETING_LEVEL_NAMES = frozenset(level.name for level in MEETING_LEVELS)
_REPORT_CATEGORY_NAMES = frozenset(category.name for category in REPORT_CATEGORIES)


def count_rows(rows: Iterable[tuple], first: object, last: object) -> YearCounts:
    """`count_year` over one stream of `(case_id, category, day, kind, level)` rows, the enumerations by
    name, ordered by person, then day, then as they happened that day, and none after `last`. `first` and
    `last` are of the days' own type (a date, or an ISO date string as SQLite returns it).

    The same rules as `levels_managed`, `level_in_community_on` and `recall_levels`, in one pass with no
    object per event: the annual report reads every person's history, 60,000 people in a national year.
    A person's state at the end of a day is the state after that day's last event; it counts over the year
    if it held at the end of `first` or of a later day, that is when the next event falls after `first`,
    or when there is no next event.
    """
    snapshot: dict[tuple[str, str], int] = {}
    over_year: dict[tuple[str, str], int] = {}
    recalled: dict[tuple[str, str], int] = {}
    meeting_levels, exited, active = _MEETING_LEVEL_NAMES, State.EXITED, State.ACTIVE
    person = category = state = level = day = None
    levels: set[str] = set()
    recalls: set[str] = set()
    # A row after the last closes the last person, as a new person closes the one before.
    for case_id, row_category, on, kind, row_level in itertools.chain(rows, [(_END, None, None, None, None)]):
        if case_id != person:
            if state is not None and category in _REPORT_CATEGORY_NAMES:
                if level in meeting_levels:
                    if state != exited:
                        levels.add(level)
                    if state == active:
                        snapshot[(level, category)] = snapshot.get((level, category), 0) + 1
                for held in levels:
                    over_year[(held, category)] = over_year.get((held, category), 0) + 1
                for held in recalls:
                    recalled[(held, category)] = recalled.get((held, category), 0) + 1
            if case_id is _END:
                break
            person, category, state, level, day = case_id, row_category, None, None, None
            if levels:
                levels = set()
            if recalls:
                recalls = set()
        elif on != day and on > first and state != exited and level in meeting_levels:
            levels.add(level)  # the state at the end of the previous day held at the end of a day counted
        day = on
        if kind == _LEVEL_CHANGED:
            state = state or active
        else:
            state = _CLASS_AFTER[kind]
            if kind == _RECALLED and on >= first and row_level in meeting_levels:
                recalls.add(row_level)
        level = row_level

    def by_member(counts: dict[tuple[str, str], int]) -> Counts:
        return {(Level[name], Category[cat]): number for (name, cat), number in counts.items()}

    return YearCounts(by_member(snapshot), by_member(over_year), by_member(recalled))
