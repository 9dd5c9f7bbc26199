"""Factories for the reports: people with dated histories, a year's entered figures, meeting audits."""

from __future__ import annotations

import itertools
from datetime import date

from tracker.auth.models import AgencySector, User
from tracker.meetings.models import Case, CaseEvent, CaseEventKind, CaseStatus, Category, Level, Meeting
from tracker.reports.models import AnnualFigures, AuditCriterion, AuditScore, AuditStatus, MeetingAudit

_numbers = itertools.count(1)


class ReportsFactory:
    def person(self, category: Category, *steps: tuple[date, CaseEventKind, Level], **fields) -> Case:
        """A case whose history is these (day, kind, level) steps, the first its referral."""
        number = next(_numbers)
        last_kind, last_level = steps[-1][1], steps[-1][2]
        status = {
            CaseEventKind.EXITED: CaseStatus.EXITED,
            CaseEventKind.RECALLED: CaseStatus.IN_CUSTODY,
            CaseEventKind.CUSTODY_OTHER: CaseStatus.IN_CUSTODY,
        }.get(last_kind, CaseStatus.ACTIVE)
        fields.setdefault("lead_agency_id", self.agency("Test Probation", AgencySector.PROBATION).id)
        case = self.save(
            Case(
                reference=f"HIS-{number:05d}",
                name=f"History Person {number}",
                date_of_birth=date(1980, 1, 1),
                category=category,
                level=last_level,
                status=status,
                referred_on=steps[0][0],
                **fields,
            )
        )
        self.save(
            *[
                CaseEvent(case_id=case.id, kind=kind, occurred_on=day, level=level)
                for day, kind, level in steps
            ]
        )
        return case

    def annual_figures(self, start_year: int, **values) -> AnnualFigures:
        return self.save(AnnualFigures(start_year=start_year, **values))

    def meeting_audit(
        self,
        meeting: Meeting,
        auditor: User,
        status: AuditStatus = AuditStatus.ASSIGNED,
        scores: dict[AuditCriterion, int | None] | None = None,
    ) -> MeetingAudit:
        audit = MeetingAudit(meeting_id=meeting.id, auditor_id=auditor.id, status=status)
        for criterion, score in (scores or {}).items():
            audit.scores.append(AuditScore(criterion=criterion, score=score, comment=f"Comment {score}"))
        return self.save(audit)
