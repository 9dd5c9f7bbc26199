"""Actions: raising them at a meeting, the list, and marking them done or dropped."""

from __future__ import annotations

from collections.abc import Callable

from flask import abort, flash, g, redirect, render_template, request, url_for

from tracker.core import consultations, locking
from tracker.core.db import db
from tracker.core.forms import ConfirmForm, agency_choices, require_confirmation
from tracker.core.pagination import paginate
from tracker.core.permissions import Permission, requires
from tracker.core.redirects import safe_next
from tracker.core.timeutil import today_london
from tracker.meetings import loaders, queries, rules, services
from tracker.meetings.forms import (
    ActionForm,
    ActionProgressForm,
    DropActionForm,
)
from tracker.meetings.models import (
    Action,
    ActionStatus,
    Pillar,
)
from tracker.meetings.views.common import _add_problem, _closed_for_a_reason, _conflict, bp

# Actions -------------------------------------------------------------------------------------------


@bp.route("/meetings/<int:meeting_id>/agenda/<int:item_id>/actions/new", methods=["GET", "POST"])
@requires(Permission.RUN_MEETINGS)
def action_new(meeting_id: int, item_id: int):
    meeting, item = loaders.item_to_change(meeting_id, item_id)
    form = ActionForm(cleared_only=item.case.is_category_4)
    if request.method == "GET":
        services.ensure_actions_open(item)
        if pillar := Pillar.from_slug(request.args.get("pillar", "")):
            form.pillar.data = pillar.name
    return _saved_or_shown(
        form, meeting, item, None, lambda values: services.add_action(item, values, g.user)
    )


def _saved_or_shown(form: ActionForm, meeting, item, action: Action | None, save: Callable[[dict], object]):
    """The action form: once valid, saved through `save` and back to the case on the agenda (a refusal is
    shown beside the owner); until then, the form again."""
    if _action_valid(form, item, action):
        try:
            save(_action_values(form))
        except services.RecordClosed:
            raise  # the meeting's page says why (the blueprint's handler)
        except services.Refused as refused:
            getattr(form, refused.field or "owner_id").errors = [str(refused)]
        except locking.Conflict:
            return _shown(form, meeting, item, action, _conflict(form, "description", "action"))
        else:
            flash(f"Action {'saved' if action else 'added'} for {item.case.reference}.", "success")
            return redirect(url_for("meetings.agenda_item_view", meeting_id=meeting.id, item_id=item.id))
    return _shown(form, meeting, item, action)


def _shown(form: ActionForm, meeting, item, action: Action | None, status: int = 200):
    page = render_template("meetings/action_form.html", form=form, meeting=meeting, item=item, action=action)
    return page, status


def _action_values(form: ActionForm) -> dict:
    fields = ("pillar", "description", "owner_agency_id", "owner_id", "due_on", "version")
    return {name: getattr(form, name).data for name in fields}


def _action_valid(form: ActionForm, item, action: Action | None) -> bool:
    valid = form.validate_on_submit()
    if form.is_submitted() and form.due_on.data:
        problem = services.agreed_due_date_problem(item, action, form.due_on.data)
        valid = not _add_problem(form.due_on, problem) and valid
    return valid


def _raised_action(item, action_id: int) -> Action:
    action = db.session.get(Action, action_id)
    if action is None or action.agenda_item_id != item.id:
        abort(404)
    return action


@bp.route(
    "/meetings/<int:meeting_id>/agenda/<int:item_id>/actions/<int:action_id>/edit", methods=["GET", "POST"]
)
@requires(Permission.RUN_MEETINGS)
def action_edit(meeting_id: int, item_id: int, action_id: int):
    """Change an action as agreed (its text, owner, due date or pillar) until the minutes are approved."""
    meeting, item = loaders.item_to_change(meeting_id, item_id)
    action = _raised_action(item, action_id)
    form = ActionForm(obj=action, cleared_only=item.case.is_category_4)
    form.submit.label.text = "Save"
    if request.method == "GET":
        services.ensure_actions_open(item)
        form.version.data = str(action.version)
        form.pillar.data = action.pillar.name if action.pillar else ""
        form.owner_agency_id.data = str(action.owner_agency_id)
        form.owner_id.data = str(action.owner_id or "")
    return _saved_or_shown(
        form, meeting, item, action, lambda values: services.change_action(item, action, values, g.user)
    )


