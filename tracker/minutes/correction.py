"""A correction to approved minutes keeps its draft of the meeting's record apart from the live record.

Until the correction is approved, the meeting's rows hold the record as approved, so what the meeting
decided stands wherever it is read: the case's level, status, review date and history, the actions on
their owners' lists and in their reminders, who may see the case through them, the plan the case's later
reviews start from, and the figures. The draft is kept as JSON on the correction's version
(`MinutesVersion.draft_record`, as `restore_point.take` makes it).

For a request of someone working on the correction (who runs the meeting, or drafts or approves its
minutes), `open_draft` puts the draft into the rows before the page runs, so that every page and service
of the meeting's record works on it unchanged; before the commit the draft is taken back out into the
JSON and the rows are put back as approved. No other request sees it: the rows are only ever committed as
approved. Approving the correction keeps the draft in the rows, and the minutes service then sets the
cases and their later reviews from it; abandoning it drops the draft.

Moving the draft in and out records nothing in the audit trail (the record says nothing new); the changes
made to the draft are recorded as they are made.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask import Flask, g, request
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import col, select

from tracker.core import audit
from tracker.core.db import db, listen, take_write_lock
from tracker.meetings import access as meeting_access
from tracker.meetings import action_changes, freeze, plan
from tracker.meetings.disposed import CaseDisposed
from tracker.meetings.models import Meeting
from tracker.minutes import access, restore_point
from tracker.minutes.models import Minutes, MinutesStatus, MinutesVersion

# session.info: the meetings whose correction's draft is in the rows, as {meeting id: (version id, whether
# the draft was already there, as it was for corrections begun before drafts were kept apart, and the
# actions' follow-up as the live rows had it)}.
_OPEN = "correction_drafts_open"
_BLUEPRINTS = frozenset({"meetings", "minutes"})


def draft_version(meeting_id: int) -> MinutesVersion | None:
    """The draft version of a correction under way to the meeting's approved minutes, read afresh under
    the write lock (so that two people working on the correction take turns), or None."""
    db.session.flush()
    take_write_lock()
    db.session.expire_all()  # what was read before the lock may have changed since
    minutes = db.session.exec(
        select(Minutes)
        .where(Minutes.meeting_id == meeting_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one_or_none()
    if minutes is None or minutes.status not in (MinutesStatus.DRAFT, MinutesStatus.SUBMITTED):
        return None
    db.session.refresh(minutes, ["versions"])
    version = minutes.current
    if version.approved_at is not None or version.restore_point is None:
        return None
    return version


def open_draft(meeting: Meeting) -> None:
    """Put the correction's draft into the meeting's rows for the rest of this transaction (nothing when no
    correction is under way or the draft is in already); it is taken out again before the commit."""
    opened = db.session.info.setdefault(_OPEN, {})
    if meeting.id in opened:
        return
    version = draft_version(meeting.id)
    if version is None:
        return
    already_there = version.draft_record is None
    live = restore_point.follow_up(meeting)
    if not already_there:
        with audit.paused(db.session):
            restore_point.put_back(meeting, version.draft_record)
    # The plan it started from may have changed at a meeting the correction reopened: looked at again.
    for item in db.session.get(Meeting, meeting.id).agenda_items:
        plan.look_again(item)
    opened[meeting.id] = (version.id, already_there, live)
    db.before_commit(lambda: close_draft(meeting.id))


def kept_apart(meeting_ids: set[int]) -> set[int]:
    """Those of these meetings whose approved minutes are being corrected with the draft kept apart from the
    rows in this transaction (not put in by `open_draft`): their rows hold the record as approved, which
    nothing changes until the correction is approved. A correction begun before drafts were kept apart
    (its draft in the rows) is not one of them."""
    candidates = set(meeting_ids) - set(db.session.info.get(_OPEN, {}))
    if not candidates:
        return set()
    with db.session.no_autoflush:
        rows = db.session.execute(
            sa.select(Minutes.meeting_id, MinutesVersion.restore_point, MinutesVersion.draft_record)
            .join(MinutesVersion, MinutesVersion.minutes_id == Minutes.id)
            .where(
                col(Minutes.meeting_id).in_(candidates),
                col(Minutes.status).in_((MinutesStatus.DRAFT, MinutesStatus.SUBMITTED)),
                col(MinutesVersion.approved_at).is_(None),
            )
        ).all()
    return {meeting_id for meeting_id, point, draft in rows if point is not None and draft is not None}


def close_draft(meeting_id: int) -> None:
    """Take the correction's draft out of the rows into its version, and put the approved record back
    (nothing once the correction is approved or abandoned: the rows are then the record)."""
    opened = db.session.info.get(_OPEN, {})
    if meeting_id not in opened:
        return
    version_id, already_there, live = opened.pop(meeting_id)
    meeting = db.session.get(Meeting, meeting_id)
    version = draft_version(meeting_id)
    if meeting is None or version is None or version.id != version_id:
        return
    db.session.flush()  # the draft's own changes are recorded, before the moving is not
    draft = restore_point.keep_disposed(restore_point.take(meeting), version.draft_record)
    if version.draft_record is None or not restore_point.same(version.draft_record, draft):
        version.draft_record = draft
    with audit.paused(db.session):
        restore_point.put_back(meeting, version.restore_point)
        restore_point.keep_follow_up(meeting, live)
        restore_point.rederive(meeting, None)
    if already_there:
        # Begun before drafts were kept apart: its plan reached the case's later reviews, which take the
        # approved plan back.
        restore_point.withdraw(meeting, draft)


def disposed_problems(meeting: Meeting, version: MinutesVersion) -> list[str]:
    """Why a correction whose draft changed the part of a case disposed of since is not approved: the
    disposed case's record is never changed again (the rest of the record can be corrected afresh)."""
    case = restore_point.disposed_changed(meeting, version.draft_record, version.restore_point)
    if case is None:
        return []
    return [
        str(CaseDisposed(case.id, case.reference)),
        "To correct the rest of the record, abandon this correction and begin a new one",
    ]


