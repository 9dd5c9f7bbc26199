"""Calendars: .ics downloads, Outlook invitations by email and personal subscription feeds.

Calendars leave the secure system, so everything here is built from `events.CalendarEvent`, which holds
references only. An area that has things to put in calendars (meetings, training) plugs in with:

- a function turning its model into an event with `events.meeting_event(...)` or
  `events.training_session_event(...)`, keeping a `calendar_sequence` column on the model;
- a provider `(user, start, end) -> list[CalendarEvent]` making one query, added with
  `providers.register` in the area's `register(app)`, so the person's feed shows it;
- a download route returning `ics.download_response(ics.publish([event]), "mappa-meeting-<ref>")`
  after `audit.record("export", obj, summary="calendar file")`;
- `mail.send_invitations`, `mail.send_update` and `mail.send_cancellation` where it schedules, changes,
  cancels or takes someone off the list, raising the sequence with `rules.next_sequence` first.
"""

from flask import Flask


def register(app: Flask) -> None:
    """Calendar downloads and personal feeds (the areas add their entries with `providers.register`)."""
    from tracker.calendar.views import bp

    app.register_blueprint(bp)
