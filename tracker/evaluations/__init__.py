"""Evaluation forms: built by the TRSG, sent to events, answered through one-time links, with results."""

from flask import Flask


def register(app: Flask) -> None:
    """The evaluation pages, the home page panels for answering and for results, and who may see an
    invitation to answer."""
    from tracker.core.navigation import add_panels
    from tracker.core.permissions import can_view
    from tracker.evaluations import access, dashboard
    from tracker.evaluations.models import EvaluationInvitation
    from tracker.evaluations.views import bp

    app.register_blueprint(bp)
    add_panels(dashboard.answer_panel, dashboard.results_panel)
    can_view.register(EvaluationInvitation, access.invitation_visible)
