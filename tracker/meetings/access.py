"""Who may see and run which meetings and cases: one rule per model, written as SQL conditions so that
the lists a person sees and the objects they may open come from the same rule.

- The co-ordinator sees every meeting and case.
- Chairs and administrators see the meetings they chair or support and the cases on them; invited
  people see the meetings they are invited to and the cases on them. People also see the cases they lead,
  referred, or own actions on.
- Category 4 (terrorism) cases are seen only by people flagged for them, whatever else applies.
- SMB members and lay advisers see no case data at all.
- Other areas may let a person see particular meetings (`grant_meetings`, called from their
  `register(app)`): the reports area lets the person named to audit a meeting open it until the audit is done.
"""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa
from sqlmodel import col, select

from tracker.auth.models import User
from tracker.core.db import db
from tracker.core.permissions import Permission
from tracker.meetings.models import Action, AgendaItem, Case, Category, Invitation, Meeting

# Functions of a person giving a SELECT of meeting ids they may also see (added with `grant_meetings`).
MEETING_GRANTS: list[Callable[[User], sa.Select]] = []


def grant_meetings(grant: Callable[[User], sa.Select]) -> None:
    """Let people see the meetings `grant(user)` selects as well (adding it twice has no effect)."""
    if grant not in MEETING_GRANTS:
        MEETING_GRANTS.append(grant)


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


def _exists(statement: sa.Select) -> bool:
    return db.session.scalar(statement.limit(1)) is not None


def meeting_visible(meeting: Meeting, user: User) -> bool:
    return _exists(select(Meeting.id).where(Meeting.id == meeting.id, meeting_condition(user)))


def case_visible(case: Case, user: User) -> bool:
    return _exists(select(Case.id).where(Case.id == case.id, case_condition(user)))


def item_visible(item: AgendaItem, user: User) -> bool:
    return _exists(
        select(AgendaItem.id)
        .join(Meeting, Meeting.id == AgendaItem.meeting_id)
        .join(Case, Case.id == AgendaItem.case_id)
        .where(AgendaItem.id == item.id, item_condition(user))
    )


def action_visible(action: Action, user: User) -> bool:
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
    return user.can(Permission.MANAGE_CASES) and action_visible(action, user)
