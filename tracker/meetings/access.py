"""Who may see and run which meetings and cases: one rule per model, written as SQL conditions so that
the lists a person sees and the objects they may open come from the same rule.

- The co-ordinator sees every meeting and case.
- Chairs and administrators see the meetings they chair or support and the cases on them, while they
  hold that role (access follows a person's roles as they are now: someone whose chair role is taken away
  keeps only what their other roles give); invited people see the meetings they are invited to and the
  cases on them. People also see the cases they lead,
  referred, or own actions on.
- Category 4 (terrorism) cases are seen only by people flagged for them, whatever else applies.
- SMB members and lay advisers see no case data at all.
- Other areas may let a person see particular meetings (`grant_meetings`, called from their
  `register(app)`): the reports area lets the person named to audit a meeting open it until the audit is
  done, and the minutes area the chair handed the approval of its minutes in place of a chair who has
  left. A grant is for reading only: what a person may change (`managed_case_condition`, `can_run`,
  `can_update_action`) never comes from one. It is for that meeting, too: someone who sees a case only
  through a grant reads the case as it stood for the granted meetings (`sees_case_as_own`: not its other
  meetings' actions and events), and their working lists (cases, actions, the home page's panels) hold
  only the cases that are theirs (`working_case_condition`).
"""

from __future__ import annotations

import functools
from collections.abc import Callable

import sqlalchemy as sa
from flask import g, has_request_context
from sqlmodel import col, select

from tracker.auth.models import User
from tracker.core.db import db
from tracker.core.permissions import Permission, Role
from tracker.meetings.models import Action, AgendaItem, Case, Category, Invitation, Meeting

# Functions of a person giving a SELECT of meeting ids they may also see (added with `grant_meetings`).
MEETING_GRANTS: list[Callable[[User], sa.Select]] = []
# What each grant makes the person, as the audit trail's justification says it before the meeting's
# reference ("named to audit M-2026-0143").
GRANT_PARTS: dict[Callable[[User], sa.Select], str] = {}


def _once_a_request(build: Callable) -> Callable:
    """The condition for this person built once a request: a home page's panels and a list's filters ask
    for it several times, and one expression serves every statement it goes into."""

    @functools.wraps(build)
    def kept(user: User, **options):
        if not has_request_context():
            return build(user, **options)
        conditions = g.setdefault("_access_conditions", {})
        roles = tuple(sorted(role.name for role in user.roles))
        key = (build.__name__, user.id, user.terrorism_cleared, roles, *sorted(options.items()))
        if key not in conditions:
            conditions[key] = build(user, **options)
        return conditions[key]

    return kept


def grant_meetings(grant: Callable[[User], sa.Select], part: str) -> None:
    """Let people see the meetings `grant(user)` selects as well, as their `part` in them ("named to
    audit"), which justifies opening them (adding it twice has no effect)."""
    if grant not in MEETING_GRANTS:
        MEETING_GRANTS.append(grant)
    GRANT_PARTS[grant] = part


def sees_all(user: User) -> bool:
    return user.can(Permission.VIEW_ALL_CASES)


@_once_a_request
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


@_once_a_request
def involved_meeting_ids(user: User, *, grants: bool = True) -> sa.CompoundSelect:
    """The meetings this person chairs, supports or is invited to by name (and, with `grants`, those
    another area lets them read)."""
    return sa.union(
        *_run_by(user),
        select(Invitation.meeting_id).where(Invitation.user_id == user.id),
        *(grant(user) for grant in (MEETING_GRANTS if grants else ())),
    )


def _running_parts(user: User) -> list[str]:
    """The parts on a meeting (its columns) that give this person access as they are now: chairing it
    while they hold the chair role, administering it while they hold a role that runs meetings. Being named
    on a meeting from when they held the role gives nothing once it is taken away."""
    parts = ["chair_id"] if user.has_role(Role.CHAIR) else []
    return [*parts, "administrator_id"] if user.can(Permission.RUN_MEETINGS) else parts


def _run_by(user: User) -> list[sa.Select]:
    """The statements of the meetings this person chairs or administers in a role they hold now."""
    return [select(Meeting.id).where(getattr(Meeting, part) == user.id) for part in _running_parts(user)]


def runs(user: User, meeting: Meeting) -> bool:
    """Whether this person is the meeting's chair or administrator, in a role they hold now."""
    return any(getattr(meeting, part) == user.id for part in _running_parts(user))


def category_condition(user: User) -> sa.ColumnElement[bool]:
    """Category 4 cases only for people flagged for them, as a WHERE clause on Case."""
    return sa.true() if user.terrorism_cleared else Case.category != Category.CATEGORY_4


@_once_a_request
def case_condition(user: User, *, grants: bool = True, case_id: int | None = None) -> sa.ColumnElement[bool]:
    """The cases this person may see, as a WHERE clause on Case (without `grants`: only through their own
    involvement, not through another area's read-only grant). With `case_id`, the same rule asked of that
    one case: each way in looks up that case by its index, rather than listing every case the person
    sees first."""
    if not user.can(Permission.VIEW_CASE_DATA):
        return sa.false()
    if sees_all(user):
        return category_condition(user)
    return _own_cases(
        user,
        involved_meeting_ids(user, grants=grants),
        (select(Action.case_id).where(Action.owner_id == user.id), Action.case_id),
        case_id=case_id,
    )


