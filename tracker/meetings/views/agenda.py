"""A meeting's agenda: adding (found by search or from the cases due), changing, moving and removing the
cases on it. Adding or changing an item that raises a warning shows the warnings first and asks to confirm."""

from __future__ import annotations

import hashlib

from flask import flash, g, redirect, render_template, request, url_for

from tracker.core import consultations, locking
from tracker.core.forms import require_confirmation
from tracker.core.permissions import Permission, requires
from tracker.core.timeutil import clock_change_problem, london
from tracker.meetings import loaders, planning, rules, services
from tracker.meetings.forms import (
    AgendaItemForm,
)
from tracker.meetings.models import AgendaPurpose, Meeting, MeetingType
from tracker.meetings.views.common import _add_problem, _confirm_removal, _conflict, _removal, bp


@bp.route("/meetings/<int:meeting_id>/agenda/new", methods=["GET", "POST"])
@requires(Permission.RUN_MEETINGS)
def agenda_item_new(meeting_id: int):
    meeting = loaders.meeting_to_run(meeting_id)
    form = AgendaItemForm(adding=True)
    if request.method == "GET":
        _prefill(form, meeting)
    _describe_slot(form, meeting)
    warnings: list[str] = []
    if _slot_valid(form, meeting):
        purpose, slot = AgendaPurpose[form.purpose.data], _slot(form)
        case = services.find_case_for_agenda(form.case_reference.data, g.user)
        try:
            if case is not None:  # a case that cannot go on this meeting is refused before any warning
                services.ensure_may_add(meeting, case, slot)
                if not planning.on_agenda(meeting, case):
                    proposed = planning.Proposed(case, purpose, _slot_utc(meeting, form))
                    warnings = _unconfirmed(meeting, proposed)
            if not warnings:
                item = services.add_to_agenda(meeting, form.case_reference.data, purpose, slot, g.user)
                flash(f"{item.case.reference} added to the agenda.", "success")
                return redirect(url_for("meetings.meeting_view", meeting_id=meeting.id))
        except services.Refused as refused:
            officer = "presenting officer" in str(refused)
            (form.presenting_officer_id if officer else form.case_reference).errors = [str(refused)]
    query = request.args.get("q", "")
    found = planning.search_cases(g.user, meeting, query) if query else None
    due = planning.due_cases(g.user, meeting)
    consultations.show_cases(entry.case.id for entry in [*(found or ()), *due])
    return _item_page(form, meeting, None, warnings, query=query, found=found, due=due)


def _item_page(form: AgendaItemForm, meeting: Meeting, item, warnings: list[str], **more) -> str:
    """The agenda item's form (a new one when `item` is None), with the warnings to confirm."""
    return render_template(
        "meetings/agenda_item_form.html",
        form=form,
        meeting=meeting,
        item=item,
        warnings=warnings,
        warned=_fingerprint(warnings),
        **more,
    )


def _prefill(form: AgendaItemForm, meeting: Meeting) -> None:
    """The purpose the meeting suggests (or the due list chose), and the case chosen from search or due."""
    initial = meeting.meeting_type is MeetingType.INITIAL
    form.purpose.data = AgendaPurpose.INITIAL.name if initial else AgendaPurpose.REVIEW.name
    if request.args.get("purpose") in AgendaPurpose.__members__:
        form.purpose.data = request.args["purpose"]
    form.case_reference.data = request.args.get("case", "")


def _slot_utc(meeting: Meeting, form: AgendaItemForm) -> tuple:
    return planning.proposed_slot(meeting, form.slot_start.data, form.slot_end.data)


def _fingerprint(warnings: list[str]) -> str:
    return hashlib.sha256("\n".join(warnings).encode()).hexdigest()[:16] if warnings else ""


def _unconfirmed(meeting: Meeting, proposed: planning.Proposed) -> list[str]:
    """The warnings for this change, unless the person has seen exactly these and confirmed."""
    warnings = planning.warnings_for(meeting, [proposed], g.user).get(proposed.case.id, [])
    if warnings and request.form.get("warned") == _fingerprint(warnings):
        return []
    return warnings


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
    day = london(meeting.starts_at).date()
    fields = (form.slot_start, form.slot_end)
    if [field for field in fields if _add_problem(field, clock_change_problem(day, field.data))]:
        return False  # a time that does not exist that day (the clocks go forward)
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
    meeting, item = loaders.item_to_change(meeting_id, item_id, services.PLANNING)
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
        form.shown.data = locking.fingerprint(item, services.SLOT_FORM_COLUMNS)
    warnings: list[str] = []
    if request.method == "POST" and _slot_valid(form, meeting):
        purpose = AgendaPurpose[form.purpose.data]
        proposed = planning.Proposed(item.case, purpose, _slot_utc(meeting, form), item.id)
        warnings = _unconfirmed(meeting, proposed)
        if not warnings:
            status = _save_item(meeting, item, form, purpose)
            if status is None:
                flash(f"Agenda item for {item.case.reference} saved.", "success")
                return redirect(url_for("meetings.meeting_view", meeting_id=meeting.id))
    return _item_page(form, meeting, item, warnings), status or 200


def _save_item(meeting: Meeting, item, form: AgendaItemForm, purpose: AgendaPurpose) -> int | None:
    """Save the item's changes: None when saved, else the status of the page that says why not."""
    try:
        saved = services.change_agenda_item(
            meeting, item, purpose, _slot(form), form.version.data, g.user, form.shown.data
        )
    except services.Refused as refused:
        form.presenting_officer_id.errors = [str(refused)]
        return 200
    return None if saved else _conflict(form, "purpose", "agenda item")


@bp.route("/meetings/<int:meeting_id>/agenda/<int:item_id>/move", methods=["POST"])
@requires(Permission.RUN_MEETINGS)
def agenda_item_move(meeting_id: int, item_id: int):
    meeting, item = loaders.item_to_change(meeting_id, item_id, services.PLANNING)
    require_confirmation()
    try:
        services.move(meeting, item, request.form.get("direction", ""), g.user)
    except services.Refused as refused:
        flash(f"{refused}.", "important")
    return redirect(url_for("meetings.meeting_view", meeting_id=meeting.id, _anchor="agenda"))


@bp.route("/meetings/<int:meeting_id>/agenda/<int:item_id>/remove", methods=["GET", "POST"])
@requires(Permission.RUN_MEETINGS)
def agenda_item_remove(meeting_id: int, item_id: int):
    """Ask first (GET, changing nothing), then take the case off the agenda (POST); both load the item
    the same way, so that whoever may not remove it is not asked either."""
    meeting, item = loaders.item_to_change(meeting_id, item_id, services.PLANNING)
    if request.method == "GET":
        return _confirm_removal(
            meeting,
            lambda: services.ensure_may_take_off(meeting, item),
            "agenda",
            "meetings/agenda_item_remove.html",
            item=item,
        )
    return _removal(
        meeting,
        lambda: services.take_off_agenda(meeting, item, g.user),
        f"{item.case.reference} removed from the agenda.",
        "agenda",
    )
