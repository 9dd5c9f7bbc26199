"""What the tracker knows about a meeting, gathered for its minutes: loaded in a fixed number of queries
and turned into the plain, JSON-safe record that drafts show live and approved versions keep frozen.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy.orm import selectinload
from sqlmodel import col, select

from tracker.core import settings
from tracker.core.db import db
from tracker.core.timeutil import format_date, format_time, london
from tracker.meetings import queries as meeting_queries
from tracker.meetings import rules as meeting_rules
from tracker.meetings.models import (
    Action,
    ActionStatus,
    AgendaItem,
    AttendanceStatus,
    Case,
    CaseStatus,
    Invitation,
    Meeting,
    Pillar,
    PillarStatus,
)
from tracker.minutes import rules
from tracker.minutes.models import Minutes, MinutesRecipient, MinutesVersion


def load_meeting(meeting_id: int) -> Meeting | None:
    """The meeting with everything its minutes walk through, eagerly loaded."""
    statement = (
        select(Meeting)
        .where(Meeting.id == meeting_id)
        .options(
            selectinload(Meeting.chair),
            selectinload(Meeting.administrator),
            selectinload(Meeting.invitations).selectinload(Invitation.agency),
            selectinload(Meeting.invitations).selectinload(Invitation.user),
            selectinload(Meeting.invitations).selectinload(Invitation.deputy_agency),
            selectinload(Meeting.agenda_items).selectinload(AgendaItem.case),
            selectinload(Meeting.agenda_items).selectinload(AgendaItem.presenting_officer),
            selectinload(Meeting.agenda_items).selectinload(AgendaItem.pillar_entries),
        )
    )
    return db.session.exec(statement).first()


def load_minutes(meeting: Meeting) -> Minutes | None:
    statement = (
        select(Minutes)
        .where(Minutes.meeting_id == meeting.id)
        .options(
            selectinload(Minutes.versions).selectinload(MinutesVersion.approved_by),
            selectinload(Minutes.versions).selectinload(MinutesVersion.submitted_by),
            selectinload(Minutes.versions).selectinload(MinutesVersion.distributed_by),
            selectinload(Minutes.versions)
            .selectinload(MinutesVersion.recipients)
            .selectinload(MinutesRecipient.agency),
            selectinload(Minutes.updated_by),
        )
    )
    return db.session.exec(statement).first()


def _actions_by_item(meeting: Meeting) -> dict[int, list[Action]]:
    item_ids = [item.id for item in meeting.agenda_items]
    if not item_ids:
        return {}
    statement = (
        select(Action)
        .where(col(Action.agenda_item_id).in_(item_ids))
        .options(selectinload(Action.owner), selectinload(Action.owner_agency))
        .order_by(Action.due_on, Action.id)
    )
    grouped: dict[int, list[Action]] = defaultdict(list)
    for action in db.session.exec(statement):
        grouped[action.agenda_item_id].append(action)
    return grouped


def _previous_actions_by_case(meeting: Meeting) -> dict[int, list[Action]]:
    """For each case, the actions set at its earlier meetings that the last one left open or that were
    set at that last meeting: what this meeting reviews."""
    case_ids = [item.case_id for item in meeting.agenda_items]
    if not case_ids:
        return {}
    statement = (
        select(Action, Meeting.starts_at)
        .join(AgendaItem, AgendaItem.id == Action.agenda_item_id)
        .join(Meeting, Meeting.id == AgendaItem.meeting_id)
        .where(col(Action.case_id).in_(case_ids), Meeting.starts_at < meeting.starts_at)
        .options(selectinload(Action.owner), selectinload(Action.owner_agency))
        .order_by(Action.due_on, Action.id)
    )
    rows = db.session.exec(statement).all()
    last_meeting: dict[int, Any] = {}
    for action, starts_at in rows:
        last_meeting[action.case_id] = max(starts_at, last_meeting.get(action.case_id, starts_at))
    grouped: dict[int, list[Action]] = defaultdict(list)
    for action, starts_at in rows:
        if action.status is ActionStatus.OPEN or starts_at == last_meeting[action.case_id]:
            grouped[action.case_id].append(action)
    return grouped


def _action(action: Action) -> dict[str, str]:
    return {
        "description": action.description,
        "pillar": action.pillar.label if action.pillar else "",
        "agency": action.owner_agency.name,
        "owner": action.owner.name if action.owner else "",
        "due": format_date(action.due_on),
        "status": action.status.label,
    }


def _pillars(item: AgendaItem) -> list[dict[str, str]]:
    pillars = []
    for pillar in Pillar:
        entry = item.entry_for(pillar)
        status = entry.status if entry else PillarStatus.OUTSTANDING
        text = ""
        if entry is not None:
            text = entry.not_applicable_reason if status is PillarStatus.NOT_APPLICABLE else entry.summary
        pillars.append({"pillar": pillar.label, "status": status.label, "text": text})
    return pillars


def _item(item: AgendaItem, actions: list[Action], previous: list[Action]) -> dict[str, Any]:
    case: Case = item.case
    level_after = (
        meeting_rules.level_after_decision(item.level_considered, item.level_decision)
        if item.level_decision
        else None
    )
    return {
        "id": str(item.id),
        "case_id": case.id,
        "reference": case.reference,
        "name": case.name,
        "category": case.category.label,
        "category_4": case.is_category_4,
        "level": item.level_considered.label,
        "purpose": item.purpose.label,
        "presenting_officer": item.presenting_officer.name if item.presenting_officer else "",
        "previous_actions": [_action(action) for action in previous],
        "risks": [{"to": to, "level": level.label if level else "Not assessed"} for to, level in item.risks],
        "imminence": item.imminence.label if item.imminence else "Not assessed",
        "risk_notes": item.risk_notes,
        "pillars": _pillars(item),
        "contingency_plan": item.contingency_plan,
        "licence_conditions": item.licence_conditions,
        "level_decision": item.level_decision.label if item.level_decision else "Not recorded",
        "level_decision_reason": item.level_decision_reason,
        "level_after": level_after.label if level_after else ("Exit MAPPA" if item.level_decision else ""),
        "actions": [_action(action) for action in actions],
        "next_review": format_date(item.next_review_on),
    }


def _attendance(meeting: Meeting) -> list[dict[str, str]]:
    rows = []
    for invitation in sorted(meeting.invitations, key=lambda i: (i.agency.name, i.id)):
        status = invitation.attendance.label if invitation.attendance else "Not recorded"
        rows.append(
            {
                "agency": invitation.agency.name,
                "name": invitation.who + (f" ({role})" if (role := invitation.attendee_role) else ""),
                "status": status + (", walked in" if invitation.walk_in else ""),
                "deputy": _deputy(invitation),
                "statement_accepted": invitation.statement_accepted,
            }
        )
    return rows


def _deputy(invitation: Invitation) -> str:
    """The deputy's name, with their agency when it is not the invited agency."""
    if not invitation.deputy_name or invitation.deputy_agency is None:
        return invitation.deputy_name
    return f"{invitation.deputy_name} ({invitation.deputy_agency.name})"


