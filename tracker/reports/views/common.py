"""The reports blueprint and what its pages share: choosing a reporting year from the query string."""

from __future__ import annotations

from flask import Blueprint, abort, request

from tracker.reports import annual
from tracker.reports.rules import ReportingYear

bp = Blueprint("reports", __name__, url_prefix="/reports")


def year_arg(default: ReportingYear, years: list[ReportingYear]) -> ReportingYear:
    """The year asked for as ?year=2025 when it is one of `years`, else `default`."""
    chosen = request.args.get("year", type=int)
    by_start = {year.start_year: year for year in years}
    return by_start.get(chosen, default) if chosen is not None else default


def report_year(start_year: int) -> ReportingYear:
    """The reporting year starting in `start_year`, or 404 when the report has no such year."""
    years = annual.years_available()
    if start_year not in {year.start_year for year in years}:
        abort(404)
    return ReportingYear(start_year)