def working_case_condition(user: User) -> sa.ColumnElement[bool]:
    """The cases of this person's working lists (cases, actions, the home page's panels), as a WHERE clause
    on Case: those they see through their own part in them. A read-only grant lets them open a meeting's
    cases for what it is for (an audit, approving minutes), not list them as if they were theirs."""
    return case_condition(user, grants=False)


def sees_case_as_own(user: User, case_id: int) -> sa.Exists:
    """Whether this person sees the case through their own part in it (or sees every case), not only
    through a read-only grant, as an EXISTS to put into a statement the page runs anyway. Someone who
    sees a case only through a grant reads what the granted meetings had of it, never the rest."""
    own = case_condition(user, grants=False, case_id=case_id)
    return select(Case.id).where(Case.id == case_id, own).exists()


@_once_a_request
def run_meeting_ids(user: User) -> sa.CompoundSelect:
    """The meetings this person chairs or supports as their administrator (in a role they hold now)."""
    return sa.union(select(Meeting.id).where(sa.false()), *_run_by(user))


def managed_case_condition(user: User, *, case_id: int | None = None) -> sa.ColumnElement[bool]:
    """The cases this person may change (edit, record events on, update actions of, put on an agenda), as a
    WHERE clause on Case, if they manage cases at all: every case for the co-ordinator; otherwise those on
    the agenda of a meeting they chair or administer, and those they lead or referred. Being invited to a
    meeting, or owning one of a case's actions, lets a person see the case, never change it. A disposed
    case no one changes."""
    if not user.can(Permission.MANAGE_CASES):
        return sa.false()
    if sees_all(user):
        return sa.and_(category_condition(user), not_disposed())
    return sa.and_(_own_cases(user, run_meeting_ids(user), case_id=case_id), not_disposed())


def not_disposed() -> sa.ColumnElement[bool]:
    """Cases whose personal data has not been disposed of: a disposed case is a record of what happened,
    and nothing is added to it or changed in it."""
    return col(Case.disposed_at).is_(None)


def _own_cases(user: User, meetings, *more_ways_in, case_id: int | None) -> sa.ColumnElement[bool]:
    """Cases of this person's own (on the agenda of `meetings`, led or referred by them, or through
    `more_ways_in`: (statement of case ids, its case id column)) whose category they may see, as a WHERE
    clause on Case; with `case_id`, asked of that case alone, each way in by its index."""
    ways_in = [
        (select(AgendaItem.case_id).where(col(AgendaItem.meeting_id).in_(meetings)), AgendaItem.case_id),
        (select(Case.id).where(Case.lead_officer_id == user.id), Case.id),
        (select(Case.id).where(Case.created_by_id == user.id), Case.id),
        *more_ways_in,
    ]
    if case_id is not None:
        ways_in = [(way.where(column == case_id), column) for way, column in ways_in]
    own_cases = sa.union(*(way for way, _column in ways_in))
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


# A retention review belongs to a case only when it reviews one (its entries then name the case).
_SOMETIMES_A_CASES = {"RetentionReview"}
# The entry that logs a case's names taken out of the trail ("... on disposal of case 12"; PostgreSQL's
# redact_audit_entries writes it too, migration 0039) names the case by its id, and no more.
_DISPOSAL_OF_A_CASE = "% on disposal of case %"


def case_record_types() -> list[str]:
    """The records that are always a case's or a meeting's (every model whose `audit_scope` names one)."""
    from sqlmodel import SQLModel

    models = (mapper.class_ for mapper in SQLModel._sa_registry.mappers)
    scoped = {model.__name__ for model in models if callable(getattr(model, "audit_scope", None))}
    return sorted(scoped - _SOMETIMES_A_CASES)


def about_no_case() -> sa.ColumnElement[bool]:
    """The entries about no case or meeting: neither named, nor the record one of a case's or meeting's
    (an erasure of a disclosure pack written before it named the case), nor a disposal of a case."""
    from tracker.core.models import AuditEvent

    kind = col(AuditEvent.object_type)
    return sa.and_(
        col(AuditEvent.case_id).is_(None),
        col(AuditEvent.meeting_id).is_(None),
        sa.or_(kind.is_(None), kind.not_in(case_record_types())),
        sa.not_(sa.and_(kind == "AuditEvent", col(AuditEvent.summary).like(_DISPOSAL_OF_A_CASE))),
    )


