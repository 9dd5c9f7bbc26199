"""Times are stored in UTC and shown in Europe/London; these helpers are the edges where that happens."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")


def london(moment: datetime) -> datetime:
    return moment.astimezone(LONDON)


def london_to_utc(day: date, at: time) -> datetime:
    """A wall-clock time in London on a given day, as UTC (correct either side of the clock changes)."""
    return datetime.combine(day, at, tzinfo=LONDON).astimezone(UTC)


def today_london() -> date:
    return datetime.now(LONDON).date()


def format_date(value: date | datetime | None, with_weekday: bool = False) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = london(value) if value.tzinfo else value
    pattern = "%A %-d %B %Y" if with_weekday else "%-d %B %Y"
    return value.strftime(pattern)


def format_datetime(value: datetime | None) -> str:
    if value is None:
        return ""
    local = london(value) if value.tzinfo else value
    return local.strftime("%-d %B %Y at %H:%M")


def format_time(value: time | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = london(value).time() if value.tzinfo else value.time()
    return value.strftime("%H:%M")
