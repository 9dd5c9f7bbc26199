"""The Board's quality dashboard for a reporting year: how well meetings follow the guidance, quarter by
quarter. Every figure is an aggregate counted in SQL (GROUP BY), so the page makes the same few queries
however many meetings there are; only the deadlines that need working days are worked out in Python, over
one row per meeting or discussion of the year.

Figures about people (the Four Pillars, reviews, actions: `casework`) leave Category 4 out, as every local
statistic does; figures about meetings (minutes, attendance, audits: `meetings`) count every held meeting
but one held only for Category 4 cases (`reports.meeting_tallies`), and the chairs' figures count the
chairs' register. `figures` holds the dashboard's shapes and the quarters in SQL; `dashboard` puts them
together.
"""

from tracker.reports.quality.dashboard import build
from tracker.reports.quality.figures import (
    AgencyAttendance,
    CriterionScore,
    Dashboard,
    Ratio,
    Trend,
    held_in,
    instant,
)
from tracker.reports.quality.meetings import CHAIR_STATES

__all__ = [
    "AgencyAttendance",
    "CHAIR_STATES",
    "CriterionScore",
    "Dashboard",
    "Ratio",
    "Trend",
    "build",
    "held_in",
    "instant",
]
