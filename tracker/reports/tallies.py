"""The Board dashboard's counts of reviews and initial meetings held on time, and of actions done by their
due dates, kept per day in the same flush as the change (see `tracker.core.tallies`): the dashboard then
adds up a year's few hundred rows of counts, however many cases and meetings the area has.

Both are counted by case (a discussion's timeliness depends on the case's previous discussion, and neither
counts Category 4): a change to a case, one of its agenda items or actions, or a meeting it is discussed at
works out that case's counts again. Whether a discussion was on time depends on the area's intervals, so
a change to one of them counts every case afresh.
"""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa

from tracker.core import tallies
from tracker.core.models import Setting
from tracker.core.pillars import Pillar
from tracker.core.timeutil import london
from tracker.meetings import rules as meeting_rules
from tracker.meetings.models import (
    Action,
    ActionStatus,
    AgendaItem,
    AgendaPurpose,
    Case,
    Category,
    Level,
    Meeting,
    MeetingStatus,
    PillarEntry,
    PillarStatus,
)
from tracker.meetings.tallies import INTERVAL_KEYS, by_name, changed, settings_reader
from tracker.reports.models import (
    ActionTally,
    DiscussionTally,
    PillarTally,
    ReviewTally,
)
from tracker.reports.rules.tables import MEETING_LEVELS

REVIEW = "REVIEW"
INITIAL = "INITIAL"
ON_TIME = "ON_TIME"
LATE = "LATE"
OPEN = "OPEN"
UNSENT = "UNSENT"

# What each counted fact is worked out from: a change to any of these works the case's counts out again.
_CASE_FIELDS = ("referred_on", "category")
_ITEM_FIELDS = (
    "case_id",
    "meeting_id",
    "purpose",
    "level_considered",
    "next_review_on",
    "not_discussed_reason",
)
_MEETING_FIELDS = ("status", "starts_at")
_ACTION_FIELDS = ("case_id", "status", "due_on", "revised_due_on", "completed_on")


def _case_ids(obj, added_or_deleted: bool, fields: Iterable[str]) -> set[int] | None:
    """The case an agenda item or action belongs to (and belonged to, if it moved)."""
    if not added_or_deleted and not changed(obj, fields):
        return None
    history = sa.inspect(obj).attrs.case_id.history
    return {case_id for case_id in (obj.case_id, *history.deleted) if case_id is not None}


def _meeting_cases(meeting: Meeting) -> set[int]:
    """The cases discussed at a meeting, as the database holds them."""
    session = sa.orm.object_session(meeting)
    if meeting.id is None or session is None:
        return set()
    table = AgendaItem.__table__
    statement = sa.select(table.c.case_id).where(table.c.meeting_id == meeting.id)
    return set(session.connection().execute(statement).scalars())


def _case_touched(obj, added_or_deleted: bool) -> int | set[int] | None:
    if isinstance(obj, Case):
        return obj.id if added_or_deleted or changed(obj, _CASE_FIELDS) else None
    if isinstance(obj, AgendaItem):
        return _case_ids(obj, added_or_deleted, _ITEM_FIELDS)
    if isinstance(obj, Meeting):
        return _meeting_cases(obj) if added_or_deleted or changed(obj, _MEETING_FIELDS) else None
    return None


def _action_touched(obj, added_or_deleted: bool) -> int | set[int] | None:
    if isinstance(obj, Case):
        return obj.id if added_or_deleted or changed(obj, ("category",)) else None
    if isinstance(obj, Meeting):  # cancelled: the actions recorded at it no longer count
        return _meeting_cases(obj) if not added_or_deleted and changed(obj, ("status",)) else None
    return _case_ids(obj, added_or_deleted, _ACTION_FIELDS)


def _discussed(connection: sa.Connection, ids: set[int] | None) -> sa.Join:
    """The agenda items with their meetings and cases, a case the meeting did not discuss (deferred) left
    out: it was neither a review held nor a plan recorded."""
    item, meeting, case = AgendaItem.__table__, Meeting.__table__, Case.__table__
    on = meeting.c.id == item.c.meeting_id
    if ids is not None or _deferral_kept(connection):
        on = sa.and_(on, item.c.not_discussed_reason == "")
    return item.join(meeting, on).join(case, case.c.id == item.c.case_id)


