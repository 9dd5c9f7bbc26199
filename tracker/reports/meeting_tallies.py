"""The Board dashboard's counts about held meetings, kept per day in the same flush as the change (see
`tracker.core.tallies` and `tracker.reports.tallies`): minutes sent on time, agencies represented, and the
quality audits' scores. Each is counted by meeting: a change to a meeting's status or date, its minutes,
its invitations or its audit works that meeting's counts out again. Whether minutes went on time depends on
the area's working days for them, so a change to that setting counts every meeting afresh.

A meeting held only for Category 4 cases is left out of every count (Category 4 never appears in local
statistics, and such a meeting's date and running would show it): so a change to a meeting's agenda, or to
the category of a case on it, works that meeting's counts out again too.
"""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa

from tracker.core import tallies
from tracker.core.models import Setting
from tracker.core.timeutil import london
from tracker.meetings import rules as meeting_rules
from tracker.meetings.models import (
    AgendaItem,
    AttendanceStatus,
    Case,
    Category,
    Invitation,
    Meeting,
    MeetingStatus,
)
from tracker.meetings.tallies import by_name, changed, settings_reader
from tracker.minutes import rules as minutes_rules
from tracker.minutes import tallies as minutes_tallies
from tracker.minutes.models import Minutes, MinutesVersion
from tracker.reports.models import (
    AttendanceTally,
    AuditScore,
    AuditScoreTally,
    AuditStatus,
    AuditTally,
    MeetingAudit,
    MinutesSentTally,
)
from tracker.reports.tallies import LATE, ON_TIME, UNSENT

_MEETING_FIELDS = ("status", "starts_at")
# What whether a meeting was held only for Category 4 cases is worked out from, besides a case's category.
_ITEM_FIELDS = ("meeting_id", "case_id", "category_considered")
_CATEGORY_4 = Category.CATEGORY_4.name


def local_business(meeting: sa.Table, considered: bool = True) -> sa.ColumnElement[bool]:
    """Meetings whose figures are local: those not held only for Category 4 cases. An agenda item is
    Category 4 if its case was at the meeting or is now (as `AgendaItem.category_4`; only now, without
    `considered`); a meeting with no case on its agenda is not held for Category 4, and one with any other
    case is local business."""
    item, case = AgendaItem.__table__, Case.__table__
    at_the_meeting = by_name(item.c.category_considered) != _CATEGORY_4 if considered else sa.true()
    on_agenda = sa.select(item.c.id).where(item.c.meeting_id == meeting.c.id)
    local_case = (
        sa.select(item.c.id)
        .select_from(item.join(case, case.c.id == item.c.case_id))
        .where(
            item.c.meeting_id == meeting.c.id,
            at_the_meeting,
            by_name(case.c.category) != _CATEGORY_4,
        )
    )
    return sa.or_(sa.not_(on_agenda.exists()), local_case.exists())


def _held(connection: sa.Connection, meeting: sa.Table, ids: set[int] | None) -> sa.ColumnElement[bool]:
    """Held meetings the figures count (see `local_business`), of those in `ids` if given."""
    considered = ids is not None or _category_kept(connection)
    held = sa.and_(by_name(meeting.c.status) == MeetingStatus.HELD.name, local_business(meeting, considered))
    return held if ids is None else sa.and_(held, meeting.c.id.in_(ids))


def _category_kept(connection: sa.Connection) -> bool:
    """Whether the schema keeps a case's category at the meeting (migration 0034). Asked only by a full
    recount, which the migrations before 0034 also run; the counts kept as data changes always have it."""
    columns = sa.inspect(connection).get_columns("agenda_item")
    return "category_considered" in {column["name"] for column in columns}


def _agenda_touched(obj, added_or_deleted: bool) -> set[int] | None:
    """The meetings whose agenda a change to an agenda item or a case's category may make Category 4 only,
    or no longer (None for anything else)."""
    if isinstance(obj, AgendaItem):
        if not added_or_deleted and not changed(obj, _ITEM_FIELDS):
            return None
        old = sa.inspect(obj).attrs.meeting_id.history.deleted
        return {found for found in (minutes_tallies.meeting_id(obj), *old) if found is not None}
    if isinstance(obj, Case):
        session = sa.orm.object_session(obj)
        if added_or_deleted or obj.id is None or session is None or not changed(obj, ("category",)):
            return None  # a case just made (or deleted) is on no agenda
        item = AgendaItem.__table__
        statement = sa.select(item.c.meeting_id).where(item.c.case_id == obj.id)
        return set(session.connection().execute(statement).scalars())
    return None


def _meeting_touched(obj, added_or_deleted: bool) -> int | set[int] | None:
    if isinstance(obj, AgendaItem | Case):
        return _agenda_touched(obj, added_or_deleted)
    if isinstance(obj, Meeting) and not added_or_deleted and changed(obj, ("imported",)):
        return obj.id
    return minutes_tallies.meeting_of(obj, added_or_deleted)


def _minutes_contributions(connection: sa.Connection, ids: set[int] | None) -> Iterable[tuple]:
    """(held on, ON_TIME, LATE or UNSENT) of each held meeting counted (`_held`) not imported: its minutes
    first distributed within the working days allowed, after them, or not yet."""
    meeting, minutes, version = Meeting.__table__, Minutes.__table__, MinutesVersion.__table__
    first_sent = (
        sa.select(sa.func.min(version.c.distributed_at))
        .select_from(version.join(minutes, minutes.c.id == version.c.minutes_id))
        .where(minutes.c.meeting_id == meeting.c.id)
        .scalar_subquery()
    )
    statement = sa.select(meeting.c.starts_at, first_sent).where(
        _held(connection, meeting, ids), sa.not_(meeting.c.imported)
    )
    days = None
    for starts_at, sent_at in connection.execute(statement):
        held_on = london(starts_at).date()
        if sent_at is None:
            yield held_on, UNSENT
            continue
        days = days or settings_reader(connection)(meeting_rules.MINUTES_DAYS.key)
        due = minutes_rules.distribution_due_on(held_on, days)
        yield held_on, ON_TIME if london(sent_at).date() <= due else LATE


