"""Evaluation pages: the TRSG's forms and their versions, sending a form to an event, answering through a
one-time link, and the results (per event, side by side, as CSV and PDF).

The TRSG manages evaluations (MANAGE_EVALUATIONS). Results are aggregates of training feedback with no
case data, so everyone who sees the training figures (VIEW_TRAINING_OVERVIEW: the TRSG, the SMB, lay
advisers and the co-ordinator) may read them and download the PDF summary; only the TRSG sees who
answered and the CSV of every response, which names the people who chose to give their name.

One blueprint; its views live in a module per feature, imported at the bottom so their routes are on it.
"""

from __future__ import annotations

from flask import Blueprint

from tracker.auth.models import User
from tracker.core.navigation import dashboard_panel
from tracker.core.permissions import Permission, can_view
from tracker.core.timeutil import today_london
from tracker.evaluations import rules, services
from tracker.evaluations.forms import field_name
from tracker.evaluations.models import EvaluationInvitation, QuestionKind

bp = Blueprint("evaluations", __name__, url_prefix="/evaluations")


@bp.context_processor
def _names() -> dict:
    return {
        "QuestionKind": QuestionKind,
        "percent": rules.percent,
        "one_decimal": rules.one_decimal,
        "field_name": field_name,
    }


@dashboard_panel
def _answer_panel(user: User):
    """Evaluations waiting for this person's answers, with links that need no email."""
    waiting = services.outstanding_for(user, today_london())
    if not waiting:
        return None
    return "evaluations/panels/to_answer.html", {"invitations": waiting}


@dashboard_panel
def _results_panel(user: User):
    if user.can(Permission.MANAGE_EVALUATIONS) or not user.can(Permission.VIEW_TRAINING_OVERVIEW):
        return None
    return "evaluations/panels/results.html", {}


@can_view.register(EvaluationInvitation)
def _invitation_visible(invitation: EvaluationInvitation, user: User) -> bool:
    """A link shown in the app is for the person it was sent to, and nobody else."""
    return invitation.enrolment.trainee.user_id == user.id


from tracker.evaluations.views import (  # noqa: E402, F401  (their routes are on bp)
    answering,
    form_pages,
    questions,
    results,
    sending,
)
