"""What a person leaves behind when their account is deactivated: the scheduled meetings they chair, the
minutes that wait for their approval (not begun, being written, submitted or being corrected), the meeting
audits they were named for and have not done, and the open actions they own.

The system admin is shown it before deactivating someone and after; the co-ordinator, who hands the work
on, sees it on the home page (`leavers_panel`) and on the person's page (`tracker.minutes.views.leavers`).
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload
from sqlmodel import col, select

from tracker.auth.models import User, person_named
from tracker.core.db import db
from tracker.core.permissions import Permission
from tracker.core.templating import plural
from tracker.meetings import access
from tracker.meetings.models import (
    Action,
    ActionStatus,
    AgendaItem,
    Case,
    Meeting,
    MeetingStatus,
    action_due_in_force,
)
from tracker.minutes.models import Minutes, MinutesStatus
from tracker.reports.models import AuditStatus, MeetingAudit


def approver_of() -> sa.ColumnElement[int]:
    """Who approves a meeting's minutes, in SQL over Meeting outer-joined to its Minutes: the chair the
    co-ordinator handed them to, else the meeting's chair."""
    return sa.func.coalesce(Minutes.approver_id, Meeting.chair_id)


def _waiting_for_approval() -> list[sa.ColumnElement[bool]]:
    """Held meetings whose minutes are still to be approved: not begun, a draft (a correction too) or
    submitted. A meeting brought in from the area's records came with its minutes approved."""
    return [
        Meeting.status == MeetingStatus.HELD,
        sa.not_(Meeting.imported),
        sa.or_(
            col(Minutes.id).is_(None), col(Minutes.status).in_([MinutesStatus.DRAFT, MinutesStatus.SUBMITTED])
        ),
    ]


def pending_approvals(person_id: int) -> list[tuple[Meeting, Minutes | None]]:
    """The held meetings whose minutes wait for this person's approval, oldest first, with their minutes
    (None before the first draft is saved)."""
    statement = (
        select(Meeting, Minutes)
        .outerjoin(Minutes, col(Minutes.meeting_id) == Meeting.id)
        .where(*_waiting_for_approval())
        .where(
            sa.or_(
                Minutes.approver_id == person_id,
                sa.and_(col(Minutes.approver_id).is_(None), Meeting.chair_id == person_id),
            )
        )
        .options(selectinload(Minutes.versions))
        .order_by(Meeting.starts_at, Meeting.id)
    )
    return [(meeting, minutes) for meeting, minutes in db.session.exec(statement).all()]


def stage(minutes: Minutes | None) -> str:
    """Where minutes waiting for approval stand, in words."""
    if minutes is None:
        return "Not begun"
    correction = minutes.current.number > 1
    if minutes.status is MinutesStatus.SUBMITTED:
        return "Correction awaiting approval" if correction else "Awaiting approval"
    return "Correction being written" if correction else "Being written"


@dataclass
class LeftBehind:
    """A person's work that someone else must take on once their account is deactivated."""

    person: User
    scheduled: list[Meeting]
    approvals: list[tuple[Meeting, Minutes | None]]
    audits: list[MeetingAudit]
    actions: list[Action]

    @property
    def empty(self) -> bool:
        return not (self.scheduled or self.approvals or self.audits or self.actions)

    def actions_shown_to(self, user: User) -> list[Action]:
        """The open actions whose case this person reads on the page (a Category 4 case's only if they are
        cleared); someone who sees no case data is told how many there are, no more."""
        if not user.can(Permission.VIEW_ALL_CASES):
            return []
        return [action for action in self.actions if user.terrorism_cleared or not action.case.is_category_4]

    def approval_stages(self) -> list[tuple[Meeting, Minutes | None, str]]:
        """The minutes awaiting their approval, each with where it stands."""
        return [(meeting, minutes, stage(minutes)) for meeting, minutes in self.approvals]

    def summary(self) -> str:
        """What is left, as the object of "Daniel Price leaves behind ...": "2 scheduled meetings they chair
        (M-2026-0104, M-2026-0110); the minutes of 1 meeting awaiting their approval (M-2026-0101); ...".
        Meetings by reference only; actions counted (their text is case data)."""

        def refs(meetings) -> str:
            return f" ({', '.join(meeting.reference for meeting in meetings)})"

        parts = []
        if self.scheduled:
            parts.append(
                f"{plural(len(self.scheduled), 'scheduled meeting')} they chair{refs(self.scheduled)}"
            )
        if self.approvals:
            meetings = [meeting for meeting, _minutes in self.approvals]
            parts.append(
                f"the minutes of {plural(len(meetings), 'meeting')} awaiting their approval{refs(meetings)}"
            )
        if self.audits:
            audited = [meeting_audit.meeting for meeting_audit in self.audits]
            parts.append(f"{plural(len(self.audits), 'meeting audit')} not done{refs(audited)}")
        if self.actions:
            parts.append(f"{plural(len(self.actions), 'open action')} they own")
        return "; ".join(parts)


