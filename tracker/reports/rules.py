"""The rules of the Board's reports as plain functions over plain values: who counts in the annual report's
tables (from each person's dated history, so any past year gives the same answer), how small numbers are
hidden, the quarters of a reporting year, the meeting-audit form's scores, and the sample of meetings
suggested for audit.

Category 4 (terrorism) is published only nationally: every count here leaves it out.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from tracker.core import settings
from tracker.core.numbers import round_half_up
from tracker.meetings.models import CaseEventKind, Category, Level
from tracker.reports.models import AuditCriterion
from tracker.training.rules import ReportingYear, reporting_year_of

__all__ = ["ReportingYear", "reporting_year_of"]

GROUP = "Reports"

SUPPRESSION_ENABLED = settings.define(
    "suppression_enabled",
    False,
    "Hide small numbers in the annual report",
    hint="Off (the default): every count is published as it is, as area reports publish them. On: counts "
    "below the smallest number published are hidden as [c], with other cells hidden too where a total "
    "would give them away.",
    group=GROUP,
)
SUPPRESSION_THRESHOLD = settings.define(
    "suppression_threshold",
    5,
    "Smallest number published when small numbers are hidden",
    hint="With small numbers hidden, counts of people from 1 up to one less than this are hidden as [c] in "
    "the annual report, with other cells hidden too where a total would give them away. 1 hides nothing.",
    group=GROUP,
    minimum=1,
    maximum=50,
)
AUDIT_SAMPLE_SIZE = settings.define(
    "audit_sample_size",
    4,
    "Meetings suggested for quality audit each quarter",
    hint="The tracker suggests this many held meetings a quarter, spread across levels and chairs.",
    group=GROUP,
    minimum=1,
    maximum=50,
)

# The categories and levels the local tables show: never Category 4.
REPORT_CATEGORIES = (Category.CATEGORY_1, Category.CATEGORY_2, Category.CATEGORY_3)
MEETING_LEVELS = (Level.LEVEL_2, Level.LEVEL_3)

# How a hidden cell reads, and the note under a table that hides any.
SUPPRESSED = "[c]"
# How a cell that cannot have a count reads, as the published tables show it.
NOT_APPLICABLE = "-"


def suppression_note(threshold: int) -> str:
    return (
        f"[c] Hidden: fewer than {threshold} people, or hidden so that a number fewer than {threshold} "
        "cannot be worked out from the totals. Category 4 is published only nationally."
    )


def suppression_threshold() -> int:
    """The smallest count the annual report publishes: 1 (nothing hidden) unless the area has turned
    suppression on, then the threshold it set."""
    if not settings.get(SUPPRESSION_ENABLED.key):
        return 1
    return settings.get(SUPPRESSION_THRESHOLD.key)


def rate_per_100_000(people: int, population: int) -> Decimal:
    """People per 100,000 of a population, to the whole number as reports publish it (halves upwards)."""
    return round_half_up(people * 100_000 / population)


def audit_sample_size() -> int:
    return settings.get(AUDIT_SAMPLE_SIZE.key)


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


# A person's history: who counts in the annual report -------------------------------------------------


@dataclass(frozen=True)
class HistoryEvent:
    """One dated entry of a person's MAPPA history (a `CaseEvent`), in the order it was recorded."""

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
    taken in the order recorded. None before their first referral."""
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
        """Count one person (their events in the order recorded)."""
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


# Small numbers ---------------------------------------------------------------------------------------


def with_totals(rows: Sequence[Sequence[int]]) -> list[list[int]]:
    """The rows with a total at the end of each and a row of column totals (and the grand total) below."""
    full = [[*row, sum(row)] for row in rows]
    width = len(full[0]) if full else 1
    full.append([sum(row[column] for row in full) for column in range(width)])
    return full


def suppressed_cells(grid: Sequence[Sequence[int]], threshold: int) -> set[tuple[int, int]]:
    """Which cells of a table with totals (as `with_totals` makes it) to hide.

    Primary: every count from 1 to `threshold - 1`, totals included (zero is shown: it identifies
    nobody). Secondary: no hidden cell may then be worked out from what is shown. Each row and column
    says its cells add up to its total, so a hidden cell is safe when it lies on a loop of hidden cells
    turning from row to column at each step: add one to every other cell of the loop and take one from the
    rest, and every total stays the same, so the cell could be one more or one less. Two rules make every
    hidden cell lie on such a loop. A row or column holding exactly one hidden cell gives it away by
    subtraction: the smallest cell still shown on it is hidden too (a total only when no other cell will
    do). A hidden cell that is the only link between two groups of hidden cells gives itself away too
    (the equations of either group add up to it): the smallest shown cell joining the two groups is
    hidden. Zeros are never hidden to protect another cell: a total of zero shows them for what they
    are, and a loop can only move by one when each of its cells is at least one.
    """
    rows = len(grid)
    columns = len(grid[0]) if rows else 0
    hidden = {(r, c) for r in range(rows) for c in range(columns) if 0 < grid[r][c] < threshold}
    lines = [[(r, c) for c in range(columns)] for r in range(rows)]
    lines += [[(r, c) for r in range(rows)] for c in range(columns)]

    def choice(position: tuple[int, int]):
        r, c = position
        return (r == rows - 1 or c == columns - 1, grid[r][c], r, c)

    def shown_non_zero(positions: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
        return [(r, c) for r, c in positions if (r, c) not in hidden and grid[r][c] > 0]

    while True:
        changed = False
        for line in lines:
            if sum(1 for position in line if position in hidden) == 1:
                # The line adds up to at least its one hidden cell (1 or more): a count is left to hide.
                hidden.add(min(shown_non_zero(line), key=choice))
                changed = True
        if changed:
            continue
        bridge = _bridge(hidden)
        if bridge is None:
            return hidden
        row_side, column_side = _sides(hidden - {bridge}, bridge)
        joining = shown_non_zero(
            (r, c)
            for r in range(rows)
            for c in range(columns)
            if (r in row_side[0] and c in column_side[1]) or (r in column_side[0] and c in row_side[1])
        )
        if joining:
            hidden.add(min(joining, key=choice))
        else:
            # No cell joins the two groups: hide every count, which always leaves each cell on a loop
            # with its row's total, its column's total and the grand total.
            hidden |= {(r, c) for r in range(rows) for c in range(columns) if grid[r][c] > 0}


def _groups(cells: set[tuple[int, int]], start: tuple[str, int]) -> tuple[set[int], set[int]]:
    """The rows and columns linked to `start` (("row", r) or ("column", c)) through `cells`."""
    found_rows: set[int] = set()
    found_columns: set[int] = set()
    waiting = [start]
    while waiting:
        kind, index = waiting.pop()
        found = found_rows if kind == "row" else found_columns
        if index in found:
            continue
        found.add(index)
        for r, c in cells:
            if kind == "row" and r == index:
                waiting.append(("column", c))
            elif kind == "column" and c == index:
                waiting.append(("row", r))
    return found_rows, found_columns


def _sides(cells: set[tuple[int, int]], bridge: tuple[int, int]):
    """The groups (rows, columns) on the row's side and on the column's side of a bridge taken out."""
    return _groups(cells, ("row", bridge[0])), _groups(cells, ("column", bridge[1]))


def _bridge(hidden: set[tuple[int, int]]) -> tuple[int, int] | None:
    """A hidden cell that is the only link between its row and its column through hidden cells, if any."""
    for cell in sorted(hidden):
        _rows, columns = _groups(hidden - {cell}, ("row", cell[0]))
        if cell[1] not in columns:
            return cell
    return None


@dataclass(frozen=True)
class Cell:
    value: int | None
    hidden: bool = False
    # False for a cell that cannot have a count (Category 3 is never managed at Level 1): shown as "-".
    applicable: bool = True

    @property
    def text(self) -> str:
        if not self.applicable:
            return NOT_APPLICABLE
        if self.value is None:
            return "Not entered"
        return SUPPRESSED if self.hidden else f"{self.value:,}"

    @property
    def plain(self) -> str:
        """The text for a CSV: the number without thousands separators, so a spreadsheet reads it."""
        if not self.applicable:
            return ""  # no figure can exist: an empty number, not a dash a spreadsheet would take for text
        return self.text if self.value is None or self.hidden else str(self.value)


@dataclass(frozen=True)
class ReportTable:
    """A table of the annual report as published: labelled rows and columns, the last of each a total,
    and the hidden cells already applied. `cells` keeps every true value for checking."""

    key: str
    title: str
    row_labels: list[str]
    column_labels: list[str]
    cells: list[list[Cell]]
    note: str = ""

    @property
    def any_hidden(self) -> bool:
        return any(cell.hidden for row in self.cells for cell in row)

    def shown(self) -> list[list[str]]:
        return [[cell.text for cell in row] for row in self.cells]

    def labelled_rows(self) -> list[tuple[str, list[str]]]:
        return list(zip(self.row_labels, self.shown(), strict=True))


def level_category_table(
    key: str,
    title: str,
    counts: Mapping[tuple[Level, Category], int],
    levels: Sequence[Level],
    threshold: int,
    *,
    extra_rows: Mapping[Level, Sequence[int | None]] | None = None,
    note: str = "",
) -> ReportTable:
    """A levels-by-categories table with totals, small numbers hidden. `extra_rows` gives rows the
    tracker does not count itself (Level 1, entered by the co-ordinator), placed by level; None in one
    marks a cell that cannot have a count (shown as "-", counted as nothing in the totals)."""
    extra_rows = extra_rows or {}
    ordered = sorted({*levels, *extra_rows}, key=lambda level: level.number)
    given = [
        list(extra_rows[level])
        if level in extra_rows
        else [counts.get((level, category), 0) for category in REPORT_CATEGORIES]
        for level in ordered
    ]
    grid = with_totals([[value or 0 for value in row] for row in given])
    hidden = suppressed_cells(grid, threshold)
    missing = {(r, c) for r, row in enumerate(given) for c, value in enumerate(row) if value is None}
    cells = [
        [Cell(value, (r, c) in hidden, (r, c) not in missing) for c, value in enumerate(row)]
        for r, row in enumerate(grid)
    ]
    hidden_note = suppression_note(threshold) if hidden else ""
    return ReportTable(
        key=key,
        title=title,
        row_labels=[level.label for level in ordered] + ["Total"],
        column_labels=[category.label for category in REPORT_CATEGORIES] + ["Total"],
        cells=cells,
        note=" ".join(part for part in (note, hidden_note) if part),
    )


def single_figure(value: int | None, threshold: int) -> Cell:
    """A figure standing alone (no total to subtract it from): hidden only if it is small."""
    return Cell(value, value is not None and 0 < value < threshold)


# Entered figures -------------------------------------------------------------------------------------


def figures_problems(values: Mapping[str, int | Decimal | None]) -> dict[str, str]:
    """Checks across the entered figures (each is already a whole number of 0 or more): a part cannot be
    more than its whole. Returns {field: message}."""
    problems = {}
    imposed, travel = values.get("shpo_imposed"), values.get("shpo_foreign_travel")
    if travel is not None and imposed is not None and travel > imposed:
        problems["shpo_foreign_travel"] = (
            "Orders with foreign travel restrictions must be no more than the Sexual Harm Prevention "
            "Orders imposed"
        )
    if values.get("population_source") and not values.get("population"):
        problems["population"] = "Enter the population aged 10 and over that the source gives"
    elif values.get("population") and not values.get("population_source"):
        problems["population_source"] = "Enter where the population figure comes from"
    return problems


# Shares ----------------------------------------------------------------------------------------------


def share(part: int, whole: int) -> float | None:
    """part / whole, or None when there is nothing to measure."""
    return part / whole if whole else None


def percent(value: float | None) -> str:
    """A share as a whole percentage, halves rounded up as the other areas and spreadsheets round."""
    return "No data" if value is None else f"{round_half_up(value * 100)}%"


def one_decimal(value: float) -> str:
    """An average to one decimal place (3.25 → 3.3), as the evaluation results show it."""
    return f"{round_half_up(value, 1)}"


# Meeting audits --------------------------------------------------------------------------------------

SCORE_LABELS = {4: "Excellent", 3: "Good", 2: "Requires improvement", 1: "Poor"}
# Only dissent may be "not applicable": a meeting where nobody disagreed has none to record.
MAY_BE_NOT_APPLICABLE = frozenset({AuditCriterion.DISSENT_RECORDED})


def score_problem(criterion: AuditCriterion, score: int | None, comment: str) -> str | None:
    """Why a criterion's score cannot be accepted: none chosen, or a low score with no comment saying why."""
    if score is None:
        if criterion in MAY_BE_NOT_APPLICABLE:
            return None
        return f"Select a score for ‘{criterion.label}’"
    if score not in SCORE_LABELS:
        return f"The score for ‘{criterion.label}’ must be from 4 to 1"
    if score <= 2 and not comment.strip():
        return f"Explain the score for ‘{criterion.label}’ in a comment"
    return None


