"""The statements behind the lists and the dashboard: filters, sorting and deadlines in SQL, so that a
page makes the same few queries however many cases, meetings and actions there are.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import selectinload
from sqlalchemy.sql.functions import FunctionElement
from sqlmodel import col, select

from tracker.auth.models import User, UserRole
from tracker.core.db import db
from tracker.core.permissions import Role
from tracker.core.timeutil import LONDON, london_to_utc
from tracker.meetings import access, rules
from tracker.meetings.models import (
    MEETING_LEVELS,
    Action,
    ActionStatus,
    AgendaItem,
    AttendanceStatus,
    Case,
    CaseStatus,
    Category,
    ChairProfile,
    Invitation,
    Level,
    Meeting,
    MeetingStatus,
)

# Deadlines in SQL ----------------------------------------------------------------------------------


def review_due_before(limit: date) -> sa.ColumnElement[bool]:
    """Cases still managed through meetings whose next meeting is due before `limit`.

    The same rule as `rules.review_due_on`, written for SQL: the initial meeting deadline (in working days)
    before the first meeting, then the earlier of the date the last meeting set and the longest interval.
    """
    per_level = []
    for level in MEETING_LEVELS:
        cutoff = rules.latest_referral_due_before(limit, rules.initial_working_days(level))
        interval_start = limit - timedelta(weeks=rules.review_weeks(level))
        per_level.append(
            sa.and_(
                Case.level == level,
                sa.or_(
                    sa.and_(col(Case.last_reviewed_on).is_(None), Case.referred_on <= cutoff),
                    sa.and_(
                        col(Case.last_reviewed_on).is_not(None),
                        sa.or_(Case.next_review_on < limit, Case.last_reviewed_on < interval_start),
                    ),
                ),
            )
        )
    return sa.and_(Case.status != CaseStatus.EXITED, sa.or_(*per_level))


def overdue_condition(today: date) -> sa.ColumnElement[bool]:
    return review_due_before(today)


def due_soon_condition(today: date) -> sa.ColumnElement[bool]:
    horizon = today + timedelta(days=rules.due_soon_days() + 1)
    return sa.and_(review_due_before(horizon), sa.not_(review_due_before(today)))


def start_of_day_utc(day: date) -> datetime:
    return london_to_utc(day, time.min)


def without_next_meeting_condition(today: date) -> sa.ColumnElement[bool]:
    """Cases managed through meetings that are on no scheduled meeting from today on."""
    upcoming = (
        select(AgendaItem.case_id)
        .join(Meeting, Meeting.id == AgendaItem.meeting_id)
        .where(Meeting.status == MeetingStatus.SCHEDULED, Meeting.starts_at >= start_of_day_utc(today))
    )
    return sa.and_(
        Case.status != CaseStatus.EXITED,
        col(Case.level).in_(MEETING_LEVELS),
        col(Case.id).not_in(upcoming),
    )


class _AddDays(FunctionElement):
    """A date plus a fixed number of days; each database spells date arithmetic its own way."""

    type = sa.Date()
    inherit_cache = True
    name = "add_days"


@compiles(_AddDays)
def _add_days(element, compiler, **kw):
    day, days = element.clauses
    return f"({compiler.process(day, **kw)} + {compiler.process(days, **kw)})"


@compiles(_AddDays, "sqlite")
def _add_days_sqlite(element, compiler, **kw):
    day, days = element.clauses
    return f"date({compiler.process(day, **kw)}, '+' || {compiler.process(days, **kw)} || ' days')"


def add_days(day: sa.ColumnElement, days: int) -> sa.ColumnElement:
    return _AddDays(day, sa.literal_column(str(int(days)), sa.Integer))


def review_due_key() -> sa.ColumnElement:
    """When each case is next due at a meeting, in SQL, to sort by (NULL for cases without meetings).

    The same rule as `case_review_due`: exact once a case has had a meeting. Before its first meeting the
    initial deadline counts its working days as weeks of five (20 working days as 28 days), so a bank
    holiday can move a case a day or two in the order; the date shown beside it is always exact.
    """
    whens = [(Case.status == CaseStatus.EXITED, None)]
    for level in MEETING_LEVELS:
        initial = add_days(Case.referred_on, -(-rules.initial_working_days(level) * 7 // 5))
        latest = add_days(Case.last_reviewed_on, rules.review_weeks(level) * 7)
        set_earlier = sa.and_(col(Case.next_review_on).is_not(None), Case.next_review_on < latest)
        whens += [
            (sa.and_(Case.level == level, col(Case.last_reviewed_on).is_(None)), initial),
            (Case.level == level, sa.case((set_earlier, Case.next_review_on), else_=latest)),
        ]
    return sa.case(*whens, else_=None)


def case_review_due(case: Case) -> date | None:
    """When this case is next due at a meeting (None if it is not managed through meetings)."""
    if not rules.needs_meetings(case.level, case.status):
        return None
    return rules.review_due_on(
        referred_on=case.referred_on,
        last_reviewed_on=case.last_reviewed_on,
        next_review_on=case.next_review_on,
        initial_days=rules.initial_working_days(case.level),
        interval_weeks=rules.review_weeks(case.level),
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
        .where(access.case_condition(user))
        .options(selectinload(Case.lead_agency), selectinload(Case.lead_officer))
    )
    if query := args.get("q", "").strip():
        pattern = f"%{query.lower()}%"
        statement = statement.where(
            sa.or_(sa.func.lower(Case.reference).like(pattern), sa.func.lower(Case.name).like(pattern))
        )
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
    return _order(statement, CASE_SORTS, args, "reference", Case.id)


def boroughs(user: User) -> list[str]:
    rows = db.session.exec(
        select(Case.borough)
        .where(access.case_condition(user), Case.borough != "")
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
        .options(selectinload(Meeting.chair), selectinload(Meeting.administrator))
    )
    if level := _enum(Level, args.get("level")):
        statement = statement.where(Meeting.level == level)
    if status := _enum(MeetingStatus, args.get("status")):
        statement = statement.where(Meeting.status == status)
    if (chair := args.get("chair", "")).isdigit():
        statement = statement.where(Meeting.chair_id == int(chair))
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


ACTION_SORTS = {"due": Action.due_on, "status": Action.status, "created": Action.created_at}


def action_list_statement(user: User, args, today: date) -> sa.Select:
    """Actions on cases this person may see; by default their own open ones."""
    statement = (
        select(Action)
        .join(Case, Case.id == Action.case_id)
        .where(access.case_condition(user))
        .options(
            selectinload(Action.case),
            selectinload(Action.owner),
            selectinload(Action.owner_agency),
            selectinload(Action.agenda_item).selectinload(AgendaItem.meeting),
        )
    )
    owner = args.get("owner", "me")
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
        statement = statement.where(Action.status == ActionStatus.OPEN, Action.due_on < today)
    if reference := args.get("case", "").strip():
        statement = statement.where(Case.reference == reference.upper())
    return _order(statement, ACTION_SORTS, args, "due", Action.id)


# The dashboard -------------------------------------------------------------------------------------


def week_bounds(today: date) -> tuple[datetime, datetime]:
    monday = today - timedelta(days=today.weekday())
    return start_of_day_utc(monday), start_of_day_utc(monday + timedelta(days=7))


def my_meetings_this_week(user: User, today: date) -> list[Meeting]:
    start, end = week_bounds(today)
    invited = select(Invitation.meeting_id).where(Invitation.user_id == user.id)
    statement = (
        select(Meeting)
        .where(
            access.meeting_condition(user),
            sa.or_(
                Meeting.chair_id == user.id, Meeting.administrator_id == user.id, col(Meeting.id).in_(invited)
            ),
            Meeting.starts_at >= start,
            Meeting.starts_at < end,
            Meeting.status != MeetingStatus.CANCELLED,
        )
        .order_by(Meeting.starts_at)
        .options(selectinload(Meeting.chair))
    )
    return list(db.session.exec(statement))


def count_cases(user: User, **conditions: sa.ColumnElement[bool]) -> dict[str, int]:
    """How many of the cases this person sees meet each condition, counted in one pass."""
    counts = [sa.func.count().filter(condition).label(name) for name, condition in conditions.items()]
    row = db.session.execute(select(*counts).select_from(Case).where(access.case_condition(user))).one()
    return dict(row._mapping)


def first_cases(user: User, condition: sa.ColumnElement[bool], limit: int = 5) -> list[Case]:
    statement = (
        select(Case)
        .where(access.case_condition(user), condition)
        .order_by(review_due_key(), Case.id)
        .limit(limit)
    )
    return list(db.session.exec(statement))


def my_overdue_actions(user: User, today: date, limit: int = 5) -> tuple[int, list[Action]]:
    condition = sa.and_(Action.owner_id == user.id, Action.status == ActionStatus.OPEN, Action.due_on < today)
    total = db.session.scalar(
        select(sa.func.count())
        .select_from(Action)
        .join(Case, Case.id == Action.case_id)
        .where(access.case_condition(user), condition)
    )
    rows = db.session.exec(
        select(Action)
        .join(Case, Case.id == Action.case_id)
        .where(access.case_condition(user), condition)
        .order_by(Action.due_on)
        .limit(limit)
        .options(selectinload(Action.case))
    )
    return total, list(rows)


def local_day(moment: datetime) -> date:
    return moment.astimezone(LONDON).date()


# Warnings on the meeting page ----------------------------------------------------------------------


def chair_standings(user_ids, day: date | None = None) -> dict[int, rules.ChairStanding]:
    """Each chair's standing on a day (today when not given): training and CPD from the chairs'
    register, the levels they may chair from their chair record. A fixed number of queries."""
    from tracker.training.queries import chair_statuses
    from tracker.training.rules import ChairState

    ids = list(set(user_ids))
    statuses = chair_statuses(ids, day)
    profiles = {
        p.user_id: p for p in db.session.exec(select(ChairProfile).where(col(ChairProfile.user_id).in_(ids)))
    }
    standings = {}
    for user_id, status in statuses.items():
        profile = profiles.get(user_id)
        levels = (
            None if profile is None else frozenset(lvl for lvl in MEETING_LEVELS if profile.may_chair(lvl))
        )
        standings[user_id] = rules.ChairStanding(
            trained=status.state is not ChairState.AWAITING_TRAINING,
            cpd_current=status.state is ChairState.TRAINED,
            cpd_due_by=status.cpd_due_by,
            levels=levels,
        )
    return standings


def chair_training(chair: User, day: date | None = None) -> tuple[bool, bool]:
    """Whether the chair has completed MAPPA chair training, and whether their CPD is current (on `day`,
    today when not given), from the training area's chairs' register."""
    standing = chair_standings([chair.id], day)[chair.id]
    return standing.trained, standing.cpd_current


@dataclass(frozen=True)
class ChairOption:
    """A chair the meeting form offers, with where they stand today."""

    user_id: int
    name: str
    agency: str
    standing: rules.ChairStanding

    @property
    def label(self) -> str:
        return f"{self.name} ({self.agency}) – {rules.chair_summary(self.standing)}"


def chair_options(today: date | None = None) -> list[ChairOption]:
    """Every active account with the chair role, by name, with their standing from the chairs' register
    (the chair picker)."""
    chairs = db.session.exec(
        select(User)
        .where(User.active, col(User.id).in_(select(UserRole.user_id).where(UserRole.role == Role.CHAIR)))
        .order_by(User.name, User.id)
    ).all()
    standings = chair_standings([chair.id for chair in chairs], today)
    return [ChairOption(c.id, c.name, c.agency.name, standings[c.id]) for c in chairs]


def trained_chairs_without_accounts(today: date | None = None) -> int:
    """How many chairs on the register are trained and current but have no account, so cannot be
    chosen yet (the TRSG can invite them to make one)."""
    from tracker.training.queries import chairs_register_statement
    from tracker.training.rules import ChairState

    register = chairs_register_statement(ChairState.TRAINED.name, today=today).subquery()
    return (
        db.session.scalar(select(sa.func.count()).select_from(register).where(register.c.user_id.is_(None)))
        or 0
    )


def represented_sector(invitation: Invitation):
    """The sector an invitation represents: a deputy's own agency's when a deputy from another agency went
    in the invited person's place, else the invited agency's (walk-ins count as present for theirs)."""
    deputised = invitation.attendance is not AttendanceStatus.PRESENT and invitation.deputy_name.strip()
    if deputised and invitation.deputy_agency is not None:
        return invitation.deputy_agency.sector
    return invitation.agency.sector


def meeting_warnings(meeting: Meeting, items: list[AgendaItem] | None = None) -> list[str]:
    """What the chair and administrator should put right before the meeting: a Responsible Authority
    agency not represented, and a chair not trained, with lapsed CPD, or not cleared for this level.
    The meeting's agenda items and invitations must be loaded; `items`, when given, are the ones the reader
    sees (a Category 4 case in custody must not show itself through the Prison Service warning)."""
    items = meeting.agenda_items if items is None else items
    in_custody = any(item.case.status is CaseStatus.IN_CUSTODY for item in items)
    represented = [
        represented_sector(invitation)
        for invitation in meeting.invitations
        if rules.represents(invitation.rsvp, invitation.attendance, invitation.deputy_name)
    ]
    warnings = [
        f"{sector.label} {'is' if meeting.status is MeetingStatus.SCHEDULED else 'was'} not represented: "
        "the Responsible Authority agencies are expected at every meeting"
        for sector in rules.missing_ra_sectors(rules.required_ra_sectors(in_custody), represented)
    ]
    profile = db.session.get(ChairProfile, meeting.chair_id)
    trained, cpd_current = chair_training(meeting.chair)
    warnings += rules.chair_warnings(
        chair_name=meeting.chair.name,
        level=meeting.level,
        trained=trained,
        cpd_current=cpd_current,
        may_chair=profile.may_chair(meeting.level) if profile else None,
    )
    return warnings
