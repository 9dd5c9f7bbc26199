"""What a pack can hold for a case, each document as paragraphs to copy into the pack, and which documents
chosen come from minutes a correction has superseded since.

The documents are the executive summary and the case's part of the minutes of every approved version of
a meeting's minutes (the frozen record, never a draft), and the history of the case's risk management
plan as those approved versions record it (never the working plan of minutes still a draft). Only this
case's part of the minutes is offered: the other cases at a meeting are other people's. A paragraph is a
heading (the tracker's own label, never redacted) and the text that may be.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlmodel import col, select

from tracker.core.db import db
from tracker.core.timeutil import format_date, london
from tracker.disclosure.models import DisclosurePack, DocumentKind
from tracker.meetings.models import AgendaItem, Case, Invitation, Meeting, MeetingStatus, PlanPartKind
from tracker.minutes.document import ActionRecord, CaseRecord, MinutesRecord
from tracker.minutes.models import Minutes, MinutesVersion
from tracker.minutes.sections import ITEM_SECTIONS

PLAN = "plan"
NO_SUMMARY = "No executive summary was written."
PLAN_NOTE = (
    "The risk management plan as the approved minutes of each meeting record it, newest first. A meeting "
    "whose minutes are not approved yet is not included."
)


@dataclass(frozen=True)
class Source:
    """A document the pack may include."""

    key: str
    kind: DocumentKind
    title: str
    paragraphs: list[dict[str, str]]
    agency_ids: list[int]


def _paragraph(heading: str, text: str | None, empty: str = "None recorded.") -> dict[str, str]:
    return {"heading": heading, "text": (text or "").strip() or empty}


def _approved_versions(case: Case) -> list[tuple[Meeting, MinutesVersion]]:
    """Every approved version of the minutes of the held meetings that discussed the case, oldest first."""
    rows = db.session.exec(
        select(Meeting, MinutesVersion)
        .join(AgendaItem, AgendaItem.meeting_id == Meeting.id)
        .join(Minutes, Minutes.meeting_id == Meeting.id)
        .join(MinutesVersion, MinutesVersion.minutes_id == Minutes.id)
        .where(
            AgendaItem.case_id == case.id,
            Meeting.status == MeetingStatus.HELD,
            col(MinutesVersion.approved_at).is_not(None),
        )
        .order_by(col(Meeting.starts_at), col(MinutesVersion.number))
    ).all()
    return list(rows)


def _invited_agencies(meeting_ids: list[int]) -> dict[int, list[int]]:
    found: dict[int, set[int]] = {meeting_id: set() for meeting_id in meeting_ids}
    if meeting_ids:
        rows = db.session.execute(
            sa.select(Invitation.meeting_id, Invitation.agency_id).where(
                col(Invitation.meeting_id).in_(meeting_ids)
            )
        )
        for meeting_id, agency_id in rows:
            found[meeting_id].add(agency_id)
    return {meeting_id: sorted(ids) for meeting_id, ids in found.items()}


def latest_approved(minutes_ids) -> dict[int, int]:
    """The number of the latest approved version of each of these minutes."""
    return dict(
        db.session.execute(
            sa.select(MinutesVersion.minutes_id, sa.func.max(MinutesVersion.number))
            .where(
                col(MinutesVersion.minutes_id).in_(list(minutes_ids)),
                col(MinutesVersion.approved_at).is_not(None),
            )
            .group_by(MinutesVersion.minutes_id)
        ).all()
    )


def superseded(pack: DisclosurePack) -> list[str]:
    """A warning for each document in the pack taken from a version of the minutes that a correction has
    since superseded: it may be what was asked for, but is no longer the approved record."""
    chosen = {}
    for document in pack.documents:
        kind, _sep, rest = document.source.partition(":")
        if kind in ("summary", "minutes"):
            chosen[document.id] = int(rest.split(":")[0])
    if not chosen:
        return []
    found = select(MinutesVersion).where(col(MinutesVersion.id).in_(chosen.values()))
    versions = {version.id: version for version in db.session.exec(found)}
    latest = latest_approved({version.minutes_id for version in versions.values()})
    warnings = []
    for document in pack.documents:
        version = versions.get(chosen.get(document.id, -1))
        if version is not None and latest.get(version.minutes_id, 0) > version.number:
            warnings.append(
                f"{document.title.split(' (superseded')[0]} has been superseded: version "
                f"{latest[version.minutes_id]} of those minutes has been approved since (a correction). "
                "Choose the documents again to disclose the corrected record, unless the earlier version "
                "is what was asked for"
            )
    return warnings


def superseded_note(number: int, latest: int) -> str:
    """What a document's title adds when its version of the minutes has been corrected since."""
    return f" (superseded: version {latest} has been approved since)" if latest > number else ""


