"""Why someone opens a case: their part in it, or the reason they gave (section 62 of the Data Protection
Act 2018 asks that the log of a consultation shows its justification).

Someone on the case's current meeting (its chair, administrator, an invitee, the presenting officer),
its lead officer or referrer, the owner of one of its actions, or a person named to audit one of
its meetings, is justified by that part, and the log says which. Anyone else (the co-ordinator
browsing, a practitioner who found it) gives a reason once per case per sign-in session, on a form the
pages of the case send them to; the reason is logged, and so is every page of the case they then open,
with it.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import Flask, g, redirect, request, url_for
from sqlmodel import col, select

from tracker.auth.models import User
from tracker.core import audit, consultations
from tracker.core.db import db
from tracker.core.models import AuditEvent
from tracker.meetings import access
from tracker.meetings.models import (
    Action,
    ActionStatus,
    AgendaItem,
    Case,
    Invitation,
    Meeting,
    MeetingStatus,
)

ROLE, REASON = "role", "reason"
# How the opening of a disposed case is logged: there is nothing about the person left to justify it.
DISPOSED = "disposed"


def case_of(arguments: dict) -> int | None:
    """The case a page's address points at (directly, or through an agenda item or an action)."""
    if "case_id" in arguments:
        return arguments["case_id"]
    if "item_id" in arguments:
        return db.session.scalar(select(AgendaItem.case_id).where(AgendaItem.id == arguments["item_id"]))
    if "action_id" in arguments:
        return db.session.scalar(select(Action.case_id).where(Action.id == arguments["action_id"]))
    return None


def current_meeting(case_id: int) -> sa.ScalarSelect:
    """The case's current meeting: the latest (by date) of the meetings it is on, cancelled ones aside
    (as a scalar subquery, so that the role is found in one query)."""
    return (
        select(Meeting.id)
        .join(AgendaItem, AgendaItem.meeting_id == Meeting.id)
        .where(AgendaItem.case_id == case_id, Meeting.status != MeetingStatus.CANCELLED)
        .order_by(col(Meeting.starts_at).desc(), col(Meeting.id).desc())
        .limit(1)
        .scalar_subquery()
    )


def role_on_case(user: User, case_id: int, meeting_id: int | None = None) -> str:
    """The person's part in the case that justifies opening it, in words ("chair of M-2026-0143"); empty
    if they have none. `meeting_id` is the meeting of the page asked for, which counts as well.

    The commonest parts (lead officer, referrer, chair or administrator of the current meeting) are read
    in one query; invitations, presenting, actions and audits only for someone who has none of those."""
    facts = db.session.execute(
        select(Case.lead_officer_id, Case.created_by_id, Meeting.id, Meeting.reference, Meeting.chair_id)
        .add_columns(Meeting.administrator_id)
        .outerjoin(Meeting, Meeting.id == current_meeting(case_id))
        .where(Case.id == case_id)
    ).first()
    if facts is None:
        return ""
    lead, referrer, current, reference, chair, administrator = facts
    if user.id == lead:
        return "lead officer of the case"
    if user.id == referrer:
        return "referred the case"
    if current is not None and user.id in (chair, administrator):
        return f"{'chair' if user.id == chair else 'administrator'} of {reference}"
    meetings = [m for m in (current, meeting_id) if m is not None]
    on_meeting = col(Meeting.id).in_(meetings)
    parts = [
        select(sa.literal("owner of an action on the case")).where(
            Action.case_id == case_id, Action.owner_id == user.id, Action.status != ActionStatus.REMOVED
        ),
        select(sa.literal("chair of ") + Meeting.reference).where(on_meeting, Meeting.chair_id == user.id),
        select(sa.literal("administrator of ") + Meeting.reference).where(
            on_meeting, Meeting.administrator_id == user.id
        ),
        select(sa.literal("invited to ") + Meeting.reference)
        .join(Invitation, Invitation.meeting_id == Meeting.id)
        .where(on_meeting, Invitation.user_id == user.id),
        select(sa.literal("presenting officer at ") + Meeting.reference)
        .join(AgendaItem, AgendaItem.meeting_id == Meeting.id)
        .where(on_meeting, AgendaItem.case_id == case_id, AgendaItem.presenting_officer_id == user.id),
    ]
    if access.MEETING_GRANTS:
        granted = sa.union(*(grant(user) for grant in access.MEETING_GRANTS))
        parts.append(
            select(sa.literal("named to audit ") + Meeting.reference)
            .join(AgendaItem, AgendaItem.meeting_id == Meeting.id)
            .where(AgendaItem.case_id == case_id, col(Meeting.id).in_(granted))
        )
    return db.session.scalar(sa.union_all(*parts).limit(1)) or ""


