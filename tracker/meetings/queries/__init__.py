"""The statements behind the lists and the dashboard: filters, sorting and deadlines in SQL, so that a
page makes the same few queries however many cases, meetings and actions there are.

A module per subject: `deadlines` (review deadlines in SQL), `lists` (cases, meetings and actions),
`dashboard` (the casework panel), `history` (a case's history, as its page shows it), `case_page` (its
meetings and actions, as its page shows them) and `warnings` (on the meeting page).
"""

from tracker.meetings.queries.case_page import CaseMeetings, case_actions, case_meetings
from tracker.meetings.queries.chairs import (
    ChairOption,
    chair_options,
    chair_standings,
    trained_chairs_without_accounts,
)
from tracker.meetings.queries.dashboard import (
    case_counts,
    count_cases,
    first_cases,
    local_day,
    my_meetings_this_week,
    my_overdue_actions,
    week_bounds,
)
from tracker.meetings.queries.deadlines import (
    case_review_due,
    due_soon_condition,
    overdue_condition,
    review_due_before,
    review_due_key,
    start_of_day_utc,
    upcoming_condition,
    without_next_meeting_condition,
)
from tracker.meetings.queries.history import HistoryRow, case_history
from tracker.meetings.queries.lists import (
    ACTION_SORTS,
    ALL_STATUSES,
    CASE_SORTS,
    MEETING_SORTS,
    REVIEW_FILTERS,
    action_list_statement,
    agenda_counts,
    boroughs,
    case_default_sort,
    case_list_statement,
    case_search_condition,
    default_action_owner,
    meeting_list_statement,
)
from tracker.meetings.queries.warnings import meeting_warnings, represented_sector

__all__ = [
    "ACTION_SORTS",
    "ALL_STATUSES",
    "CASE_SORTS",
    "MEETING_SORTS",
    "REVIEW_FILTERS",
    "action_list_statement",
    "agenda_counts",
    "boroughs",
    "CaseMeetings",
    "case_actions",
    "case_default_sort",
    "case_history",
    "case_list_statement",
    "case_meetings",
    "case_review_due",
    "case_search_condition",
    "ChairOption",
    "HistoryRow",
    "chair_options",
    "chair_standings",
    "trained_chairs_without_accounts",
    "case_counts",
    "count_cases",
    "default_action_owner",
    "due_soon_condition",
    "first_cases",
    "local_day",
    "meeting_list_statement",
    "meeting_warnings",
    "my_meetings_this_week",
    "my_overdue_actions",
    "overdue_condition",
    "represented_sector",
    "review_due_before",
    "review_due_key",
    "start_of_day_utc",
    "upcoming_condition",
    "week_bounds",
    "without_next_meeting_condition",
]