def _ra_not_represented(meeting: Meeting, with_category_4: bool = True) -> list[str]:
    """The Responsible Authority agencies not represented; Prisons are expected when someone discussed is
    in custody (without `with_category_4`: someone discussed other than a Category 4 case, for the
    minutes as read by someone not cleared, who must not learn of a Category 4 case in custody)."""
    items = [i for i in meeting.agenda_items if with_category_4 or not i.case.is_category_4]
    in_custody = any(item.case.status is CaseStatus.IN_CUSTODY for item in items)
    represented = [
        meeting_queries.represented_sector(invitation)
        for invitation in meeting.invitations
        if meeting_rules.represents(invitation.rsvp, invitation.attendance, invitation.deputy_name)
    ]
    missing = meeting_rules.missing_ra_sectors(meeting_rules.required_ra_sectors(in_custody), represented)
    return [sector.label for sector in missing]


def build_record(meeting: Meeting) -> dict[str, Any]:
    """The meeting's records as the minutes show them (loaded with `load_meeting`): a fixed number of
    queries, however many cases and actions the meeting has."""
    actions = _actions_by_item(meeting)
    previous = _previous_actions_by_case(meeting)
    absent = sorted(
        {
            invitation.agency.name
            for invitation in meeting.invitations
            if invitation.attendance in (AttendanceStatus.ABSENT, AttendanceStatus.APOLOGIES)
            and not invitation.deputy_name.strip()
        }
    )
    return {
        "meeting": _meeting_details(meeting),
        "statement": settings.get("confidentiality_statement"),
        "area": settings.get("area_name"),
        "attendance": _attendance(meeting),
        "absent_agencies": absent,
        "ra_not_represented": _ra_not_represented(meeting),
        "ra_not_represented_open": _ra_not_represented(meeting, with_category_4=False),
        "items": [
            _item(item, actions.get(item.id, []), previous.get(item.case_id, []))
            for item in meeting.agenda_items
        ],
    }


