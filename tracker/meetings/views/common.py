"""The meetings blueprint and the helpers its view modules share: loading a meeting or agenda item,
refusing a change to a closed meeting, and showing a problem on a form."""

from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, url_for

from tracker.core import locking
from tracker.core.db import db
from tracker.core.permissions import get_visible_or_404
from tracker.meetings import access, freeze
from tracker.meetings.models import (
    AgendaItem,
    Meeting,
    MeetingStatus,
)

bp = Blueprint("meetings", __name__)
bp.record_once(lambda state: freeze.init_app(state.app))


def _conflict(form, field_name: str, what: str):
    getattr(form, field_name).errors = [locking.conflict_message(what)]
    return 409


def _add_problem(field, problem: str | None) -> bool:
    """Show a rule's problem beside the form's own errors, so that a person sees every problem at once;
    True when there was one."""
    if problem:
        field.errors = [*field.errors, problem]
    return bool(problem)


def _closed(meeting: Meeting, *, open_to=(MeetingStatus.SCHEDULED,)):
    """A redirect back to the meeting, with the reason, when its status no longer allows this change."""
    if meeting.status in open_to:
        return None
    flash(f"This meeting is {meeting.status.label.lower()}, so this can no longer be changed.", "important")
    return redirect(url_for("meetings.meeting_view", meeting_id=meeting.id))


def _meeting(meeting_id: int, run: bool = False) -> Meeting:
    """The meeting if this person may see it (404 otherwise); with `run`, only if they run it (403)."""
    meeting = get_visible_or_404(Meeting, meeting_id)
    if run and not access.can_run(g.user, meeting):
        abort(403)
    return meeting


def _item(meeting: Meeting, item_id: int) -> AgendaItem:
    item = db.session.get(AgendaItem, item_id)
    if item is None or item.meeting_id != meeting.id:
        abort(404)
    return get_visible_or_404(AgendaItem, item.id)


def _recordable(meeting: Meeting) -> None:
    if meeting.status is MeetingStatus.CANCELLED:
        abort(404)
