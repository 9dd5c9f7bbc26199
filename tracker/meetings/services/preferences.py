"""Which optional emails a person receives (`tracker.meetings.follow_up.KINDS`), set under Your account."""

from __future__ import annotations

from tracker.auth.models import User
from tracker.core.db import db
from tracker.meetings.follow_up import KINDS, turned_off
from tracker.meetings.models import EmailOptOut


def set_email_preferences(user: User, wanted: set[str]) -> None:
    """Turn the optional emails this person does not want off, and the others back on."""
    current = turned_off(user.id)
    for kind in KINDS:
        if kind in wanted and kind in current:
            db.session.delete(db.session.get(EmailOptOut, (user.id, kind)))
        elif kind not in wanted and kind not in current:
            db.session.add(EmailOptOut(user_id=user.id, kind=kind))
    db.session.flush()
