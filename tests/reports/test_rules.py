"""The reports' rules with plain values: who counts in the annual report, small numbers, quarters, the
meeting-audit form and the audit sample."""

import random
from datetime import date
from fractions import Fraction

import pytest

from tests.reports.shorthand import IN, L1, L2, L3, OUT, C, R, X
from tracker.meetings.models import Category
from tracker.reports import rules
from tracker.reports.models import AuditCriterion
from tracker.reports.rules import HistoryEvent, Quarter, ReportingYear, tables

YEAR = ReportingYear(2024)


def history(*steps):
    return [HistoryEvent(day, kind, level) for day, kind, level in steps]


# Reporting years and quarters ------------------------------------------------------------------------


def test_the_reporting_year_runs_from_1_april_to_31_march():
    assert rules.reporting_year_of(date(2025, 3, 31)) == YEAR
    assert rules.reporting_year_of(date(2025, 4, 1)) == ReportingYear(2025)
    assert rules.reporting_year_of(date(2024, 4, 1)) == YEAR


def test_quarters_start_in_april_july_october_and_january():
    quarters = rules.quarters(YEAR)
    assert [(q.first_day, q.last_day) for q in quarters] == [
        (date(2024, 4, 1), date(2024, 6, 30)),
        (date(2024, 7, 1), date(2024, 9, 30)),
        (date(2024, 10, 1), date(2024, 12, 31)),
        (date(2025, 1, 1), date(2025, 3, 31)),
    ]
    assert rules.quarter_of(date(2025, 2, 14)) == Quarter(YEAR, 4)
    assert rules.quarter_of(date(2024, 7, 1)).label == "Q2 2024/25"
    assert Quarter(YEAR, 3).months == "October to December 2024"


# Who counts --------------------------------------------------------------------------------------------


def test_someone_raised_from_level_2_to_level_3_counts_once_at_each_level():
    events = history((date(2023, 5, 1), R, L2), (date(2024, 8, 1), C, L3), (date(2024, 11, 1), C, L2))
    assert rules.levels_managed(events, YEAR.first_day, YEAR.last_day) == {L2, L3}
    counts = rules.count_year([(Category.CATEGORY_1, events)], YEAR)
    assert counts.over_year == {(L2, Category.CATEGORY_1): 1, (L3, Category.CATEGORY_1): 1}


def test_someone_lowered_to_level_1_counts_only_at_the_levels_they_held():
    events = history((date(2024, 5, 1), R, L3), (date(2024, 9, 1), C, L2), (date(2025, 1, 1), C, L1))
    assert rules.levels_managed(events, YEAR.first_day, YEAR.last_day) == {L2, L3}
    assert rules.level_in_community_on(events, YEAR.last_day) is None


def test_people_who_left_before_the_year_or_came_after_it_are_not_counted():
    left = history((date(2022, 1, 1), R, L2), (date(2024, 3, 31), X, L2))
    later = history((date(2025, 4, 1), R, L3))
    assert rules.levels_managed(left, YEAR.first_day, YEAR.last_day) == set()
    assert rules.levels_managed(later, YEAR.first_day, YEAR.last_day) == set()


def test_someone_who_left_on_the_first_day_of_the_year_was_not_managed_in_it():
    events = history((date(2022, 1, 1), R, L2), (date(2024, 4, 1), X, L2))
    assert rules.levels_managed(events, YEAR.first_day, YEAR.last_day) == set()
    stayed = history((date(2022, 1, 1), R, L2), (date(2024, 4, 2), X, L2))
    assert rules.levels_managed(stayed, YEAR.first_day, YEAR.last_day) == {L2}


def test_a_level_replaced_the_same_day_does_not_count():
    events = history((date(2024, 6, 1), R, L2), (date(2024, 6, 1), C, L3))
    assert rules.levels_managed(events, YEAR.first_day, YEAR.last_day) == {L3}


def test_someone_recalled_counts_in_the_year_and_as_returned_to_custody_at_their_level():
    events = history((date(2023, 1, 1), R, L2), (date(2024, 6, 1), C, L3), (date(2024, 10, 1), IN, L3))
    assert rules.recall_levels(events, YEAR.first_day, YEAR.last_day) == {L3}
    assert rules.levels_managed(events, YEAR.first_day, YEAR.last_day) == {L2, L3}
    # In custody on 31 March: not in the community snapshot.
    assert rules.level_in_community_on(events, YEAR.last_day) is None


