"""Bringing a caseload in: holding an upload for its preview, then creating every case in one go; and
likewise the cases' past meetings (held, their minutes approved as imported, nobody invited) and their
open actions. Every record created is written to the audit trail by the trail's own listener."""

from __future__ import annotations

from datetime import time, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import selectinload
from sqlmodel import col, select

from tracker.auth.models import User
from tracker.core import audit
from tracker.core.db import db
from tracker.core.timeutil import london_to_utc, today_london
from tracker.core.types import utcnow
from tracker.meetings import plan, timeline
from tracker.meetings import rules as meeting_rules
from tracker.meetings import services as meetings
from tracker.meetings.models import (
    Action,
    AgendaItem,
    AgendaPurpose,
    Case,
    CaseEventKind,
    CaseStatus,
    Category,
    Level,
    Meeting,
    MeetingStatus,
    MeetingType,
)
from tracker.minutes import record as records
from tracker.minutes.models import Minutes, MinutesStatus, MinutesVersion
from tracker.transfer import caseload, facts, history
from tracker.transfer.facts import CHUNK, may_add_category_4
from tracker.transfer.models import CaseloadUpload

IN_CUSTODY_REASON = "In custody when the caseload was brought into the tracker"


# How long an upload waits for its import: after that its preview has expired.
KEPT_FOR = timedelta(days=1)


def expired(upload: CaseloadUpload) -> bool:
    return upload.created_at < utcnow() - KEPT_FOR


def hold_upload(actor: User, filename: str, rows: list[dict], kind: str = "cases") -> CaseloadUpload:
    """Keep an upload on the server between its preview and its import. What was uploaded and never
    brought in holds personal data for no purpose: this person's earlier upload of the kind, and anyone's
    left for a day, are dropped."""
    db.session.execute(
        sa.delete(CaseloadUpload).where(
            col(CaseloadUpload.imported_at).is_(None),
            sa.or_(
                sa.and_(CaseloadUpload.created_by_id == actor.id, CaseloadUpload.kind == kind),
                col(CaseloadUpload.created_at) < utcnow() - KEPT_FOR,
            ),
        )
    )
    upload = CaseloadUpload(created_by_id=actor.id, filename=filename[:255], rows=rows, kind=kind)
    db.session.add(upload)
    db.session.flush()
    return upload


def check_upload(actor: User, upload: CaseloadUpload) -> list:
    """The upload's rows checked against what the tracker holds now (cases, meetings, agencies, people)."""
    if upload.kind == history.MEETINGS:
        return facts.check_meetings(actor, upload)
    if upload.kind == history.ACTIONS:
        return facts.check_actions(actor, upload)
    return _check_cases(actor, upload)


def import_upload(actor: User, upload: CaseloadUpload) -> list:
    """Create everything an upload holds when no row has an error; otherwise create nothing and return
    the checked rows (see `has_errors`)."""
    if upload.kind == history.MEETINGS:
        return _import_meetings(actor, upload)
    if upload.kind == history.ACTIONS:
        return _import_actions(actor, upload)
    return _import_cases(actor, upload)


def has_errors(result: list) -> bool:
    return any(getattr(row, "errors", None) for row in result)


def _check_cases(actor: User, upload: CaseloadUpload) -> list[caseload.CheckedCase]:
    references = sorted({row["reference"].strip().upper() for row in upload.rows if row["reference"].strip()})
    cleared = may_add_category_4(actor)
    held, hidden = set(), set()
    for start in range(0, len(references), CHUNK):
        chunk = references[start : start + CHUNK]
        found = db.session.exec(
            select(sa.func.upper(Case.reference), Case.category).where(
                sa.func.upper(Case.reference).in_(chunk)
            )
        )
        for reference, category in found:
            # A Category 4 case that this person may not see must not show itself as "already held".
            (hidden if category is Category.CATEGORY_4 and not cleared else held).add(reference)
    agencies = facts.agencies()
    levels = [level for level in Level if level.has_meetings]
    return caseload.check(
        upload.rows,
        existing_references=held,
        hidden_references=hidden,
        agencies=agencies,
        may_add_category_4=cleared,
        today=today_london(),
        review_weeks={level: meeting_rules.review_weeks(level) for level in levels},
        initial_days={level: meeting_rules.initial_working_days(level) for level in levels},
    )


