"""Reports for the Strategic Management Board: the annual report, the quality dashboard, meeting audits."""

from flask import Flask


def register(app: Flask) -> None:
    """The reports pages, the Board's and the auditor's home page panels, who may see an audit, and the
    auditor's access to the meeting they audit."""
    from tracker.core import consultations
    from tracker.core import tallies as kept_counts
    from tracker.core.navigation import add_panels
    from tracker.core.permissions import can_view
    from tracker.meetings import access as meeting_access
    from tracker.reports import audits, dashboard, meeting_tallies, tallies
    from tracker.reports.models import MeetingAudit
    from tracker.reports.views import bp

    app.register_blueprint(bp)
    add_panels(dashboard.board_panel, dashboard.audits_panel)
    can_view.register(MeetingAudit, audits.audit_visible)
    consultations.register_objects(MeetingAudit)  # a page about an audit is about its meeting
    meeting_access.grant_meetings(audits.meetings_to_audit, "named to audit")
    # The dashboard's counts per day (reviews held on time, actions done on time, the Four Pillars,
    # minutes sent on time, agencies represented, audit scores), kept as the data changes.
    for tally in (*tallies.KEPT, *meeting_tallies.KEPT):
        kept_counts.register(tally)
