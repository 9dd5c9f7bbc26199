"""Meeting quality audits: the list, the co-ordinator's quarterly sample and assigning it, an auditor
scoring their audit, and withdrawing one not yet done."""

from __future__ import annotations

from datetime import timedelta

from flask import abort, flash, g, redirect, render_template, request, url_for

from tracker.auth.models import User
from tracker.core import locking
from tracker.core.db import db
from tracker.core.forms import ConfirmForm
from tracker.core.pagination import paginate
from tracker.core.permissions import Permission, can_view, get_visible_or_404, requires
from tracker.core.timeutil import today_london
from tracker.meetings.models import Meeting
from tracker.reports import audits, quality, rules, services
from tracker.reports.forms import AssignForm, audit_form
from tracker.reports.models import AuditCriterion, AuditStatus, MeetingAudit
from tracker.reports.rules import Quarter, ReportingYear
from tracker.reports.views.common import bp


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


# The sample ----------------------------------------------------------------------------------------------


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


def _recent_quarters(today, count: int = 8) -> list[Quarter]:
    """The current quarter and those before it, latest first, to choose a sample from."""
    quarters = [rules.quarter_of(today)]
    while len(quarters) < count:
        quarters.append(rules.quarter_of(quarters[-1].first_day - timedelta(days=1)))
    return quarters


def _assign_form(held: list[Meeting], suggested: list[Meeting]) -> AssignForm:
    form = AssignForm()
    form.meetings.choices = [(str(m.id), m.reference) for m in held]
    form.auditor.choices = [("", "Choose an auditor")] + audits.auditor_choices()
    if request.method == "GET":
        form.meetings.data = [str(m.id) for m in suggested]
        form.auditor.data = str(g.user.id)
    return form


def _assign(form: AssignForm, held: list[Meeting]) -> bool:
    """Assign the chosen meetings to the chosen auditor; False, with the reason on the form, when the
    choice breaks a rule (no meeting, or an auditor who chaired one of them)."""
    chosen = [m for m in held if str(m.id) in set(form.meetings.data)]
    auditor = db.session.get(User, int(form.auditor.data)) if form.auditor.data.isdigit() else None
    auditor_id = auditor.id if auditor else None
    problems = [rules.auditor_problem(auditor_id, m.chair_id, m.reference) for m in chosen]
    if not chosen:
        form.meetings.errors = ["Select at least one meeting to audit"]
        return False
    if any(problems):
        form.auditor.errors = [next(p for p in problems if p)]
        return False
    services.assign_audits(g.user, chosen, auditor)
    flash(f"{len(chosen)} audit{'s' if len(chosen) != 1 else ''} assigned to {auditor.name}.", "success")
    return True


@bp.route("/audits/sample", methods=["GET", "POST"])
@requires(Permission.AUDIT_MEETINGS)
def audit_sample():
    today = today_london()
    quarter = _quarter_arg(today)
    attempt = max(0, request.args.get("attempt", 0, type=int))
    until = quality.instant(today)
    suggested = audits.suggested(quarter, attempt, until)
    held = audits.candidates(quarter, until)
    form = _assign_form(held, suggested)
    if form.validate_on_submit() and _assign(form, held):
        return redirect(url_for("reports.audit_list"))
    return render_template(
        "reports/audit_sample.html",
        form=form,
        quarter=quarter,
        quarters=_recent_quarters(today),
        attempt=attempt,
        held=held,
        suggested={m.id for m in suggested},
        case_counts=audits.case_counts([m.id for m in held], g.user),
        sample_size=rules.audit_sample_size(),
    )


# One audit -----------------------------------------------------------------------------------------------


def _fill_in(form, meeting_audit: MeetingAudit) -> None:
    """The audit's saved scores and comments, and its version, on the form."""
    form.version.data = meeting_audit.version
    for criterion, score, comment in form.criteria():
        row = meeting_audit.score_for(criterion)
        if row is not None:
            score.data = str(row.score) if row.score is not None else "NA"
            comment.data = row.comment


def _audit_page(form, meeting_audit: MeetingAudit, may_score: bool, status: int):
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
        _fill_in(form, meeting_audit)
    elif form.validate_on_submit():
        if services.score_audit(g.user, meeting_audit, form.version.data, form.scores()):
            flash(f"Audit of {meeting_audit.meeting.reference} saved.", "success")
            return redirect(url_for("reports.audit_list"))
        form.version.errors = [locking.conflict_message("audit")]
        first = form.criteria()[0][1]
        first.errors = [locking.conflict_message("audit")]
        status = 409
    return _audit_page(form, meeting_audit, may_score, status)


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