def _import_cases(actor: User, upload: CaseloadUpload) -> list[Case] | list[caseload.CheckedCase]:
    """Create every case of an upload that has no errors, each with its referral in its history and the
    review due as given. Returns the cases, or the checked rows when any row has an error (nothing is
    created). The cases go in together (a few inserts of many rows, whatever the number), and the trail's
    own listener records each new case as they are flushed."""
    checked = _check_cases(actor, upload)
    if any(item.errors for item in checked):
        return checked
    referrals = []
    for item in checked:
        values = {key: value for key, value in item.values.items() if key not in ("status", "level")}
        referrals.append(({"reference": item.reference, "name": item.name, **values}, item.values["level"]))
    # Whoever brings the caseload in did not refer it: the trail records them as its importer.
    cases = meetings.refer_cases(referrals, actor, referrer=False)
    today = today_london()
    meetings.record_case_events(
        [
            (case, CaseEventKind.CUSTODY_OTHER, max(case.referred_on, today), None, IN_CUSTODY_REASON, None)
            for case, item in zip(cases, checked, strict=True)
            if item.values["status"] is CaseStatus.IN_CUSTODY
        ],
        actor,
    )
    _done(upload)  # the cases hold the records now: no second copy of the names
    return cases


# The cases' history: creating it -------------------------------------------------------------------------

# An imported meeting's time of day is not in the records brought in: the tracker's usual morning.
IMPORTED_STARTS, IMPORTED_ENDS = time(10), time(12)


def _import_meetings(actor: User, upload: CaseloadUpload) -> list:
    """Each meeting held, with its cases' level decisions and next reviews, the cases set again from their
    history in date order, and minutes approved as imported (the record frozen; no invitation sent). Each
    kind of record goes in as one insert of many rows."""
    checked = facts.check_meetings(actor, upload)
    if has_errors(checked):
        return checked
    rows_of: dict[str, list[history.CheckedRow]] = {}
    for row in checked:
        rows_of.setdefault(row.name, []).append(row)
    made = [_meeting(reference, rows) for reference, rows in rows_of.items()]
    db.session.add_all(made)
    db.session.flush()
    case_ids = sorted({row.values["case_id"] for row in checked})
    cases = []
    for start in range(0, len(case_ids), CHUNK):
        cases += db.session.exec(select(Case).where(col(Case.id).in_(case_ids[start : start + CHUNK]))).all()
    # The records brought in do not say the category at each meeting: the case's own is the best known.
    category_of = {case.id: case.category for case in cases}
    # Each decision (and the entry it makes in the case's history) is the work of whoever brought it in.
    recorded = (actor.id, utcnow())
    db.session.add_all(
        _agenda_item(meeting.id, position, row, category_of[row.values["case_id"]], recorded)
        for meeting, rows in zip(made, rows_of.values(), strict=True)
        for position, row in enumerate(rows, start=1)
    )
    db.session.flush()
    timeline.rederive_many(cases, actor.id)
    _freeze_as_imported([meeting.id for meeting in made], actor)
    plan.carry_forward_many(case_ids)
    _done(upload)
    return made


def _meeting(reference: str, rows: list[history.CheckedRow]) -> Meeting:
    values = rows[0].values
    initial = {row.values["purpose"] for row in rows} == {AgendaPurpose.INITIAL}
    return Meeting(
        reference=reference,
        level=values["level"],
        meeting_type=MeetingType.INITIAL if initial else MeetingType.REVIEW,
        starts_at=london_to_utc(values["held_on"], IMPORTED_STARTS),
        ends_at=london_to_utc(values["held_on"], IMPORTED_ENDS),
        chair_id=values["chair_id"],
        status=MeetingStatus.HELD,
        imported=True,
    )


def _agenda_item(
    meeting_id: int, position: int, row: history.CheckedRow, category: Category, recorded: tuple
) -> AgendaItem:
    values = row.values
    return AgendaItem(
        meeting_id=meeting_id,
        case_id=values["case_id"],
        position=position,
        purpose=values["purpose"],
        level_considered=values["level"],
        category_considered=category,
        level_decision=values["decision"],
        level_decision_reason=values["reason"],
        level_decided=values["level_decided"],
        next_review_on=values["next_review_on"],
        decision_recorded_by_id=recorded[0],
        decision_recorded_at=recorded[1],
    )


