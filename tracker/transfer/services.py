"""Bringing a caseload in: holding an upload for its preview, then creating every case in one go."""

from __future__ import annotations

from sqlmodel import select

from tracker.auth.models import Agency, User
from tracker.core.db import db
from tracker.core.permissions import Permission
from tracker.core.timeutil import today_london
from tracker.core.types import utcnow
from tracker.meetings import services as meetings
from tracker.meetings.models import Case, CaseEventKind, CaseStatus
from tracker.transfer import caseload
from tracker.transfer.models import CaseloadUpload


def hold_upload(actor: User, filename: str, rows: list[dict]) -> CaseloadUpload:
    upload = CaseloadUpload(created_by_id=actor.id, filename=filename[:255], rows=rows)
    db.session.add(upload)
    db.session.flush()
    return upload


def check_upload(actor: User, upload: CaseloadUpload) -> list[caseload.CheckedCase]:
    """The upload's rows checked against the cases and agencies held now."""
    references = [row["reference"].strip().upper() for row in upload.rows if row["reference"].strip()]
    existing = set()
    for start in range(0, len(references), 500):
        chunk = references[start : start + 500]
        existing.update(db.session.scalars(select(Case.reference).where(Case.reference.in_(chunk))))
    agencies = {agency.name.lower(): agency.id for agency in db.session.exec(select(Agency))}
    return caseload.check(
        upload.rows,
        existing_references=existing,
        agencies=agencies,
        may_add_category_4=actor.terrorism_cleared and actor.can(Permission.VIEW_ALL_CASES),
        today=today_london(),
    )


def import_upload(actor: User, upload: CaseloadUpload) -> list[Case] | list[caseload.CheckedCase]:
    """Create every case of an upload that has no errors, each with its referral in its history and the
    review due as given. Returns the cases, or the checked rows when any row has an error (nothing is
    created). Each new case is recorded in the audit trail by the trail's own listener."""
    checked = check_upload(actor, upload)
    if any(item.errors for item in checked):
        return checked
    cases = []
    for item in checked:
        values = dict(item.values)
        status, level = values.pop("status"), values.pop("level")
        case = meetings.refer_case({"reference": item.reference, "name": item.name, **values}, level, actor)
        if status is CaseStatus.IN_CUSTODY:
            meetings.record_case_event(
                case, CaseEventKind.CUSTODY_OTHER, max(case.referred_on, today_london()), None,
                "In custody when the caseload was brought into the tracker", actor,
            )  # fmt: skip
        cases.append(case)
    upload.imported_at = utcnow()
    upload.rows = []  # the cases hold the records now: no second copy of the names
    return cases
