"""What the tests' forms post: a date as the three boxes of a GOV.UK date input, and the whole forms that
several areas' tests fill in (a referral, a meeting, an action, a training session), each with overrides for the field a test
is about."""

from __future__ import annotations

from datetime import date, timedelta

from tracker.core.timeutil import today_london


def date_parts(day: date) -> list[str]:
    """A date as the day, month and year boxes post it."""
    return [str(day.day), str(day.month), str(day.year)]


def referral(agency, reference: str = "LDN-2026-9001", **overrides) -> dict:
    """The referral form for a Category 1, Level 2 case led by the agency, referred today."""
    data = {
        "reference": reference,
        "name": "Alan Testcase",
        "date_of_birth": ["3", "4", "1980"],
        "category": "CATEGORY_1",
        "level": "LEVEL_2",
        "referred_on": date_parts(today_london()),
        "lead_agency_id": str(agency.id),
        "lead_officer_id": "",
        "borough": "Camden",
    }
    return {**data, **overrides}


# The chairs most tests make have no training record: the meeting form asks why they chair.
UNTRAINED_CHAIR_REASON = "Covering for a trained chair on leave"


def meeting_form(chair, **overrides) -> dict:
    """The form that schedules a review meeting ten days from today, chaired by the given chair."""
    data = {
        "level": "LEVEL_2",
        "meeting_type": "REVIEW",
        "day": date_parts(today_london() + timedelta(days=10)),
        "start_time": "10:00",
        "end_time": "12:30",
        "venue": "Room 4",
        "online_link": "",
        "chair_id": str(chair.id),
        "administrator_id": "",
    }
    return {**data, **overrides}


def meeting_as_it_stands(meeting, **changes) -> dict:
    """The edit form of the meeting filled in as it stands (its chair untrained), with some changes."""
    from tracker.core.timeutil import london

    start, end = london(meeting.starts_at), london(meeting.ends_at)
    data = {
        "level": meeting.level.name,
        "meeting_type": meeting.meeting_type.name,
        "day": date_parts(start.date()),
        "start_time": f"{start:%H:%M}",
        "end_time": f"{end:%H:%M}",
        "venue": meeting.venue,
        "online_link": meeting.online_link,
        "chair_id": str(meeting.chair_id),
        "chair_reason": UNTRAINED_CHAIR_REASON,
        "administrator_id": str(meeting.administrator_id or ""),
        "version": str(meeting.version),
    }
    return {**data, **changes}


def action_form(owner_agency_id, owner_id, due_on: date, **overrides) -> dict:
    """The form that adds an action (or changes one): a visit, owned by the agency and person given (by id,
    or "" for none), due on the day."""
    data = {
        "description": "Visit",
        "owner_agency_id": str(owner_agency_id),
        "owner_id": str(owner_id),
        "due_on": date_parts(due_on),
    }
    return {**data, **overrides}


def session_form(title: str, day: date, ends: str = "16:30", **overrides) -> dict:
    """The form that adds a training session (or moves one: give its version) on the day, from 09:30, in
    the training room."""
    data = {
        "title": title,
        "day": date_parts(day),
        "starts": "09:30",
        "ends": ends,
        "venue": "Training room",
        "version": "0",
    }
    return {**data, **overrides}


def decision_form(version, decision: str, reason: str, next_review_on: date) -> dict:
    """The level decision form for an agenda item at the version given: the decision, why, and when the
    case is next reviewed."""
    return {
        "version": str(version),
        "level_decision": decision,
        "level_decision_reason": reason,
        "next_review_on": date_parts(next_review_on),
    }


def case_form(case, **overrides) -> dict:
    """The case's details form as it stands for `case` (editing it), with `overrides`."""
    data = {
        "reference": case.reference,
        "name": case.name,
        "date_of_birth": date_parts(case.date_of_birth),
        "category": case.category.name,
        "referred_on": date_parts(case.referred_on),
        "lead_agency_id": str(case.lead_agency_id),
        "lead_officer_id": "",
        "borough": case.borough or "Camden",
        "version": str(case.version),
    }
    data.update(overrides)
    return data
