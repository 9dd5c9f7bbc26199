"""What stops a meeting's minutes being submitted or approved: the meeting not recorded as held, its
attendance not recorded, what each case's record still needs (`rules.item_blockers`), and a plan that no
longer says what a later meeting's approved minutes started from (`started_from`)."""

from __future__ import annotations

from tracker.meetings import freeze
from tracker.meetings.models import AgendaItem, Meeting, MeetingStatus
from tracker.minutes import record as records
from tracker.minutes import rules, started_from


def approval_problems_by_item(meeting: Meeting) -> list[tuple[AgendaItem, str]]:
    """What must be put right in the meeting's records before the chair may approve its minutes, each
    with the agenda item (case) where it is put right, in agenda order. A case disposed of since (its
    text emptied, nothing in it to be put right again) stops nothing."""
    day, weeks = records.meeting_day(meeting), rules.review_weeks_by_level()
    found = [
        (item, problem)
        for item, facts in zip(meeting.agenda_items, records.approval_facts(meeting), strict=True)
        if item.case.disposed_at is None
        for problem in rules.item_blockers(facts, day, weeks)
    ]
    # The plan a later meeting's approved minutes started from: the two records must not contradict. But
    # a correction here, with the later meeting's minutes being corrected too, is approved first: the later
    # correction waits for it (`corrections_before`) and its approval looks at the new wording again.
    correcting = freeze.correcting(meeting.id)
    return found + [
        (item, started_from.approval_problem(departure))
        for item in meeting.agenda_items
        for departure in started_from.departures(item)
        if not (correcting and freeze.correcting(departure.later.id))
    ]


def meeting_problem(meeting: Meeting) -> str | None:
    """Why the meeting itself stops its minutes being approved: minutes record a meeting that took place,
    so it is recorded as held first (a cancelled one has none to approve)."""
    if meeting.status is MeetingStatus.CANCELLED:
        return f"Meeting {meeting.reference} was cancelled: a cancelled meeting has no minutes to approve"
    if meeting.status is not MeetingStatus.HELD:
        return (
            f"Meeting {meeting.reference}: record it as held (minutes are approved for a meeting that took "
            "place)"
        )
    return None


def attendance_problem(meeting: Meeting) -> str | None:
    """Why the minutes wait for the meeting's attendance: an agency invited whose attendance (present,
    apologies or absent) is not recorded. A meeting brought in from the area's records keeps none."""
    if meeting.imported:
        return None
    invited = sorted(meeting.invitations, key=lambda invitation: (invitation.agency.name, invitation.id))
    unrecorded = [invitation.agency.name for invitation in invited if invitation.attendance is None]
    return rules.attendance_problem(meeting.reference, unrecorded)


def approval_problems(meeting: Meeting) -> list[str]:
    """What must be put right in the meeting's records before the chair may approve its minutes."""
    problems = [meeting_problem(meeting), attendance_problem(meeting)]
    return [problem for problem in problems if problem] + [
        problem for _item, problem in approval_problems_by_item(meeting)
    ]
