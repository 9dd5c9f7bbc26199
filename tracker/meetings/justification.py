"""Why someone opens a case: their part in it, or the reason they gave (section 62 of the Data Protection
Act 2018 asks that the log of a consultation shows its justification).

Someone on the case's current meeting (its chair, administrator, an invitee, the presenting officer),
its lead officer or referrer, the owner of one of its actions, or a person another area lets read one
of its meetings (named to audit it, or approving its minutes in place of a chair who has left), is
justified by that part, and the log says which. Anyone else (the co-ordinator
browsing, a practitioner who found it) gives a reason once per case per sign-in session, on a form the
pages of the case send them to; the reason is logged, and so is every page of the case they then open,
with it.

A meeting's pages are justified by the person's part in the meeting. Its minutes hold every case's
substance (the risk, the plan, the decisions), so someone who reads them only by oversight of every
meeting (the co-ordinator) gives a reason first too, once per meeting per session, on the same form.
"""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa
from flask import Flask, Response, g, redirect, request, url_for
from sqlmodel import col, select

from tracker.auth.models import User
from tracker.core import audit, consultations
from tracker.core.db import db
from tracker.core.models import AuditEvent
from tracker.core.permissions import Permission, Role
from tracker.meetings import access
from tracker.meetings.models import Action, ActionStatus, AgendaItem, Case, Invitation, Meeting, MeetingStatus

ROLE, REASON = "role", "reason"
# How the opening of a disposed case is logged: there is nothing about the person left to justify it.
DISPOSED = "disposed"
# The part in a meeting of someone who has none but sees every meeting.
OVERSIGHT = "oversight of every meeting (MAPPA co-ordinator)"
# Pages of a meeting that show what its minutes say of each case (named by the minutes area with
# `ask_oversight_why`): someone there only by oversight gives a reason first, as for a case.
_ASKED_OF_OVERSIGHT: set[str] = set()


def ask_oversight_why(*endpoints: str) -> None:
    """Ask someone who reads these pages of a meeting only by oversight why, once per meeting per session."""
    _ASKED_OF_OVERSIGHT.update(endpoints)


def case_of(arguments: dict) -> int | None:
    """The case a page's address points at (directly, or through an agenda item or an action)."""
    if "case_id" in arguments:
        return arguments["case_id"]
    # By the time a page logs itself its view has loaded the item or action: no query then.
    kind, key = (AgendaItem, "item_id") if "item_id" in arguments else (Action, "action_id")
    found = db.session.get(kind, arguments[key]) if key in arguments else None
    return found.case_id if found is not None else None


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


def _case_facts(user: User, case_id: int, checked: bool = False) -> sa.Row | None:
    """What the justification needs of a case the person may see, in one query: whether it was disposed
    of, its lead officer and referrer, and its current meeting's id, reference, chair and administrator.
    None when the person may not see it (the view then answers that it does not exist); `checked` when
    the page's own loader has checked that already."""
    statement = (
        select(Case.disposed_at, Case.lead_officer_id, Case.created_by_id, Meeting.id, Meeting.reference)
        .add_columns(Meeting.chair_id, Meeting.administrator_id)
        .outerjoin(Meeting, Meeting.id == current_meeting(case_id))
        .where(Case.id == case_id)
    )
    # On the connection: a plain row, without the ORM's result machinery (this runs on every case page).
    found = statement if checked else statement.where(access.case_condition(user, case_id=case_id))
    return db.session.connection().execute(found).first()


