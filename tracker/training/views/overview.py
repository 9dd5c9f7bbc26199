"""The overview of a reporting year's training, as a page and as CSV."""

from __future__ import annotations

from flask import abort, render_template, request

from tracker.core import audit
from tracker.core.csvfile import csv_download
from tracker.core.permissions import Permission, requires
from tracker.training import overview as year_overview
from tracker.training import queries, rules
from tracker.training.views import bp


def _chosen_year() -> tuple[rules.ReportingYear, list[rules.ReportingYear]]:
    years = queries.reporting_years()
    chosen = request.args.get("year", type=int)
    by_start = {year.start_year: year for year in years}
    if chosen is not None and chosen not in by_start:
        abort(404)
    return by_start.get(chosen, years[0]), years


@bp.route("/overview")
@requires(Permission.VIEW_TRAINING_OVERVIEW)
def overview():
    year, years = _chosen_year()
    figures = year_overview.year_figures(year)
    return render_template(
        "training/overview.html",
        figures=figures,
        year=year,
        years=[(y.start_year, y.label) for y in years],
        percent=year_overview.percent,
    )


@bp.route("/overview.csv")
@requires(Permission.VIEW_TRAINING_OVERVIEW)
def overview_csv():
    year, _years = _chosen_year()
    data = year_overview.figures_csv(year_overview.year_figures(year))
    audit.record(
        "export", object_type="TrainingOverview", object_id=year.start_year, summary=f"CSV {year.label}"
    )
    return csv_download(data, f"training-overview-{year.slug}.csv")
