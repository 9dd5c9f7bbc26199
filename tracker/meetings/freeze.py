"""Approved minutes freeze the record they describe: the one guard every write to a meeting's record
passes through.

Once a meeting's minutes are approved (or distributed), nothing recorded at that meeting (attendance, the
plan and the Four Pillars, the risk assessment, the level decision and the entry it made in the case's
history, the actions as agreed, the next review) may change, whichever page, service or command tries.
The guard listens on every database session before it writes (attached by `init_app`, called from
`tracker.meetings.register`), so a route added later cannot slip past it. A correction to the minutes (a
new draft version) reopens the record; approving the correction freezes it again, together with the
corrected minutes.

Progress on an action after the meeting (done, could not be done and why, a new due date) is follow-up,
not a change to what was agreed, so those columns stay open.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask import Flask, flash, redirect, url_for
from sqlalchemy.orm import Session as OrmSession

from tracker.core.db import db
from tracker.meetings.models import (
    Action,
    ActionStatus,
    AgendaItem,
    CaseEvent,
    Invitation,
    Meeting,
    MeetingStatus,
    PillarEntry,
    PlanPart,
)

# Columns that follow the meeting up rather than record it (a calendar sequence, a lock, a timestamp).
_MEETING_OPEN = {"sequence", "updated_at", "version"}
# An action's follow-up after the meeting.
ACTION_PROGRESS = {
    "status", "completed_on", "completed_by_id", "dropped_reason", "revised_due_on", "progress_note",
    "version",
}  # fmt: skip

REFUSAL = (
    "The minutes of meeting {reference} are approved, so what the meeting recorded can no longer be "
    "changed here. To change it, make a correction to the minutes: the record and the minutes change "
    "together, with the reason."
)


class RecordFrozen(Exception):
    """A change to the record of a meeting whose minutes are approved."""

    def __init__(self, meeting_id: int, reference: str = ""):
        self.meeting_id = meeting_id
        self.reference = reference
        super().__init__(REFUSAL.format(reference=reference or meeting_id))


# What counts as a change to a meeting's record ------------------------------------------------------


def _changed_columns(obj) -> set[str]:
    state = sa.inspect(obj)
    return {attr.key for attr in state.mapper.column_attrs if state.attrs[attr.key].history.has_changes()}


def _touches_record(obj, session: OrmSession) -> bool:
    """Whether this pending change to `obj` changes what a meeting recorded."""
    # `pending` rather than `obj in session.new`, which builds the set of every new object each time.
    if sa.inspect(obj).pending or obj in session.deleted:
        return True
    changed = _changed_columns(obj)
    if isinstance(obj, Meeting):
        return bool(changed - _MEETING_OPEN)
    if isinstance(obj, Action):
        history = sa.inspect(obj).attrs.status.history
        removal = ActionStatus.REMOVED in (*history.added, *history.deleted)
        return removal or bool(changed - ACTION_PROGRESS)
    return bool(changed)


def _meeting_ids(session: OrmSession, objects) -> set[int]:
    """The meetings whose record these objects belong to."""
    meetings: set[int] = set()
    items: set[int] = set()
    for obj in objects:
        if isinstance(obj, Meeting) and obj.id is not None:
            meetings.add(obj.id)
        elif isinstance(obj, (AgendaItem, Invitation)) and obj.meeting_id is not None:
            meetings.add(obj.meeting_id)
            # A row moved to another meeting belongs to the one it left too.
            previous = sa.inspect(obj).attrs.meeting_id.history.deleted
            meetings.update(value for value in previous if value is not None)
        elif isinstance(obj, (PillarEntry, PlanPart, Action)):
            item_id = obj.agenda_item_id
            if item_id is None and obj.agenda_item is not None:
                item_id = obj.agenda_item.id or None
                if item_id is None and obj.agenda_item.meeting_id is not None:
                    meetings.add(obj.agenda_item.meeting_id)
            if item_id is not None:
                items.add(item_id)
        elif isinstance(obj, CaseEvent):
            # A history entry a meeting's decision made (an entry recorded outside a meeting has no item)
            # belongs to that meeting's record, as does one moved off it.
            moved = sa.inspect(obj).attrs.agenda_item_id.history.deleted
            items.update(value for value in (obj.agenda_item_id, *moved) if value is not None)
        elif hasattr(obj, "record_meeting_id"):
            meeting_id = obj.record_meeting_id(session)
            if meeting_id is not None:
                meetings.add(meeting_id)
    if items:
        rows = session.execute(sa.select(AgendaItem.meeting_id).where(AgendaItem.id.in_(items)))
        meetings.update(row[0] for row in rows)
    return meetings


def frozen_meetings(session: OrmSession, meeting_ids: set[int]) -> set[int]:
    """Those of these meetings whose minutes are approved or distributed (as this session has them)."""
    from tracker.minutes.models import Minutes, MinutesStatus

    if not meeting_ids:
        return set()
    closed = {MinutesStatus.APPROVED, MinutesStatus.DISTRIBUTED}
    status: dict[int, MinutesStatus] = {}
    for obj in list(session.identity_map.values()) + list(session.new):
        if isinstance(obj, Minutes) and obj.meeting_id in meeting_ids:
            status[obj.meeting_id] = obj.status
    unknown = meeting_ids - status.keys()
    if unknown:
        rows = session.execute(
            sa.select(Minutes.meeting_id, Minutes.status).where(Minutes.meeting_id.in_(unknown))
        )
        status.update({meeting_id: value for meeting_id, value in rows})
    return {meeting_id for meeting_id, value in status.items() if value in closed}


def minutes_status(meeting_id: int):
    """The status of the meeting's minutes (a `MinutesStatus`), or None when none have been started."""
    from tracker.minutes.models import Minutes

    return db.session.scalar(sa.select(Minutes.status).where(Minutes.meeting_id == meeting_id))


