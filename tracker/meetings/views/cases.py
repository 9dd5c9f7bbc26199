"""Case pages: the list, referral, a case's history, editing it and recording events."""

from __future__ import annotations

from flask import flash, g, redirect, render_template, request, url_for

from tracker.core import audit, consultations
from tracker.core.pagination import paginate
from tracker.core.permissions import Permission, requires
from tracker.core.timeutil import today_london
from tracker.meetings import access, loaders, plan_shown, queries, rules, services
from tracker.meetings.forms import (
    CaseEventForm,
    CaseForm,
)
from tracker.meetings.models import (
    CaseEventKind,
    CaseStatus,
    Category,
    Level,
)
from tracker.meetings.views.common import _conflict, bp

# Cases ---------------------------------------------------------------------------------------------


@bp.route("/cases")
@requires(Permission.VIEW_CASE_DATA)
def case_list():
    today = today_london()
    page = paginate(queries.case_list_statement(g.user, request.args, today))
    consultations.show_cases(case.id for case in page.items)
    return render_template(
        "meetings/case_list.html",
        page=page,
        args=request.args,
        default_sort=queries.case_default_sort(request.args),
        boroughs=[(b, b) for b in queries.boroughs(g.user)],
        levels=[(level.name, level.label) for level in Level],
        categories=[c for c in Category.choices() if c[0] != "CATEGORY_4" or g.user.terrorism_cleared],
        statuses=[(queries.ALL_STATUSES, "Any status, exited included"), *CaseStatus.choices()],
        reviews=list(queries.REVIEW_FILTERS.items()),
        due={case.id: queries.case_review_due(case) for case in page.items},
        today=today,
        soon=rules.due_soon_days(),
        rules=rules,
    )


@bp.route("/cases/new", methods=["GET", "POST"])
@requires(Permission.MANAGE_CASES)
def case_new():
    form = CaseForm(viewer=g.user)
    if form.validate_on_submit():
        try:
            case = services.refer_case(form.values(), Level[form.level.data], g.user)
        except services.Refused as refused:
            form.lead_officer_id.errors = [str(refused)]
        else:
            flash(f"Case {case.reference} referred.", "success")
            return redirect(url_for("meetings.case_view", case_id=case.id))
    return render_template("meetings/case_form.html", form=form, case=None)


@bp.route("/cases/<int:case_id>")
@requires(Permission.VIEW_CASE_DATA)
def case_view(case_id: int):
    case = loaders.case_to_view(case_id)
    audit.record("view", case)
    seen = queries.case_meetings(case, g.user)
    granted = seen.items if seen.granted_only else None  # read only through a grant: what those meetings had
    return render_template(
        "meetings/case_view.html",
        case=case,
        history=queries.case_history(case, g.user, granted),
        items=seen.items,
        cancelled=seen.cancelled,
        granted_only=seen.granted_only,
        correcting=seen.correcting,
        actions=queries.case_actions(case, granted),
        plan_history=plan_shown.history_in_lines(case.id, access.meeting_condition(g.user)),
        due=queries.case_review_due(case),
        today=today_london(),
        soon=rules.due_soon_days(),
        rules=rules,
        may_manage=access.can_change_case(g.user, case),
        may_schedule=g.user.can(Permission.SCHEDULE_MEETINGS),
    )


@bp.route("/cases/<int:case_id>/edit", methods=["GET", "POST"])
@requires(Permission.MANAGE_CASES)
def case_edit(case_id: int):
    case = loaders.case_to_edit(case_id)
    form = CaseForm(obj=case, editing=case, viewer=g.user)
    del form.level  # the level changes through a level decision or a recorded level change
    status = 200
    if request.method == "GET":
        form.category.data = case.category.name
        form.lead_agency_id.data = str(case.lead_agency_id)
        form.lead_officer_id.data = str(case.lead_officer_id or "")
        form.version.data = case.version
    elif form.validate_on_submit():
        try:
            saved = services.edit_case(case, form.values(), form.version.data, g.user)
        except services.Refused as refused:
            getattr(form, refused.field or "lead_officer_id").errors = [str(refused)]
        else:
            if saved:
                flash(f"Changes to {case.reference} saved.", "success")
                return redirect(url_for("meetings.case_view", case_id=case.id))
            status = _conflict(form, "reference", "case")
    return render_template("meetings/case_form.html", form=form, case=case), status


@bp.route("/cases/<int:case_id>/events/new", methods=["GET", "POST"])
@requires(Permission.MANAGE_CASES)
def case_event_new(case_id: int):
    case = loaders.case_to_edit(case_id)
    form = CaseEventForm()
    if form.validate_on_submit():
        new_level = Level[form.new_level.data] if form.new_level.data else None
        kind = CaseEventKind[form.kind.data]
        try:
            when = form.occurred_on.data, form.occurred_time.data
            services.record_case_event(case, kind, when[0], new_level, form.reason.data, g.user, when[1])
        except services.DateRefused as problem:
            getattr(form, problem.field).errors = [str(problem)]
        except ValueError as problem:
            form.kind.errors = [str(problem)]
        else:
            flash(f"{kind.label} recorded for {case.reference}.", "success")
            return redirect(url_for("meetings.case_view", case_id=case.id))
    return render_template("meetings/case_event_form.html", form=form, case=case)
