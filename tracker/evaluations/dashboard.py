"""The home page panels of the evaluations area: evaluations waiting for a person's answers, and the
results for those who read the training figures."""

from __future__ import annotations

from tracker.auth.models import User
from tracker.core.permissions import Permission
from tracker.core.timeutil import today_london
from tracker.evaluations import listings


def answer_panel(user: User):
    """Evaluations waiting for this person's answers, with links that need no email."""
    waiting = listings.outstanding_for(user, today_london())
    if not waiting:
        return None
    return "evaluations/panels/to_answer.html", {"invitations": waiting}


def results_panel(user: User):
    if user.can(Permission.MANAGE_EVALUATIONS) or not user.can(Permission.VIEW_TRAINING_OVERVIEW):
        return None
    return "evaluations/panels/results.html", {}
