"""Small numbers in the Board's tables: the settings that hide them, which cells a table hides so that
no total gives a hidden one away, and the categories and levels the local tables show."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from tracker.core import settings
from tracker.core.numbers import round_half_up
from tracker.meetings.models import Category, Level

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