def approved_once(session: OrmSession, meeting_ids: set[int]) -> set[int]:
    """Those of these meetings whose minutes have been approved: approved or distributed now, or approved
    and being corrected. A correction reopens what the meeting recorded, not its place among the case's
    meetings, nor the plan it started from."""
    from tracker.minutes.models import Minutes, MinutesVersion

    if not meeting_ids:
        return set()
    rows = session.execute(
        sa.select(Minutes.meeting_id)
        .join(MinutesVersion, MinutesVersion.minutes_id == Minutes.id)
        .where(Minutes.meeting_id.in_(meeting_ids), MinutesVersion.approved_at.is_not(None))
        .distinct()
    )
    return {row[0] for row in rows}


@dataclass(frozen=True)
class Settled:
    """A meeting on a case whose minutes have been approved (`approved_once`): the case's meetings keep
    their order around it."""

    meeting_id: int
    reference: str
    starts_at: datetime
    correcting: bool  # approved, and now being corrected

    @property
    def minutes_are(self) -> str:
        return "being corrected" if self.correcting else "approved"


def settled_meetings(case_ids: list[int], session: OrmSession | None = None) -> dict[int, list[Settled]]:
    """Each of these cases' meetings (not cancelled) whose minutes have been approved, earliest first, by
    case id (cases with none are left out). Two queries per 500 cases: the cases' items, then their
    meetings by id (a condition on the meeting joined to the items leads SQLite's planner to walk every
    meeting)."""
    from tracker.core.db import db
    from tracker.minutes.models import Minutes, MinutesStatus, MinutesVersion

    session = session if session is not None else db.session
    found: dict[int, list[Settled]] = {}
    ids = sorted(set(case_ids))
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        items = session.execute(
            sa.select(AgendaItem.case_id, AgendaItem.meeting_id).where(AgendaItem.case_id.in_(chunk))
        ).all()
        meeting_ids = sorted({meeting_id for _case_id, meeting_id in items})
        meetings: dict[int, Settled] = {}
        approved = sa.exists().where(
            MinutesVersion.minutes_id == Minutes.id, MinutesVersion.approved_at.is_not(None)
        )
        for at in range(0, len(meeting_ids), 500):
            rows = session.execute(
                sa.select(Meeting.id, Meeting.reference, Meeting.starts_at, Minutes.status)
                .join(Minutes, Minutes.meeting_id == Meeting.id)
                .where(
                    Meeting.id.in_(meeting_ids[at : at + 500]),
                    Meeting.status != MeetingStatus.CANCELLED,
                    approved,
                )
            ).all()
            for meeting_id, reference, starts_at, status in rows:
                correcting = status in (MinutesStatus.DRAFT, MinutesStatus.SUBMITTED)
                meetings[meeting_id] = Settled(meeting_id, reference, starts_at, correcting)
        for case_id, meeting_id in items:
            if meeting_id in meetings:
                found.setdefault(case_id, []).append(meetings[meeting_id])
    return {case_id: sorted(each, key=_in_order) for case_id, each in found.items()}


def _in_order(meeting: Settled) -> tuple:
    return meeting.starts_at, meeting.meeting_id


def correction_under_way(meeting_id) -> sa.ColumnElement[bool]:
    """Whether the approved minutes of the meeting `meeting_id` (a column or a value) are being corrected: a
    draft after an approved version, so what its record says may still change, or go back to what was
    approved."""
    from tracker.minutes.models import Minutes, MinutesStatus, MinutesVersion

    return sa.exists().where(
        Minutes.meeting_id == meeting_id,
        Minutes.status.in_((MinutesStatus.DRAFT, MinutesStatus.SUBMITTED)),
        sa.exists().where(MinutesVersion.minutes_id == Minutes.id, MinutesVersion.approved_at.is_not(None)),
    )


def correcting(meeting_id: int) -> bool:
    """Whether the meeting's approved minutes are being corrected: what it decided stands until the
    correction is approved (`tracker.minutes.correction`), so nothing follows from the draft meanwhile."""
    from tracker.core.db import db

    with db.session.no_autoflush:
        return bool(db.session.scalar(sa.select(correction_under_way(meeting_id))))


