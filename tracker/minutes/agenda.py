"""The agenda of a meeting as circulated before it: its cases, their slots and who is invited (loaded with
`record.load_meeting`), and the same without the Category 4 cases for someone not cleared."""

from __future__ import annotations

from typing import Any

from sqlmodel import select

from tracker.core import settings
from tracker.core.db import db
from tracker.core.timeutil import format_time
from tracker.meetings import timeline
from tracker.meetings.models import AgendaItem, Meeting
from tracker.minutes.document import CaseRecord, MinutesRecord
from tracker.minutes.models import Minutes
from tracker.minutes.record import meeting_details


def build_agenda(meeting: Meeting) -> dict[str, Any]:
    """The agenda for circulation (loaded with `load_meeting`)."""

    def slot(item: AgendaItem) -> str:
        if item.slot_starts_at and item.slot_ends_at:
            return f"{format_time(item.slot_starts_at)} to {format_time(item.slot_ends_at)}"
        return format_time(item.slot_starts_at) if item.slot_starts_at else ""

    approved = _approved_items(meeting)
    levels = timeline.levels_at_items(meeting.agenda_items)

    def said(item: AgendaItem, field: str, now: str) -> str:
        # Once the minutes are approved, the agenda names each case as they do: a case renamed since (or
        # a presenting officer) keeps the name the meeting knew it by, beside the category it considered.
        frozen = approved.get(str(item.id))
        return getattr(frozen, field) if frozen is not None else now

    return {
        "meeting": meeting_details(meeting),
        "online_link": meeting.online_link,
        "statement": settings.get("confidentiality_statement"),
        "area": settings.get("area_name"),
        "items": [
            {
                "id": str(item.id),
                "time": slot(item),
                "reference": said(item, "reference", item.case.reference),
                "name": said(item, "name", item.case.name),
                "category": item.category_considered.label,
                "category_4": item.category_4,
                # The level the case stands at for the meeting (a change recorded since the case was
                # added to the agenda counts), or, once the minutes are approved, the one they record.
                "level": said(item, "level_label", levels[item.id].label),
                "purpose": item.purpose.label,
                "presenting_officer": said(
                    item, "presenting_officer", officer.name if (officer := item.presenting_officer) else ""
                ),
            }
            for item in meeting.agenda_items
        ],
        "invited": [
            {
                "agency": invitation.agency.name,
                "name": invitation.user.name if invitation.user else "",
                "reply": invitation.rsvp.label,
            }
            for invitation in sorted(meeting.invitations, key=lambda i: (i.agency.name, i.id))
            if not invitation.walk_in  # came without an invitation: not on the agenda as circulated
        ],
    }


def _approved_items(meeting: Meeting) -> dict[str, CaseRecord]:
    """The cases as the meeting's latest approved minutes record them, by agenda item id (none before)."""
    minutes = db.session.exec(select(Minutes).where(Minutes.meeting_id == meeting.id)).first()
    approved = minutes.latest_approved if minutes is not None else None
    if approved is None or approved.record is None:
        return {}
    return {case.id: case for case in MinutesRecord.from_json(approved.record).items}


def agenda_for_viewer(agenda: dict[str, Any], may_see_category_4: bool) -> dict[str, Any]:
    """The agenda with the Category 4 cases left out for someone not cleared to see them."""
    if may_see_category_4:
        return agenda
    return {**agenda, "items": [item for item in agenda["items"] if not item["category_4"]]}
