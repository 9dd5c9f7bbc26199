"""Factories for minutes: a held meeting whose records are complete (so its minutes can be approved),
and minutes at any stage of the workflow."""

from __future__ import annotations

from datetime import timedelta

from tracker.auth.models import AgencySector, User
from tracker.core.timeutil import today_london
from tracker.core.types import utcnow
from tracker.meetings.models import (
    AttendanceStatus,
    LevelDecision,
    Meeting,
    MeetingStatus,
    PillarStatus,
    RiskLevel,
)
from tracker.minutes import record
from tracker.minutes.models import Minutes, MinutesStatus, MinutesVersion


class MinutesFactory:
    def held_meeting(
        self,
        chair: User | None = None,
        administrator: User | None = None,
        cases: int = 1,
        actions_per_case: int = 1,
        days_ago: int = 3,
        **fields,
    ) -> Meeting:
        """A meeting held `days_ago` days ago, every case's record complete: the Four Pillars addressed,
        risk assessed, a level decision with its rationale, a next review date and actions with owners."""
        day = today_london() - timedelta(days=days_ago)
        meeting = self.meeting(
            chair=chair, administrator=administrator, day=day, status=MeetingStatus.HELD, **fields
        )
        owner = self.user("PRACTITIONER", agency=self.agency("Test Police", AgencySector.POLICE))
        self.invitation(meeting, owner, attendance=AttendanceStatus.PRESENT)
        for _ in range(cases):
            item = self.agenda_item(meeting)
            for entry in item.pillar_entries:
                entry.status = PillarStatus.ADDRESSED
                entry.summary = f"Plan for {entry.pillar.label.lower()}"
            item.risk_to_public = RiskLevel.HIGH
            item.level_decision = LevelDecision.RETAIN
            item.level_decision_reason = "Risk is stable; the plan is working."
            item.next_review_on = day + timedelta(weeks=8)
            self.save(item)
            for number in range(actions_per_case):
                self.action(item, owner=owner, description=f"Action {number + 1} for {item.case.reference}")
        self.session.refresh(meeting)
        return meeting

    def minutes(
        self,
        meeting: Meeting,
        status: MinutesStatus = MinutesStatus.DRAFT,
        sections: dict | None = None,
        author: User | None = None,
    ) -> Minutes:
        """Minutes at a stage of the workflow; an approved version has the meeting's records frozen."""
        version = MinutesVersion(number=1, sections=sections or {"meeting": {}, "items": {}})
        if status in (MinutesStatus.SUBMITTED, MinutesStatus.APPROVED, MinutesStatus.DISTRIBUTED):
            version.submitted_at = utcnow()
        if status in (MinutesStatus.APPROVED, MinutesStatus.DISTRIBUTED):
            with self.app.app_context():
                version.record = record.build_record(record.load_meeting(meeting.id)).to_json()
            version.approved_at = utcnow()
            version.approved_by_id = meeting.chair_id
        if status is MinutesStatus.DISTRIBUTED:
            version.distributed_at = utcnow()
        return self.save(
            Minutes(
                meeting_id=meeting.id,
                status=status,
                created_by_id=author.id if author else None,
                updated_by_id=author.id if author else None,
                versions=[version],
            )
        )
