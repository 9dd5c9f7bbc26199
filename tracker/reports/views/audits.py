"""The Board's reports: the quality dashboard, the annual report (page, PDF and CSV) and its entered
figures, and the quality audits of meetings.

Aggregates only: no page here shows a person managed under MAPPA or a case reference. An audit points at
a meeting, whose own page (in the meetings area) shows its cases to those who may see them.
"""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for

from tracker.auth.models import User
from tracker.core import audit, locking
from tracker.core.csvfile import csv_download
from tracker.core.db import db
from tracker.core.downloads import download
from tracker.core.forms import ConfirmForm
from tracker.core.pagination import paginate
from tracker.core.permissions import Permission, can_view, get_visible_or_404, requires
from tracker.core.timeutil import today_london
from tracker.reports import annual, audits, pdf, quality, rules, services
from tracker.reports.forms import AssignForm, FiguresForm, audit_form
from tracker.reports.models import AuditCriterion, AuditStatus, MeetingAudit
from tracker.reports.rules import Quarter, ReportingYear

bp = Blueprint("reports", __name__, url_prefix="/reports")


def _year_arg(default: ReportingYear, years: list[ReportingYear]) -> ReportingYear:
    chosen = request.args.get("year", type=int)
    by_start = {year.start_year: year for year in years}
    return by_start.get(chosen, default) if chosen is not None else default


# The quality dashboard -----------------------------------------------------------------------------------


@bp.route("/")
@requires(Permission.VIEW_REPORTS)
def index():
    today = today_london()
    years = annual.years_available(today)
    year = _year_arg(rules.reporting_year_of(today), years)
    return render_template(
        "reports/dashboard.html",
        dashboard=quality.build(year, today),
        year=year,
        years=[(y.start_year, y.label) for y in years],
        percent=rules.percent,
        one_decimal=rules.one_decimal,
        score_labels=rules.SCORE_LABELS,
    )


# The annual report ---------------------------------------------------------------------------------------


def _report_year(start_year: int) -> ReportingYear:
    years = annual.years_available()
    if start_year not in {year.start_year for year in years}:
        abort(404)
    return ReportingYear(start_year)


@bp.route("/annual-report")
@requires(Permission.VIEW_REPORTS)
def annual_report():
    today = today_london()
    years = annual.years_available(today)
    # The last whole year by default: the current one is not over.
    default = years[1] if len(years) > 1 else years[0]
    year = _year_arg(default, years)
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
    report = annual.build(_report_year(start_year))
    audit.record(
        "export", object_type="AnnualReport", object_id=start_year, summary=f"PDF {report.year.label}"
    )
    return download(pdf.report_pdf(report), "application/pdf", f"{report.file_stem}.pdf")


@bp.route("/annual-report/<int:start_year>.csv")
@requires(Permission.VIEW_REPORTS)
def annual_report_csv(start_year: int):
    report = annual.build(_report_year(start_year))
    audit.record(
        "export", object_type="AnnualReport", object_id=start_year, summary=f"CSV {report.year.label}"
    )
    return csv_download(annual.report_csv(report), f"{report.file_stem}.csv")


@bp.route("/annual-report/<int:start_year>/figures", methods=["GET", "POST"])
@requires(Permission.ENTER_REPORT_FIGURES)
def figures_edit(start_year: int):
    year = _report_year(start_year)
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


# Meeting audits ------------------------------------------------------------------------------------------


@bp.route("/audits")
@requires(Permission.VIEW_CASE_DATA)
def audit_list():
    show = request.args.get("show", "")
    status = AuditStatus.__members__.get(show.upper())
    page = paginate(audits.audit_list_statement(g.user, status))
    return render_template(
        "reports/audit_list.html",
        page=page,
        show=show,
        case_counts=audits.case_counts([a.meeting_id for a in page.items], g.user),
        may_assign=g.user.can(Permission.AUDIT_MEETINGS),
        mean=rules.mean,
        one_decimal=rules.one_decimal,
    )


def _quarter_arg(today) -> Quarter:
    """The quarter asked for as ?period=2026-2 (a quarter that has begun), else the last whole quarter:
    its meetings are held and minuted."""
    current = rules.quarter_of(today)
    year, _, number = request.args.get("period", "").partition("-")
    if year.isdigit() and number in ("1", "2", "3", "4"):
        chosen = Quarter(ReportingYear(int(year)), int(number))
        if chosen.first_day <= today:
            return chosen
    return rules.quarter_of(current.first_day - timedelta(days=1))