def role_on_case(user: User, case_id: int, meeting_id: int | None = None, facts: sa.Row | None = None) -> str:
    """The person's part in the case that justifies opening it, in words ("chair of M-2026-0143"); empty
    if they have none. `meeting_id` is the meeting of the page asked for, which counts as well.

    The commonest parts (lead officer, referrer, chair or administrator of the current meeting) are read
    with the case (`facts`, when the caller has them already); invitations, presenting, actions and
    audits only for someone who has none of those."""
    facts = facts or _case_facts(user, case_id)
    if facts is None:
        return ""
    _disposed, lead, referrer, current, reference, chair, administrator = facts
    if user.id == lead:
        return "lead officer of the case"
    if user.id == referrer:
        return "referred the case"
    if current is not None and (part := _running_part(user, chair, administrator)):
        return f"{part} of {reference}"
    meetings = [m for m in (current, meeting_id) if m is not None]
    on_meeting = col(Meeting.id).in_(meetings)
    parts = [
        select(sa.literal("owner of an action on the case")).where(
            Action.case_id == case_id, Action.owner_id == user.id, Action.status != ActionStatus.REMOVED
        ),
        select(sa.literal("chair of ") + Meeting.reference).where(
            on_meeting, Meeting.chair_id == user.id, _holds(user, Role.CHAIR)
        ),
        select(sa.literal("administrator of ") + Meeting.reference).where(
            on_meeting, Meeting.administrator_id == user.id, _holds(user, Permission.RUN_MEETINGS)
        ),
        select(sa.literal("invited to ") + Meeting.reference)
        .join(Invitation, Invitation.meeting_id == Meeting.id)
        .where(on_meeting, Invitation.user_id == user.id),
        select(sa.literal("presenting officer at ") + Meeting.reference)
        .join(AgendaItem, AgendaItem.meeting_id == Meeting.id)
        .where(on_meeting, AgendaItem.case_id == case_id, AgendaItem.presenting_officer_id == user.id),
    ]
    parts += [
        select(sa.literal(f"{access.GRANT_PARTS[grant]} ") + Meeting.reference)
        .join(AgendaItem, AgendaItem.meeting_id == Meeting.id)
        .where(AgendaItem.case_id == case_id, col(Meeting.id).in_(grant(user)))
        for grant in access.MEETING_GRANTS
    ]
    return db.session.scalar(sa.union_all(*parts).limit(1)) or ""


