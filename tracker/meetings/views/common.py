"""The meetings blueprint and what its view modules share: showing a problem on a form, and answering a
change to a meeting whose record is closed."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, url_for

from tracker.core import locking
from tracker.meetings.services import RecordClosed

bp = Blueprint("meetings", __name__)


@bp.errorhandler(RecordClosed)
def _record_closed(closed: RecordClosed):
    """A page or change refused by `services.ensure_record_open`: back to the meeting, with the reason."""
    flash(str(closed), "important")
    return redirect(url_for("meetings.meeting_view", meeting_id=closed.meeting.id))


def _conflict(form, field_name: str, what: str):
    getattr(form, field_name).errors = [locking.conflict_message(what)]
    return 409


def _add_problem(field, problem: str | None) -> bool:
    """Show a rule's problem beside the form's own errors, so that a person sees every problem at once;
    True when there was one."""
    if problem:
        field.errors = [*field.errors, problem]
    return bool(problem)
