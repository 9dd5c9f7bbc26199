"""Minutes of meetings: drafts, versions, approval and distribution, and PDFs of minutes, agendas and
executive summaries."""

from flask import Flask


def register(app: Flask) -> None:
    """The minutes pages and the home page panel of minutes to write, approve or send."""
    from tracker.core import tallies as kept_counts
    from tracker.core.navigation import add_panels
    from tracker.minutes import dashboard, tallies
    from tracker.minutes.views import bp

    app.register_blueprint(bp)
    add_panels(dashboard.minutes_panel)
    # How many meetings of each day have minutes to write, to approve or to send, kept as they change.
    kept_counts.register(tallies.MINUTES_STAGES)