def available(case: Case) -> list[Source]:
    """What the pack may include for this case, in date order, with the plan's history last. A version of
    the minutes a correction has superseded stays available (a request may ask what was recorded then),
    and says so in its title."""
    versions = _approved_versions(case)
    agencies = _invited_agencies(sorted({meeting.id for meeting, _version in versions}))
    latest = latest_approved({version.minutes_id for _meeting, version in versions})
    sources = []
    for meeting, version in versions:
        record = MinutesRecord.from_json(version.record or {})
        item = next((i for i in record.items if i.case_id == case.id), None)
        if item is None:
            continue
        texts = version.sections.get("items", {}).get(item.id, {})
        ids = sorted({*agencies[meeting.id], case.lead_agency_id})
        where = f"{record.meeting.reference}, {record.meeting.date}, version {version.number} of the minutes"
        where += superseded_note(version.number, latest[version.minutes_id])
        sources.append(
            Source(
                f"summary:{version.id}:{case.id}",
                DocumentKind.EXECUTIVE_SUMMARY,
                f"Executive summary: {where}",
                summary_paragraphs(record, item, texts),
                ids,
            )
        )
        sources.append(
            Source(
                f"minutes:{version.id}:{case.id}",
                DocumentKind.MINUTES,
                f"Minutes (this case): {where}",
                minutes_paragraphs(record, item, texts),
                ids,
            )
        )
    history, meeting_ids = plan_paragraphs(case, versions)
    if history:
        plan_agencies = sorted({case.lead_agency_id, *(a for m in meeting_ids for a in agencies[m])})
        sources.append(
            Source(PLAN, DocumentKind.PLAN_HISTORY, "Risk management plan history", history, plan_agencies)
        )
    return sources


def _meeting_line(record: MinutesRecord) -> str:
    meeting = record.meeting
    return f"{meeting.level_label} {meeting.type_label.lower()} meeting {meeting.reference} on {meeting.date}"


def _opening_paragraphs(record: MinutesRecord, item: CaseRecord) -> list[dict[str, str]]:
    """What both documents about a case open with: the meeting, its chair, the case and why it was there."""
    return [
        _paragraph("Meeting", _meeting_line(record)),
        _paragraph("Chair", record.meeting.chair),
        _paragraph("Case", f"{item.reference}, {item.name}"),
        _paragraph(
            "Reason for the meeting",
            f"{item.purpose_label} meeting: {item.category_label}, {item.level_label}",
        ),
    ]


def summary_paragraphs(
    record: MinutesRecord, item: CaseRecord, texts: dict[str, Any]
) -> list[dict[str, str]]:
    """The executive summary, as `minutes/pdf.summary_pdf` lays it out."""
    if item.not_discussed:
        return [
            *_opening_paragraphs(record, item),
            _paragraph("Not discussed at this meeting", item.not_discussed),
            _paragraph("Summary", texts.get("executive_summary"), NO_SUMMARY),
        ]
    return [
        *_opening_paragraphs(record, item),
        _paragraph("Agencies present", ", ".join(record.agencies_represented())),
        _paragraph("Level decision", item.decision_text),
        _paragraph("Rationale", item.level_decision_reason, "Not recorded."),
        _paragraph("Next review", item.next_review, "Not set."),
        _paragraph("Summary", texts.get("executive_summary"), NO_SUMMARY),
    ]