def reason_given(user: User, case_id: int) -> str:
    """The reason this person gave for the case in this sign-in session, if they gave one."""
    user_session = g.get("user_session")
    if user_session is None:
        return ""
    return (
        db.session.scalar(
            select(AuditEvent.reason)
            .where(
                AuditEvent.case_id == case_id,
                AuditEvent.user_id == user.id,
                AuditEvent.action == audit.REASON_GIVEN,
                AuditEvent.object_type == "UserSession",
                AuditEvent.object_id == str(user_session.id),
            )
            .order_by(col(AuditEvent.id).desc())
            .limit(1)
        )
        or ""
    )


def give_reason(user: User, case: Case, reason: str) -> None:
    """Log the reason this person gave for opening the case; it stands for the rest of the session."""
    audit.record(
        audit.REASON_GIVEN,
        object_type="UserSession",
        object_id=g.user_session.id,
        summary=f"reason for opening {case.reference}",
        justified_by=REASON,
        reason=reason,
        case_id=case.id,
    )


def role_on_meeting(user: User, meeting_id: int, loaded: object = None) -> str:
    """The person's part in a meeting, in words; for someone with none who sees every meeting (the
    co-ordinator), that oversight; empty otherwise (the view refuses them).

    `loaded` is what the page logged its consultation of: when it is the meeting itself and the person
    chairs or administers it, that answers without a query."""
    if isinstance(loaded, Meeting) and loaded.id == meeting_id:
        if user.id == loaded.chair_id:
            return f"chair of {loaded.reference}"
        if user.id == loaded.administrator_id:
            return f"administrator of {loaded.reference}"
    meeting = select(Meeting.reference).where(Meeting.id == meeting_id)
    parts = [
        meeting.where(Meeting.chair_id == user.id).with_only_columns(
            sa.literal("chair of ") + Meeting.reference
        ),
        meeting.where(Meeting.administrator_id == user.id).with_only_columns(
            sa.literal("administrator of ") + Meeting.reference
        ),
        select(sa.literal("invited to ") + Meeting.reference)
        .join(Invitation, Invitation.meeting_id == Meeting.id)
        .where(Meeting.id == meeting_id, Invitation.user_id == user.id),
        select(sa.literal("presenting officer at ") + Meeting.reference)
        .join(AgendaItem, AgendaItem.meeting_id == Meeting.id)
        .where(Meeting.id == meeting_id, AgendaItem.presenting_officer_id == user.id),
    ]
    if access.MEETING_GRANTS:
        granted = sa.union(*(grant(user) for grant in access.MEETING_GRANTS))
        parts.append(
            select(sa.literal("named to audit ") + Meeting.reference).where(
                Meeting.id == meeting_id, col(Meeting.id).in_(granted)
            )
        )
    found = db.session.scalar(sa.union_all(*parts).limit(1))
    if found:
        return found
    return "oversight of every meeting (MAPPA co-ordinator)" if access.sees_all(user) else ""


def justify(user: User, arguments: dict) -> tuple[int, tuple[str, str] | None] | None:
    """For a page about one case the person may see: the case, and how opening it is justified (None when
    they must give a reason first). None when the page is about no case, or one the view will refuse."""
    case_id = case_of(arguments)
    if case_id is None:
        return None
    found = db.session.execute(
        select(Case.id, Case.disposed_at).where(Case.id == case_id, access.case_condition(user))
    ).first()
    if found is None:
        return None  # the view answers that it does not exist
    if found.disposed_at is not None:  # nothing personal is left to justify opening
        return case_id, (DISPOSED, "no personal data remains: the case was disposed of")
    role = role_on_case(user, case_id, arguments.get("meeting_id"))
    if role:
        return case_id, (ROLE, role)
    reason = reason_given(user, case_id)
    return case_id, ((REASON, reason) if reason else None)


def _as_justification(role: str) -> tuple[str, str]:
    return (ROLE, role) if role else ("", "")


def init_app(app: Flask) -> None:
    @app.before_request
    def _ask_why_first():
        # Reading is what is justified: a change (a POST) is checked by its own view, and the pages that
        # lead to it were asked about already.
        user = g.get("user")
        if (
            user is None
            or request.method not in ("GET", "HEAD")
            or not consultations.is_consultation(app, request.endpoint)
        ):
            return None
        arguments = request.view_args or {}
        found = justify(user, arguments)
        if found is None:
            if "meeting_id" in arguments:  # a meeting's page, about several cases: its part is logged
                meeting_id = arguments["meeting_id"]
                # Worked out when the page logs its consultation (of the meeting it has loaded by then).
                g.justification = lambda loaded: _as_justification(role_on_meeting(user, meeting_id, loaded))
            return None
        case_id, justification = found
        if justification is not None:
            g.justification = justification
            return None
        # Refused until a reason is given: the form then brings the person back here.
        return redirect(url_for("meetings.case_reason", case_id=case_id, next=request.full_path.rstrip("?")))
