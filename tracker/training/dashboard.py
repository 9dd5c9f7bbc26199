"""The home page panels of the training area: the TRSG's chairs due CPD, a chair's own training status,
and the training figures for those who read them."""

from __future__ import annotations

from tracker.auth.models import User
from tracker.core import settings
from tracker.core.permissions import Permission, Role
from tracker.training import queries


def trsg_panel(user: User):
    if not user.can(Permission.MANAGE_TRAINING):
        return None
    due_soon, lapsed = queries.chairs_due_count()
    return "training/panels/trsg.html", {"due_soon": due_soon, "lapsed": lapsed}


def chair_panel(user: User):
    if not user.has_role(Role.CHAIR):
        return None
    return "training/panels/chair.html", {
        "status": queries.chair_status_for(user),
        "lapse_months": settings.get("cpd_lapse_months"),
    }


def overview_panel(user: User):
    if user.can(Permission.MANAGE_TRAINING) or not user.can(Permission.VIEW_TRAINING_OVERVIEW):
        return None
    return "training/panels/overview.html", {}