@bp.route(
    "/meetings/<int:meeting_id>/agenda/<int:item_id>/actions/<int:action_id>/remove", methods=["POST"]
)
@requires(Permission.RUN_MEETINGS)
def action_remove(meeting_id: int, item_id: int, action_id: int):
    """Take an action off the meeting's record before the minutes are approved: it was never agreed, so
    it never appears in the minutes or the lists."""
    meeting, item = loaders.item_to_change(meeting_id, item_id)
    action = _raised_action(item, action_id)
    require_confirmation()
    services.take_off_record(item, action, g.user)
    flash(f"Action removed for {item.case.reference}.", "success")
    return redirect(url_for("meetings.agenda_item_view", meeting_id=meeting.id, item_id=item.id))


@bp.route("/actions")
@requires(Permission.VIEW_CASE_DATA)
def action_list():
    today = today_london()
    page = paginate(queries.action_list_statement(g.user, request.args, today))
    consultations.show_cases(action.case_id for action in page.items)
    return render_template(
        "meetings/action_list.html",
        page=page,
        args=request.args,
        owner=request.args.get("owner") or queries.default_action_owner(g.user),
        today=today,
        rules=rules,
        agencies=agency_choices(),
        statuses=[c for c in ActionStatus.choices() if c[0] != ActionStatus.REMOVED.name],
        confirm=ConfirmForm(),
    )


def _back_url() -> str:
    """Where to return after updating an action: the page it was updated from (on this site only)."""
    return safe_next(url_for("meetings.action_list"))


@bp.route("/actions/<int:action_id>/complete", methods=["POST"])
@requires(Permission.UPDATE_ACTIONS)
def action_complete(action_id: int):
    action = loaders.action_to_update(action_id)
    require_confirmation()
    if services.mark_done(action, today_london(), g.user):
        flash(f"Action marked as done: {action.description}", "success")
    else:  # someone closed it since the page was shown
        flash(f"This action was already closed ({action.status.label.lower()}): {action.description}")
    return redirect(_back_url())


@bp.route("/actions/<int:action_id>/drop", methods=["GET", "POST"])
@requires(Permission.UPDATE_ACTIONS)
def action_drop(action_id: int):
    action = loaders.action_to_update(action_id)
    form = DropActionForm()
    status = _closed_for_a_reason(
        form,
        action,
        "action",
        lambda: services.drop(action, form.reason.data, form.version.data, g.user, form.outcome.data),
    )
    if status is None:
        flash(f"Action closed: {ActionStatus[form.outcome.data].label.lower()}.", "success")
        return redirect(_back_url())
    return render_template("meetings/action_drop.html", form=form, action=action, back=_back_url()), status


@bp.route("/actions/<int:action_id>/progress", methods=["GET", "POST"])
@requires(Permission.UPDATE_ACTIONS)
def action_progress(action_id: int):
    """Follow-up after the meeting, open once its minutes are approved: a new due date and what
    happened. The action as agreed (its text, owner and agreed date) stays as the minutes record it."""
    action = loaders.action_to_update(action_id)
    form = ActionProgressForm()
    form.revised_due_on.description = services.new_due_date_hint(action)  # the latest date it may be
    status = 200
    if request.method == "GET":
        form.version.data = action.version
        form.revised_due_on.data = action.revised_due_on
        form.progress_note.data = action.progress_note
    elif _progress_valid(form, action):
        try:
            if services.progress(
                action, form.revised_due_on.data, form.progress_note.data, form.version.data, g.user
            ):
                flash("Progress on the action saved.", "success")
                return redirect(_back_url())
            status = _conflict(form, "progress_note", "action")
        except services.Refused as refused:
            form.progress_note.errors = [str(refused)]
    return render_template(
        "meetings/action_progress.html", form=form, action=action, back=_back_url()
    ), status


def _progress_valid(form: ActionProgressForm, action: Action) -> bool:
    valid = form.validate_on_submit()
    problem = services.new_due_date_problem(action, form.revised_due_on.data)
    return not _add_problem(form.revised_due_on, problem) and valid
