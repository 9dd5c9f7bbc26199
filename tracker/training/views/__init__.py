"""The TRSG's training pages: courses, events, registers, uploads, the chairs' register, certificates.

Also the overview of a reporting year, and each person's own training record. One blueprint; its views
live in a module per feature, imported at the bottom so their routes are on the blueprint.
"""

from __future__ import annotations

from flask import Blueprint

from tracker.auth.models import User
from tracker.core import settings
from tracker.core.navigation import dashboard_panel
from tracker.core.permissions import Permission, Role
from tracker.training import queries, rules
from tracker.training.models import EnrolmentStatus, EventKind
from tracker.training.views.common import certificate_kind

bp = Blueprint("training", __name__, url_prefix="/training")
bp.add_app_template_filter(rules.format_hours, "hours")


@bp.context_processor
def _training_names() -> dict:
    return {"EnrolmentStatus": EnrolmentStatus, "EventKind": EventKind, "certificate_kind": certificate_kind}


@dashboard_panel
def _trsg_panel(user: User):
    if not user.can(Permission.MANAGE_TRAINING):
        return None
    due_soon, lapsed = queries.chairs_due_count()
    return "training/panels/trsg.html", {"due_soon": due_soon, "lapsed": lapsed}


@dashboard_panel
def _chair_panel(user: User):
    if not user.has_role(Role.CHAIR):
        return None
    return "training/panels/chair.html", {
        "status": queries.chair_status_for(user),
        "lapse_months": settings.get("cpd_lapse_months"),
    }


@dashboard_panel
def _overview_panel(user: User):
    if user.can(Permission.MANAGE_TRAINING) or not user.can(Permission.VIEW_TRAINING_OVERVIEW):
        return None
    return "training/panels/overview.html", {}


from tracker.training.views import (  # noqa: E402, F401  (their routes are on bp)
    certificates,
    courses,
    enrolment,
    events,
    overview,
    people,
    registers,
    sessions,
)