def auditor_problem(auditor_id: int | None, meeting_chair_id: int, reference: str = "") -> str | None:
    if auditor_id is None:
        return "Select who will audit the meetings"
    if auditor_id == meeting_chair_id:
        meeting = reference or "a meeting"
        return f"A chair cannot audit a meeting they chaired: choose someone else, or leave {meeting} out"
    return None


def mean(values: Iterable[int | None]) -> float | None:
    scored = [value for value in values if value is not None]
    return sum(scored) / len(scored) if scored else None


# The audit sample ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    """A held meeting that may be audited."""

    meeting_id: int
    chair_id: int
    level: Level


def _allocate(sizes: Mapping[Level, int], total: int) -> dict[Level, int]:
    """Share `total` places between levels in proportion to their meetings (largest remainder), at least
    one each while places last, never more than a level has."""
    levels = sorted(sizes, key=lambda level: level.number)
    count = sum(sizes.values())
    total = min(total, count)
    places = {level: min(1, sizes[level]) for level in levels}
    if sum(places.values()) > total:  # fewer places than levels: the larger levels first
        places = dict.fromkeys(levels, 0)
        for level in sorted(levels, key=lambda lv: (-sizes[lv], lv.number))[:total]:
            places[level] = 1
        return places
    remaining = total - sum(places.values())
    while remaining:
        level = max(
            (lv for lv in levels if places[lv] < sizes[lv]),
            key=lambda lv: (sizes[lv] * total / count - places[lv], -lv.number),
        )
        places[level] += 1
        remaining -= 1
    return places


