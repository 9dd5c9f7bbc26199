"""The annual report: its page, PDF and CSV, and the figures the co-ordinator enters for a year."""

from __future__ import annotations

from flask import flash, g, redirect, render_template, request, url_for

from tracker.core import audit, locking
from tracker.core.csvfile import csv_download
from tracker.core.downloads import download
from tracker.core.permissions import Permission, requires
from tracker.core.timeutil import today_london
from tracker.reports import annual, pdf, rules, services
from tracker.reports.forms import FiguresForm
from tracker.reports.views.common import bp, report_year, year_arg


@bp.route("/annual-report")
@requires(Permission.VIEW_REPORTS)
def annual_report():
    today = today_london()
    years = annual.years_available(today)
    # The last whole year by default: the current one is not over.
    default = years[1] if len(years) > 1 else years[0]
    year = year_arg(default, years)
    return render_template(
        "reports/annual_report.html",
        report=annual.build(year, today),
        year=year,
        years=[(y.start_year, y.label) for y in years],
        may_enter=g.user.can(Permission.ENTER_REPORT_FIGURES),
        percent=rules.percent,
    )


@bp.route("/annual-report/<int:start_year>.pdf")
@requires(Permission.VIEW_REPORTS)
def annual_report_pdf(start_year: int):
    report = _exported(start_year, "PDF")
    return download(pdf.report_pdf(report), "application/pdf", f"{report.file_stem}.pdf")


@bp.route("/annual-report/<int:start_year>.csv")
@requires(Permission.VIEW_REPORTS)
def annual_report_csv(start_year: int):
    report = _exported(start_year, "CSV")
    return csv_download(annual.report_csv(report), f"{report.file_stem}.csv")


def _exported(start_year: int, kind: str):
    """The year's report, its export as `kind` (PDF or CSV) recorded in the audit log."""
    report = annual.build(report_year(start_year))
    audit.record(
        "export", object_type="AnnualReport", object_id=start_year, summary=f"{kind} {report.year.label}"
    )
    return report


@bp.route("/annual-report/<int:start_year>/figures", methods=["GET", "POST"])
@requires(Permission.ENTER_REPORT_FIGURES)
def figures_edit(start_year: int):
    year = report_year(start_year)
    figures = annual.figures_for(year)
    form = FiguresForm(obj=figures)
    status = 200
    if request.method == "GET":
        form.version.data = figures.version if figures else 0
    elif form.validate_on_submit():
        if services.save_figures(g.user, year, figures, form.version.data, form.values()):
            flash(f"Figures for {year.label} saved.", "success")
            return redirect(url_for("reports.annual_report", year=year.start_year))
        form.level_1_category_1.errors = [locking.conflict_message("year's figures")]
        status = 409
    return render_template("reports/figures_form.html", form=form, year=year, figures=figures), status