def reason_given(user: User, case_id: int | None = None, meeting_id: int | None = None) -> str:
    """The reason this person gave for the case (or for the minutes of the meeting) in this sign-in
    session, if they gave one."""
    user_session = g.get("user_session")
    if user_session is None:
        return ""
    about = (
        AuditEvent.case_id == case_id
        if case_id is not None
        else sa.and_(AuditEvent.meeting_id == meeting_id, col(AuditEvent.case_id).is_(None))
    )
    return (
        db.session.scalar(
            select(AuditEvent.reason)
            .where(
                about,
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


def give_reason(user: User, about: Case | Meeting, reason: str) -> None:
    """Log the reason this person gave for opening the case (or the meeting's minutes); it stands for the
    rest of the session."""
    meeting = isinstance(about, Meeting)
    audit.record(
        audit.REASON_GIVEN,
        object_type="UserSession",
        object_id=g.user_session.id,
        summary=f"reason for opening {'the minutes of ' if meeting else ''}{about.reference}",
        justified_by=REASON,
        reason=reason,
        case_id=None if meeting else about.id,
        meeting_id=about.id if meeting else None,
    )


def role_on_meeting(user: User, meeting_id: int, loaded: object = None) -> str:
    """The person's part in a meeting, in words; for someone with none who sees every meeting (the
    co-ordinator), that oversight; empty otherwise (the view refuses them).

    `loaded` is what the page logged its consultation of: when it is the meeting itself and the person
    chairs or administers it, that answers without a query."""
    loaded_here = isinstance(loaded, Meeting) and loaded.id == meeting_id
    if loaded_here and (part := _running_part(user, loaded.chair_id, loaded.administrator_id)):
        return f"{part} of {loaded.reference}"
    meeting = select(Meeting.reference).where(Meeting.id == meeting_id)
    parts = [
        meeting.where(Meeting.chair_id == user.id, _holds(user, Role.CHAIR)).with_only_columns(
            sa.literal("chair of ") + Meeting.reference
        ),
        meeting.where(
            Meeting.administrator_id == user.id, _holds(user, Permission.RUN_MEETINGS)
        ).with_only_columns(sa.literal("administrator of ") + Meeting.reference),
        select(sa.literal("invited to ") + Meeting.reference)
        .join(Invitation, Invitation.meeting_id == Meeting.id)
        .where(Meeting.id == meeting_id, Invitation.user_id == user.id),
        select(sa.literal("presenting officer at ") + Meeting.reference)
        .join(AgendaItem, AgendaItem.meeting_id == Meeting.id)
        .where(Meeting.id == meeting_id, AgendaItem.presenting_officer_id == user.id),
    ]
    parts += [
        select(sa.literal(f"{access.GRANT_PARTS[grant]} ") + Meeting.reference).where(
            Meeting.id == meeting_id, col(Meeting.id).in_(grant(user))
        )
        for grant in access.MEETING_GRANTS
    ]
    found = db.session.scalar(sa.union_all(*parts).limit(1))
    if found:
        return found
    return OVERSIGHT if access.sees_all(user) else ""


class ReasonNeeded(consultations.NotYetJustified):
    """The person has no part in the case (or the meeting, whose minutes they open) and has given no reason
    for opening it this session."""

    def __init__(self, case_id: int | None = None, meeting_id: int | None = None):
        what = f"case {case_id}" if case_id is not None else f"the minutes of meeting {meeting_id}"
        super().__init__(f"a reason for opening {what}", reason_form(case_id, meeting_id))
        self.case_id, self.meeting_id = case_id, meeting_id


def _case_justification(user: User, case_id: int, meeting_id: int | None, facts: sa.Row) -> tuple | None:
    if facts.disposed_at is not None:  # nothing personal is left to justify opening
        return DISPOSED, "no personal data remains: the case was disposed of"
    role = role_on_case(user, case_id, meeting_id, facts)
    if role:
        return ROLE, role
    reason = reason_given(user, case_id)
    return (REASON, reason) if reason else None


def justify(user: User, arguments: dict) -> tuple[int, tuple[str, str] | None] | None:
    """For a page about one case the person may see: the case, and how opening it is justified (None when
    they must give a reason first). None when the page is about no case, or one the view will refuse."""
    case_id = case_of(arguments)
    if case_id is None:
        return None
    facts = _case_facts(user, case_id)
    if facts is None:
        return None  # the view answers that it does not exist
    return case_id, _case_justification(user, case_id, arguments.get("meeting_id"), facts)


def on_consultation(
    user: User, arguments: dict, endpoint: str | None = None
) -> Callable[[object], tuple[str, str]] | None:
    """How the page at an address with these arguments will be justified, worked out when it logs its
    consultation, after its view has loaded (and so checked the person may see) what it shows: a
    page of a case they may not see is refused by its view, and never asks or tells them anything.
    Raises ReasonNeeded then for a case they have no part in and gave no reason for, and for a page of a
    meeting's minutes (`endpoint`) they read only by oversight and gave no reason for."""
    if case_of_address(arguments):

        def for_case(_loaded: object) -> tuple[str, str]:
            case_id = case_of(arguments)
            facts = _case_facts(user, case_id, checked=True) if case_id is not None else None
            if facts is None:
                return "", ""
            found = _case_justification(user, case_id, arguments.get("meeting_id"), facts)
            if found is None:
                raise ReasonNeeded(case_id)
            return found

        return for_case
    if "meeting_id" in arguments:  # a meeting's page, about several cases: its part is logged
        meeting_id, asks = arguments["meeting_id"], endpoint in _ASKED_OF_OVERSIGHT
        return lambda loaded: _meeting_justification(user, meeting_id, loaded, asks)
    return None


def _meeting_justification(user: User, meeting_id: int, loaded: object, asks: bool) -> tuple[str, str]:
    role = role_on_meeting(user, meeting_id, loaded)
    if role != OVERSIGHT or not asks:
        return _as_justification(role)
    reason = reason_given(user, meeting_id=meeting_id)
    if not reason:
        raise ReasonNeeded(meeting_id=meeting_id)
    return REASON, reason


def case_of_address(arguments: dict) -> bool:
    return any(key in arguments for key in ("case_id", "item_id", "action_id"))


def reason_form(case_id: int | None, meeting_id: int | None = None) -> Response:
    """Where a page of a case (or of a meeting's minutes) goes first when its reason is needed (the form
    then comes back here)."""
    back = request.full_path.rstrip("?")
    if case_id is None:
        return redirect(url_for("minutes.minutes_reason", meeting_id=meeting_id, next=back))
    return redirect(url_for("meetings.case_reason", case_id=case_id, next=back))


def _as_justification(role: str) -> tuple[str, str]:
    return (ROLE, role) if role else ("", "")


def init_app(app: Flask) -> None:
    @app.before_request
    def _justify_on_consultation():
        # Reading is what is justified: a change (a POST) is checked by its own view, and the pages that
        # lead to it were asked about already.
        user = g.get("user")
        if (
            user is None
            or request.method not in ("GET", "HEAD")
            or not consultations.is_consultation(app, request.endpoint)
        ):
            return
        found = on_consultation(user, request.view_args or {}, request.endpoint)
        if found is not None:
            g.justification = found


def _running_part(user: User, chair_id: int | None, administrator_id: int | None) -> str:
    """"chair" or "administrator" when the person is named so on a meeting and holds that role now."""
    if user.id == chair_id and user.has_role(Role.CHAIR):
        return "chair"
    if user.id == administrator_id and user.can(Permission.RUN_MEETINGS):
        return "administrator"
    return ""


def _holds(user: User, what: Role | Permission) -> sa.ColumnElement[bool]:
    """Whether the person holds the role (or a role with the permission) now, as SQL."""
    held = user.has_role(what) if isinstance(what, Role) else user.can(what)
    return sa.true() if held else sa.false()
