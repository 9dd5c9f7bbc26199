"""How far ahead an action's due date may be: when its owner moves it after the meeting, up to the meeting
that next reviews the case's plan (the panel agrees any later date); and, for a case with no review due
(managed at Level 1, or no longer a MAPPA case), no further ahead than the longest time between Level 2
reviews, whether the date is agreed at a meeting or moved afterwards."""

from __future__ import annotations

from datetime import date, timedelta

from tracker.core.timeutil import format_date


def unreviewed_due_limit(day: date, weeks: int) -> date:
    """The latest due date for an action on a case with no review due, from `day` (the meeting's day, or
    today for a new date): `weeks` ahead, the longest a Level 2 case goes between reviews. No panel will
    look at the action again, so it is looked at no less often than the least closely managed case that
    has one (its owner can move it on again from then)."""
    return day + timedelta(weeks=weeks)


def revised_due_limit(
    today: date, review_due_on: date | None, next_meeting_on: date | None, unreviewed_weeks: int
) -> date:
    """The latest new due date an action's owner may give: the case's next review, where the panel reviews
    the plan's actions; when that is overdue, the case's next scheduled meeting, or today when none is
    scheduled (the panel agrees any later date); for a case with no review due, `unreviewed_due_limit`."""
    if review_due_on is None:
        return unreviewed_due_limit(today, unreviewed_weeks)
    if review_due_on >= today:
        return review_due_on
    return next_meeting_on if next_meeting_on is not None and next_meeting_on >= today else today


def revised_due_problem(
    day: date | None,
    today: date,
    review_due_on: date | None,
    next_meeting_on: date | None,
    unreviewed_weeks: int,
) -> str | None:
    """What is wrong with a new due date an action's owner gives after the meeting, or None: it is today
    or later, and not past `revised_due_limit` (moving an action past the meeting that reviews it is for
    the panel to agree, not for its owner alone)."""
    if day is None:
        return None
    if day < today:
        return "The new due date must be today or later"
    limit = revised_due_limit(today, review_due_on, next_meeting_on, unreviewed_weeks)
    if day <= limit:
        return None
    if review_due_on is None:
        return (
            f"The new due date must be on or before {format_date(limit)}: the case has no review due, so a "
            f"new date can be up to {unreviewed_weeks} weeks ahead (the longest time between Level 2 reviews)"
        )
    if review_due_on >= today:
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


def revised_due_hint(limit: date, review_due_on: date | None, unreviewed_weeks: int) -> str:
    """The hint under the new due date: the latest date the owner may give, and why."""
    if review_due_on is None:
        why = f"the case has no review due, so a new date can be up to {unreviewed_weeks} weeks ahead"
    else:
        why = "a later date is for the panel to agree when it next meets"
    return f"On or before {format_date(limit)}: {why}. Leave empty if the date agreed at the meeting stands."


def agreed_due_problem(
    day: date, meeting_day: date, review_due_on: date | None, unreviewed_weeks: int
) -> str | None:
    """What is wrong with the due date of an action agreed at a meeting for a case with no review due
    (lowered to Level 1 there, say), or None: it is past `unreviewed_due_limit` of the meeting's day. For
    a case with a review due, the panel agrees its actions' dates at the meeting and reviews them at the
    next, so no limit is set here."""
    if review_due_on is not None:
        return None
    limit = unreviewed_due_limit(meeting_day, unreviewed_weeks)
    if day <= limit:
        return None
    return (
        f"The due date must be on or before {format_date(limit)}: the case has no review due, so an action "
        f"can be due up to {unreviewed_weeks} weeks after the meeting (the longest time between Level 2 "
        "reviews)"
    )