def _records(meeting_ids: list[int]):
    """Each meeting's record as its minutes keep it, built from what the session holds (flushed), a few
    queries for every 500 meetings."""
    db.session.flush()
    with db.session.no_autoflush:
        for start in range(0, len(meeting_ids), CHUNK):
            loaded = records.load_meetings(meeting_ids[start : start + CHUNK])
            for meeting, record in zip(loaded, records.build_records(loaded), strict=True):
                yield meeting.id, record.to_json()


def _freeze_as_imported(meeting_ids: list[int], actor: User) -> None:
    """The meetings' minutes, approved as brought in: each record frozen as the tracker now holds it. The
    pages and the PDF say they were imported, by whom and when (`Meeting.imported`), not approved by a
    chair in the tracker."""
    now = utcnow()
    db.session.add_all(
        Minutes(
            meeting_id=meeting_id,
            status=MinutesStatus.APPROVED,
            created_by_id=actor.id,
            updated_by_id=actor.id,
            versions=[
                MinutesVersion(
                    number=1,
                    sections={"meeting": {}, "items": {}},
                    record=record,
                    created_by_id=actor.id,
                    submitted_at=now,
                    submitted_by_id=actor.id,
                    approved_at=now,
                    approved_by_id=actor.id,
                )
            ],
        )
        for meeting_id, record in list(_records(meeting_ids))
    )
    db.session.flush()


def _import_actions(actor: User, upload: CaseloadUpload) -> list:
    """Each open action on the agenda item of the meeting that agreed it. An imported meeting's frozen
    record is built again with its actions (what it agreed is brought in together, once: `history._meeting_of`
    refuses a meeting whose record has gone further)."""
    checked = facts.check_actions(actor, upload)
    if has_errors(checked):
        return checked
    pairs = {(row.values["meeting_id"], row.values["case_id"]) for row in checked}
    items = {
        (item.meeting_id, item.case_id): item.id
        for item in db.session.exec(
            select(AgendaItem).where(col(AgendaItem.meeting_id).in_({meeting_id for meeting_id, _ in pairs}))
        )
    }
    reopened = _reopen_imported({meeting_id for meeting_id, _case in pairs})
    actions = [
        Action(
            case_id=values["case_id"],
            agenda_item_id=items[(values["meeting_id"], values["case_id"])],
            pillar=values["pillar"],
            description=values["description"],
            owner_agency_id=values["owner_agency_id"],
            owner_id=values["owner_id"],
            due_on=values["due_on"],
        )
        for values in (row.values for row in checked)
    ]
    db.session.add_all(actions)
    rebuilt = dict(_records([minutes.meeting_id for minutes in reopened]))
    for minutes in reopened:
        minutes.current.record = rebuilt[minutes.meeting_id]
        minutes.status = MinutesStatus.APPROVED
    db.session.flush()
    _done(upload)
    return actions


def _reopen_imported(meeting_ids: set[int]) -> list[Minutes]:
    """The approved minutes of these meetings that were themselves imported, opened for as long as their
    actions are added (the freeze guard then lets them in), to be approved again with the record rebuilt."""
    minutes = list(
        db.session.exec(
            select(Minutes)
            .options(selectinload(Minutes.versions))
            .join(Meeting, col(Meeting.id) == Minutes.meeting_id)
            .where(col(Minutes.meeting_id).in_(meeting_ids), Meeting.imported)
        )
    )
    for each in minutes:
        each.status = MinutesStatus.DRAFT
    return minutes


def _done(upload: CaseloadUpload) -> None:
    """The upload is in: the trail records the combination (section 62's `import`), and the upload keeps
    no second copy of the records the tracker now holds."""
    lines = f"{len(upload.rows)} line{'' if len(upload.rows) == 1 else 's'}"
    what = {history.MEETINGS: "past meetings", history.ACTIONS: "open actions"}.get(upload.kind, "cases")
    audit.record("import", upload, summary=f"{lines} of {what} brought in from {upload.filename or 'a file'}")
    upload.imported_at = utcnow()
    upload.rows = []
