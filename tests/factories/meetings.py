"""Factories for cases, meetings, agenda items, invitations and actions."""

from __future__ import annotations

import itertools
from datetime import date, time, timedelta

from tracker.auth.models import AgencySector, User
from tracker.core.timeutil import london_to_utc, today_london
from tracker.meetings.models import (
    Action,
    AgendaItem,
    AgendaPurpose,
    Case,
    CaseEvent,
    CaseEventKind,
    Category,
    Invitation,
    Level,
    Meeting,
    MeetingType,
    Pillar,
    PillarEntry,
)

_numbers = itertools.count(1)


class MeetingsFactory:
    def case(self, level: Level = Level.LEVEL_2, category: Category = Category.CATEGORY_2, **fields) -> Case:
        number = next(_numbers)
        fields.setdefault("reference", f"TST-{number:05d}")
        fields.setdefault("name", f"Case Person {number}")
        fields.setdefault("date_of_birth", date(1980, 1, 1))
        fields.setdefault("borough", "Camden")
        fields.setdefault("referred_on", today_london() - timedelta(days=3))
        if "lead_agency_id" not in fields:
            fields["lead_agency_id"] = self.agency("Test Probation", AgencySector.PROBATION).id
        case = self.save(Case(level=level, category=category, **fields))
        self.save(
            CaseEvent(case_id=case.id, kind=CaseEventKind.REFERRED, occurred_on=case.referred_on, level=level)
        )
        return case

    def meeting(
        self,
        chair: User | None = None,
        day: date | None = None,
        level: Level = Level.LEVEL_2,
        administrator: User | None = None,
        **fields,
    ) -> Meeting:
        chair = chair or self.user("CHAIR")
        day = day or today_london() + timedelta(days=7)
        fields.setdefault("reference", f"M-{day.year}-{next(_numbers):04d}")
        fields.setdefault("venue", "MAPPA Unit")
        fields.setdefault("meeting_type", MeetingType.REVIEW)
        # 10:00 to 12:00 on the day unless the test gives the times (a meeting recorded as held through
        # the pages must have started: give a day in the past, or set the clock, or `starts_at`).
        fields.setdefault("starts_at", london_to_utc(day, time(10, 0)))
        fields.setdefault("ends_at", fields["starts_at"] + timedelta(hours=2))
        return self.save(
            Meeting(
                level=level,
                chair_id=chair.id,
                administrator_id=administrator.id if administrator else None,
                **fields,
            )
        )

    def agenda_item(self, meeting: Meeting, case: Case | None = None, **fields) -> AgendaItem:
        case = case or self.case()
        position = len(meeting.agenda_items) + 1
        item = AgendaItem(
            meeting_id=meeting.id,
            case_id=case.id,
            position=fields.pop("position", position),
            purpose=fields.pop("purpose", AgendaPurpose.REVIEW),
            level_considered=case.level,
            category_considered=case.category,
            **fields,
        )
        item.pillar_entries = [PillarEntry(pillar=pillar) for pillar in Pillar]
        self.save(item)
        self.session.refresh(meeting)
        return item

    def invitation(self, meeting: Meeting, user: User | None = None, agency=None, **fields) -> Invitation:
        agency_id = agency.id if agency else user.agency_id
        invitation = self.save(
            Invitation(
                meeting_id=meeting.id, agency_id=agency_id, user_id=user.id if user else None, **fields
            )
        )
        self.session.refresh(meeting)
        return invitation

    def action(self, item: AgendaItem, owner: User | None = None, **fields) -> Action:
        fields.setdefault("description", "Visit the home address")
        fields.setdefault("due_on", today_london() + timedelta(days=14))
        agency_id = fields.pop("owner_agency_id", owner.agency_id if owner else item.case.lead_agency_id)
        return self.save(
            Action(
                case_id=item.case_id,
                agenda_item_id=item.id,
                owner_agency_id=agency_id,
                owner_id=owner.id if owner else None,
                **fields,
            )
        )
