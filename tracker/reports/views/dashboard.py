"""The Board's quality dashboard: a reporting year's figures against the standards."""

from __future__ import annotations

from flask import render_template

from tracker.core.permissions import Permission, requires
from tracker.core.timeutil import today_london
from tracker.reports import annual, quality, rules
from tracker.reports.views.common import bp, year_arg


@bp.route("/")
@requires(Permission.VIEW_REPORTS)
def index():
    today = today_london()
    years = annual.years_available(today)
    year = year_arg(rules.reporting_year_of(today), years)
    return render_template(
        "reports/dashboard.html",
        dashboard=quality.build(year, today),
        year=year,
        years=[(y.start_year, y.label) for y in years],
        percent=rules.percent,
        one_decimal=rules.one_decimal,
        score_labels=rules.SCORE_LABELS,
    )
