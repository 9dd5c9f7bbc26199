"""The home page panel for people who write and approve minutes: what to write, approve and chase."""

from __future__ import annotations

from tracker.auth.models import User
from tracker.core.permissions import Permission
from tracker.minutes import queries, rules
from tracker.minutes.queries import Show


def minutes_panel(user: User) -> tuple[str, dict] | None:
    if not user.can(Permission.EDIT_MINUTES):
        return None
    counts = queries.counts(user)
    return (
        "minutes/_dashboard_panel.html",
        {
            "to_write": counts[Show.TO_WRITE],
            "awaiting": counts[Show.AWAITING_APPROVAL],
            "awaiting_me": queries.awaiting_my_approval(user)
            if user.can(Permission.APPROVE_MINUTES)
            else None,
            "overdue": counts[Show.OVERDUE],
            "working_days": rules.working_days_setting(),
        },
    )