def suggest_sample(candidates: Sequence[Candidate], size: int, seed: int) -> list[int]:
    """A random sample of meetings to audit, stratified by level and chair, the same for the same seed.

    Places are shared between the levels in proportion to their meetings (each level held gets at
    least one); within a level the sample takes one meeting from each chair in turn (chairs in a random
    order) before any chair has a second, so the audit covers as many chairs as it can. Returns meeting
    ids in the order chosen.
    """
    rng = random.Random(seed)
    by_level: dict[Level, dict[int, list[int]]] = {}
    for candidate in sorted(candidates, key=lambda c: c.meeting_id):
        by_level.setdefault(candidate.level, {}).setdefault(candidate.chair_id, []).append(
            candidate.meeting_id
        )
    sizes = {level: sum(len(ids) for ids in chairs.values()) for level, chairs in by_level.items()}
    places = _allocate(sizes, size)
    chosen = []
    for level in sorted(by_level, key=lambda lv: lv.number):
        chairs = sorted(by_level[level])
        rng.shuffle(chairs)
        queues = {chair: rng.sample(by_level[level][chair], len(by_level[level][chair])) for chair in chairs}
        picked = 0
        while picked < places[level]:
            for chair in chairs:
                if picked < places[level] and queues[chair]:
                    chosen.append(queues[chair].pop())
                    picked += 1
    return chosen


def sample_seed(quarter: Quarter, attempt: int = 0) -> int:
    """The seed for a quarter's suggestion: the same quarter suggests the same sample until someone asks
    for another (the next attempt)."""
    return quarter.year.start_year * 100 + quarter.number * 10 + attempt