def test_two_recalls_at_one_level_count_once_and_recalls_outside_the_year_not_at_all():
    events = history(
        (date(2023, 1, 1), R, L2),
        (date(2024, 1, 1), IN, L2),
        (date(2024, 5, 1), OUT, L2),
        (date(2024, 7, 1), IN, L2),
        (date(2024, 9, 1), OUT, L2),
        (date(2024, 12, 1), IN, L2),
    )
    assert rules.recall_levels(events, YEAR.first_day, YEAR.last_day) == {L2}
    counts = rules.count_year([(Category.CATEGORY_2, events)], YEAR)
    assert counts.recalled == {(L2, Category.CATEGORY_2): 1}


def test_the_snapshot_is_the_level_at_the_end_of_31_march_for_people_in_the_community():
    released = history((date(2023, 1, 1), R, L3), (date(2024, 6, 1), IN, L3), (date(2025, 3, 31), OUT, L3))
    exits_next_day = history((date(2024, 9, 1), R, L2), (date(2025, 4, 1), X, L2))
    exited = history((date(2024, 9, 1), R, L2), (date(2025, 3, 31), X, L2))
    assert rules.level_in_community_on(released, YEAR.last_day) is L3
    assert rules.level_in_community_on(exits_next_day, YEAR.last_day) is L2
    assert rules.level_in_community_on(exited, YEAR.last_day) is None


def test_category_4_is_never_counted():
    events = history((date(2024, 5, 1), R, L3), (date(2024, 8, 1), IN, L3))
    counts = rules.count_year([(Category.CATEGORY_4, events)], YEAR)
    assert counts.snapshot == counts.over_year == counts.recalled == {}


# Small numbers -------------------------------------------------------------------------------------------


def _lines(grid):
    """Every row and every column of a table, as cell positions."""
    rows, columns = len(grid), len(grid[0])
    return [[(r, c) for c in range(columns)] for r in range(rows)] + [
        [(r, c) for r in range(rows)] for c in range(columns)
    ]


def test_totals_are_added_across_and_down():
    assert rules.with_totals([[1, 2, 3], [4, 5, 6]]) == [[1, 2, 3, 6], [4, 5, 6, 15], [5, 7, 9, 21]]


def test_counts_below_the_threshold_are_hidden_but_zero_is_shown():
    grid = rules.with_totals([[0, 20, 30], [12, 40, 50]])
    assert rules.suppressed_cells(grid, 5) == set()
    assert rules.suppressed_cells(grid, 13) == {(1, 0), (1, 1), (2, 0), (2, 1)}


def test_a_hidden_cell_alone_in_its_row_or_column_takes_another_with_it():
    # Level 3, Category 2 is 3: hidden. Its row and column would give it away, so the smallest other
    # cells of each are hidden too, and the check runs again on the lines those touch.
    grid = rules.with_totals([[24, 63, 67], [8, 3, 6]])
    hidden = rules.suppressed_cells(grid, 5)
    assert hidden == {(1, 1), (1, 2), (0, 1), (0, 2)}
    for line in _lines(grid):
        assert sum(1 for position in line if position in hidden) != 1


def worked_out(grid, hidden) -> list[tuple[int, int]]:
    """The hidden cells someone could work out exactly from the cells shown: each row and column says its
    cells add up to its total, and a hidden cell is given away when those equations pin it down alone
    (its unit vector lies in their row space; found by Gaussian elimination in exact fractions)."""
    cells = sorted(hidden)
    index = {cell: i for i, cell in enumerate(cells)}
    rows, columns = len(grid), len(grid[0])
    equations = []
    for line in _lines(grid):
        equation = [Fraction(0)] * len(cells)
        for r, c in line:
            if (r, c) in index:
                is_total = (c == columns - 1) if line[0][0] == line[-1][0] else (r == rows - 1)
                equation[index[(r, c)]] += -1 if is_total else 1
        equations.append(equation)
    pivots, done = [], 0
    for column in range(len(cells)):
        found = next((i for i in range(done, len(equations)) if equations[i][column]), None)
        if found is None:
            continue
        equations[done], equations[found] = equations[found], equations[done]
        equations[done] = [x / equations[done][column] for x in equations[done]]
        for i, equation in enumerate(equations):
            if i != done and equation[column]:
                factor = equation[column]
                equations[i] = [a - factor * b for a, b in zip(equation, equations[done], strict=True)]
        pivots.append(column)
        done += 1
    return [
        cells[column]
        for i, column in enumerate(pivots)
        if not any(value for j, value in enumerate(equations[i]) if j != column)
    ]


