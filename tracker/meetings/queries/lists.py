"""The case, meeting and action lists: filters, sorts, and their statements."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager, joinedload
from sqlmodel import col, select

from tracker.auth.models import User, person_named
from tracker.core.db import db
from tracker.core.searching import every_word_in
from tracker.meetings import access
from tracker.meetings.models import (
    Action,
    ActionStatus,
    AgendaItem,
    Case,
    CaseStatus,
    Category,
    Invitation,
    Level,
    Meeting,
    MeetingStatus,
    action_due_in_force,
)
from tracker.meetings.queries.deadlines import (
    due_soon_condition,
    overdue_condition,
    review_due_key,
    start_of_day_utc,
    without_next_meeting_condition,
)

# Lists ---------------------------------------------------------------------------------------------

# The case list's status filter: blank shows current cases (active or in custody), this shows every case.
ALL_STATUSES = "all"
REVIEW_FILTERS = {"overdue": "Overdue", "due-soon": "Due soon", "no-meeting": "No next meeting"}
CASE_SORTS = {
    "reference": Case.reference,
    "name": Case.name,
    "level": Case.level,
    "category": Case.category,
    "borough": Case.borough,
    "referred": Case.referred_on,
    "next-review": review_due_key,
}


# What a search for a case looks in (the case list's, and the agenda's for cases to add): its MAPPA
# reference and name, and its references on ViSOR, nDelius and the PNC, which the case's page shows to
# everyone who may open it (every search is of the cases the person may see).
CASE_SEARCHED = (Case.reference, Case.name, Case.visor_reference, Case.ndelius_reference, Case.pnc_reference)


def case_search_condition(text: str) -> sa.ColumnElement[bool]:
    """Cases with every word of `text`, in any order, in their references or name (as a WHERE clause)."""
    return every_word_in(text, *CASE_SEARCHED)


def _enum(enum_cls, value: str | None):
    return enum_cls.__members__.get(value or "")


def _order(
    statement: sa.Select, columns: dict[str, Any], args, default: str, tiebreak, default_order: str = "asc"
) -> sa.Select:
    """Sort by the column the query string names (or `default`), in the order it names (or, for the
    default column, `default_order`); rows without a value last either way."""
    key = args.get("sort", default) if args.get("sort") in columns else default
    column = columns[key]
    column = column() if callable(column) else column
    order = args.get("order") or (default_order if key == default else "asc")
    direction = sa.desc if order == "desc" else sa.asc
    return statement.order_by(direction(column).nulls_last(), tiebreak)


def case_list_statement(user: User, args, today: date) -> sa.Select:
    statement = (
        select(Case)
        .where(access.working_case_condition(user))
        .options(joinedload(Case.lead_agency), person_named(Case.lead_officer))
    )
    if query := args.get("q", "").strip():
        statement = statement.where(case_search_condition(query))
    if level := _enum(Level, args.get("level")):
        statement = statement.where(Case.level == level)
    if category := _enum(Category, args.get("category")):
        statement = statement.where(Case.category == category)
    status = args.get("status", "")
    if status == ALL_STATUSES:
        pass
    elif chosen := _enum(CaseStatus, status):
        statement = statement.where(Case.status == chosen)
    else:  # the list opens on the cases still being managed
        statement = statement.where(Case.status != CaseStatus.EXITED)
    if borough := args.get("borough", "").strip():
        statement = statement.where(Case.borough == borough)
    review = args.get("review")
    if review == "overdue":
        statement = statement.where(overdue_condition(today))
    elif review == "due-soon":
        statement = statement.where(due_soon_condition(today))
    elif review == "no-meeting":
        statement = statement.where(without_next_meeting_condition(today))
    return _order(statement, CASE_SORTS, args, case_default_sort(args), Case.reference)


def case_default_sort(args) -> str:
    """The case list's order when none is chosen: by reference, except for a list of cases picked by when
    their next meeting is due (overdue, due soon, without one booked), which is by that date, the most
    overdue first."""
    return "next-review" if args.get("review") in REVIEW_FILTERS else "reference"


def boroughs(user: User) -> list[str]:
    rows = db.session.exec(
        select(Case.borough)
        .where(access.working_case_condition(user), Case.borough != "")
        .distinct()
        .order_by(Case.borough)
    )
    return list(rows)


MEETING_SORTS = {"date": Meeting.starts_at, "reference": Meeting.reference, "level": Meeting.level}


def _day_bounds(start: date | None, end: date | None) -> list[sa.ColumnElement[bool]]:
    conditions = []
    if start:
        conditions.append(Meeting.starts_at >= start_of_day_utc(start))
    if end:
        conditions.append(Meeting.starts_at < start_of_day_utc(end + timedelta(days=1)))
    return conditions


def meeting_list_statement(user: User, args, start: date | None, end: date | None) -> sa.Select:
    statement = (
        select(Meeting)
        .where(access.meeting_condition(user), *_day_bounds(start, end))
        .options(person_named(Meeting.chair))
    )
    if level := _enum(Level, args.get("level")):
        statement = statement.where(Meeting.level == level)
    if status := _enum(MeetingStatus, args.get("status")):
        statement = statement.where(Meeting.status == status)
    if (chair := args.get("chair", "")).isdigit():
        statement = statement.where(Meeting.chair_id == int(chair))
    if name := args.get("chair_name", "").strip():
        named = select(User.id).where(every_word_in(name, User.name))
        statement = statement.where(col(Meeting.chair_id).in_(named))
    if args.get("mine"):
        invited = select(Invitation.meeting_id).where(Invitation.user_id == user.id)
        statement = statement.where(
            sa.or_(
                Meeting.chair_id == user.id, Meeting.administrator_id == user.id, col(Meeting.id).in_(invited)
            )
        )
    # Newest first: the meetings coming up and those just held, not last year's.
    return _order(statement, MEETING_SORTS, args, "date", Meeting.id, default_order="desc")


def agenda_counts(meeting_ids: list[int], user: User) -> dict[int, int]:
    """How many cases this person may see on each meeting's agenda, in one query."""
    if not meeting_ids:
        return {}
    rows = db.session.execute(
        select(AgendaItem.meeting_id, sa.func.count())
        .join(Case, Case.id == AgendaItem.case_id)
        .where(col(AgendaItem.meeting_id).in_(meeting_ids), access.category_condition(user))
        .group_by(AgendaItem.meeting_id)
    )
    return dict(rows.all())


