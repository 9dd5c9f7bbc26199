"""Minutes of meetings: drafts, versions, approval and distribution, and PDFs of minutes, agendas and
executive summaries."""

from flask import Flask

# The pages of a meeting's minutes (and their PDFs), which show what the minutes say of each case.
MINUTES_PAGES = (
    "minutes_view",
    "version_view",
    "version_pdf",
    "minutes_edit",
    "minutes_correct",
    "minutes_distribute",
    "minutes_abandon_correction",
)


def register(app: Flask) -> None:
    """The minutes pages, the home page panels of minutes to write, approve or send and of the work
    people who have left leave behind, and who may read a meeting whose minutes they approve."""
    from tracker.core import tallies as kept_counts
    from tracker.core.navigation import add_panels
    from tracker.meetings.access import grant_meetings
    from tracker.meetings.justification import ask_oversight_why
    from tracker.minutes import access, correction, dashboard, leavers, tallies
    from tracker.minutes.views import bp

    app.register_blueprint(bp)
    # A correction's draft of a meeting's record is in the rows only for those working on it.
    correction.init_app(app)
    add_panels(dashboard.minutes_panel, leavers.leavers_panel)
    # A chair handed the approval of minutes in place of one who has left reads the meeting, as its chair.
    grant_meetings(access.approving_for, "approving the minutes in place of the chair of")
    # The minutes say what was decided on every case: the co-ordinator, there by oversight, says why first.
    ask_oversight_why(*(f"minutes.{page}" for page in MINUTES_PAGES))
    # How many meetings of each day have minutes to write, to approve or to send, kept as they change.
    kept_counts.register(tallies.MINUTES_STAGES)
