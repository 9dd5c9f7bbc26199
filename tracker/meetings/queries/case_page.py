"""What a case's page shows of its meetings and actions to the person reading it: all of it to someone with
a part in the case; to someone who reads the case only through a read-only grant (named to audit one of
its meetings, or approving one's minutes in place of a chair who has left), what those meetings had."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import contains_eager, joinedload
from sqlmodel import col, select

from tracker.auth.models import User, person_named
from tracker.core.db import db
from tracker.meetings import access, freeze
from tracker.meetings.models import (
    Action,
    ActionStatus,
    AgendaItem,
    Case,
    Meeting,
    MeetingStatus,
    action_due_in_force,
)


@dataclass(frozen=True)
class CaseMeetings:
    items: list[AgendaItem]  # the case's items on the meetings the person sees, latest first (not cancelled)
    cancelled: list[Meeting]  # meetings on the case called off: they did not discuss it, so listed apart
    # Meetings on the case whose approved minutes are being corrected: what they decided may still change.
    correcting: list[Meeting]
    # The person reads the case only through a grant: the page is the case as it stood for `items`.
    granted_only: bool


def case_meetings(case: Case, user: User) -> CaseMeetings:
    """The case's items on the meetings this person sees, and whether a grant is all they read it through
    (asked in the same query)."""
    rows = db.session.exec(
        select(AgendaItem, freeze.correction_under_way(Meeting.id), access.sees_case_as_own(user, case.id))
        .join(Meeting, Meeting.id == AgendaItem.meeting_id)
        .where(AgendaItem.case_id == case.id, access.meeting_condition(user))
        .order_by(col(Meeting.starts_at).desc())
        .options(contains_eager(AgendaItem.meeting))
    ).all()
    called_off = {item.id for item, _c, _o in rows if item.meeting.status is MeetingStatus.CANCELLED}
    return CaseMeetings(
        items=[item for item, _correcting, _own in rows if item.id not in called_off],
        cancelled=[item.meeting for item, _correcting, _own in rows if item.id in called_off],
        correcting=[item.meeting for item, correcting, _own in rows if correcting],
        # Seeing none of its meetings, the person sees the case through a part of their own in it.
        granted_only=bool(rows) and not rows[0][2],
    )


def case_actions(case: Case, only_of: list[AgendaItem] | None = None) -> list[Action]:
    """The case's actions (those removed aside), open ones first by due date; with `only_of`, only those
    agreed at these items."""
    statement = (
        select(Action)
        .where(Action.case_id == case.id, Action.status != ActionStatus.REMOVED)
        .order_by(Action.status, action_due_in_force(), Action.id)
        .options(
            person_named(Action.owner), person_named(Action.completed_by), joinedload(Action.owner_agency)
        )
    )
    if only_of is not None:
        statement = statement.where(col(Action.agenda_item_id).in_([item.id for item in only_of]))
    return list(db.session.exec(statement).all())