def assert_protected(grid, hidden, threshold) -> None:
    for r, row in enumerate(grid):
        for c, value in enumerate(row):
            if 0 < value < threshold:
                assert (r, c) in hidden
    # Every hidden cell is 1 or more (a zero can be known from a total of zero), so any hidden cell the
    # equations leave free can be one more or one less: nothing else can pin it.
    assert all(grid[r][c] > 0 for r, c in hidden)
    assert worked_out(grid, hidden) == []


@pytest.mark.parametrize(
    "rows",
    [
        [[1, 2, 3], [4, 5, 6]],
        [[0, 0, 4], [100, 200, 300]],
        [[14, 29, 26], [4, 5, 3]],
        [[6912, 4137, 0], [24, 63, 67], [8, 3, 6]],
        [[0, 0, 0], [0, 1, 0]],
        # Level 3, Category 2 (2) was the only link between two groups of hidden cells: both groups'
        # totals together gave it away.
        [[4471, 3754, 1], [4, 0, 0], [8, 2, 0]],
        # Zeros hidden beside a total of zero were known to be zero, and gave away Level 1, Category 3.
        [[2697, 235, 1], [0, 0, 0], [0, 0, 12]],
    ],
)
def test_no_hidden_cell_can_be_worked_out_from_the_totals(rows):
    grid = rules.with_totals(rows)
    assert_protected(grid, rules.suppressed_cells(grid, 5), 5)


def test_no_hidden_cell_can_be_worked_out_in_any_table():
    generator = random.Random(8)
    for _ in range(1500):
        threshold = generator.choice([2, 5, 10, 50])
        rows = [
            [generator.choice([0, 0, generator.randint(1, 12), generator.randint(0, 300)]) for _ in range(3)]
            for _ in range(generator.choice([2, 3]))
        ]
        grid = rules.with_totals(rows)
        assert_protected(grid, rules.suppressed_cells(grid, threshold), threshold)


def test_a_group_of_hidden_cells_hanging_by_one_cell_takes_another_with_it():
    grid = rules.with_totals([[4471, 3754, 1], [4, 0, 0], [8, 2, 0]])
    hidden = rules.suppressed_cells(grid, 5)
    assert tables._bridge(hidden) is None
    assert (2, 1) in hidden


def test_a_table_shows_c_for_hidden_cells_and_explains_them():
    table = rules.level_category_table(
        "t",
        "Title",
        {(L2, Category.CATEGORY_1): 24, (L2, Category.CATEGORY_2): 63, (L2, Category.CATEGORY_3): 67,
         (L3, Category.CATEGORY_1): 8, (L3, Category.CATEGORY_2): 3, (L3, Category.CATEGORY_3): 6},
        rules.MEETING_LEVELS,
        5,
    )  # fmt: skip
    assert table.row_labels == ["Level 2", "Level 3", "Total"]
    assert table.column_labels == ["Category 1", "Category 2", "Category 3", "Total"]
    assert table.shown() == [
        ["24", "[c]", "[c]", "154"],
        ["8", "[c]", "[c]", "17"],
        ["32", "66", "73", "171"],
    ]
    assert "fewer than 5" in table.note


def test_a_threshold_of_1_hides_nothing():
    table = rules.level_category_table("t", "T", {(L3, Category.CATEGORY_2): 1}, rules.MEETING_LEVELS, 1)
    assert not table.any_hidden


def test_a_single_figure_is_hidden_only_when_small():
    assert rules.single_figure(3, 5).text == "[c]"
    assert rules.single_figure(0, 5).text == "0"
    assert rules.single_figure(1200, 5).text == "1,200"
    assert rules.single_figure(None, 5).text == "Not entered"


