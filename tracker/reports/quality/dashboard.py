"""The quality dashboard of a reporting year, put together from its figures."""

from __future__ import annotations

from datetime import date, timedelta

from tracker.core.timeutil import today_london
from tracker.reports import rules
from tracker.reports.quality.casework import action_measures, pillar_measures, review_measures
from tracker.reports.quality.figures import Dashboard, instant
from tracker.reports.quality.meetings import (
    attendance_measures,
    audit_measures,
    chair_measures,
    minute_measures,
)
from tracker.reports.rules import ReportingYear


def build(year: ReportingYear, today: date | None = None) -> Dashboard:
    """Every figure of the dashboard for the year, as it stood at the end of `today`."""
    today = today or today_london()
    until = instant(today + timedelta(days=1))
    quarters = rules.quarters(year)
    begun = [quarter.first_day <= today for quarter in quarters]
    pillar_trend, pillars = pillar_measures(year, until)
    reviews, initial = review_measures(year, until)
    agencies, ra, dtc = attendance_measures(year, until)
    chairs_now, chairs = chair_measures(year, begun, today)
    criteria, audit_quarters = audit_measures(year, until)
    return Dashboard(
        year=year,
        quarters=quarters,
        begun=begun,
        trends=[
            pillar_trend,
            reviews,
            initial,
            minute_measures(year, until, today),
            ra,
            dtc,
            action_measures(year, today),
            chairs,
        ],
        pillars=pillars,
        agencies=agencies,
        chairs_now=chairs_now,
        audit_criteria=criteria,
        audit_quarters=audit_quarters,
    )
