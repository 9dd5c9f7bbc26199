"""Changes to the Board's records, one function per change a person makes: each takes the person acting
and the version their form was built from, and leaves the commit to the request."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tracker.auth.models import User
from tracker.core import audit as audit_trail
from tracker.core import locking
from tracker.core.db import db
from tracker.core.types import utcnow
from tracker.meetings.models import Meeting
from tracker.reports.models import AnnualFigures, AuditCriterion, AuditScore, AuditStatus, MeetingAudit
from tracker.reports.rules import ReportingYear


def save_figures(
    actor: User, year: ReportingYear, figures: AnnualFigures | None, version: Any, values: Mapping[str, Any]
) -> AnnualFigures | None:
    """Save a year's entered figures; None, changing nothing, when someone else saved them meanwhile
    (or first entered them) after this person's form was built."""
    if figures is None:
        if locking.parse_version(version) != 0:
            return None
        figures = AnnualFigures(start_year=year.start_year)
        db.session.add(figures)
    elif not locking.claim(figures, version):
        return None
    for name, value in values.items():
        setattr(figures, name, value)
    figures.updated_at = utcnow()
    figures.updated_by_id = actor.id
    return figures


# Meeting audits ------------------------------------------------------------------------------------------


def assign_audits(actor: User, meetings: list[Meeting], auditor: User) -> list[MeetingAudit]:
    """An audit of each meeting, for the auditor to score."""
    audits = [MeetingAudit(meeting_id=m.id, auditor_id=auditor.id, assigned_by_id=actor.id) for m in meetings]
    db.session.add_all(audits)
    db.session.flush()
    return audits


def score_audit(
    actor: User, audit: MeetingAudit, version: Any, scores: Mapping[AuditCriterion, tuple[int | None, str]]
) -> bool:
    """Keep the auditor's score and comment for every criterion, and mark the audit completed. Someone
    other than the named auditor who scores it (the co-ordinator, who may score any) is its auditor from
    then on, and the trail says whom they replaced: the audit names who did it. False, changing nothing,
    when someone else saved the audit after this person's form was built."""
    if not locking.claim(audit, version):
        return False
    if audit.auditor_id != actor.id:
        replaced = audit.auditor.name
        audit.auditor_id = actor.id
        db.session.flush()
        db.session.expire(audit, ["auditor"])
        said = f"Scored by {actor.name} in place of {replaced}"
        audit_trail.record("audit taken over", audit, summary=said)
    for criterion, (score, comment) in scores.items():
        row = audit.score_for(criterion)
        if row is None:
            audit.scores.append(AuditScore(criterion=criterion, score=score, comment=comment))
        else:
            row.score, row.comment = score, comment
    if audit.status is not AuditStatus.COMPLETED:
        audit.status = AuditStatus.COMPLETED
        audit.completed_at = utcnow()
    return True


def withdraw_audit(actor: User, audit: MeetingAudit) -> None:
    """Take back an audit not yet done (a completed one is kept)."""
    if audit.status is AuditStatus.COMPLETED:
        raise ValueError("A completed audit cannot be withdrawn")
    db.session.delete(audit)