def test_orders_with_travel_restrictions_cannot_outnumber_the_orders():
    assert rules.figures_problems({"shpo_imposed": 10, "shpo_foreign_travel": 11}) == {
        "shpo_foreign_travel": "Orders with foreign travel restrictions must be no more than the Sexual Harm "
        "Prevention Orders imposed"
    }
    assert rules.figures_problems({"shpo_imposed": 10, "shpo_foreign_travel": 10}) == {}
    assert rules.figures_problems({"shpo_imposed": None, "shpo_foreign_travel": 3}) == {}


# The audit form and sample --------------------------------------------------------------------------------


def test_every_criterion_needs_a_score_except_dissent_which_may_be_not_applicable():
    assert (
        rules.score_problem(AuditCriterion.INTRODUCTIONS, None, "")
        == "Select a score for ‘Introductions made’"
    )
    assert rules.score_problem(AuditCriterion.DISSENT_RECORDED, None, "") is None
    assert rules.score_problem(AuditCriterion.INTRODUCTIONS, 5, "") == (
        "The score for ‘Introductions made’ must be from 4 to 1"
    )


def test_a_low_score_needs_a_comment():
    assert rules.score_problem(AuditCriterion.RISK_SUMMARY, 2, " ") == (
        "Explain the score for ‘The chair summarised the risk factors’ in a comment"
    )
    assert rules.score_problem(AuditCriterion.RISK_SUMMARY, 2, "Summary missed the victim") is None
    assert rules.score_problem(AuditCriterion.RISK_SUMMARY, 3, "") is None


def test_a_chair_cannot_audit_their_own_meeting():
    assert rules.auditor_problem(7, 7) is not None
    assert rules.auditor_problem(None, 7) == "Select who will audit the meetings"
    assert rules.auditor_problem(8, 7) is None


def test_mean_leaves_out_criteria_not_applicable():
    assert rules.mean([4, None, 2]) == 3
    assert rules.mean([None]) is None


def _candidates():
    # Level 2: 12 meetings by three chairs; Level 3: 4 meetings by one chair.
    result = [rules.Candidate(n, 100 + n % 3, L2) for n in range(1, 13)]
    return result + [rules.Candidate(n, 200, L3) for n in range(13, 17)]


def test_the_sample_is_the_same_for_the_same_seed_and_differs_for_another():
    first = rules.suggest_sample(_candidates(), 4, seed=202412)
    assert first == rules.suggest_sample(list(reversed(_candidates())), 4, seed=202412)
    assert len(set(first)) == 4
    others = {tuple(sorted(rules.suggest_sample(_candidates(), 4, seed=seed))) for seed in range(20)}
    assert len(others) > 1


def test_the_sample_covers_both_levels_and_different_chairs():
    by_id = {c.meeting_id: c for c in _candidates()}
    for seed in range(30):
        chosen = [by_id[i] for i in rules.suggest_sample(_candidates(), 4, seed)]
        assert {c.level for c in chosen} == {L2, L3}
        level_2 = [c for c in chosen if c.level is L2]
        # Places in proportion: 12 of 16 meetings are Level 2, so three places, one per chair.
        assert len(level_2) == 3
        assert len({c.chair_id for c in level_2}) == 3


def test_the_sample_never_asks_for_more_than_were_held():
    assert sorted(rules.suggest_sample(_candidates()[:2], 4, 1)) == [1, 2]
    assert rules.suggest_sample([], 4, 1) == []
    one_place = rules.suggest_sample(_candidates(), 1, 5)
    assert len(one_place) == 1 and one_place[0] <= 12  # the larger level first


def test_shares_and_percentages():
    assert rules.share(3, 4) == 0.75
    assert rules.share(0, 0) is None
    assert rules.percent(0.75) == "75%"
    assert rules.percent(None) == "No data"
    # Halves round up, as on the evaluation pages and in a spreadsheet: 1 in 8 is 13%, not 12%.
    assert rules.percent(1 / 8) == "13%"
    assert rules.one_decimal(3.25) == "3.3"
    assert rules.one_decimal(0.285 * 10) == "2.9"
