"""One loader per object and purpose: each loads what a view acts on for the person signed in and checks
exactly what that action needs, so that a view cannot forget a check by leaving out a flag.

An object the person may not see answers 404 (never revealing that it exists); one they see but may not
act on answers 403.
"""

from __future__ import annotations

from flask import abort, g
from sqlalchemy.orm import joinedload

from tracker.core.db import db
from tracker.core.permissions import get_visible_or_404
from tracker.meetings import access
from tracker.meetings.models import Action, AgendaItem, Case, Invitation, Meeting, MeetingStatus
from tracker.meetings.services.base import RECORDING, ensure_record_open


def meeting_to_view(meeting_id: int, *options) -> Meeting:
    """A meeting this person may see (loaded with `options`: what its page shows)."""
    return get_visible_or_404(Meeting, meeting_id, options)


def meeting_to_run(meeting_id: int) -> Meeting:
    """A meeting this person runs (its chair or administrator, or the co-ordinator)."""
    meeting = meeting_to_view(meeting_id)
    if not access.can_run(g.user, meeting):
        abort(403)
    return meeting


def meeting_to_change(meeting_id: int, open_to: tuple[MeetingStatus, ...] = RECORDING) -> Meeting:
    """A meeting this person runs whose record or plan is still open to change (`open_to`, as
    `services.ensure_record_open` takes it)."""
    meeting = meeting_to_run(meeting_id)
    ensure_record_open(meeting, open_to)
    return meeting


def item_to_change(
    meeting_id: int, item_id: int, open_to: tuple[MeetingStatus, ...] = RECORDING
) -> tuple[Meeting, AgendaItem]:
    """A meeting as `meeting_to_change` loads it, and one of its agenda items."""
    meeting = meeting_to_change(meeting_id, open_to)
    return meeting, item_on(meeting, item_id)


def meeting_to_reply(meeting_id: int) -> tuple[Meeting, Invitation]:
    """A meeting this person is invited to by name, with their invitation."""
    meeting = meeting_to_view(meeting_id)
    invitation = next((i for i in meeting.invitations if i.user_id == g.user.id), None)
    if invitation is None:
        abort(403)
    return meeting, invitation


def item_on(meeting: Meeting, item_id: int) -> AgendaItem:
    """An agenda item of this meeting whose case this person may see (with its case, which every page
    of an item shows)."""
    item = db.session.get(AgendaItem, item_id, options=[joinedload(AgendaItem.case)])
    if item is None or item.meeting_id != meeting.id:
        abort(404)
    if item.category_4 and not g.user.terrorism_cleared:
        abort(404)  # Category 4 at the meeting (or now): left out of it for the uncleared, as its page does
    return get_visible_or_404(AgendaItem, item.id)


def invitation_on(meeting: Meeting, invitation_id: int) -> Invitation:
    invitation = db.session.get(Invitation, invitation_id)
    if invitation is None or invitation.meeting_id != meeting.id:
        abort(404)
    return invitation


def case_to_view(case_id: int) -> Case:
    return get_visible_or_404(Case, case_id)


def case_to_edit(case_id: int) -> Case:
    """A case this person may change: seen through their own involvement (a read-only grant, such as an
    audit's, is not enough)."""
    case = case_to_view(case_id)
    if not access.can_change_case(g.user, case):
        abort(403)
    return case


def action_to_update(action_id: int) -> Action:
    """An action this person may mark done or dropped: their own, or one on a case they manage."""
    action = get_visible_or_404(Action, action_id)
    if not access.can_update_action(g.user, action):
        abort(403)
    return action