def audit_condition(user: User) -> sa.ColumnElement[bool]:
    """The audit trail entries this person may read, as a WHERE clause on AuditEvent.

    Entries about no case or meeting are for everyone who may read the trail; an entry about a case or a
    meeting only for those who may see that case and meeting; and an entry about a Category 4 case, or
    about a meeting with one on its agenda, only for those cleared for terrorism cases. Someone who sees
    no case data (the system admin) reads only the entries about none: not even one that says a case
    was there (`about_no_case`), since for a Category 4 case that alone is more than they may know.
    """
    from tracker.core.models import AuditEvent

    no_case = col(AuditEvent.case_id).is_(None)
    no_meeting = col(AuditEvent.meeting_id).is_(None)
    if not user.can(Permission.VIEW_CASE_DATA):
        return about_no_case()
    meetings = select(Meeting.id).where(meeting_condition(user))
    if not user.terrorism_cleared:
        meetings = meetings.where(col(Meeting.id).not_in(restricted_meeting_ids()))
    condition = sa.and_(
        sa.or_(no_case, col(AuditEvent.case_id).in_(visible_case_ids(user))),
        sa.or_(no_meeting, col(AuditEvent.meeting_id).in_(meetings)),
    )
    return condition if user.terrorism_cleared else sa.and_(condition, sa.not_(_category_4_unnamed()))


# An issued disclosure pack outlives its case's disposal (erased, not deleted): its case is still known.
_PACK = sa.table("disclosure_pack", sa.column("id"), sa.column("case_id"))


def _category_4_unnamed() -> sa.ColumnElement[bool]:
    """Entries about a Category 4 case that do not name it in `case_id`: the log of its names taken out of
    the trail on its disposal ("... on disposal of case 12", which names it by its id alone), and the
    erasure of one of its issued disclosure packs written before such entries named the case."""
    from tracker.core.models import AuditEvent

    category_4 = Case.category == Category.CATEGORY_4
    kind = col(AuditEvent.object_type)
    disposal_of = sa.literal("% on disposal of case ") + sa.cast(Case.id, sa.String)
    disposal = sa.and_(
        kind == "AuditEvent",
        select(Case.id).where(category_4, col(AuditEvent.summary).like(disposal_of)).exists(),
    )
    pack = sa.and_(
        col(AuditEvent.case_id).is_(None),
        kind == "DisclosurePack",
        select(_PACK.c.id)
        .join(Case, Case.id == _PACK.c.case_id)
        .where(category_4, sa.cast(_PACK.c.id, sa.String) == AuditEvent.object_id)
        .exists(),
    )
    return sa.or_(disposal, pack)


def _exists(statement: sa.Select) -> bool:
    return db.session.scalar(statement.limit(1)) is not None


def meeting_visible(meeting: Meeting, user: User) -> bool:
    return _exists(select(Meeting.id).where(Meeting.id == meeting.id, meeting_condition(user)))


def case_visible(case: Case, user: User) -> bool:
    return _exists(select(Case.id).where(Case.id == case.id, case_condition(user, case_id=case.id)))


def case_known(case: Case, user: User) -> bool:
    """Whether this person may be told the case exists when they name its reference: they see it, or may
    find it by reference to put it on an agenda (an administrator, any case of a category they may see)."""
    return case_visible(case, user) or _exists(
        select(Case.id).where(Case.id == case.id, agenda_case_condition(user))
    )


def item_visible(item: AgendaItem, user: User) -> bool:
    return _exists(
        select(AgendaItem.id)
        .join(Meeting, Meeting.id == AgendaItem.meeting_id)
        .join(Case, Case.id == AgendaItem.case_id)
        .where(AgendaItem.id == item.id, item_condition(user))
    )


def action_visible(action: Action, user: User) -> bool:
    return _exists(
        select(Case.id).where(Case.id == action.case_id, case_condition(user, case_id=action.case_id))
    )


# Running a meeting: changing its details, agenda, invitations, attendance and record ----------------


def can_run(user: User, meeting: Meeting) -> bool:
    """The co-ordinator, and the meeting's own chair and administrator (while they hold that role), run a
    meeting."""
    if not user.can(Permission.RUN_MEETINGS):
        return False
    if sees_all(user) and user.can(Permission.SCHEDULE_MEETINGS):
        return True
    return runs(user, meeting)


def can_change_case(user: User, case: Case) -> bool:
    return _exists(select(Case.id).where(Case.id == case.id, managed_case_condition(user, case_id=case.id)))


def can_update_action(user: User, action: Action) -> bool:
    """An action's owner may mark it done or dropped, as may anyone who manages the case (the chairs and
    administrators of the meetings that discuss it, and the co-ordinator; never an auditor or an invitee
    as such)."""
    if not user.can(Permission.UPDATE_ACTIONS):
        return False
    if action.owner_id == user.id:
        return True
    return _exists(
        select(Case.id).where(
            Case.id == action.case_id, managed_case_condition(user, case_id=action.case_id)
        )
    )


def may_add_any_case(user: User) -> bool:
    """Those who schedule meetings (the co-ordinator and administrators) put any case on an agenda; a chair
    only one they may already change."""
    return user.can(Permission.SCHEDULE_MEETINGS)


def agenda_case_condition(user: User) -> sa.ColumnElement[bool]:
    """The cases this person may put on an agenda, as a WHERE clause on Case."""
    if may_add_any_case(user):
        return sa.and_(category_condition(user), not_disposed())
    return managed_case_condition(user)