def approved(meeting: Meeting, version: MinutesVersion, user) -> None:
    """A correction approved: what it changed now stands, so the cases are set from their histories with
    it, the parts of the plan it changed are the plan the cases' later reviews start from, and the owners
    of the actions it changed are told."""
    version.draft_record = None
    restore_point.rederive(meeting, user)
    for item, kinds in restore_point.changed_parts(meeting, version.restore_point):
        plan.carry_forward(item.case_id, agreed_at=item, kinds=kinds)
    db.session.flush()
    action_changes.tell_owners(meeting, version.restore_point, restore_point.take(meeting))


def live_follow_up(meeting: Meeting) -> dict:
    """The follow-up of the meeting's actions as the live rows had it before the draft was put in."""
    opened = db.session.info.get(_OPEN, {})
    return opened[meeting.id][2] if meeting.id in opened else restore_point.follow_up(meeting)


@dataclass(frozen=True)
class UnderWay:
    """A correction under way, as a meeting's pages say it: its version, and whether this request shows
    its draft (to someone working on it) or the record as approved (to anyone else)."""

    number: int
    drafting: bool


def under_way(meeting: Meeting) -> UnderWay | None:
    """The correction under way to the meeting's approved minutes, as this request shows it, or None."""
    opened = db.session.info.get(_OPEN, {})
    if meeting.id not in opened and not _correcting(meeting.id):
        return None
    number = db.session.scalar(
        select(sa.func.max(MinutesVersion.number))
        .join(Minutes, Minutes.id == MinutesVersion.minutes_id)
        .where(Minutes.meeting_id == meeting.id)
    )
    return UnderWay(number or 0, meeting.id in opened)


def _open_for_request():
    """Before a page of a meeting whose minutes are being corrected, for someone working on the correction:
    the draft in the rows."""
    meeting_id = (request.view_args or {}).get("meeting_id")
    user = g.get("user")
    if meeting_id is None or request.blueprint not in _BLUEPRINTS or user is None:
        return
    if not _correcting(meeting_id):  # one query a page of a meeting; the rest only in a correction
        return
    meeting = db.session.get(Meeting, meeting_id)
    if meeting is not None and (meeting_access.can_run(user, meeting) or access.may_draft(user, meeting)):
        open_draft(meeting)


def _correcting(meeting_id: int) -> bool:
    """`freeze.correcting`, asked once a request for a meeting."""
    asked = g.setdefault("corrections_under_way", {})
    if meeting_id not in asked:
        asked[meeting_id] = freeze.correcting(meeting_id)
    return asked[meeting_id]


def _rolled_back(session: OrmSession, previous_transaction) -> None:
    """Rolled back: no draft is in the rows any more."""
    if previous_transaction.parent is None:
        session.info.pop(_OPEN, None)


def _committed(session: OrmSession) -> None:
    session.info.pop(_OPEN, None)


def init_app(app: Flask) -> None:
    """The draft in the rows for the requests of those working on a correction, and out before the
    commit."""
    app.before_request(_open_for_request)
    app.add_template_global(under_way, "correction_under_way")
    listen(OrmSession, "after_soft_rollback", _rolled_back)
    listen(OrmSession, "after_commit", _committed)

