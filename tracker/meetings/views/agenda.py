"""A meeting's agenda: adding, changing, moving and removing the cases on it."""

from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, url_for

from tracker.core import locking
from tracker.core.forms import ConfirmForm
from tracker.core.permissions import Permission, requires
from tracker.core.timeutil import london
from tracker.meetings import rules, services
from tracker.meetings.forms import (
    AgendaItemForm,
)
from tracker.meetings.models import (
    AgendaItem,
    AgendaPurpose,
    Meeting,
    MeetingStatus,
    MeetingType,
)
from tracker.meetings.views.common import _add_problem, _closed, _conflict, _item, _meeting, bp


@bp.route("/meetings/<int:meeting_id>/agenda/new", methods=["GET", "POST"])
@requires(Permission.VIEW_CASE_DATA)
def agenda_item_new(meeting_id: int):
    meeting = _meeting(meeting_id, run=True)
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
        case = services.find_case_for_agenda(form.case_reference.data, g.user.terrorism_cleared)
        if case is None:
            form.case_reference.errors = ["There is no case with this MAPPA reference"]
        elif any(item.case_id == case.id for item in meeting.agenda_items):
            form.case_reference.errors = [f"{case.reference} is already on this agenda"]
        elif meeting.status is not MeetingStatus.SCHEDULED:
            form.case_reference.errors = ["Cases can be added only to a scheduled meeting"]
        else:
            item = services.add_agenda_item(meeting, case, AgendaPurpose[form.purpose.data])
            _apply_item_form(form, meeting, item)
            flash(f"{case.reference} added to the agenda.", "success")
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


def _apply_item_form(form: AgendaItemForm, meeting: Meeting, item: AgendaItem) -> None:
    item.purpose = AgendaPurpose[form.purpose.data]
    item.slot_starts_at, item.slot_ends_at = services.slot_times(
        meeting, form.slot_start.data, form.slot_end.data
    )
    item.presenting_officer_id = (
        int(form.presenting_officer_id.data) if form.presenting_officer_id.data else None
    )


@bp.route("/meetings/<int:meeting_id>/agenda/<int:item_id>/edit", methods=["GET", "POST"])
@requires(Permission.VIEW_CASE_DATA)
def agenda_item_edit(meeting_id: int, item_id: int):
    meeting = _meeting(meeting_id, run=True)
    if closed := _closed(meeting):
        return closed
    item = _item(meeting, item_id)
    form = AgendaItemForm(obj=item, adding=False)
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
        if locking.claim(item, form.version.data):
            _apply_item_form(form, meeting, item)
            flash(f"Agenda item for {item.case.reference} saved.", "success")
            return redirect(url_for("meetings.meeting_view", meeting_id=meeting.id))
        status = _conflict(form, "purpose", "agenda item")
    return render_template("meetings/agenda_item_form.html", form=form, meeting=meeting, item=item), status


@bp.route("/meetings/<int:meeting_id>/agenda/<int:item_id>/move", methods=["POST"])
@requires(Permission.VIEW_CASE_DATA)
def agenda_item_move(meeting_id: int, item_id: int):
    meeting = _meeting(meeting_id, run=True)
    if closed := _closed(meeting):
        return closed
    item = _item(meeting, item_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    direction = request.form.get("direction")
    if direction in ("up", "down"):
        services.move_agenda_item(meeting, item, direction)
    return redirect(url_for("meetings.meeting_view", meeting_id=meeting.id, _anchor="agenda"))


@bp.route("/meetings/<int:meeting_id>/agenda/<int:item_id>/remove", methods=["POST"])
@requires(Permission.VIEW_CASE_DATA)
def agenda_item_remove(meeting_id: int, item_id: int):
    meeting = _meeting(meeting_id, run=True)
    if closed := _closed(meeting):
        return closed
    item = _item(meeting, item_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if services.item_has_record(item):
        flash(
            f"{item.case.reference} cannot be removed: the meeting recorded actions or a decision for it.",
            "important",
        )
    else:
        services.remove_agenda_item(meeting, item)
        flash(f"{item.case.reference} removed from the agenda.", "success")
    return redirect(url_for("meetings.meeting_view", meeting_id=meeting.id, _anchor="agenda"))
