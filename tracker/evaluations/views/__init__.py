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

from tracker.evaluations import rules
from tracker.evaluations.forms import field_name
from tracker.evaluations.models import QuestionKind

bp = Blueprint("evaluations", __name__, url_prefix="/evaluations")


@bp.context_processor
def _names() -> dict:
    return {
        "QuestionKind": QuestionKind,
        "percent": rules.percent,
        "one_decimal": rules.one_decimal,
        "field_name": field_name,
    }


from tracker.evaluations.views import (  # noqa: E402, F401  (their routes are on bp)
    answering,
    form_pages,
    questions,
    results,
    sending,
)
