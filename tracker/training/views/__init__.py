"""The TRSG's training pages: courses, events, registers, uploads, the chairs' register, certificates.

Also the overview of a reporting year, and each person's own training record. One blueprint; its views
live in a module per feature, imported at the bottom so their routes are on the blueprint.
"""

from __future__ import annotations

from flask import Blueprint

from tracker.training import rules
from tracker.training.models import EnrolmentStatus, EventKind
from tracker.training.views.common import certificate_kind

bp = Blueprint("training", __name__, url_prefix="/training")
bp.add_app_template_filter(rules.format_hours, "hours")


@bp.context_processor
def _training_names() -> dict:
    return {"EnrolmentStatus": EnrolmentStatus, "EventKind": EventKind, "certificate_kind": certificate_kind}


from tracker.training.views import (  # noqa: E402, F401  (their routes are on bp)
    certificates,
    chairs,
    courses,
    enrolment,
    events,
    outcomes,
    overview,
    people,
    registers,
    sessions,
    sheets,
)
