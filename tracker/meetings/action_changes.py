"""Telling action owners that an action is given to them, changed or taken away.

As the meeting records its actions, a new owner is emailed that the action is theirs and the one it was
taken from that it is no longer theirs (not someone who gave it to themselves). A correction's draft is
the chair's to work on, and changes no one's list of actions until it is approved
(`tracker.minutes.correction`); once it is, each owner whose action it changed is emailed once for the
meeting: a new owner that the action is theirs, the one it was taken from that it is no longer theirs, an
owner whose action's due date or wording changed what changed, and one whose action was taken off the
record that it was. As every email the tracker sends, it carries the meeting's reference, dates and a link,
never the action's wording, a name or a case detail. Nothing is sent while a correction is a draft, nor
when it is abandoned.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

import sqlalchemy as sa

from tracker.auth.models import User
from tracker.core import mail
from tracker.core.db import db
from tracker.core.timeutil import format_date, london, today_london
from tracker.meetings import follow_up
from tracker.meetings.models import Action, ActionStatus, Meeting

_REMOVED = ActionStatus.REMOVED.name


def _agreed(point: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The actions a point of the record (`restore_point.take`) holds as agreed, by id."""
    return {key: row for key, row in point.get("actions", {}).items() if row.get("status") != _REMOVED}


def _due(row: dict[str, Any]) -> str:
    return format_date(date.fromisoformat(row["due_on"]))


def changes(before: dict[str, Any], after: dict[str, Any], proposed: bool = False) -> dict[int, list[str]]:
    """What the correction changed in each owner's actions, in sentences, by the owner's user id: `before`
    the record as approved, `after` as corrected (both as `restore_point.take` gives them). `proposed`: the
    record of a meeting yet to take place, which agrees nothing until it does."""
    was, now = _agreed(before), _agreed(after)
    told: dict[int, list[str]] = defaultdict(list)
    for key in sorted(was.keys() | now.keys(), key=int):
        old, new = was.get(key), now.get(key)
        old_owner = old.get("owner_id") if old else None
        new_owner = new.get("owner_id") if new else None
        if new is None:
            if old_owner is not None:
                told[old_owner].append(f"An action of yours due on {_due(old)} was taken off the record.")
            continue
        if old_owner != new_owner:
            if old_owner is not None:
                told[old_owner].append(
                    f"An action of yours due on {_due(old)} is no longer yours: it was given to someone else."
                )
            if new_owner is not None:
                what = "An action was given to you" if old else "A new action was agreed for you"
                if proposed and not old:
                    what = "A new action is proposed for you"
                told[new_owner].append(f"{what}, due on {_due(new)}.")
            continue
        if new_owner is None:
            continue
        if old["due_on"] != new["due_on"]:
            told[new_owner].append(f"An action of yours is now due on {_due(new)} (it was {_due(old)}).")
        if old.get("description") != new.get("description"):
            told[new_owner].append(f"The wording of an action of yours due on {_due(new)} was changed.")
    return dict(told)


def row(action: Action) -> dict[str, Any]:
    """An action as `changes` compares it (the shape `tracker.minutes.restore_point` keeps)."""
    return {
        "owner_id": action.owner_id,
        "due_on": action.due_on.isoformat(),
        "description": action.description,
        "status": action.status.name,
    }


def tell_owners(meeting: Meeting, before: dict[str, Any], after: dict[str, Any]) -> int:
    """Email each owner what the approved correction changed in their actions (those who turned these
    emails off, or have left, are not emailed). Returns how many were queued."""
    lead = (
        f"The chair approved a correction to the minutes of MAPPA meeting {meeting.reference}. It changes "
        "actions of yours:"
    )
    subject = f"Corrected minutes of MAPPA meeting {meeting.reference} change your actions"
    return _tell(changes(before, after), lead, subject)


def tell_new_owner(meeting: Meeting, was: dict[str, Any] | None, action: Action, by: User) -> int:
    """As the meeting records an action, email whoever it is given to and whoever it is taken from (not
    the one making the change). `was`: the action as `row` gave it before, None for a new one. A date or
    wording changed while the meeting is recorded, with the owner the same, is not sent: the minutes are."""
    if was is not None and was["owner_id"] == action.owner_id:
        return 0
    before = {"actions": {"1": was}} if was is not None else {}
    day = london(meeting.starts_at).date()
    ahead = day > today_london()  # prepared before the meeting, which agrees it when it meets
    told = changes(before, {"actions": {"1": row(action)}}, proposed=ahead)
    told.pop(by.id, None)
    lead = f"The record of MAPPA meeting {meeting.reference} changes actions of yours:"
    if ahead:
        lead = (
            f"The record being prepared for MAPPA meeting {meeting.reference} on {format_date(day)}, which "
            "has not taken place yet, changes actions of yours (the meeting agrees them):"
        )
    return _tell(told, lead, f"Your actions from MAPPA meeting {meeting.reference}")


def _tell(told: dict[int, list[str]], lead: str, subject: str) -> int:
    if not told:
        return 0
    people = db.session.scalars(sa.select(User).where(User.id.in_(list(told)))).all()
    link = follow_up.link("meetings.action_list")
    sent = 0
    for person in sorted(people, key=lambda p: p.id):
        if not follow_up.wants(person, follow_up.ACTION_CHANGES):
            continue
        lines = "\n".join(f"- {line}" for line in told[person.id])
        mail.queue(follow_up.message(person, subject, f"{lead}\n\n{lines}\n\nSee your actions:\n\n{link}"))
        sent += 1
    return sent
