"""Chair training and CPD: courses, their events and sessions, enrolment, registers, the chairs' register."""

from flask import Flask


def register(app: Flask) -> None:
    """The training pages, the TRSG's, chair's and figures panels, who may see which enrolment, event and
    session, and the sessions in each person's calendar feed."""
    from tracker.auth.models import User
    from tracker.calendar import providers
    from tracker.core.db import listen
    from tracker.core.navigation import add_panels
    from tracker.core.permissions import can_view
    from tracker.training import dashboard, ics, queries
    from tracker.training.models import CourseEvent, Enrolment, TrainingSession, link_training_record
    from tracker.training.views import bp
    from tracker.training.views.check import public_bp

    app.register_blueprint(bp)
    app.register_blueprint(public_bp)
    add_panels(dashboard.trsg_panel, dashboard.chair_panel, dashboard.overview_panel)
    can_view.register(Enrolment, queries.enrolment_visible)
    can_view.register(CourseEvent, queries.event_visible)
    can_view.register(TrainingSession, queries.session_visible)
    providers.register(ics.sessions_in_calendar)
    # An account made for someone who already has a training record takes it over.
    listen(User, "after_insert", link_training_record)
