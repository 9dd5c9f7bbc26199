"""Where a person's calendar entries come from: each area registers a provider.

A provider is a function `(user, start, end) -> list[CalendarEvent]` returning the entries of that
person that overlap the UTC instants [start, end), found with ONE query (eager-load what it needs), so
that a feed costs one query per provider whatever the size of the calendar. The meetings area registers
the meetings a person chairs, supports or is invited to; the training area the sessions they are
enrolled on or present.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from tracker.calendar.events import CalendarEvent
from tracker.calendar.rules import overlaps

Provider = Callable[[Any, datetime, datetime], list[CalendarEvent]]

_PROVIDERS: list[Provider] = []


def register(provider: Provider) -> Provider:
    """Add a provider (usable as a decorator). Registering the same function twice has no effect."""
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)
    return provider


def unregister(provider: Provider) -> None:
    if provider in _PROVIDERS:
        _PROVIDERS.remove(provider)


def registered() -> tuple[Provider, ...]:
    return tuple(_PROVIDERS)


def events_for(user: Any, start: datetime, end: datetime) -> list[CalendarEvent]:
    """Everyone's providers asked once each; entries outside the window are dropped, one per UID."""
    found: dict[str, CalendarEvent] = {}
    for provider in _PROVIDERS:
        for event in provider(user, start, end):
            if overlaps(event, start, end):
                # A person may reach one entry two ways (chairing and invited): keep the latest version.
                kept = found.get(event.uid)
                if kept is None or event.sequence > kept.sequence:
                    found[event.uid] = event
    return sorted(found.values(), key=lambda event: (event.sort_key, event.uid))
