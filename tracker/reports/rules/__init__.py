"""The rules of the Board's reports as plain functions over plain values, a module per subject: small
numbers and the tables that hide them (`tables`), the quarters of a reporting year (`periods`), who counts
in the annual report's tables from each person's dated history (`history`), entered figures and shares
(`figures`), and the meeting-audit form's scores and the sample suggested for audit (`audits`).

Category 4 (terrorism) is published only nationally: every count here leaves it out.
"""

from tracker.reports.rules.audits import (
    AUDIT_SAMPLE_SIZE,
    MAY_BE_NOT_APPLICABLE,
    SCORE_LABELS,
    Candidate,
    audit_sample_size,
    auditor_problem,
    mean,
    sample_seed,
    score_problem,
    suggest_sample,
)
from tracker.reports.rules.figures import figures_problems, one_decimal, percent, share
from tracker.reports.rules.history import (
    Counts,
    HistoryEvent,
    State,
    YearCounts,
    count_rows,
    count_year,
    level_in_community_on,
    levels_managed,
    recall_levels,
    state_after,
    state_on,
)
from tracker.reports.rules.periods import Quarter, quarter_of, quarters
from tracker.reports.rules.tables import (
    GROUP,
    MEETING_LEVELS,
    NOT_APPLICABLE,
    REPORT_CATEGORIES,
    SUPPRESSED,
    SUPPRESSION_ENABLED,
    SUPPRESSION_THRESHOLD,
    Cell,
    ReportTable,
    level_category_table,
    rate_per_100_000,
    single_figure,
    suppressed_cells,
    suppression_note,
    suppression_threshold,
    with_totals,
)
from tracker.training.rules import ReportingYear, reporting_year_of

__all__ = [
    "AUDIT_SAMPLE_SIZE",
    "Candidate",
    "Cell",
    "Counts",
    "GROUP",
    "HistoryEvent",
    "MAY_BE_NOT_APPLICABLE",
    "MEETING_LEVELS",
    "NOT_APPLICABLE",
    "Quarter",
    "REPORT_CATEGORIES",
    "ReportTable",
    "ReportingYear",
    "SCORE_LABELS",
    "SUPPRESSED",
    "SUPPRESSION_ENABLED",
    "SUPPRESSION_THRESHOLD",
    "State",
    "YearCounts",
    "audit_sample_size",
    "auditor_problem",
    "count_rows",
    "count_year",
    "figures_problems",
    "level_category_table",
    "level_in_community_on",
    "levels_managed",
    "mean",
    "one_decimal",
    "percent",
    "quarter_of",
    "quarters",
    "rate_per_100_000",
    "recall_levels",
    "reporting_year_of",
    "sample_seed",
    "score_problem",
    "share",
    "single_figure",
    "state_after",
    "state_on",
    "suggest_sample",
    "suppressed_cells",
    "suppression_note",
    "suppression_threshold",
    "with_totals",
]
