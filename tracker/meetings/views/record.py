"""The record of a case's discussion: the agenda item page, the Four Pillars, the risk assessment and the
level decision."""

from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, url_for
from sqlalchemy.orm import selectinload
from sqlmodel import select

from tracker.auth.models import people_named
from tracker.core import audit, locking
from tracker.core.db import db
from tracker.core.forms import ConfirmForm, require_confirmation
from tracker.core.permissions import Permission, requires
from tracker.core.timeutil import london, today_london
from tracker.meetings import access, freeze, loaders, plan, plan_shown, rules, services, timeline
from tracker.meetings.forms import DecisionForm, PillarForm, RiskForm
from tracker.meetings.models import (
    Action,
    ActionStatus,
    AgendaItem,
    Level,
    LevelDecision,
    Pillar,
    PillarStatus,
    PlanPartKind,
)
from tracker.meetings.services.record import RISK_FIELDS
from tracker.meetings.views.common import _add_problem, _conflict, bp

_RISK_TEXTS = ("imminence", "risk_notes", "contingency_plan", "licence_conditions")

# The record of a case's discussion -----------------------------------------------------------------


@bp.route("/meetings/<int:meeting_id>/agenda/<int:item_id>")
@requires(Permission.VIEW_CASE_DATA)
def agenda_item_view(meeting_id: int, item_id: int):
    meeting = loaders.meeting_to_view(meeting_id)
    item = loaders.item_on(meeting, item_id)
    audit.record("view", item.case, summary=f"{item.case.reference} at meeting {meeting.reference}")
    raised = db.session.exec(
        select(Action)
        .where(Action.agenda_item_id == item.id, Action.status != ActionStatus.REMOVED)
        .order_by(Action.id)
        .options(people_named(Action.owner), selectinload(Action.owner_agency))
    ).all()
    earlier = services.actions_to_review(item)
    return render_template(
        "meetings/agenda_item_view.html",
        meeting=meeting,
        item=item,
        case=item.case,
        raised=raised,
        earlier=earlier,
        may_run=access.can_run(g.user, meeting),
        record_open=freeze.is_open(meeting),
        plan_closed_by=services.plan_closed_by(item),
        actions_closed_by=services.actions_closed_by(item),
        level_now=timeline.level_changes_since_added(item),
        plan_parts=plan_shown.parts(item),
        pillars=list(Pillar),
        confirm=ConfirmForm(),
        today=today_london(),
        meeting_day=london(meeting.starts_at).date(),
        rules=rules,
    )


@bp.route("/meetings/<int:meeting_id>/agenda/<int:item_id>/pillars/<pillar_slug>", methods=["GET", "POST"])
@requires(Permission.RUN_MEETINGS)
def pillar_edit(meeting_id: int, item_id: int, pillar_slug: str):
    meeting, item = loaders.item_to_change(meeting_id, item_id)
    pillar = Pillar.from_slug(pillar_slug) or abort(404)
    entry = item.entry_for(pillar) or abort(404)
    form = PillarForm(obj=entry)
    status = 200
    if request.method == "GET":
        services.ensure_plan_open(item, [PlanPartKind.for_pillar(pillar)])
        form.status.data = entry.status.name
        form.version.data = entry.version
    elif form.validate_on_submit():
        status_chosen, summary, reason = (
            PillarStatus[form.status.data], form.summary.data, form.not_applicable_reason.data
        )
        if services.save_pillar(item, entry, status_chosen, summary, reason, form.version.data, g.user):
            flash(f"{pillar.label} saved for {item.case.reference}.", "success")
            return redirect(url_for("meetings.agenda_item_view", meeting_id=meeting.id, item_id=item.id))
        status = _conflict(form, "status", "pillar")
    return render_template(
        "meetings/pillar_form.html", form=form, meeting=meeting, item=item, pillar=pillar
    ), status


@bp.route("/meetings/<int:meeting_id>/agenda/<int:item_id>/risk", methods=["GET", "POST"])
@requires(Permission.RUN_MEETINGS)
def risk_edit(meeting_id: int, item_id: int):
    meeting, item = loaders.item_to_change(meeting_id, item_id)
    tools = plan.tools()
    if item.assessment_tool and item.assessment_tool not in tools:
        tools.append(item.assessment_tool)  # a tool the area has since taken off its list
    form = RiskForm(obj=item, tools=tools)
    status = 200
    if request.method == "GET":
        services.ensure_plan_open(item, list(plan.ITEM_COLUMNS))
        for name in (*RISK_FIELDS, "imminence"):
            value = getattr(item, name)
            getattr(form, name).data = value.name if value else None
        form.version.data = item.version
        form.shown.data = locking.fingerprint(item, services.RISK_FORM_COLUMNS)
    elif _risk_valid(form, item):
        names = (*RISK_FIELDS, *_RISK_TEXTS, "assessment_tool", "assessed_on")
        values = {name: getattr(form, name).data for name in names}
        if services.save_risk(item, values, form.version.data, g.user, form.shown.data):
            flash(f"Risk assessment saved for {item.case.reference}.", "success")
            return redirect(url_for("meetings.agenda_item_view", meeting_id=meeting.id, item_id=item.id))
        status = _conflict(form, "risk_to_children", "risk assessment")
    return render_template("meetings/risk_form.html", form=form, meeting=meeting, item=item), status