def _deferral_kept(connection: sa.Connection) -> bool:
    """Whether the schema keeps a case not discussed (migration 0050). Asked only by a full recount, which
    the migrations before 0050 also run (on a schema without the column); the counts kept as data changes
    always have it."""
    columns = sa.inspect(connection).get_columns("agenda_item")
    return "not_discussed_reason" in {column["name"] for column in columns}


def _review_contributions(connection: sa.Connection, ids: set[int] | None) -> Iterable[tuple]:
    """(held on, REVIEW or INITIAL, on time) of each discussion the dashboard counts: each case's
    discussions at held meetings in order, each compared with the one before (the rule of
    `meetings.rules.review_due_on`: a review was due by the earlier of the date the previous meeting set
    and the longest interval for the level; a first discussion that was an initial meeting, within the
    working days allowed after referral). A first discussion at a review is not counted: what came before
    is not in the tracker."""
    item, meeting, case = AgendaItem.__table__, Meeting.__table__, Case.__table__
    statement = (
        sa.select(
            item.c.case_id,
            by_name(item.c.purpose),
            by_name(item.c.level_considered),
            item.c.next_review_on,
            meeting.c.starts_at,
            case.c.referred_on,
        )
        .select_from(_discussed(connection, ids))
        .where(
            by_name(meeting.c.status) == MeetingStatus.HELD.name,
            by_name(case.c.category) != Category.CATEGORY_4.name,
        )
        .order_by(item.c.case_id, meeting.c.starts_at, item.c.id)
    )
    if ids is not None:
        statement = statement.where(item.c.case_id.in_(ids))
    setting = None
    last_case, before, review_set = None, None, None
    for case_id, purpose, level_name, next_review_on, starts_at, referred_on in connection.execute(statement):
        if case_id != last_case:
            last_case, before, review_set = case_id, None, None
        held_on = london(starts_at).date()
        level = Level.__members__.get(level_name)
        if level in MEETING_LEVELS and (before is not None or purpose == AgendaPurpose.INITIAL.name):
            setting = setting or settings_reader(connection)
            due = meeting_rules.review_due_on(
                referred_on=referred_on,
                last_reviewed_on=before,
                next_review_on=review_set,
                initial_days=setting(meeting_rules.INITIAL_DAYS[level].key),
                interval_weeks=setting(meeting_rules.REVIEW_WEEKS[level].key),
            )
            yield held_on, INITIAL if before is None else REVIEW, held_on <= due
        before, review_set = held_on, next_review_on


def _action_contributions(connection: sa.Connection, ids: set[int] | None) -> Iterable[tuple]:
    """(due on, ON_TIME, LATE or OPEN) of each action done or open (Category 4 apart), by the date in force
    (`Action.due_in_force`: the new date its owner set since the meeting, or the date agreed). An action
    recorded at a meeting later cancelled is not counted, done or not: a meeting that did not take place
    agreed nothing (cancelling takes its open actions off the record; one already done stays on the case)."""
    action, case, item, meeting = Action.__table__, Case.__table__, AgendaItem.__table__, Meeting.__table__
    statement = (
        sa.select(
            sa.func.coalesce(action.c.revised_due_on, action.c.due_on),
            by_name(action.c.status),
            action.c.completed_on,
        )
        .select_from(
            action.join(case, case.c.id == action.c.case_id)
            .join(item, item.c.id == action.c.agenda_item_id)
            .join(meeting, meeting.c.id == item.c.meeting_id)
        )
        .where(
            by_name(case.c.category) != Category.CATEGORY_4.name,
            by_name(action.c.status).in_([ActionStatus.OPEN.name, ActionStatus.DONE.name]),
            by_name(meeting.c.status) != MeetingStatus.CANCELLED.name,
        )
    )
    if ids is not None:
        statement = statement.where(action.c.case_id.in_(ids))
    for due_on, status, completed_on in connection.execute(statement):
        if status == ActionStatus.OPEN.name:
            yield due_on, OPEN
        elif completed_on is not None:
            yield due_on, ON_TIME if completed_on <= due_on else LATE


REVIEWS_HELD = tallies.Tally(
    table=ReviewTally.__table__,
    keys=("held_on", "kind", "on_time"),
    count="discussions",
    touched=_case_touched,
    contributions=_review_contributions,
    watched=(Case, AgendaItem, Meeting),
    recount_when=lambda obj: isinstance(obj, Setting) and obj.key in INTERVAL_KEYS,
)

ACTIONS_DUE = tallies.Tally(
    table=ActionTally.__table__,
    keys=("due_on", "outcome"),
    count="actions",
    touched=_action_touched,
    contributions=_action_contributions,
    watched=(Case, Action, Meeting),
)