ACTION_SORTS = {"due": action_due_in_force(), "status": Action.status, "created": Action.created_at}


def default_action_owner(user: User) -> str:
    """Whose actions the list opens on: everyone's this person may see for those who oversee the area
    (the co-ordinator owns few actions or none), their own for everyone else."""
    return "all" if access.sees_all(user) else "me"


def action_list_statement(user: User, args, today: date) -> sa.Select:
    """Actions on this person's own cases (`access.working_case_condition`: a case they read only through a
    grant, such as an audit's, is not one); by default the open ones of `default_action_owner`."""
    statement = (
        select(Action)
        .join(Case, Case.id == Action.case_id)
        .where(access.working_case_condition(user))
        # What each row shows, in the same query: its case (joined already), meeting, owner (and who marked it
        # done) and agency.
        .options(
            contains_eager(Action.case),
            person_named(Action.owner),
            person_named(Action.completed_by),
            joinedload(Action.owner_agency),
            joinedload(Action.agenda_item).joinedload(AgendaItem.meeting),
        )
    )
    owner = args.get("owner") or default_action_owner(user)
    if owner == "me":
        statement = statement.where(Action.owner_id == user.id)
    elif owner == "agency":
        statement = statement.where(Action.owner_agency_id == user.agency_id)
    if (agency := args.get("agency", "")).isdigit():
        statement = statement.where(Action.owner_agency_id == int(agency))
    statement = statement.where(Action.status != ActionStatus.REMOVED)
    status = args.get("status", "OPEN")
    if status_enum := _enum(ActionStatus, status):
        statement = statement.where(Action.status == status_enum)
    if args.get("overdue"):
        statement = statement.where(Action.status == ActionStatus.OPEN, action_due_in_force() < today)
    if reference := args.get("case", "").strip():
        statement = statement.where(Case.reference == reference.upper())
    return _order(statement, ACTION_SORTS, args, "due", Action.id)
