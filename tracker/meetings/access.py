"""Who may see and run which meetings and cases: one rule per model, written as SQL conditions so that
the lists a person sees and the objects they may open come from the same rule.

- The co-ordinator sees every meeting and case.
- Chairs and administrators see the meetings they chair or support and the cases on them; invited
  people see the meetings they are invited to and the cases on them. People also see the cases they lead,
  referred, or own actions on.
- Category 4 (terrorism) cases are seen only by people flagged for them, whatever else applies.
- SMB members and lay advisers see no case data at all.
- Other areas may let a person see particular meetings (`MEETING_GRANTS`): the reports area lets the
  person named to audit a meeting open it until the audit is done.
"""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa
from sqlmodel import col, select

from tracker.auth.models import User
from tracker.core.db import db
from tracker.core.permissions import Permission, can_view
from tracker.meetings.models import Action, AgendaItem, Case, Category, Invitation, Meeting

# Functions of a person giving a SELECT of meeting ids they may also see (areas append to this list).
MEETING_GRANTS: list[Callable[[User], sa.Select]] = []


def sees_all(user: User) -> bool:
    return user.can(Permission.VIEW_ALL_CASES)


def meeting_condition(user: User) -> sa.ColumnElement[bool]:
    """The meetings this person may see, as a WHERE clause on Meeting.

    Written as one IN over a UNION of indexed lookups (chair, administrator, invitation) rather than an
    OR across columns, so that the database never scans every meeting.
    """
    if not user.can(Permission.VIEW_CASE_DATA):
        return sa.false()
    if sees_all(user):
        return sa.true()
    return col(Meeting.id).in_(involved_meeting_ids(user))


def involved_meeting_ids(user: User) -> sa.CompoundSelect:
    """The meetings this person chairs, supports or is invited to by name."""
    return sa.union(
        select(Meeting.id).where(Meeting.chair_id == user.id),
        select(Meeting.id).where(Meeting.administrator_id == user.id),
        select(Invitation.meeting_id).where(Invitation.user_id == user.id),
        *(grant(user) for grant in MEETING_GRANTS),
    )


def category_condition(user: User) -> sa.ColumnElement[bool]:
    """Category 4 cases only for people flagged for them, as a WHERE clause on Case."""
    return sa.true() if user.terrorism_cleared else Case.category != Category.CATEGORY_4


def case_condition(user: User) -> sa.ColumnElement[bool]:
    """The cases this person may see, as a WHERE clause on Case."""
    if not user.can(Permission.VIEW_CASE_DATA):
        return sa.false()
    if sees_all(user):
        return category_condition(user)
    own_cases = sa.union(
        select(AgendaItem.case_id).where(col(AgendaItem.meeting_id).in_(involved_meeting_ids(user))),
        select(Case.id).where(Case.lead_officer_id == user.id),
        select(Case.id).where(Case.created_by_id == user.id),
        select(Action.case_id).where(Action.owner_id == user.id),
    )
    return sa.and_(category_condition(user), col(Case.id).in_(own_cases))


def visible_case_ids(user: User) -> sa.Select:
    return select(Case.id).where(case_condition(user))


def item_condition(user: User) -> sa.ColumnElement[bool]:
    """Agenda items this person may see (on a meeting they see, of a case whose category they may see);
    the statement must join Meeting and Case."""
    return sa.and_(meeting_condition(user), category_condition(user))


def restricted_meeting_ids() -> sa.Select:
    """Meetings with a Category 4 case on the agenda."""
    return (
        select(AgendaItem.meeting_id)
        .join(Case, Case.id == AgendaItem.case_id)
        .where(Case.category == Category.CATEGORY_4)
    )


def audit_condition(user: User) -> sa.ColumnElement[bool]:
    """The audit trail entries this person may read, as a WHERE clause on AuditEvent.

    Entries about no case or meeting are for everyone who may read the trail; an entry about a case or a
    meeting only for those who may see that case and meeting; and an entry about a Category 4 case, or
    about a meeting with one on its agenda, only for those cleared for terrorism cases.
    """
    from tracker.core.models import AuditEvent

    no_case = col(AuditEvent.case_id).is_(None)
    no_meeting = col(AuditEvent.meeting_id).is_(None)
    if not user.can(Permission.VIEW_CASE_DATA):
        return sa.and_(no_case, no_meeting)
    meetings = select(Meeting.id).where(meeting_condition(user))
    if not user.terrorism_cleared:
        meetings = meetings.where(col(Meeting.id).not_in(restricted_meeting_ids()))
    return sa.and_(
        sa.or_(no_case, col(AuditEvent.case_id).in_(visible_case_ids(user))),
        sa.or_(no_meeting, col(AuditEvent.meeting_id).in_(meetings)),
    )


def _exists(statement: sa.Select) -> bool:
    return db.session.scalar(statement.limit(1)) is not None


@can_view.register(Meeting)
def _can_view_meeting(meeting: Meeting, user: User) -> bool:
    return _exists(select(Meeting.id).where(Meeting.id == meeting.id, meeting_condition(user)))


@can_view.register(Case)
def _can_view_case(case: Case, user: User) -> bool:
    return _exists(select(Case.id).where(Case.id == case.id, case_condition(user)))


@can_view.register(AgendaItem)
def _can_view_item(item: AgendaItem, user: User) -> bool:
    return _exists(
        select(AgendaItem.id)
        .join(Meeting, Meeting.id == AgendaItem.meeting_id)
        .join(Case, Case.id == AgendaItem.case_id)
        .where(AgendaItem.id == item.id, item_condition(user))
    )


@can_view.register(Action)
def _can_view_action(action: Action, user: User) -> bool:
    return _exists(select(Case.id).where(Case.id == action.case_id, case_condition(user)))


# Running a meeting: changing its details, agenda, invitations, attendance and record ----------------


def can_run(user: User, meeting: Meeting) -> bool:
    """The co-ordinator, and the meeting's own chair and administrator, run a meeting."""
    if sees_all(user) and user.can(Permission.SCHEDULE_MEETINGS):
        return True
    return user.can(Permission.MANAGE_CASES) and user.id in (meeting.chair_id, meeting.administrator_id)


def can_update_action(user: User, action: Action) -> bool:
    """An action's owner may mark it done or dropped, as may anyone who manages cases and sees this one
    (the chairs and administrators of the meetings that discuss it, and the co-ordinator)."""
    if action.owner_id == user.id:
        return True
    return user.can(Permission.MANAGE_CASES) and _can_view_action(action, user)
