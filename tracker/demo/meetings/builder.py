"""Building the demo's meetings: a meeting, its agenda, invitations, the plan's parts and the record of
each discussion, each plan carried from the case's last meeting to its next."""

from __future__ import annotations

from datetime import time, timedelta

from tracker.core.timeutil import london_to_utc
from tracker.demo.meetings.cases import PLAN
from tracker.meetings import plan
from tracker.meetings.models import (
    Action,
    ActionStatus,
    AgendaItem,
    AgendaPurpose,
    Case,
    Imminence,
    Invitation,
    LevelDecision,
    Meeting,
    MeetingStatus,
    Pillar,
    PillarEntry,
    PillarStatus,
    PlanOutcome,
    PlanPart,
    PlanPartKind,
    RiskLevel,
    Rsvp,
)


class MeetingBuilder:
    def __init__(self, context, cases: dict[str, Case]):
        self.session, self.people, self.agencies = context.session, context.people, context.agencies
        self.cases = cases
        self.held_meetings: set[int] = set()
        self.agreed: dict[int, AgendaItem] = {}  # each case's plan as last agreed, by case id

    def meeting(
        self,
        reference,
        level,
        kind,
        day,
        chair,
        status=MeetingStatus.SCHEDULED,
        venue="MAPPA Unit, Room 2",
        administrator="administrator",
    ):
        found = Meeting(
            reference=reference,
            level=level,
            meeting_type=kind,
            starts_at=london_to_utc(day, time(10, 0)),
            ends_at=london_to_utc(day, time(12, 30)),
            venue=venue,
            online_link="" if venue else "https://meet.example.org/mappa-" + reference.lower(),
            chair_id=self.people[chair].id,
            administrator_id=self.people[administrator].id,
            status=status,
        )
        self.session.add(found)
        self.session.flush()
        if status is MeetingStatus.HELD:
            self.held_meetings.add(found.id)
        return found

    def agenda(self, meeting_row, keys, purpose=AgendaPurpose.REVIEW, presenter="probation_officer"):
        items = []
        for position, key in enumerate(keys, start=1):
            item = AgendaItem(
                meeting_id=meeting_row.id,
                case_id=self.cases[key].id,
                position=position,
                purpose=purpose,
                level_considered=self.cases[key].level,
                category_considered=self.cases[key].category,
                presenting_officer_id=self.people[presenter].id if presenter else None,
                slot_starts_at=meeting_row.starts_at + timedelta(minutes=40 * (position - 1)),
                slot_ends_at=meeting_row.starts_at + timedelta(minutes=40 * position),
            )
            item.pillar_entries = [PillarEntry(pillar=pillar) for pillar in Pillar]
            if meeting_row.id not in self.held_meetings:
                # A review still to come opens with the plan as last self.agreed.
                source = self.agreed.get(self.cases[key].id)
                if source is not None:
                    plan.copy_plan(source, item)
                self.parts(item, source)
            self.session.add(item)
            items.append(item)
        self.session.flush()
        return items

    def invite(self, meeting_row, who, attended=None, rsvp=Rsvp.ACCEPTED):
        for key, agency in who:
            self.session.add(
                Invitation(
                    meeting_id=meeting_row.id,
                    agency_id=self.agencies[agency].id,
                    user_id=self.people[key].id if key else None,
                    rsvp=rsvp,
                    attendance=attended,
                )
            )

    def parts(self, item, source):
        """What this meeting did with each part of the plan carried from `source`; a meeting still to come
        starts with each part to confirm or change."""
        held = item.meeting_id in self.held_meetings
        item.plan_parts.extend(plan_parts(item, source, self.people["chair"].id if held else None))

    def record(self, item, meeting_day, next_review, decision=LevelDecision.RETAIN, actions=(), changes=None):
        item.risk_to_children = RiskLevel.HIGH
        item.risk_to_public = RiskLevel.MEDIUM
        item.risk_to_known_adult = RiskLevel.HIGH
        item.risk_to_staff = RiskLevel.LOW
        item.risk_to_prisoners = RiskLevel.LOW
        item.imminence = Imminence.IF_CIRCUMSTANCES_CHANGE
        item.risk_notes = "Risk rises with alcohol misuse and loss of accommodation."
        item.assessment_tool, item.assessed_on = "OASys", meeting_day - timedelta(days=6)
        item.contingency_plan = (
            "Any breach of the exclusion zone is reported to police at once; recall considered."
        )
        item.licence_conditions = (
            "Reside as directed; no contact with the victim; exclusion zone; curfew 21:00-07:00."
        )
        for entry in item.pillar_entries:
            entry.status = PillarStatus.ADDRESSED
            entry.summary = (changes or {}).get(entry.pillar) or PLAN[entry.pillar]
        for name, value in ((changes or {}).get("item") or {}).items():
            setattr(item, name, value)
        source = self.agreed.get(item.case_id)
        self.parts(item, source)
        self.agreed[item.case_id] = item
        item.level_decision = decision
        item.level_decision_reason = (
            "Risk is stable and the plan is working; multi-agency management still needed."
        )
        item.next_review_on = next_review
        case = item.case
        case.last_reviewed_on = meeting_day
        case.next_review_on = next_review
        for description, pillar, agency, owner, due, status in actions:
            self.session.add(
                Action(
                    case_id=case.id,
                    agenda_item_id=item.id,
                    pillar=pillar,
                    description=description,
                    owner_agency_id=self.agencies[agency].id,
                    owner_id=self.people[owner].id if owner else None,
                    due_on=due,
                    status=status,
                    completed_on=due if status is ActionStatus.DONE else None,
                )
            )


def plan_parts(item, source, reviewed_by_id: int | None) -> list[PlanPart]:
    """What a meeting did with each part of the plan carried from `source` (None: it agreed the plan
    first): confirmed or changed it, by whoever reviewed it, or, with no one (a meeting still to come),
    each part still to confirm or change."""
    parts = []
    for kind in PlanPartKind:
        if reviewed_by_id is None:
            outcome = PlanOutcome.PENDING
        elif source is None:
            outcome = PlanOutcome.NEW
        elif plan.values(source, kind) == plan.values(item, kind):
            outcome = PlanOutcome.CONFIRMED
        else:
            outcome = PlanOutcome.CHANGED
        parts.append(
            PlanPart(
                case_id=item.case_id,
                part=kind,
                outcome=outcome,
                carried_from_id=source.id if source else None,
                reviewed_by_id=reviewed_by_id,
            )
        )
    return parts
