"""Who may write, approve and distribute a meeting's minutes, as Python checks and as the SQL condition the
lists use, so that the minutes a person is shown and the minutes they may work on follow one rule.

Each part as chair or administrator holds while the person holds that role (access follows roles now).
- Drafting: the meeting's chair or administrator, or the co-ordinator (anyone else who may draft minutes
  drafts for their own meetings only); and the chair the co-ordinator handed the approval to, in place of
  a chair who has left (`tracker.minutes.handover`), who stands in for the chair on these minutes.
- Approval: only the meeting's chair, or the chair handed the approval in their place.
- Distribution: the meeting's chair or administrator.
Reading minutes needs the meeting itself to be visible (`can_view`); people who may not draft them read
approved versions only.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import col, select

from tracker.auth.models import User
from tracker.core.db import db
from tracker.core.permissions import Permission, Role, can_view
from tracker.meetings import access as meeting_access
from tracker.meetings.models import Meeting
from tracker.minutes.models import Minutes


def drafting_condition(user: User) -> sa.ColumnElement[bool]:
    """The meetings whose minutes this person may draft, as a WHERE clause on Meeting."""
    if not user.can(Permission.EDIT_MINUTES):
        return sa.false()
    if user.can(Permission.VIEW_ALL_CASES):
        return sa.true()
    return sa.or_(
        col(Meeting.id).in_(meeting_access.run_meeting_ids(user)),
        col(Meeting.id).in_(approving_for(user)),
    )


def approving_for(user: User) -> sa.Select:
    """The meetings whose minutes this person approves in place of a chair who has left. The meetings
    area lets them read these meetings too (`tracker.meetings.access.grant_meetings`), as their chair may;
    only while they hold the chair role."""
    if not user.has_role(Role.CHAIR):
        return select(Minutes.meeting_id).where(sa.false())
    return select(Minutes.meeting_id).where(Minutes.approver_id == user.id)


def approver_id(meeting: Meeting) -> int:
    """Who approves the meeting's minutes: the chair the co-ordinator handed them to, else its chair."""
    handed_to = db.session.scalar(select(Minutes.approver_id).where(Minutes.meeting_id == meeting.id))
    return handed_to or meeting.chair_id


def may_draft(user: User, meeting: Meeting) -> bool:
    if not user.can(Permission.EDIT_MINUTES) or not can_view(user, meeting):
        return False
    if user.can(Permission.VIEW_ALL_CASES) or meeting_access.runs(user, meeting):
        return True
    return user.has_role(Role.CHAIR) and user.id == approver_id(meeting)


def may_approve(user: User, meeting: Meeting) -> bool:
    return user.can(Permission.APPROVE_MINUTES) and user.id == approver_id(meeting)


def may_distribute(user: User, meeting: Meeting) -> bool:
    return user.can(Permission.EDIT_MINUTES) and meeting_access.runs(user, meeting)