@bp.route("/audits/sample", methods=["GET", "POST"])
@requires(Permission.AUDIT_MEETINGS)
def audit_sample():
    today = today_london()
    quarter = _quarter_arg(today)
    attempt = max(0, request.args.get("attempt", 0, type=int))
    until = quality.instant(today)
    suggested = audits.suggested(quarter, attempt, until)
    held = audits.candidates(quarter, until)
    form = AssignForm()
    form.meetings.choices = [(str(m.id), m.reference) for m in held]
    form.auditor.choices = [("", "Choose an auditor")] + audits.auditor_choices()
    if request.method == "GET":
        form.meetings.data = [str(m.id) for m in suggested]
        form.auditor.data = str(g.user.id)
    if form.validate_on_submit():
        chosen = [m for m in held if str(m.id) in set(form.meetings.data)]
        auditor = db.session.get(User, int(form.auditor.data)) if form.auditor.data.isdigit() else None
        problems = [
            rules.auditor_problem(auditor.id if auditor else None, m.chair_id, m.reference) for m in chosen
        ]
        if not chosen:
            form.meetings.errors = ["Select at least one meeting to audit"]
        elif any(problems):
            form.auditor.errors = [next(p for p in problems if p)]
        else:
            services.assign_audits(g.user, chosen, auditor)
            flash(
                f"{len(chosen)} audit{'s' if len(chosen) != 1 else ''} assigned to {auditor.name}.", "success"
            )
            return redirect(url_for("reports.audit_list"))
    quarters = [rules.quarter_of(today)]
    while len(quarters) < 8:
        quarters.append(rules.quarter_of(quarters[-1].first_day - timedelta(days=1)))
    return render_template(
        "reports/audit_sample.html",
        form=form,
        quarter=quarter,
        quarters=quarters,
        attempt=attempt,
        held=held,
        suggested={m.id for m in suggested},
        case_counts=audits.case_counts([m.id for m in held], g.user),
        sample_size=rules.audit_sample_size(),
    )


@bp.route("/audits/<int:audit_id>", methods=["GET", "POST"])
@requires(Permission.SCORE_AUDITS)
def audit_view(audit_id: int):
    meeting_audit = get_visible_or_404(MeetingAudit, audit_id)
    may_score = audits.may_score(g.user, meeting_audit)
    if request.method == "POST" and not may_score:
        abort(403)
    form = audit_form()
    status = 200
    if request.method == "GET":
        form.version.data = meeting_audit.version
        for criterion, score, comment in form.criteria():
            row = meeting_audit.score_for(criterion)
            if row is not None:
                score.data = str(row.score) if row.score is not None else "NA"
                comment.data = row.comment
    elif form.validate_on_submit():
        if services.score_audit(g.user, meeting_audit, form.version.data, form.scores()):
            flash(f"Audit of {meeting_audit.meeting.reference} saved.", "success")
            return redirect(url_for("reports.audit_list"))
        form.version.errors = [locking.conflict_message("audit")]
        first = form.criteria()[0][1]
        first.errors = [locking.conflict_message("audit")]
        status = 409
    meeting = meeting_audit.meeting
    return render_template(
        "reports/audit_form.html",
        form=form,
        audit=meeting_audit,
        meeting=meeting,
        may_score=may_score,
        may_open_meeting=can_view(g.user, meeting),
        case_count=audits.case_counts([meeting.id], g.user).get(meeting.id, 0),
        criteria=list(AuditCriterion),
        withdraw_form=ConfirmForm(),
        score_labels=rules.SCORE_LABELS,
    ), status


@bp.route("/audits/<int:audit_id>/withdraw", methods=["POST"])
@requires(Permission.AUDIT_MEETINGS)
def audit_withdraw(audit_id: int):
    meeting_audit = get_visible_or_404(MeetingAudit, audit_id)
    form = ConfirmForm()
    if not form.validate_on_submit() or meeting_audit.status is AuditStatus.COMPLETED:
        flash("A completed audit cannot be withdrawn.", "error")
        return redirect(url_for("reports.audit_view", audit_id=audit_id))
    reference = meeting_audit.meeting.reference
    services.withdraw_audit(g.user, meeting_audit)
    flash(f"The audit of {reference} was withdrawn.", "success")
    return redirect(url_for("reports.audit_list"))
