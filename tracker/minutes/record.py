"""What the tracker knows about a meeting, gathered for its minutes: loaded in a fixed number of queries
and turned into the typed record (`document.MinutesRecord`, codes not labels) that drafts show live and
approved versions keep frozen as JSON.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy.orm import selectinload
from sqlmodel import col, select

from tracker.auth.models import people_named, person_named
from tracker.core import settings
from tracker.core.db import db
from tracker.core.timeutil import format_date, format_time, london
from tracker.meetings import freeze, plan, plan_shown, timeline
from tracker.meetings.models import (
    Action,
    ActionStatus,
    AgendaItem,
    Case,
    Invitation,
    Meeting,
    Pillar,
    PillarStatus,
)
from tracker.meetings.services.actions import to_review
from tracker.minutes import attendance, rules
from tracker.minutes.document import (
    EXIT,
    RISK_TO,
    ActionRecord,
    CaseRecord,
    MeetingDetails,
    MinutesRecord,
    PillarRecord,
    PlanPartRecord,
    RiskRecord,
)
from tracker.minutes.models import Minutes, MinutesRecipient, MinutesVersion

# AgendaItem.risks names whom each risk is to; the record keeps the code.
RISK_TO_CODES = {label: code for code, label in RISK_TO.items()}


# Actions that no longer count as agreed: closed without being done, or taken off the record.
_NOT_AGREED_ANY_MORE = (ActionStatus.DROPPED, ActionStatus.NOT_DONE, ActionStatus.REMOVED)
# Who an action's row names: its owner, their agency, and who marked it done.
_ACTION_PEOPLE = (
    people_named(Action.owner), person_named(Action.completed_by), selectinload(Action.owner_agency)
)


def load_meeting(meeting_id: int) -> Meeting | None:
    """The meeting with everything its minutes walk through, eagerly loaded."""
    return db.session.exec(_loading(select(Meeting).where(Meeting.id == meeting_id))).first()


def load_meetings(meeting_ids: list[int]) -> list[Meeting]:
    """Several meetings loaded as `load_meeting` loads one (in a fixed number of queries)."""
    return list(db.session.exec(_loading(select(Meeting).where(col(Meeting.id).in_(meeting_ids)))))


def _loading(statement):
    return statement.options(
        people_named(Meeting.chair),
        people_named(Meeting.administrator),
        selectinload(Meeting.invitations).selectinload(Invitation.agency),
        people_named(Meeting.invitations, Invitation.user),
        selectinload(Meeting.invitations).selectinload(Invitation.deputy_agency),
        selectinload(Meeting.agenda_items).selectinload(AgendaItem.case),
        people_named(Meeting.agenda_items, AgendaItem.presenting_officer),
        selectinload(Meeting.agenda_items).selectinload(AgendaItem.pillar_entries),
        selectinload(Meeting.agenda_items).selectinload(AgendaItem.plan_parts),
    )


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
            selectinload(Minutes.versions).selectinload(MinutesVersion.recipients).selectinload(MinutesRecipient.user),
            selectinload(Minutes.updated_by),
            selectinload(Minutes.approver),
        )
    )
    return db.session.exec(statement).first()


def _actions_by_item(meetings: list[Meeting]) -> dict[int, list[Action]]:
    item_ids = [item.id for meeting in meetings for item in meeting.agenda_items]
    if not item_ids:
        return {}
    statement = (
        select(Action)
        .where(col(Action.agenda_item_id).in_(item_ids), Action.status != ActionStatus.REMOVED)
        .options(*_ACTION_PEOPLE)
        .order_by(Action.due_on, Action.id)
    )
    grouped: dict[int, list[Action]] = defaultdict(list)
    for action in db.session.exec(statement):
        grouped[action.agenda_item_id].append(action)
    return grouped


def _previous_actions_by_case(meetings: list[Meeting]) -> list[dict[int, list[Action]]]:
    """For each meeting and each of its cases, the actions set at the case's earlier meetings that the
    last one left open or that were set at that last meeting: what the meeting reviews (one query)."""
    case_ids = {item.case_id for meeting in meetings for item in meeting.agenda_items}
    if not case_ids:
        return [{} for _meeting in meetings]
    statement = (
        select(Action, Meeting.starts_at)
        .join(AgendaItem, AgendaItem.id == Action.agenda_item_id)
        .join(Meeting, Meeting.id == AgendaItem.meeting_id)
        .where(
            col(Action.case_id).in_(case_ids),
            Meeting.starts_at < max(meeting.starts_at for meeting in meetings),
            Action.status != ActionStatus.REMOVED,
        )
        .options(*_ACTION_PEOPLE)
        .order_by(Action.due_on, Action.id)
    )
    by_case: dict[int, list[tuple[Action, Any]]] = defaultdict(list)
    for action, starts_at in db.session.exec(statement).all():
        by_case[action.case_id].append((action, starts_at))
    return [
        {item.case_id: _left_open(by_case, item.case_id, meeting.starts_at) for item in meeting.agenda_items}
        for meeting in meetings
    ]


def _left_open(by_case: dict, case_id: int, before) -> list[Action]:
    return to_review(by_case.get(case_id, []), before)


def _action(action: Action) -> ActionRecord:
    return ActionRecord(
        description=action.description,
        pillar=action.pillar.name if action.pillar else "",
        agency=action.owner_agency.name,
        owner=action.owner.name if action.owner else "",
        due=format_date(action.due_on),
        status=action.status.name,
        progress=_progress(action),
    )


def _progress(action: Action) -> str:
    """Follow-up since the meeting, as the next review reads it."""
    parts = []
    if action.completed_on:
        parts.append(f"{'By ' + action.completed_by.name + ' on' if action.completed_by else 'On'} "
                     f"{format_date(action.completed_on)}")
    if action.revised_due_on:
        parts.append(f"Now due {format_date(action.revised_due_on)}")
    if action.progress_note:
        parts.append(action.progress_note)
    if action.dropped_reason:
        parts.append(f"Why: {action.dropped_reason}")
    return ". ".join(parts)


def _pillars(item: AgendaItem) -> list[PillarRecord]:
    pillars = []
    for pillar in Pillar:
        entry = item.entry_for(pillar)
        status = entry.status if entry else PillarStatus.OUTSTANDING
        text = ""
        if entry is not None:
            text = entry.not_applicable_reason if status is PillarStatus.NOT_APPLICABLE else entry.summary
        pillars.append(PillarRecord(pillar=pillar.name, status=status.name, text=text))
    return pillars


def _plan(item: AgendaItem) -> list[PlanPartRecord]:
    """What the meeting did with each part of the case's plan: agreed, confirmed or changed (with the
    wording it replaced)."""
    return [
        PlanPartRecord(
            part=part.kind.name,
            outcome=part.outcome.name,
            last_agreed=part.last_agreed,
            previous=part.previous or "",
        )
        for part in plan_shown.parts(item)
    ]


def _item(
    item: AgendaItem,
    actions: list[Action],
    previous: list[Action],
    found: dict[int, timeline.Outcome],
) -> CaseRecord:
    case: Case = item.case
    outcome = found.get(item.id)
    level = outcome.level_before if outcome else item.level_considered
    level_after = outcome.level_after if outcome else None
    return CaseRecord(
        id=str(item.id),
        case_id=case.id,
        reference=case.reference,
        name=case.name,
        # The category the case had at the meeting: a category changed since is not what it recorded.
        category=item.category_considered.name,
        category_4=item.category_4,
        level=level.name,
        purpose=item.purpose.name,
        presenting_officer=item.presenting_officer.name if item.presenting_officer else "",
        previous_actions=[_action(action) for action in previous],
        risks=[RiskRecord(RISK_TO_CODES[to], level.name if level else "") for to, level in item.risks],
        imminence=item.imminence.name if item.imminence else "",
        risk_notes=item.risk_notes,
        pillars=_pillars(item),
        contingency_plan=item.contingency_plan,
        licence_conditions=item.licence_conditions,
        level_decision=item.level_decision.name if item.level_decision else "",
        level_decision_reason=item.level_decision_reason,
        level_after=level_after.name if level_after else (EXIT if item.level_decision else ""),
        actions=[_action(action) for action in actions],
        next_review=format_date(item.next_review_on),
        assessment_tool=(item.assessment_tool or "") if plan.has_tool_and_date(item) else "",
        assessed_on=format_date(item.assessed_on) if plan.has_tool_and_date(item) else "",
        plan=_plan(item),
        not_discussed=item.not_discussed_reason,
    )


def build_record(meeting: Meeting) -> MinutesRecord:
    """The meeting's records as the minutes show them (loaded with `load_meeting`): a fixed number of
    queries, however many cases and actions the meeting has."""
    return build_records([meeting])[0]


def build_records(meetings: list[Meeting]) -> list[MinutesRecord]:
    """`build_record` for several meetings (loaded with `load_meetings`), in the same number of queries."""
    actions = _actions_by_item(meetings)
    previous = _previous_actions_by_case(meetings)
    cases = {item.case_id: item.case for meeting in meetings for item in meeting.agenda_items}
    found = timeline.outcomes(list(cases.values()))
    return [_record(meeting, actions, previous[n], found) for n, meeting in enumerate(meetings)]


def _record(meeting: Meeting, actions, previous, found) -> MinutesRecord:
    return MinutesRecord(
        meeting=meeting_details(meeting),
        statement=settings.get("confidentiality_statement"),
        area=settings.get("area_name"),
        attendance=attendance.recorded(meeting),
        absent_agencies=attendance.absent(meeting),
        ra_not_represented=attendance.ra_not_represented(meeting, meeting.agenda_items),
        imported=meeting.imported,
        # What someone not cleared for Category 4 reads: a Category 4 case in custody must not show
        # itself through Prisons being expected.
        ra_not_represented_without_category_4=attendance.ra_not_represented(
            meeting, [item for item in meeting.agenda_items if not item.case.is_category_4]
        ),
        items=[
            _item(item, actions.get(item.id, []), previous.get(item.case_id, []), found)
            for item in meeting.agenda_items
        ],
    )


def stored_record(record: dict[str, Any]) -> MinutesRecord:
    """An approved version's frozen record, as kept in `MinutesVersion.record`."""
    return MinutesRecord.from_json(record)


