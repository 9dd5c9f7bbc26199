"""When an action's owner may move its due date after the meeting: up to the meeting that next reviews
the case's plan (the panel agrees any later date)."""

from __future__ import annotations

from datetime import date

from tracker.core.timeutil import format_date


def revised_due_limit(today: date, review_due_on: date | None, next_meeting_on: date | None) -> date | None:
    """The latest new due date an action's owner may give (None: no limit, for a case not managed through
    meetings): the case's next review, where the panel reviews the plan's actions; when that is overdue,
    the case's next scheduled meeting, or today when none is scheduled (the panel agrees any later date)."""
    if review_due_on is None:
        return None
    if review_due_on >= today:
        return review_due_on
    return next_meeting_on if next_meeting_on is not None and next_meeting_on >= today else today


def revised_due_problem(
    day: date | None, today: date, review_due_on: date | None, next_meeting_on: date | None = None
) -> str | None:
    """What is wrong with a new due date an action's owner gives after the meeting, or None: it is today
    or later, and not past `revised_due_limit` (moving an action past the meeting that reviews it is for
    the panel to agree, not for its owner alone)."""
    if day is None:
        return None
    if day < today:
        return "The new due date must be today or later"
    limit = revised_due_limit(today, review_due_on, next_meeting_on)
    if limit is None or day <= limit:
        return None
    if review_due_on is not None and review_due_on >= today:
        return (
            "The new due date must be on or before the case's next review, due "
            f"{format_date(review_due_on)}: a later date is for the panel to agree at that meeting"
        )
    if limit > today:
        return (
            f"The new due date must be on or before the case's next meeting, on {format_date(limit)} (its "
            "review is overdue): a later date is for the panel to agree there"
        )
    return (
        f"The case's review is overdue (it was due {format_date(review_due_on)}) and no meeting is "
        "scheduled: a new due date is for the panel to agree when it meets"
    )
