"""Level 2 and 3 MAPPA meetings: cases, agendas, attendance, the Four Pillars, actions and deadlines."""

from flask import Flask


def register(app: Flask) -> None:
    """The case and meeting pages, the casework panel, who may see which meeting, case, agenda item and
    action, and the meetings in each person's calendar feed."""
    from tracker.calendar import providers
    from tracker.core import consultations
    from tracker.core import tallies as kept_counts
    from tracker.core.navigation import add_panels
    from tracker.core.permissions import can_view
    from tracker.meetings import access, dashboard, disposed, follow_up, freeze, ics, justification, tallies
    from tracker.meetings.models import (
        Action,
        AgendaItem,
        Case,
        CaseCategoryChange,
        CaseEvent,
        Meeting,
        PillarEntry,
        PlanPart,
    )
    from tracker.meetings.views import bp

    app.register_blueprint(bp)
    # Approved minutes freeze the meeting's record: the page gate and the answer to a refused change.
    freeze.init_app(app)
    # A disposed case is changed by no one: every row that belongs to a case is refused for it.
    disposed.init_app(app)
    disposed.guard(Case, CaseEvent, CaseCategoryChange, AgendaItem, PillarEntry, PlanPart, Action)
    # A case opens only with a justification: the person's part in it, or a reason they give first.
    justification.init_app(app)
    add_panels(dashboard.casework_panel)
    # Each case's review due date and the counts of them per day, kept as cases change.
    kept_counts.register(tallies.CASES_DUE)
    can_view.register(Meeting, access.meeting_visible)
    can_view.register(Case, access.case_visible)
    can_view.register(AgendaItem, access.item_visible)
    can_view.register(Action, access.action_visible)
    # A page about one of these is logged as about its case and meeting.
    consultations.register_objects(Case, Action, AgendaItem, Meeting)
    providers.register(ics.meetings_in_calendar)
    # Your account sums up the optional emails the person's roles are sent.
    app.add_template_global(follow_up.summary, "optional_emails")
