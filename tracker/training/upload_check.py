"""The check of an uploaded enrolment file against the tracker as it is now: each row's errors, the
enrolment rules it breaks, and how many of its people take places or go on the waiting list."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import select

from tracker.auth.models import User
from tracker.core.db import db
from tracker.core.permissions import Role
from tracker.training import rules
from tracker.training.listings import enrolment_conflict, find_trainee, on_record, places_taken
from tracker.training.models import (
    CourseEvent,
    Enrolment,
    EnrolmentImport,
    EnrolmentStatus,
    Trainee,
    TraineeRole,
)


@dataclass
class UploadPreview:
    rows: list[rules.CheckedRow]
    places: int
    waiting: int

    @property
    def errors(self) -> list[rules.CheckedRow]:
        return [row for row in self.rows if row.errors]

    @property
    def conflicts(self) -> list[rules.CheckedRow]:
        """Rows that break an enrolment rule: errors unless the TRSG overrides them with a reason."""
        return [row for row in self.rows if row.conflict]

    @property
    def lines_with_errors(self) -> list[rules.CheckedRow]:
        """Rows the preview shows an error on: a mistake in the row, or an enrolment rule it breaks."""
        return [row for row in self.rows if row.errors or row.conflict]

    @property
    def error_list(self) -> list[tuple[int, str]]:
        """(line, message) for every error the preview shows, in line order, a row's own errors first."""
        return [
            (row.line, message)
            for row in sorted(self.lines_with_errors, key=lambda row: row.line)
            for message in row.messages
        ]


def preview_upload(upload: EnrolmentImport, event: CourseEvent) -> UploadPreview:
    """Check an upload against the tracker as it is now (agencies, who is already enrolled)."""
    from tracker.auth.models import Agency

    active = {agency.id: agency for agency in db.session.exec(select(Agency).where(Agency.active))}
    agencies = {" ".join(agency.name.lower().split()): agency.id for agency in active.values()}
    enrolled = set(
        db.session.exec(
            select(Trainee.email)
            .join(Enrolment)
            .where(Enrolment.event_id == event.id, Enrolment.status != EnrolmentStatus.WITHDRAWN)
        )
    )
    checked = rules.check_rows(upload.rows, agencies, enrolled)
    accounts = account_roles([row.email for row in checked if row.role is TraineeRole.CHAIR])
    for row in checked:
        if not row.errors and row.email:
            row.conflict = enrolment_conflict(event, find_trainee(row.email), row.name)
        roles = accounts.get(row.email.lower(), ())
        # The person's agency is their record's when they are on record (as enrolling takes it), else
        # the row's.
        known = on_record(row.email) if row.role and row.email else None
        agency = known.agency if known is not None else active.get(row.agency_id)
        holds, agency_name = (agency.sector.holds_case_records, agency.name) if agency else (True, "")
        if row.role and (refused := rules.role_refused(row.name, row.role, roles, agency_name, holds)):
            row.errors.append(refused)
    free = max(0, event.capacity - places_taken(event.id))
    places = min(free, len(checked))
    return UploadPreview(rows=checked, places=places, waiting=len(checked) - places)


def account_roles(emails: list[str]) -> dict[str, set[Role]]:
    """The roles of the accounts with these email addresses (any case), by lower-cased address."""
    if not emails:
        return {}
    wanted = {email.lower() for email in emails}
    users = db.session.exec(select(User).where(sa.func.lower(User.email).in_(wanted)))
    return {user.email.lower(): set(user.roles) for user in users}
