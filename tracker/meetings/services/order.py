"""A case's meetings follow one another in the order of their start times, and once a meeting's minutes are
approved that order is part of its record: the plan it reviewed was the one agreed at the case's last
meeting held before it, and the level it started from the one the meetings before it left.

So no case goes on a meeting starting at or before one of its meetings whose minutes have been approved
(approved, distributed, or approved and being corrected), no meeting with the case on its agenda moves
past such a meeting or to its start time, and no case is on two meetings starting at the same moment
(neither would come first). `ensure_case_order` is the one check, for every route that puts a case on a
meeting or changes when a meeting starts; bringing past meetings in checks the same meetings
(`settled_meetings`) by day, as an imported meeting's time of day is not known.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import col, select

from tracker.core.db import db
from tracker.core.timeutil import format_datetime
from tracker.meetings.freeze import Settled, settled_meetings
from tracker.meetings.models import AgendaItem, Case, Meeting, MeetingStatus
from tracker.meetings.services.base import Refused


def ensure_case_order(
    meeting: Meeting, cases: list[Case], starts_at: datetime, *, moving: bool = False
) -> None:
    """Refused, naming the case and the other meeting, when these cases may not be on `meeting` starting at
    `starts_at`: `moving`, the meeting moves there from its start (the message is for the date field);
    otherwise the cases go on its agenda (`starts_at` is its start)."""
    if not cases or (moving and starts_at == meeting.starts_at):
        return
    named = {case.id: case for case in cases}
    for case_id, settled in settled_meetings(list(named)).items():
        _ensure_after_settled(meeting, named[case_id], settled, starts_at, moving)
    same = db.session.exec(
        select(AgendaItem.case_id, Meeting)
        .join(Meeting, col(Meeting.id) == AgendaItem.meeting_id)
        .where(
            col(AgendaItem.case_id).in_(named),
            Meeting.id != meeting.id,
            Meeting.status != MeetingStatus.CANCELLED,
            Meeting.starts_at == starts_at,
        )
        .order_by(col(Meeting.id))
    ).first()
    if same is None:
        return
    case, other = named[same[0]], same[1]
    if moving:
        raise Refused(
            f"This meeting would start at the same time as {other.reference}, which also has "
            f"{case.reference} on its agenda: a case's meetings must start at different times, so that "
            "one follows the other. Choose another time",
            field="day",
        )
    raise Refused(
        f"{case.reference} cannot go on this meeting: it is on the agenda of {other.reference}, which "
        f"starts at the same time ({format_datetime(starts_at)}). A case's meetings must start at "
        "different times, so that one follows the other"
    )


def _ensure_after_settled(
    meeting: Meeting, case: Case, settled: list[Settled], starts_at: datetime, moving: bool
) -> None:
    """The case's meetings whose minutes have been approved keep their place among its meetings: a case
    goes only on a meeting starting after each of them, and a meeting moves only to a time on the same
    side of each of them as before (never to the same time)."""
    for other in settled:
        if other.meeting_id == meeting.id:
            continue
        when, before = format_datetime(other.starts_at), meeting.starts_at < other.starts_at
        if not moving and starts_at <= other.starts_at:
            raise Refused(
                f"{case.reference} cannot go on this meeting: it was discussed at {other.reference} "
                f"({when}), and those minutes are {other.minutes_are}. A case's meetings keep their order "
                "once minutes are approved: put it on a meeting starting after then"
            )
        if moving and before and starts_at >= other.starts_at:
            raise Refused(
                f"This meeting comes before {other.reference} ({when}), which also discussed "
                f"{case.reference}, and those minutes are {other.minutes_are}: a case's meetings keep their "
                "order once minutes are approved, so this meeting must still start before then",
                field="day",
            )
        if moving and not before and starts_at <= other.starts_at:
            raise Refused(
                f"{case.reference} on this meeting's agenda was discussed at {other.reference} ({when}), and "
                f"those minutes are {other.minutes_are}: a case's meetings keep their order once minutes are "
                "approved, so this meeting must start after then",
                field="day",
            )