def left_behind(person: User) -> LeftBehind:
    """Everything `person` leaves behind, in a fixed number of queries."""
    scheduled = db.session.exec(
        select(Meeting)
        .where(Meeting.chair_id == person.id, Meeting.status == MeetingStatus.SCHEDULED)
        .order_by(Meeting.starts_at, Meeting.id)
    ).all()
    audits = db.session.exec(
        select(MeetingAudit)
        .where(MeetingAudit.auditor_id == person.id, MeetingAudit.status == AuditStatus.ASSIGNED)
        .options(selectinload(MeetingAudit.meeting))
        .order_by(MeetingAudit.id)
    ).all()
    actions = db.session.exec(
        select(Action)
        .where(Action.owner_id == person.id, Action.status == ActionStatus.OPEN)
        .options(joinedload(Action.case), joinedload(Action.agenda_item).joinedload(AgendaItem.meeting))
        .order_by(action_due_in_force(), Action.id)
    ).all()
    return LeftBehind(person, list(scheduled), pending_approvals(person.id), list(audits), list(actions))


# The co-ordinator's home page ------------------------------------------------------------------------


@dataclass(frozen=True)
class Leaver:
    """Someone whose account is deactivated, and how much of each kind of work they left."""

    person: User
    scheduled: int = 0
    approvals: int = 0
    audits: int = 0
    actions: int = 0


def _counts_by_person(column, *conditions) -> dict[int, int]:
    statement = (
        select(column, sa.func.count())
        .where(*conditions, column.in_(select(User.id).where(col(User.active).is_(False))))
        .group_by(column)
    )
    return dict(db.session.execute(statement).all())


def leavers(user: User) -> list[Leaver]:
    """The people whose accounts are deactivated and who left work behind, by name: four grouped counts
    over the deactivated accounts. Actions on Category 4 cases count only for someone cleared for them."""
    scheduled = _counts_by_person(Meeting.chair_id, Meeting.status == MeetingStatus.SCHEDULED)
    approver = approver_of()
    approvals = dict(
        db.session.execute(
            select(approver, sa.func.count())
            .select_from(Meeting)
            .outerjoin(Minutes, col(Minutes.meeting_id) == Meeting.id)
            .where(*_waiting_for_approval(), approver.in_(select(User.id).where(col(User.active).is_(False))))
            .group_by(approver)
        ).all()
    )
    audits = _counts_by_person(MeetingAudit.auditor_id, MeetingAudit.status == AuditStatus.ASSIGNED)
    actions = _counts_by_person(
        Action.owner_id,
        Action.status == ActionStatus.OPEN,
        col(Action.case_id).in_(select(Case.id).where(access.category_condition(user))),
    )
    ids = set(scheduled) | set(approvals) | set(audits) | set(actions)
    if not ids:
        return []
    people = db.session.exec(select(User).where(col(User.id).in_(ids)).order_by(User.name, User.id)).all()
    return [
        Leaver(
            person,
            scheduled.get(person.id, 0),
            approvals.get(person.id, 0),
            audits.get(person.id, 0),
            actions.get(person.id, 0),
        )
        for person in people
    ]


def meetings_without_a_chair() -> list[Meeting]:
    """Scheduled meetings whose chair's account is deactivated, soonest first: each needs another chair."""
    return list(
        db.session.exec(
            select(Meeting)
            .join(User, col(User.id) == Meeting.chair_id)
            .where(Meeting.status == MeetingStatus.SCHEDULED, col(User.active).is_(False))
            .options(person_named(Meeting.chair))
            .order_by(Meeting.starts_at, Meeting.id)
        ).all()
    )


def may_hand_on(user: User) -> bool:
    """The co-ordinator hands a leaver's work on: they see every meeting and oversee its minutes."""
    return user.can(Permission.VIEW_ALL_CASES) and user.can(Permission.EDIT_MINUTES)


def leavers_panel(user: User) -> tuple[str, dict] | None:
    """The co-ordinator's home page: scheduled meetings whose chair has left, and the people who left work
    to hand on (nothing shown when there is none)."""
    if not may_hand_on(user):
        return None
    meetings, people = meetings_without_a_chair(), leavers(user)
    if not meetings and not people:
        return None
    return "minutes/_leavers_panel.html", {"meetings": meetings, "leavers": people}
