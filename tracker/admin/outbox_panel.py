"""The home page panel of emails that need an admin: those the mail server refused or that failed for good
in the last 30 days, and a sender that has stopped (emails waiting past their time)."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from sqlmodel import col, select

from tracker.auth.models import User
from tracker.core.db import db
from tracker.core.models import OutboxMessage, OutboxStatus
from tracker.core.operations import SENDER_GRACE
from tracker.core.permissions import Permission
from tracker.core.types import utcnow

RECENT = timedelta(days=30)


def panel(user: User):
    if not user.can(Permission.MANAGE_OUTBOX):
        return None
    now = utcnow()
    status, created = OutboxMessage.status, col(OutboxMessage.created_at)
    due = col(OutboxMessage.next_attempt_at)
    failed, late = db.session.execute(
        select(
            sa.func.count().filter(status == OutboxStatus.FAILED, created > now - RECENT),
            sa.func.count().filter(status == OutboxStatus.QUEUED, due < now - SENDER_GRACE),
        )
    ).one()
    if not failed and not late:
        return None
    minutes = SENDER_GRACE.seconds // 60
    return "admin/panels/outbox.html", {"failed": failed, "late": late, "grace_minutes": minutes}
