"""How many meetings of each day have minutes to write, awaiting approval or not yet sent, kept in the same
flush as the change (see `tracker.core.tallies`), so that the co-ordinator's counts on the home page and
the minutes list add up a row a day rather than every meeting the area has held."""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa

from tracker.core import tallies
from tracker.core.timeutil import london
from tracker.meetings.models import Meeting, MeetingStatus
from tracker.meetings.tallies import by_name, changed
from tracker.minutes.models import Minutes, MinutesStatus, MinutesTally, MinutesVersion

TO_WRITE = "TO_WRITE"
AWAITING_APPROVAL = "AWAITING_APPROVAL"
UNSENT = "UNSENT"

# What a meeting's stage is worked out from.
_MEETING_FIELDS = ("starts_at", "status")


def meeting_id(obj) -> int | None:
    """The meeting that something of a meeting's (its minutes, an invitation) is of, flushed or not yet."""
    return obj.meeting_id or (obj.meeting.id if obj.meeting is not None else None)


def meeting_of(obj, added_or_deleted: bool) -> int | None:
    """The meeting whose minutes' stage a pending change may move."""
    if isinstance(obj, Meeting):
        return obj.id if added_or_deleted or changed(obj, _MEETING_FIELDS) else None
    if isinstance(obj, Minutes):
        return meeting_id(obj)
    if isinstance(obj, MinutesVersion) and (added_or_deleted or changed(obj, ("distributed_at",))):
        minutes = obj.minutes
        return minutes.meeting_id if minutes is not None else None
    return None


def _contributions(connection: sa.Connection, ids: set[int] | None) -> Iterable[tuple]:
    meeting, minutes, version = Meeting.__table__, Minutes.__table__, MinutesVersion.__table__
    first_sent = (
        sa.select(sa.func.min(version.c.distributed_at))
        .where(version.c.minutes_id == minutes.c.id)
        .scalar_subquery()
    )
    statement = (
        sa.select(meeting.c.starts_at, by_name(minutes.c.status), first_sent, meeting.c.imported)
        .select_from(meeting.outerjoin(minutes, minutes.c.meeting_id == meeting.c.id))
        .where(by_name(meeting.c.status) != MeetingStatus.CANCELLED.name)
    )
    if ids is not None:
        statement = statement.where(meeting.c.id.in_(ids))
    for starts_at, status, sent_at, imported in connection.execute(statement):
        held_on = london(starts_at).date()
        if status is None or status == MinutesStatus.DRAFT.name:
            yield TO_WRITE, held_on
        elif status == MinutesStatus.SUBMITTED.name:
            yield AWAITING_APPROVAL, held_on
        if sent_at is None and not imported:  # one brought in from the records is never overdue
            yield UNSENT, held_on


MINUTES_STAGES = tallies.Tally(
    table=MinutesTally.__table__,
    keys=("stage", "held_on"),
    count="meetings",
    touched=meeting_of,
    contributions=_contributions,
    watched=(Meeting, Minutes, MinutesVersion),
)


def recount(connection: sa.Connection) -> None:
    tallies.recount(MINUTES_STAGES, connection)