def _risk_valid(form: RiskForm, item: AgendaItem) -> bool:
    valid = form.validate_on_submit()
    problem = rules.assessment_date_problem(form.assessed_on.data, today_london(), item.case.date_of_birth)
    return not _add_problem(form.assessed_on, problem) and valid


@bp.route("/meetings/<int:meeting_id>/agenda/<int:item_id>/plan/<part_slug>/confirm", methods=["POST"])
@requires(Permission.RUN_MEETINGS)
def plan_part_confirm(meeting_id: int, item_id: int, part_slug: str):
    """The chair confirms one part of the plan as carried from the case's last meeting."""
    meeting, item = loaders.item_to_change(meeting_id, item_id)
    kind = PlanPartKind.from_slug(part_slug) or abort(404)
    require_confirmation()
    try:
        outcome = services.confirm_plan_part(
            item, kind, g.user, request.form.get("carried_from"), request.form.get("shown")
        )
    except services.Refused as refused:
        flash(str(refused), "important")
    else:
        flash(f"{kind.label}: {outcome.label.lower()} for {item.case.reference}.", "success")
    return redirect(
        url_for("meetings.agenda_item_view", meeting_id=meeting.id, item_id=item.id, _anchor="plan")
    )


@bp.route("/meetings/<int:meeting_id>/agenda/<int:item_id>/decision", methods=["GET", "POST"])
@requires(Permission.RUN_MEETINGS)
def decision_edit(meeting_id: int, item_id: int):
    meeting, item = loaders.item_to_change(meeting_id, item_id)
    form = DecisionForm(obj=item)
    status = 200
    if request.method == "GET":
        services.ensure_discussed(item)
        form.level_decision.data = item.level_decision.name if item.level_decision else None
        form.version.data = item.version
        form.shown.data = locking.fingerprint(item, services.DECISION_FORM_COLUMNS)
    elif _decision_valid(form, item):
        decision, reason = LevelDecision[form.level_decision.data], form.level_decision_reason.data
        review_on, version = form.next_review_on.data, form.version.data
        try:
            if services.decide_level(item, decision, reason, review_on, version, g.user, form.shown.data):
                flash(f"Level decision and next review saved for {item.case.reference}.", "success")
                return redirect(url_for("meetings.agenda_item_view", meeting_id=meeting.id, item_id=item.id))
            status = _conflict(form, "level_decision", "decision")
        except services.Refused as refused:
            form.level_decision.errors = [str(refused)]
    return render_template(
        "meetings/decision_form.html",
        form=form,
        meeting=meeting,
        item=item,
        level_now=timeline.level_at(item),
        weeks_level_2=rules.review_weeks(Level.LEVEL_2),
        weeks_level_3=rules.review_weeks(Level.LEVEL_3),
    ), status


def _decision_valid(form: DecisionForm, item: AgendaItem) -> bool:
    """The form's own checks, then the rules: not before the meeting, a decision that fits the case's
    level, and a next review within the longest interval. Every problem found is shown at once."""
    valid = form.validate_on_submit()
    meeting_day = london(item.meeting.starts_at).date()
    if _add_problem(form.level_decision, rules.decision_date_problem(meeting_day, today_london())):
        return False
    decision = LevelDecision.__members__.get(form.level_decision.data or "")
    if decision is None or form.next_review_on.errors:
        return False
    problem = _decision_problem(item, decision, form)
    if problem:
        field, message = problem
        _add_problem(getattr(form, field), message)
        return False
    return valid


def _decision_problem(
    item: AgendaItem, decision: LevelDecision, form: DecisionForm
) -> tuple[str, str] | None:
    standing = timeline.level_at(item)
    problem = rules.level_decision_problem(standing, decision)
    if problem:
        return "level_decision", problem
    level = rules.level_after_decision(standing, decision)
    weeks = rules.review_weeks(level) if level and level.has_meetings else None
    problem = rules.next_review_problem(
        london(item.meeting.starts_at).date(), form.next_review_on.data, level, weeks
    )
    return ("next_review_on", problem) if problem else None