def approval_facts(meeting: Meeting) -> list[rules.ItemFacts]:
    """What approval checks, for each case on the agenda (loaded with `load_meeting`)."""
    actions = _actions_by_item([meeting])
    found = timeline.outcomes([item.case for item in meeting.agenda_items])
    corrected = _corrections_before(meeting)
    facts = []
    for item in meeting.agenda_items:
        facts.append(
            rules.ItemFacts(
                case_reference=item.case.reference,
                level=timeline.standing_before(item, found),
                pillars={entry.pillar: entry.status for entry in item.pillar_entries},
                actions=tuple(
                    rules.ActionFacts(action.description, action.owner_id is not None, action.due_on)
                    for action in actions.get(item.id, [])
                    if action.status not in _NOT_AGREED_ANY_MORE
                ),
                level_decision=item.level_decision,
                level_decided=item.level_decided,
                level_decision_reason=item.level_decision_reason,
                next_review_on=item.next_review_on,
                risk_problem=plan.risk_problem(item),
                plan_pending=tuple(kind.label for kind in plan.pending(item)),
                corrections_before=tuple(corrected.get(item.case_id, ())),
                not_discussed=item.not_discussed,
            )
        )
    return facts


def _corrections_before(meeting: Meeting) -> dict[int, list[str]]:
    """For each case on the agenda, the earlier meetings on it whose approved minutes are being corrected
    (a draft version after an approved one), by reference."""
    earlier = (
        select(AgendaItem.case_id, Meeting.reference)
        .join(Meeting, col(Meeting.id) == AgendaItem.meeting_id)
        .where(
            col(AgendaItem.case_id).in_([item.case_id for item in meeting.agenda_items]),
            Meeting.starts_at < meeting.starts_at,
            freeze.correction_under_way(Meeting.id),
        )
        .order_by(col(Meeting.starts_at))
    )
    found: dict[int, list[str]] = {}
    for case_id, reference in db.session.exec(earlier):
        found.setdefault(case_id, []).append(reference)
    return found


def meeting_day(meeting: Meeting):
    return london(meeting.starts_at).date()


def meeting_details(meeting: Meeting) -> MeetingDetails:
    return MeetingDetails(
        reference=meeting.reference,
        level=meeting.level.name,
        type=meeting.meeting_type.name,
        date=format_date(london(meeting.starts_at), with_weekday=True),
        time=_time_of(meeting),
        place=meeting.place,
        chair=meeting.chair.name,
        administrator=meeting.administrator.name if meeting.administrator else "",
    )


def _time_of(meeting: Meeting) -> str:
    if meeting.imported:  # the records brought in give the day, not the time
        return "time not recorded"
    return f"{format_time(meeting.starts_at)} to {format_time(meeting.ends_at)}"
