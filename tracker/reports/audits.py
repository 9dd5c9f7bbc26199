"""Meeting quality audits: who may see which audit, the meetings that may be audited in a quarter and the
sample suggested from them. Assigning, scoring and withdrawing an audit are in `tracker.reports.services`.

The co-ordinator (who may audit meetings) sees and assigns every audit; anyone else sees the audits they
are named for, and may open the audited meeting itself until their audit is done (a grant added to the
meetings area's visibility rule in `tracker.reports.register`). An audit page never shows a case: the
meeting's own page does, to those who may see it.
"""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.orm import selectinload
from sqlmodel import col, select

from tracker.auth.models import User, UserRole
from tracker.core.db import db
from tracker.core.permissions import Permission, Role
from tracker.meetings import access as meeting_access
from tracker.meetings.models import AgendaItem, Case, Meeting
from tracker.reports import rules
from tracker.reports.meeting_tallies import local_business
from tracker.reports.models import AuditStatus, MeetingAudit
from tracker.reports.quality import held_in, instant
from tracker.reports.rules import Quarter

# Who may see which audit ---------------------------------------------------------------------------------


def audit_condition(user: User) -> sa.ColumnElement[bool]:
    """The audits this person may see, as a WHERE clause on MeetingAudit."""
    if user.can(Permission.AUDIT_MEETINGS):
        return sa.true()
    return MeetingAudit.auditor_id == user.id


def audit_visible(audit: MeetingAudit, user: User) -> bool:
    return (
        db.session.scalar(select(MeetingAudit.id).where(MeetingAudit.id == audit.id, audit_condition(user)))
        is not None
    )


def may_score(user: User, audit: MeetingAudit) -> bool:
    """The named auditor scores the meeting until the audit is completed (from then on the meeting's page
    is closed to them); the co-ordinator may always, to correct a score or for someone who has left."""
    if user.can(Permission.AUDIT_MEETINGS):
        return True
    return audit.auditor_id == user.id and audit.status is AuditStatus.ASSIGNED


def meetings_to_audit(user: User) -> sa.Select:
    """Meetings this person is named to audit and has not finished: theirs to open for the audit."""
    return select(MeetingAudit.meeting_id).where(
        MeetingAudit.auditor_id == user.id, MeetingAudit.status == AuditStatus.ASSIGNED
    )


# Lists -------------------------------------------------------------------------------------------------


def audit_list_statement(user: User, status: AuditStatus | None = None) -> sa.Select:
    statement = (
        select(MeetingAudit)
        .join(Meeting, col(Meeting.id) == MeetingAudit.meeting_id)
        .where(audit_condition(user))
        .options(
            selectinload(MeetingAudit.meeting).selectinload(Meeting.chair),
            selectinload(MeetingAudit.auditor),
            selectinload(MeetingAudit.scores),
        )
        .order_by(Meeting.starts_at.desc(), MeetingAudit.id.desc())
    )
    if status is not None:
        statement = statement.where(MeetingAudit.status == status)
    return statement


def my_open_audits(user: User) -> int:
    return db.session.scalar(
        select(sa.func.count())
        .select_from(MeetingAudit)
        .where(MeetingAudit.auditor_id == user.id, MeetingAudit.status == AuditStatus.ASSIGNED)
    )


def auditor_choices() -> list[tuple[str, str]]:
    """People who may audit a meeting: active co-ordinators and chairs (they see case data, and know
    what a well-run meeting looks like)."""
    statement = (
        select(User)
        .where(
            col(User.active).is_(True),
            col(User.id).in_(
                select(UserRole.user_id).where(col(UserRole.role).in_([Role.COORDINATOR, Role.CHAIR]))
            ),
        )
        .order_by(User.name, User.id)
    )
    return [(str(user.id), f"{user.name} ({user.agency.name})") for user in db.session.exec(statement)]


# The sample ----------------------------------------------------------------------------------------------


def candidates(quarter: Quarter, until) -> list[Meeting]:
    """Meetings held in the quarter that have no audit yet, with their chairs. A meeting held only for
    Category 4 cases is not offered: the Board's audit figures leave it out (`local_business`), as Category 4
    is never published locally."""
    start = instant(quarter.first_day)
    end = min(instant(quarter.last_day + timedelta(days=1)), until)
    statement = (
        select(Meeting)
        .where(
            held_in(quarter.year, until),
            Meeting.starts_at >= start,
            Meeting.starts_at < end,
            col(Meeting.id).not_in(select(MeetingAudit.meeting_id)),
            local_business(Meeting.__table__),
        )
        .options(selectinload(Meeting.chair))
        .order_by(Meeting.starts_at, Meeting.id)
    )
    return list(db.session.exec(statement))


def suggested(quarter: Quarter, attempt: int, until, size: int | None = None) -> list[Meeting]:
    """The suggested sample for the quarter (see `rules.suggest_sample`), in date order."""
    meetings = candidates(quarter, until)
    chosen = set(
        rules.suggest_sample(
            [rules.Candidate(m.id, m.chair_id, m.level) for m in meetings],
            size or rules.audit_sample_size(),
            rules.sample_seed(quarter, attempt),
        )
    )
    return [meeting for meeting in meetings if meeting.id in chosen]


def case_counts(meeting_ids: list[int], user: User) -> dict[int, int]:
    """How many cases each meeting discussed: a number, never who. Category 4 cases count only for those
    cleared to see them, as the meeting's own page shows them only to those."""
    if not meeting_ids:
        return {}
    rows = db.session.execute(
        select(AgendaItem.meeting_id, sa.func.count())
        .join(Case, col(Case.id) == AgendaItem.case_id)
        .where(col(AgendaItem.meeting_id).in_(meeting_ids), meeting_access.category_condition(user))
        .group_by(AgendaItem.meeting_id)
    )
    return dict(rows.all())
