"""Uploaded lists of people: held until they have no errors, then enrolled when the TRSG confirms."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from sqlmodel import col

from tracker.auth.models import User
from tracker.core import audit
from tracker.core.db import db
from tracker.core.types import utcnow
from tracker.training import upload_check
from tracker.training.models import CourseEvent, Enrolment, EnrolmentImport
from tracker.training.services.common import (
    UPLOAD_ENROLLED,
    EnrolmentClosed,
    UploadAlreadyUsed,
    UploadHasErrors,
    upload_named,
)
from tracker.training.services.places import enrol, lock_event, trainee_for

# Uploads -------------------------------------------------------------------------------------------


def stage_upload(event: CourseEvent, filename: str, rows: list[dict], user: User) -> EnrolmentImport:
    """Keep an upload on the server until it is confirmed. This person's earlier upload for the event,
    and anyone's left unconfirmed for a day, are dropped."""
    db.session.execute(
        sa.delete(EnrolmentImport).where(
            sa.or_(
                sa.and_(EnrolmentImport.created_by_id == user.id, EnrolmentImport.event_id == event.id),
                col(EnrolmentImport.created_at) < utcnow() - timedelta(days=1),
            )
        )
    )
    upload = EnrolmentImport(event_id=event.id, created_by_id=user.id, filename=filename[:255], rows=rows)
    db.session.add(upload)
    db.session.flush()
    return upload


def confirm_upload(upload: EnrolmentImport, actor: User, override_reason: str = "") -> list[Enrolment]:
    """Enrol everyone on a checked upload. Raises UploadHasErrors, enrolling nobody, if it still has
    errors (the agencies or who is enrolled may have changed since it was checked), or rows that break
    an enrolment rule and no `override_reason` (which is then kept on each of those enrolments),
    EnrolmentClosed once the event's outcomes are set, and UploadAlreadyUsed when a confirmation sent at
    the same moment has enrolled its people (the upload is gone once used)."""
    event = lock_event(upload.event_id)
    if db.session.scalar(sa.select(EnrolmentImport.id).where(EnrolmentImport.id == upload.id)) is None:
        raise UploadAlreadyUsed()
    if event.closed_at is not None:
        raise EnrolmentClosed(event.title)
    preview = upload_check.preview_upload(upload, event)
    if preview.errors:
        raise UploadHasErrors("The file still has errors: nobody has been enrolled. Upload a corrected file.")
    if preview.conflicts and not override_reason.strip():
        raise UploadHasErrors(
            "Nobody has been enrolled: give a reason for overriding the enrolment rules, or upload a "
            "corrected file."
        )
    enrolments = []
    for row in preview.rows:
        trainee = trainee_for(row.name, row.email, row.agency_id)
        enrolments.append(enrol(event, trainee, row.role, override_reason if row.conflict else ""))
    filename = upload.filename or "a file"
    summary = f"{upload_named(upload.id)} {len(enrolments)} people enrolled from {filename}"
    audit.record(UPLOAD_ENROLLED, event, summary=summary[:1000])
    db.session.delete(upload)
    return enrolments