# The Four Pillars of each discussion ------------------------------------


def _items_where(obj, column_name: str) -> set[int]:
    session = sa.orm.object_session(obj)
    if obj.id is None or session is None:
        return set()
    table = AgendaItem.__table__
    statement = sa.select(table.c.id).where(table.c[column_name] == obj.id)
    return set(session.connection().execute(statement).scalars())


def _item_touched(obj, added_or_deleted: bool) -> int | set[int] | None:
    if isinstance(obj, PillarEntry):
        if not added_or_deleted and not changed(obj, ("agenda_item_id", "pillar", "status")):
            return None
        item = obj.agenda_item_id or (obj.agenda_item.id if obj.agenda_item is not None else None)
        old = sa.inspect(obj).attrs.agenda_item_id.history.deleted
        return {item_id for item_id in (item, *old) if item_id is not None}
    if isinstance(obj, AgendaItem):
        fields = ("case_id", "meeting_id", "not_discussed_reason")
        return obj.id if added_or_deleted or changed(obj, fields) else None
    if isinstance(obj, Meeting):
        moved = added_or_deleted or changed(obj, (*_MEETING_FIELDS, "imported"))
        return _items_where(obj, "meeting_id") if moved else None
    if isinstance(obj, Case):
        return _items_where(obj, "case_id") if added_or_deleted or changed(obj, ("category",)) else None
    return None


def _held_items(connection: sa.Connection, ids: set[int] | None, *columns) -> sa.Select:
    """Discussions at held meetings the Four Pillars figures count: Category 4 apart, and a meeting
    brought in from the area's records apart (its date and decisions came in, its plan did not: counted,
    it would read as a plan that left every pillar out)."""
    item, meeting, case = AgendaItem.__table__, Meeting.__table__, Case.__table__
    statement = (
        sa.select(meeting.c.starts_at, *columns)
        .select_from(_discussed(connection, ids))
        .where(
            by_name(meeting.c.status) == MeetingStatus.HELD.name,
            by_name(case.c.category) != Category.CATEGORY_4.name,
            sa.not_(meeting.c.imported),
        )
    )
    return statement if ids is None else statement.where(item.c.id.in_(ids))


def _discussion_contributions(connection: sa.Connection, ids: set[int] | None) -> Iterable[tuple]:
    """(held on, all Four Pillars recorded) of each discussion at a held meeting."""
    entry = PillarEntry.__table__
    recorded = (
        sa.select(sa.func.count())
        .where(
            entry.c.agenda_item_id == AgendaItem.__table__.c.id,
            by_name(entry.c.status) != PillarStatus.OUTSTANDING.name,
        )
        .scalar_subquery()
    )
    for starts_at, count in connection.execute(_held_items(connection, ids, recorded)):
        yield london(starts_at).date(), count >= len(Pillar)


def _pillar_contributions(connection: sa.Connection, ids: set[int] | None) -> Iterable[tuple]:
    """(held on, pillar, status) of each pillar entry of a discussion at a held meeting."""
    entry = PillarEntry.__table__
    columns = (by_name(entry.c.pillar), by_name(entry.c.status))
    statement = _held_items(connection, ids, *columns).join(
        entry, entry.c.agenda_item_id == AgendaItem.__table__.c.id
    )
    for starts_at, pillar, status in connection.execute(statement):
        yield london(starts_at).date(), pillar, status


DISCUSSIONS = tallies.Tally(
    table=DiscussionTally.__table__,
    keys=("held_on", "all_pillars"),
    count="discussions",
    touched=_item_touched,
    contributions=_discussion_contributions,
    watched=(PillarEntry, AgendaItem, Meeting, Case),
)

PILLARS = tallies.Tally(
    table=PillarTally.__table__,
    keys=("held_on", "pillar", "status"),
    count="entries",
    touched=_item_touched,
    contributions=_pillar_contributions,
    watched=(PillarEntry, AgendaItem, Meeting, Case),
)

KEPT = (REVIEWS_HELD, ACTIONS_DUE, DISCUSSIONS, PILLARS)


def recount(connection: sa.Connection) -> None:
    """Every count of the dashboard's (these and `meeting_tallies`') worked out afresh (a migration's
    backfill, or after a bulk load)."""
    from tracker.reports import meeting_tallies

    for tally in (*KEPT, *meeting_tallies.KEPT):
        tallies.recount(tally, connection)
