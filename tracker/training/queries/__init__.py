"""Queries for training pages: chair statuses, the chairs' register, lists of events and people.

Each builds a fixed number of SQL statements whatever the amount of data, and lists are paginated in SQL.

A module per subject: `access` (who may see which enrolment, event and session), `chairs` (chair
statuses), `register` (the chairs' register) and `events`.
"""

from tracker.training.queries.access import (
    enrolment_visible,
    event_visible,
    session_visible,
    visible_enrolments,
    visible_events,
)
from tracker.training.queries.chairs import (
    chair_status_for,
    chair_statuses,
    other_chair_cohorts,
    places_to_release,
    released_chair_places,
    upcoming_chair_places,
)
from tracker.training.queries.events import (
    EventFilters,
    event_list_statement,
    places_columns,
    reporting_years,
    year_bounds_utc,
)
from tracker.training.queries.register import (
    DUE_SOON,
    REGISTER_FILTERS,
    chairs_due_count,
    chairs_register_statement,
    register_counts,
    register_counts_on,
    register_key,
    register_statuses,
)

__all__ = [
    "DUE_SOON",
    "EventFilters",
    "REGISTER_FILTERS",
    "chair_status_for",
    "chair_statuses",
    "chairs_due_count",
    "chairs_register_statement",
    "enrolment_visible",
    "event_list_statement",
    "event_visible",
    "other_chair_cohorts",
    "places_columns",
    "places_to_release",
    "released_chair_places",
    "register_counts",
    "register_counts_on",
    "register_key",
    "register_statuses",
    "reporting_years",
    "session_visible",
    "upcoming_chair_places",
    "visible_enrolments",
    "visible_events",
    "year_bounds_utc",
]