def _action_line(action: ActionRecord, with_status: bool) -> str:
    owner = f"{action.owner}, {action.agency}" if action.owner else action.agency
    line = f"{action.description} (owner: {owner}; due {action.due})"
    if with_status:
        line += f"; {action.status_label}" + (f". {action.progress}" if action.progress else "")
    return line


def minutes_paragraphs(
    record: MinutesRecord, item: CaseRecord, texts: dict[str, Any]
) -> list[dict[str, str]]:
    """The case's part of the minutes in the national template's order, one paragraph per entry."""
    labels = {section.key: section.label for section in ITEM_SECTIONS}
    result = [
        *_opening_paragraphs(record, item),
        _paragraph("Presenting officer", item.presenting_officer, "Not recorded."),
    ]
    if item.not_discussed:  # the minutes record only that, and why
        return [*result, _paragraph("Not discussed at this meeting", item.not_discussed)]
    for row in record.attendance:
        deputy = f"; deputy: {row.deputy}" if row.deputy else ""
        result.append(
            _paragraph("Attendance", f"{row.agency}: {row.name or 'no name'} ({row.status_label}{deputy})")
        )
    for action in item.previous_actions:
        result.append(_paragraph("Previous action", _action_line(action, True)))
    result.append(_paragraph(labels["actions_review"], texts.get("actions_review")))
    result.append(_paragraph(labels["new_information"], texts.get("new_information")))
    risks = "; ".join(f"to {risk.to_label.lower()}: {risk.level_label}" for risk in item.risks)
    result.append(_paragraph("Risk of serious harm", risks))
    result.append(_paragraph("Imminence", item.imminence_label))
    if item.assessment:
        result.append(_paragraph("Assessment tool and date", item.assessment))
    result.append(_paragraph("Risk factors", item.risk_notes))
    result.append(_paragraph(labels["risk_discussion"], texts.get("risk_discussion")))
    for part in item.plan:
        previous = f" Previous wording: {part.previous}" if part.previous else ""
        result.append(_paragraph(f"Plan: {part.part_label}", f"{part.outcome_label}.{previous}"))
    for pillar in item.pillars:
        result.append(_paragraph(pillar.pillar_label, f"{pillar.status_label}. {pillar.text}".strip()))
    result.append(_paragraph("Contingency plan", item.contingency_plan))
    result.append(_paragraph("Licence conditions", item.licence_conditions))
    for key in ("victim_safety", "disclosure"):
        result.append(_paragraph(labels[key], texts.get(key)))
    result.append(_paragraph("Level decision", item.decision_text))
    result.append(_paragraph("Rationale", item.level_decision_reason, "Not recorded."))
    result.append(_paragraph(labels["dissent"], texts.get("dissent"), "No differing views were recorded."))
    for action in item.actions:
        result.append(_paragraph("Action", _action_line(action, False)))
    result.append(_paragraph("Next review", item.next_review, "Not set."))
    return result


def plan_paragraphs(
    case: Case, versions: list[tuple[Meeting, MinutesVersion]]
) -> tuple[list[dict[str, str]], list[int]]:
    """The plan's history part by part, newest first, and the meetings it comes from: the plan as the
    approved minutes of each meeting record it (`versions`, as `_approved_versions` finds them; while a
    correction is drafted, the version last approved), never a draft's working plan. A meeting brought in
    from the area's records agreed no plan."""
    latest: dict[int, tuple[Meeting, CaseRecord]] = {}
    for meeting, version in versions:  # oldest first: a later approved version replaces an earlier one
        record = MinutesRecord.from_json(version.record or {})
        item = next((i for i in record.items if i.case_id == case.id), None)
        if item is not None and not meeting.imported:
            latest[meeting.id] = (meeting, item)
    shown = sorted(latest.values(), key=lambda row: (row[0].starts_at, row[0].id), reverse=True)
    paragraphs = [_paragraph("About this history", PLAN_NOTE)] if shown else []
    for kind in PlanPartKind:
        for meeting, item in shown:
            on = format_date(london(meeting.starts_at).date())
            text = f"{meeting.reference}, {on}: {item.plan_outcome(kind).label}. {item.plan_wording(kind)}"
            paragraphs.append(_paragraph(kind.label, text))
    return paragraphs, sorted(latest)
