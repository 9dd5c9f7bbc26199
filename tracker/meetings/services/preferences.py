"""Which optional emails a person receives (`tracker.meetings.follow_up.KINDS`), set under Your account."""

from __future__ import annotations

from tracker.auth.models import User
from tracker.core.db import db
from tracker.meetings.follow_up import kinds_for, turned_off
from tracker.meetings.models import EmailOptOut
from tracker.meetings.services.base import Refused

NOT_SENT = "Select only emails from the list: people with your roles are not sent the others"


def set_email_preferences(user: User, wanted: set[str]) -> None:
    """Of the optional emails this person's roles are sent (`kinds_for`), turn those they do not want off
    and the others back on. Refused, changing nothing, when `wanted` names one they are not sent. An email
    turned off under a role since taken away stays off, should the role come back."""
    theirs = kinds_for(user)
    if not wanted <= theirs.keys():
        raise Refused(NOT_SENT, field="kinds")
    current = turned_off(user.id)
    for kind in theirs:
        if kind in wanted and kind in current:
            db.session.delete(db.session.get(EmailOptOut, (user.id, kind)))
        elif kind not in wanted and kind not in current:
            db.session.add(EmailOptOut(user_id=user.id, kind=kind))
    db.session.flush()