def approval_facts(meeting: Meeting) -> list[rules.ItemFacts]:
    """What approval checks, for each case on the agenda (loaded with `load_meeting`)."""
    actions = _actions_by_item(meeting)
    facts = []
    for item in meeting.agenda_items:
        facts.append(
            rules.ItemFacts(
                case_reference=item.case.reference,
                level=item.level_considered,
                pillars={entry.pillar: entry.status for entry in item.pillar_entries},
                actions=tuple(
                    rules.ActionFacts(action.description, action.owner_id is not None, action.due_on)
                    for action in actions.get(item.id, [])
                    if action.status is not ActionStatus.DROPPED
                ),
                level_decision=item.level_decision,
                level_decision_reason=item.level_decision_reason,
                next_review_on=item.next_review_on,
            )
        )
    return facts


def meeting_day(meeting: Meeting):
    return london(meeting.starts_at).date()


def _meeting_details(meeting: Meeting) -> dict[str, str]:
    return {
        "reference": meeting.reference,
        "level": meeting.level.label,
        "type": meeting.meeting_type.label,
        "date": format_date(london(meeting.starts_at), with_weekday=True),
        "time": f"{format_time(meeting.starts_at)} to {format_time(meeting.ends_at)}",
        "place": meeting.place,
        "chair": meeting.chair.name,
        "administrator": meeting.administrator.name if meeting.administrator else "",
    }


def build_agenda(meeting: Meeting) -> dict[str, Any]:
    """The agenda for circulation (loaded with `load_meeting`)."""

    def slot(item: AgendaItem) -> str:
        if item.slot_starts_at and item.slot_ends_at:
            return f"{format_time(item.slot_starts_at)} to {format_time(item.slot_ends_at)}"
        return format_time(item.slot_starts_at) if item.slot_starts_at else ""

    return {
        "meeting": _meeting_details(meeting),
        "online_link": meeting.online_link,
        "statement": settings.get("confidentiality_statement"),
        "area": settings.get("area_name"),
        "items": [
            {
                "id": str(item.id),
                "time": slot(item),
                "reference": item.case.reference,
                "name": item.case.name,
                "category": item.case.category.label,
                "category_4": item.case.is_category_4,
                "level": item.level_considered.label,
                "purpose": item.purpose.label,
                "presenting_officer": item.presenting_officer.name if item.presenting_officer else "",
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
        ],
    }


def agencies_represented(record: dict[str, Any]) -> list[str]:
    """The agencies at the meeting: someone present, or a deputy attending for whoever sent apologies."""
    return sorted(
        {
            row["agency"]
            for row in record["attendance"]
            if row["status"] == AttendanceStatus.PRESENT.label or (row.get("deputy") or "").strip()
        }
    )


def for_viewer(record: dict[str, Any], may_see_category_4: bool) -> tuple[dict[str, Any], int]:
    """The record with the Category 4 cases left out for someone not cleared to see them, and how many
    were left out."""
    if may_see_category_4:
        return record, 0
    items = [item for item in record["items"] if not item["category_4"]]
    shown = {**record, "items": items}
    if "ra_not_represented_open" in record:  # frozen before it was recorded: as it was
        shown["ra_not_represented"] = record["ra_not_represented_open"]
    return shown, len(record["items"]) - len(items)
