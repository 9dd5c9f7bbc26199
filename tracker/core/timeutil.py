"""Times are stored in UTC and shown in Europe/London; these helpers are the edges where that happens."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")


def london(moment: datetime) -> datetime:
    return moment.astimezone(LONDON)


def london_to_utc(day: date, at: time) -> datetime:
    """A wall-clock time in London on a given day, as UTC (correct either side of the clock changes)."""
    return datetime.combine(day, at, tzinfo=LONDON).astimezone(UTC)


def exists_in_london(day: date, at: time) -> bool:
    """Whether the wall-clock time happens in London that day: not in the hour the clocks go forward."""
    wall = datetime.combine(day, at)
    return london(wall.replace(tzinfo=LONDON).astimezone(UTC)).replace(tzinfo=None) == wall


def clock_change_problem(day: date | None, at: time | None) -> str | None:
    """Why a time typed for a day in London cannot be used: it falls in the hour the clocks go forward
    (01:30 on the last Sunday of March), which does not exist, so no moment in UTC is that time. None
    for any other time (the hour the clocks go back, which happens twice, is read as its first, BST)."""
    if not isinstance(day, date) or not isinstance(at, time) or exists_in_london(day, at):
        return None
    wall = datetime.combine(day, at)
    start = wall
    while start.date() == day and not exists_in_london(day, (start - timedelta(minutes=1)).time()):
        start -= timedelta(minutes=1)
    end = wall
    while end.date() == day and not exists_in_london(day, end.time()):
        end += timedelta(minutes=1)
    gap = f"from {start:%H:%M} to {end:%H:%M}"
    return (
        f"{at:%H:%M} does not exist on {format_date(day)}: the clocks go forward {gap}. "
        f"Enter a time before {start:%H:%M} or from {end:%H:%M}"
    )


def now() -> datetime:
    """The present moment, in UTC: the clock the rules about today and now read (`today_london` too), so
    that a test can set it in one place."""
    return datetime.now(UTC)


def today_london() -> date:
    return london(now()).date()


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


def format_clock(value: datetime) -> str:
    """A moment as a time of day in London in GOV.UK style: "10am", "2:30pm", "midday", "midnight"."""
    local = london(value) if value.tzinfo else value
    if (local.hour, local.minute) == (12, 0):
        return "midday"
    if (local.hour, local.minute) == (0, 0):
        return "midnight"
    minutes = f":{local.minute:02d}" if local.minute else ""
    return f"{(local.hour - 1) % 12 + 1}{minutes}{'am' if local.hour < 12 else 'pm'}"


def format_time(value: time | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = london(value).time() if value.tzinfo else value.time()
    return value.strftime("%H:%M")
