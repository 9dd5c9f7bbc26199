"""Actions: raising them at a meeting, the list, and marking them done or dropped."""

from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, url_for

from tracker.core.forms import ConfirmForm
from tracker.core.pagination import paginate
from tracker.core.permissions import Permission, requires
from tracker.core.redirects import safe_next
from tracker.core.timeutil import london, today_london
from tracker.meetings import loaders, queries, rules, services
from tracker.meetings.forms import (
    ActionForm,
    DropActionForm,
)
from tracker.meetings.models import (
    ActionStatus,
    Pillar,
)
from tracker.meetings.views.common import _add_problem, _conflict, bp

# Actions -------------------------------------------------------------------------------------------


@bp.route("/meetings/<int:meeting_id>/agenda/<int:item_id>/actions/new", methods=["GET", "POST"])
@requires(Permission.RUN_MEETINGS)
def action_new(meeting_id: int, item_id: int):
    meeting = loaders.meeting_to_run(meeting_id)
    services.ensure_record_open(meeting)
    item = loaders.item_on(meeting, item_id)
    form = ActionForm(cleared_only=item.case.is_category_4)
    if request.method == "GET" and (pillar := Pillar.from_slug(request.args.get("pillar", ""))):
        form.pillar.data = pillar.name
    valid = form.validate_on_submit()
    if form.is_submitted() and form.due_on.data:
        problem = rules.action_due_problem(form.due_on.data, london(meeting.starts_at).date())
        valid = not _add_problem(form.due_on, problem) and valid
    if valid:
        fields = ("pillar", "description", "owner_agency_id", "owner_id", "due_on")
        try:
            services.add_action(item, {name: getattr(form, name).data for name in fields}, g.user)
        except services.Refused as refused:
            form.owner_id.errors = [str(refused)]
        else:
            flash(f"Action added for {item.case.reference}.", "success")
            return redirect(url_for("meetings.agenda_item_view", meeting_id=meeting.id, item_id=item.id))
    return render_template("meetings/action_form.html", form=form, meeting=meeting, item=item)


@bp.route("/actions")
@requires(Permission.VIEW_CASE_DATA)
def action_list():
    today = today_london()
    page = paginate(queries.action_list_statement(g.user, request.args, today))
    from tracker.core.forms import agency_choices

    return render_template(
        "meetings/action_list.html",
        page=page,
        args=request.args,
        today=today,
        rules=rules,
        agencies=agency_choices(),
        statuses=ActionStatus.choices(),
        confirm=ConfirmForm(),
    )


def _back_url() -> str:
    """Where to return after updating an action: the page it was updated from (on this site only)."""
    return safe_next(url_for("meetings.action_list"))


@bp.route("/actions/<int:action_id>/complete", methods=["POST"])
@requires(Permission.UPDATE_ACTIONS)
def action_complete(action_id: int):
    action = loaders.action_to_update(action_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if services.mark_done(action, today_london(), g.user):
        flash("Action marked as done.", "success")
    return redirect(_back_url())


@bp.route("/actions/<int:action_id>/drop", methods=["GET", "POST"])
@requires(Permission.UPDATE_ACTIONS)
def action_drop(action_id: int):
    action = loaders.action_to_update(action_id)
    form = DropActionForm()
    status = 200
    if request.method == "GET":
        form.version.data = action.version
    elif form.validate_on_submit():
        try:
            if services.drop(action, form.reason.data, form.version.data, g.user):
                flash("Action dropped.", "success")
                return redirect(_back_url())
            status = _conflict(form, "reason", "action")
        except services.Refused as refused:
            form.reason.errors = [str(refused)]
    return render_template("meetings/action_drop.html", form=form, action=action, back=_back_url()), status
