"""The meetings blueprint and what its view modules share: showing a problem on a form, removing something
from a meeting's page (asked first, then done), a form closing a record for a reason, and answering a
change to a meeting whose record is closed."""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, flash, redirect, render_template, request, url_for

from tracker.core import locking
from tracker.core.forms import ConfirmForm, require_confirmation
from tracker.meetings.models import Meeting
from tracker.meetings.services import RecordClosed, Refused

bp = Blueprint("meetings", __name__)


@bp.errorhandler(RecordClosed)
def _record_closed(closed: RecordClosed):
    """A page or change refused by `services.ensure_record_open`: back to the meeting, with the reason."""
    flash(str(closed), "important")
    return redirect(url_for("meetings.meeting_view", meeting_id=closed.meeting.id))


def _conflict(form, field_name: str, what: str):
    getattr(form, field_name).errors = [locking.conflict_message(what)]
    return 409


def _closed_for_a_reason(form, record, what: str, close: Callable[[], bool]) -> int | None:
    """A form that ends `record` for a reason, guarded by the version the person saw (cancelling a meeting,
    dropping an action): None once `close` has done it, else the page's status (409 when someone else
    changed the record first)."""
    if request.method == "GET":
        form.version.data = record.version
    elif form.validate_on_submit():
        try:
            if close():
                return None
            return _conflict(form, "reason", what)
        except Refused as refused:
            form.reason.errors = [str(refused)]
    return 200


def _add_problem(field, problem: str | None) -> bool:
    """Show a rule's problem beside the form's own errors, so that a person sees every problem at once;
    True when there was one."""
    if problem:
        field.errors = [*field.errors, problem]
    return bool(problem)


def _confirm_removal(meeting: Meeting, check: Callable[[], object], anchor: str, template: str, **context):
    """The page asking whether to remove something from the meeting (an agenda item, an invitation), which
    changes nothing; or, when `check` says the removal would be refused, back to the part of the meeting's
    page at `anchor`, saying why."""
    try:
        check()
    except Refused as refused:
        flash(str(refused), "important")
        return redirect(url_for("meetings.meeting_view", meeting_id=meeting.id, _anchor=anchor))
    return render_template(template, meeting=meeting, form=ConfirmForm(), **context)


def _removal(meeting: Meeting, remove: Callable[[], object], removed: str, anchor: str):
    """The removal confirmed (an agenda item, an invitation): the removal made and `removed` said, or why
    it was refused, back on the part of the meeting's page at `anchor`."""
    require_confirmation()
    try:
        remove()
    except Refused as refused:
        flash(str(refused), "important")
    else:
        flash(removed, "success")
    return redirect(url_for("meetings.meeting_view", meeting_id=meeting.id, _anchor=anchor))
