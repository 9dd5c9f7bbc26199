"""Completed quality audits of the demo's meetings, and one for the demo chair to do."""

from __future__ import annotations

from datetime import timedelta

from tracker.demo.reports.history import Builder
from tracker.meetings.models import (
    Meeting,
)
from tracker.reports import rules
from tracker.reports.models import AuditCriterion, AuditScore, AuditStatus, MeetingAudit

# Quality audits ---------------------------------------------------------------------------------------

COMMENTS = {
    4: "Done well throughout.",
    3: "Done, with small gaps.",
    2: "Done for some cases only; raised with the chair.",
    1: "Not done; raised with the chair and the co-ordinator.",
}


def seed_audits(build: Builder, meetings: list[Meeting]) -> None:
    """Completed audits of two meetings a quarter (by the co-ordinator, or by the police chair for the
    demo chair's meetings), and one audit for the demo chair to do."""
    people = build.context.people
    by_quarter: dict = {}
    for meeting in meetings:
        by_quarter.setdefault(rules.quarter_of(meeting.starts_at.date()), []).append(meeting)
    quarters = sorted(by_quarter, key=lambda q: q.first_day)
    for quarter in quarters[:-1]:
        candidates = [rules.Candidate(m.id, m.chair_id, m.level) for m in by_quarter[quarter]]
        for meeting_id in rules.suggest_sample(candidates, 2, rules.sample_seed(quarter)):
            meeting = next(m for m in by_quarter[quarter] if m.id == meeting_id)
            auditor = people["coordinator"] if meeting.chair_id == people["chair"].id else people["chair"]
            audit = MeetingAudit(
                meeting_id=meeting.id,
                auditor_id=auditor.id,
                assigned_by_id=people["coordinator"].id,
                status=AuditStatus.COMPLETED,
                completed_at=meeting.starts_at + timedelta(days=20),
            )
            for criterion in AuditCriterion:
                score = (
                    build.random.choice([4, 4, 3, 3, 3, 2])
                    if criterion is not AuditCriterion.DISSENT_RECORDED
                    else build.random.choice([None, 3, 4])
                )
                audit.scores.append(
                    AuditScore(criterion=criterion, score=score, comment=COMMENTS[score] if score else "")
                )
            build.session.add(audit)
    # The demo chair audits a recent meeting of the police chair's.
    audited = {audit.meeting_id for audit in build.session.new if isinstance(audit, MeetingAudit)}
    recent = [m for m in meetings if m.chair_id == people["chair_police"].id and m.id not in audited]
    if recent:
        build.session.add(
            MeetingAudit(
                meeting_id=recent[-1].id,
                auditor_id=people["chair"].id,
                assigned_by_id=people["coordinator"].id,
            )
        )
