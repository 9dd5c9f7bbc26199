"""A meeting's agenda: adding, changing, moving and removing the cases on it."""

from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, url_for

from tracker.core.forms import ConfirmForm
from tracker.core.permissions import Permission, requires
from tracker.core.timeutil import london
from tracker.meetings import loaders, rules, services
from tracker.meetings.forms import (
    AgendaItemForm,
)
from tracker.meetings.models import (
    AgendaPurpose,
    Meeting,
    MeetingType,
)
from tracker.meetings.views.common import _add_problem, _conflict, bp


@bp.route("/meetings/<int:meeting_id>/agenda/new", methods=["GET", "POST"])
@requires(Permission.RUN_MEETINGS)
def agenda_item_new(meeting_id: int):
    meeting = loaders.meeting_to_run(meeting_id)
    form = AgendaItemForm(adding=True)
    if request.method == "GET":
        form.purpose.data = (
            AgendaPurpose.INITIAL.name
            if meeting.meeting_type is MeetingType.INITIAL
            else AgendaPurpose.REVIEW.name
        )
        form.case_reference.data = request.args.get("case", "")
    _describe_slot(form, meeting)
    if _slot_valid(form, meeting):
        purpose, slot = AgendaPurpose[form.purpose.data], _slot(form)
        try:
            item = services.add_to_agenda(meeting, form.case_reference.data, purpose, slot, g.user)
        except services.Refused as refused:
            officer = "presenting officer" in str(refused)
            field = form.presenting_officer_id if officer else form.case_reference
            field.errors = [str(refused)]
        else:
            flash(f"{item.case.reference} added to the agenda.", "success")
            return redirect(url_for("meetings.meeting_view", meeting_id=meeting.id))
    return render_template("meetings/agenda_item_form.html", form=form, meeting=meeting, item=None)


def _describe_slot(form: AgendaItemForm, meeting: Meeting) -> None:
    form.slot_start.description = (
        f"The meeting runs from {london(meeting.starts_at):%H:%M} to {london(meeting.ends_at):%H:%M}."
    )


def _slot_valid(form: AgendaItemForm, meeting: Meeting) -> bool:
    """The form's own checks, and the time slot within the meeting."""
    valid = form.validate_on_submit()
    if not form.is_submitted():
        return valid
    times = london(meeting.starts_at).time(), london(meeting.ends_at).time()
    starts, ends = form.slot_start.data, form.slot_end.data
    if _add_problem(form.slot_start, starts and rules.slot_problem(starts, None, *times)):
        return False
    if not form.slot_end.errors and _add_problem(
        form.slot_end, ends and rules.slot_problem(None, ends, *times)
    ):
        return False
    return valid


def _slot(form: AgendaItemForm) -> dict:
    return {name: getattr(form, name).data for name in ("slot_start", "slot_end", "presenting_officer_id")}


@bp.route("/meetings/<int:meeting_id>/agenda/<int:item_id>/edit", methods=["GET", "POST"])
@requires(Permission.RUN_MEETINGS)
def agenda_item_edit(meeting_id: int, item_id: int):
    meeting = loaders.meeting_to_run(meeting_id)
    services.ensure_record_open(meeting, services.PLANNING)
    item = loaders.item_on(meeting, item_id)
    form = AgendaItemForm(obj=item, adding=False, cleared_only=item.case.is_category_4)
    del form.case_reference
    _describe_slot(form, meeting)
    status = 200
    if request.method == "GET":
        form.purpose.data = item.purpose.name
        form.slot_start.data = london(item.slot_starts_at).time() if item.slot_starts_at else None
        form.slot_end.data = london(item.slot_ends_at).time() if item.slot_ends_at else None
        form.presenting_officer_id.data = str(item.presenting_officer_id or "")
        form.version.data = item.version
    elif _slot_valid(form, meeting):
        purpose = AgendaPurpose[form.purpose.data]
        try:
            slot, version = _slot(form), form.version.data
            saved = services.change_agenda_item(meeting, item, purpose, slot, version, g.user)
        except services.Refused as refused:
            form.presenting_officer_id.errors = [str(refused)]
        else:
            if saved:
                flash(f"Agenda item for {item.case.reference} saved.", "success")
                return redirect(url_for("meetings.meeting_view", meeting_id=meeting.id))
            status = _conflict(form, "purpose", "agenda item")
    return render_template("meetings/agenda_item_form.html", form=form, meeting=meeting, item=item), status


@bp.route("/meetings/<int:meeting_id>/agenda/<int:item_id>/move", methods=["POST"])
@requires(Permission.RUN_MEETINGS)
def agenda_item_move(meeting_id: int, item_id: int):
    meeting = loaders.meeting_to_run(meeting_id)
    services.ensure_record_open(meeting, services.PLANNING)
    item = loaders.item_on(meeting, item_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    services.move(meeting, item, request.form.get("direction", ""), g.user)
    return redirect(url_for("meetings.meeting_view", meeting_id=meeting.id, _anchor="agenda"))


@bp.route("/meetings/<int:meeting_id>/agenda/<int:item_id>/remove", methods=["POST"])
@requires(Permission.RUN_MEETINGS)
def agenda_item_remove(meeting_id: int, item_id: int):
    meeting = loaders.meeting_to_run(meeting_id)
    services.ensure_record_open(meeting, services.PLANNING)
    item = loaders.item_on(meeting, item_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        services.take_off_agenda(meeting, item, g.user)
    except services.Refused as refused:
        flash(str(refused), "important")
    else:
        flash(f"{item.case.reference} removed from the agenda.", "success")
    return redirect(url_for("meetings.meeting_view", meeting_id=meeting.id, _anchor="agenda"))
