"""The minutes blueprint and what its pages share: loading a meeting, its minutes and a version with
the access rules, the record a person may read, and the labels of the record's sections."""

from __future__ import annotations

from flask import Blueprint, abort, g
from sqlmodel import col, select

from tracker.core.db import db
from tracker.core.permissions import can_view
from tracker.core.timeutil import format_datetime
from tracker.meetings.models import Case, Category, Meeting, MeetingStatus
from tracker.minutes import holders, pdf, queries, rules
from tracker.minutes import record as records
from tracker.minutes.access import may_draft
from tracker.minutes.document import MinutesRecord
from tracker.minutes.models import Minutes, MinutesVersion
from tracker.minutes.sections import ITEM_SECTIONS, MEETING_SECTIONS, STATEMENT_LABEL, STATEMENT_READ

bp = Blueprint("minutes", __name__)


# Loading, with the access rules ----------------------------------------------------------------------


def meeting_to_view(meeting_id: int) -> Meeting:
    """The meeting (with what its minutes need), if this person may see it; otherwise 404."""
    meeting = records.load_meeting(meeting_id)
    if meeting is None or not can_view(g.user, meeting):
        abort(404)
    return meeting


def meeting_to_draft(meeting_id: int) -> tuple[Meeting, Minutes | None]:
    """The meeting and its minutes (None before the first save), if this person drafts its minutes and the
    meeting was not cancelled; otherwise 404."""
    meeting = meeting_to_view(meeting_id)
    if not may_draft(g.user, meeting) or meeting.status is MeetingStatus.CANCELLED:
        abort(404)
    return meeting, records.load_minutes(meeting)


def readable_version(minutes: Minutes | None, meeting: Meeting, number: int | None) -> MinutesVersion:
    """A version this person may read: any version for those who draft the minutes, else approved ones
    only. Without a number: the current version, or the latest approved one."""
    if minutes is None:
        abort(404)
    drafter = may_draft(g.user, meeting)
    if number is None:
        version = minutes.current if drafter else minutes.latest_approved
    else:
        version = next((v for v in minutes.versions if v.number == number), None)
    if version is None or not (version.is_approved or drafter):
        abort(404)
    return version


def document_for(meeting: Meeting, version: MinutesVersion | None) -> MinutesRecord:
    """The record of a version: frozen if approved, live if a draft."""
    if version is not None and version.record:
        return records.stored_record(version.record)
    return records.build_record(meeting)


def record_to_show(meeting: Meeting, version: MinutesVersion | None) -> tuple[MinutesRecord, int]:
    """The record to show (frozen if approved, live if a draft), without the cases this person may not see."""
    return for_viewer(document_for(meeting, version), g.user.terrorism_cleared)


def for_viewer(record: MinutesRecord, may_see_category_4: bool) -> tuple[MinutesRecord, int]:
    """The record without the Category 4 cases for someone not cleared for them, a case made Category 4
    since the minutes were approved included (the approved record keeps its category then)."""
    if may_see_category_4:
        return record.for_viewer(True)
    case_ids = [item.case_id for item in record.items if not item.category_4]
    now = db.session.exec(
        select(Case.id).where(col(Case.id).in_(case_ids), Case.category == Category.CATEGORY_4)
    ).all() if case_ids else []
    return record.for_viewer(False, frozenset(now))


def version_info(version: MinutesVersion) -> pdf.VersionInfo:
    approved = distributed = ""
    imported = queries.version_imported_note(version, version.minutes.meeting)
    if version.approved_at and not imported:
        # "Ann Other for Daniel Price, who has left, on ..." where someone stood in for the chair.
        note = f" {version.approval_note}," if version.approval_note else ""
        approved = f"{version.approved_by.name}{note} on {format_datetime(version.approved_at)}"
    if version.distributed_at:
        # Sent to more people since, it says when it was last sent too (as its page's table shows).
        latest = max((sent.at for sent in holders.sent_to(version) if sent.at), default=None)
        distributed = rules.distributed_when(version.distributed_at, latest)
    status = "Approved" if version.is_approved else version.minutes.status.label
    return pdf.VersionInfo(
        number=version.number,
        status="Imported" if imported else status,
        draft=not version.is_approved,
        approved=approved,
        distributed=distributed,
        correction_reason=version.correction_reason,
        imported=imported,
    )


def section_labels() -> dict:
    return {
        "meeting_sections": MEETING_SECTIONS,
        "item_sections": ITEM_SECTIONS,
        "statement_read": STATEMENT_READ,
        "statement_label": STATEMENT_LABEL,
    }
