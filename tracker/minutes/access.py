"""Who may write, approve and distribute a meeting's minutes, as Python checks and as the SQL condition the
lists use, so that the minutes a person is shown and the minutes they may work on follow one rule.

- Drafting: the meeting's chair or administrator, or the co-ordinator (anyone else who may draft minutes
  drafts for their own meetings only).
- Approval: only the meeting's chair.
- Distribution: the meeting's chair or administrator.
Reading minutes needs the meeting itself to be visible (`can_view`); people who may not draft them read
approved versions only.
"""

from __future__ import annotations

import sqlalchemy as sa

from tracker.auth.models import User
from tracker.core.permissions import Permission, can_view
from tracker.meetings.models import Meeting


def drafting_condition(user: User) -> sa.ColumnElement[bool]:
    """The meetings whose minutes this person may draft, as a WHERE clause on Meeting."""
    if not user.can(Permission.EDIT_MINUTES):
        return sa.false()
    if user.can(Permission.VIEW_ALL_CASES):
        return sa.true()
    return sa.or_(Meeting.chair_id == user.id, Meeting.administrator_id == user.id)


def may_draft(user: User, meeting: Meeting) -> bool:
    if not user.can(Permission.EDIT_MINUTES) or not can_view(user, meeting):
        return False
    return user.can(Permission.VIEW_ALL_CASES) or user.id in (meeting.chair_id, meeting.administrator_id)


def may_approve(user: User, meeting: Meeting) -> bool:
    return user.can(Permission.APPROVE_MINUTES) and user.id == meeting.chair_id


def may_distribute(user: User, meeting: Meeting) -> bool:
    return user.can(Permission.EDIT_MINUTES) and user.id in (meeting.chair_id, meeting.administrator_id)