MINUTES_SENT = tallies.Tally(
    table=MinutesSentTally.__table__,
    keys=("held_on", "sent"),
    count="meetings",
    touched=_meeting_touched,
    contributions=_minutes_contributions,
    watched=(Meeting, Minutes, MinutesVersion, AgendaItem, Case),
    recount_when=lambda obj: isinstance(obj, Setting) and obj.key == meeting_rules.MINUTES_DAYS.key,
)


def _invitation_touched(obj, added_or_deleted: bool) -> int | set[int] | None:
    if isinstance(obj, AgendaItem | Case):
        return _agenda_touched(obj, added_or_deleted)
    if isinstance(obj, Meeting):
        return obj.id if added_or_deleted or changed(obj, _MEETING_FIELDS) else None
    if added_or_deleted or changed(obj, ("meeting_id", "agency_id", "attendance", "deputy_name")):
        return minutes_tallies.meeting_id(obj)
    return None


def _attendance_contributions(connection: sa.Connection, ids: set[int] | None) -> Iterable[tuple]:
    """(held on, agency, represented) of each invitation to a held meeting counted (`_held`) whose
    attendance was recorded: represented if present, or if a named deputy went."""
    meeting, invitation = Meeting.__table__, Invitation.__table__
    represented = sa.or_(
        by_name(invitation.c.attendance) == AttendanceStatus.PRESENT.name, invitation.c.deputy_name != ""
    )
    statement = (
        sa.select(meeting.c.starts_at, invitation.c.agency_id, represented)
        .select_from(invitation.join(meeting, meeting.c.id == invitation.c.meeting_id))
        .where(_held(connection, meeting, ids), invitation.c.attendance.is_not(None))
    )
    for starts_at, agency_id, was_represented in connection.execute(statement):
        yield london(starts_at).date(), agency_id, bool(was_represented)


def _audit_touched(obj, added_or_deleted: bool) -> int | set[int] | None:
    if isinstance(obj, AgendaItem | Case):
        return _agenda_touched(obj, added_or_deleted)
    if isinstance(obj, Meeting):
        return obj.id if added_or_deleted or changed(obj, _MEETING_FIELDS) else None
    if isinstance(obj, MeetingAudit):
        if added_or_deleted or changed(obj, ("status", "meeting_id")):
            return minutes_tallies.meeting_id(obj)
        return None
    if added_or_deleted or changed(obj, ("score", "criterion", "audit_id")):
        audit = obj.audit
        return audit.meeting_id if audit is not None else None
    return None


def _completed_audits(
    connection: sa.Connection, meeting: sa.Table, audit: sa.Table, ids: set[int] | None
) -> sa.ColumnElement[bool]:
    return sa.and_(_held(connection, meeting, ids), by_name(audit.c.status) == AuditStatus.COMPLETED.name)


def _audit_contributions(connection: sa.Connection, ids: set[int] | None) -> Iterable[tuple]:
    """(held on,) of each held meeting counted (`_held`) with a completed audit."""
    meeting, audit = Meeting.__table__, MeetingAudit.__table__
    statement = (
        sa.select(meeting.c.starts_at)
        .select_from(audit.join(meeting, meeting.c.id == audit.c.meeting_id))
        .where(_completed_audits(connection, meeting, audit, ids))
    )
    for (starts_at,) in connection.execute(statement):
        yield (london(starts_at).date(),)


def _score_contributions(connection: sa.Connection, ids: set[int] | None) -> Iterable[tuple]:
    """(held on, criterion, score) of each criterion scored in the completed audit of a held meeting
    counted (`_held`)."""
    meeting, audit, score = Meeting.__table__, MeetingAudit.__table__, AuditScore.__table__
    statement = (
        sa.select(meeting.c.starts_at, by_name(score.c.criterion), score.c.score)
        .select_from(
            score.join(audit, audit.c.id == score.c.audit_id).join(
                meeting, meeting.c.id == audit.c.meeting_id
            )
        )
        .where(_completed_audits(connection, meeting, audit, ids), score.c.score.is_not(None))
    )
    for starts_at, criterion, value in connection.execute(statement):
        yield london(starts_at).date(), criterion, value


ATTENDANCE = tallies.Tally(
    table=AttendanceTally.__table__,
    keys=("held_on", "agency_id", "represented"),
    count="invitations",
    touched=_invitation_touched,
    contributions=_attendance_contributions,
    watched=(Meeting, Invitation, AgendaItem, Case),
)

AUDITS = tallies.Tally(
    table=AuditTally.__table__,
    keys=("held_on",),
    count="audits",
    touched=_audit_touched,
    contributions=_audit_contributions,
    watched=(Meeting, MeetingAudit, AuditScore, AgendaItem, Case),
)

AUDIT_SCORES = tallies.Tally(
    table=AuditScoreTally.__table__,
    keys=("held_on", "criterion", "score"),
    count="scores",
    touched=_audit_touched,
    contributions=_score_contributions,
    watched=(Meeting, MeetingAudit, AuditScore, AgendaItem, Case),
)

KEPT = (MINUTES_SENT, ATTENDANCE, AUDITS, AUDIT_SCORES)