def is_open(meeting: Meeting, session: OrmSession | None = None) -> bool:
    """Whether the meeting's record may still change: no minutes yet, a draft, or a correction under way."""
    from tracker.core.db import db

    session = session or db.session
    with session.no_autoflush:
        return meeting.id not in frozen_meetings(session, {meeting.id})


def ensure_record_open(meeting: Meeting) -> None:
    """Refuse (RecordFrozen) any change to the record of a meeting whose minutes are approved."""
    if not is_open(meeting):
        raise RecordFrozen(meeting.id, meeting.reference)


def _guard(session: OrmSession, _flush_context, _instances) -> None:
    candidates = [
        obj
        for obj in (*session.new, *session.dirty, *session.deleted)
        if isinstance(obj, (Meeting, AgendaItem, Invitation, PillarEntry, PlanPart, Action, CaseEvent))
        or hasattr(obj, "record_meeting_id")
    ]
    if not candidates:
        return
    with session.no_autoflush:
        touched = [obj for obj in candidates if _touches_record(obj, session)]
        frozen = frozen_meetings(session, _meeting_ids(session, touched))
        if frozen:
            meeting_id = min(frozen)
            reference = session.execute(
                sa.select(Meeting.reference).where(Meeting.id == meeting_id)
            ).scalar_one_or_none()
            raise RecordFrozen(meeting_id, reference or "")




# Turning a refusal into a page ----------------------------------------------------------------------


def correction_url(meeting_id: int) -> str:
    return url_for("minutes.minutes_correct", meeting_id=meeting_id)


def refuse(meeting: Meeting):
    """The answer to a change refused because the minutes are approved: back to the meeting, saying why
    and where a correction is made."""
    flash(REFUSAL.format(reference=meeting.reference), "important")
    return redirect(url_for("meetings.meeting_view", meeting_id=meeting.id, _anchor="record-frozen"), 303)


# The pages of a meeting that only read it; every other page of the meetings area about one meeting (a
# form or a step) changes its record, so is closed once the minutes are approved. A route added later is
# closed unless it is named here.
READING_PAGES = frozenset({"meetings.meeting_view", "meetings.agenda_item_view", "meetings.meeting_calendar"})
RECORD_BLUEPRINTS = frozenset({"meetings"})


def _gate():
    """Before a meetings page about one meeting runs: refuse it, saying why, if the meeting's minutes are
    approved and the person runs the meeting (anyone else gets the page's own answer, 403 or 404, so
    that nothing about a meeting they may not run is given away)."""
    from flask import g, request

    from tracker.core.db import db
    from tracker.meetings import access

    meeting_id = (request.view_args or {}).get("meeting_id")
    if meeting_id is None or request.blueprint not in RECORD_BLUEPRINTS:
        return None
    if request.endpoint in READING_PAGES or g.get("user") is None:
        return None
    meeting = db.session.get(Meeting, meeting_id)
    if meeting is None or not access.can_run(g.user, meeting) or is_open(meeting):
        return None
    return refuse(meeting)


def init_app(app: Flask) -> None:
    """The guard on every database session's flush (whichever page, service or command writes), and the
    page gate; whatever route tried the change, the answer is the same: nothing saved, and why."""
    from tracker.core.db import listen

    listen(OrmSession, "before_flush", _guard)
    app.before_request(_gate)

    answer_refusals(app, RecordFrozen, _back_from)


def _back_from(error: RecordFrozen) -> str:
    """Where a refused change is answered: the meeting the person was changing (the message names the
    meeting whose approved record the change reached, which may be another), else that meeting if they
    see it, else the case they were changing, else their home page: never a page they may not see."""
    from flask import g, request

    from tracker.core.db import db
    from tracker.meetings import access

    asked = request.view_args or {}
    user = g.get("user")
    for meeting_id in (asked.get("meeting_id"), error.meeting_id):
        meeting = db.session.get(Meeting, meeting_id) if meeting_id is not None else None
        if meeting is not None and user is not None and access.meeting_visible(meeting, user):
            return url_for("meetings.meeting_view", meeting_id=meeting.id)
    if asked.get("case_id") is not None:
        return url_for("meetings.case_view", case_id=asked["case_id"])
    return url_for("home.index")


def answer_refusals(app: Flask, refusal: type[Exception], back_to: Callable[[Exception], str]) -> None:
    """Answer a change a flush guard refused (`refusal`, raised in a view or by the flush before the
    commit) with nothing saved, the refusal's message, and the page `back_to` names."""

    def answer(error: Exception):
        from flask import session

        from tracker.core.db import db

        db.session.rollback()
        session.pop("_flashes", None)  # what the view said of a change that was not made
        flash(str(error), "important")
        return redirect(back_to(error), 303)

    app.register_error_handler(refusal, answer)

    @app.after_request
    def _flush_before_commit(response):
        # Registered after the app's commit hook, so it runs before it: a change the view left unflushed
        # meets the guard here, while there is still a page to answer with.
        from flask import g

        from tracker.core.db import db

        if "db_session" not in g or response.status_code >= 400:
            return response
        try:
            db.session.flush()
        except refusal as error:
            return answer(error)
        return response
