"""Calendars: .ics downloads, Outlook invitations by email and personal subscription feeds.

Calendars leave the secure system, so everything here is built from `CalendarEvent`, which holds
references only (see `events.py`). Meetings and training plug in through `providers.register` and the
builders in `events.py`.
"""
