"""Demo minutes, on the meetings the meetings demo held: approved and distributed minutes of the oldest
meeting, a draft awaiting its chair's approval for the most recent one, and a late draft (past the
distribution deadline, not yet submitted) for the demo chair to finish. Every name is invented.
"""

from __future__ import annotations

from datetime import time, timedelta

from sqlmodel import select

from tracker.core.timeutil import london, london_to_utc
from tracker.core.workdays import add_working_days
from tracker.meetings.models import Meeting
from tracker.minutes import record as records
from tracker.minutes.models import Minutes, MinutesRecipient, MinutesStatus, MinutesVersion
from tracker.minutes.sections import STATEMENT_READ

TEXTS = {
    "actions_review": "All actions from the last meeting were reviewed; the open ones are carried forward.",
    "new_information": (
        "Police: two unannounced home visits, both without concern.\n\n"
        "Probation: reporting as required; engaging with the accredited programme.\n\n"
        "Children's social care: no new concerns; the strategy discussion has concluded."
    ),
    "risk_discussion": (
        "The chair summarised the risk factors: alcohol misuse, loss of accommodation and contact with "
        "the former partner. Protective factors: stable work and engagement with the programme."
    ),
    "victim_safety": (
        "The victim liaison officer confirmed the victim's wishes. The person's dyslexia was considered: "
        "letters are read through with him at supervision."
    ),
    "disclosure": "No disclosure to third parties: the risk is managed by the conditions in place.",
    "dissent": "",
    "executive_summary": (
        "The meeting reviewed the risk management plan, found the risk stable and kept the person at the "
        "same level, with a review date set."
    ),
}


def _sections(meeting: Meeting, complete: bool = True) -> dict:
    items = {}
    for item in meeting.agenda_items:
        texts = dict(TEXTS) if complete else {"new_information": TEXTS["new_information"]}
        texts[STATEMENT_READ] = True
        items[str(item.id)] = texts
    return {
        "meeting": {
            "introductions": "Introductions were made. The chair stated the purpose of each discussion.",
            "other_business": "None.",
        },
        "items": items,
    }


def _at(day, hour: int):
    return london_to_utc(day, time(hour, 0))


def minutes_of(
    meeting: Meeting, status: MinutesStatus, by_id: int, version: MinutesVersion, **times
) -> Minutes:
    """A meeting's minutes with their one version, written and last changed by `by_id` (`times`: when)."""
    return Minutes(
        meeting_id=meeting.id,
        status=status,
        created_by_id=by_id,
        updated_by_id=by_id,
        versions=[version],
        **times,
    )


def distributed_version(
    meeting: Meeting, by_id: int, submitted_at, approved_at, distributed_at, **fields
) -> MinutesVersion:
    """The one version of a held meeting's minutes (`meeting` as `records.load_meeting` reads it, its record
    frozen), written, submitted and distributed by `by_id` and approved by its chair."""
    return MinutesVersion(
        number=1,
        record=records.build_record(meeting).to_json(),
        created_by_id=by_id,
        submitted_at=submitted_at,
        submitted_by_id=by_id,
        approved_at=approved_at,
        approved_by_id=meeting.chair_id,
        distributed_at=distributed_at,
        distributed_by_id=by_id,
        **fields,
    )


def _write(session, meeting: Meeting, status: MinutesStatus, version: MinutesVersion, updated_at) -> None:
    """Add a meeting's minutes, begun when and by whom their one version was."""
    by_id, created_at = version.created_by_id, version.created_at
    session.add(minutes_of(meeting, status, by_id, version, created_at=created_at, updated_at=updated_at))


def seed(context) -> None:
    session, people = context.session, context.people
    meetings = {
        meeting.reference[-4:]: meeting
        for meeting in session.exec(select(Meeting).where(Meeting.reference.like("M-%"))).all()
    }
    administrator = people["administrator"]

    # The oldest held meeting: approved three working days after it and distributed two days later.
    old = records.load_meeting(meetings["0100"].id)
    day = london(old.starts_at).date()
    approved_at = _at(add_working_days(day, 3), 15)
    distributed_at = _at(add_working_days(day, 5), 11)
    submitted_at = _at(add_working_days(day, 2), 16)
    version = distributed_version(
        old,
        administrator.id,
        submitted_at,
        approved_at,
        distributed_at,
        sections=_sections(old),
        created_at=_at(add_working_days(day, 1), 9),
    )
    version.recipients = [
        MinutesRecipient(agency_id=invitation.agency_id, user_id=invitation.user_id)
        for invitation in old.invitations
    ]
    _write(session, old, MinutesStatus.DISTRIBUTED, version, updated_at=distributed_at)

    # The most recent held meeting (Level 3): written up and awaiting its chair's approval.
    recent = records.load_meeting(meetings["0102"].id)
    day = london(recent.starts_at).date()
    submitted_at = _at(add_working_days(day, 4), 14)
    version = MinutesVersion(
        number=1,
        sections=_sections(recent),
        created_by_id=administrator.id,
        created_at=_at(add_working_days(day, 1), 10),
        submitted_at=submitted_at,
        submitted_by_id=administrator.id,
    )
    _write(session, recent, MinutesStatus.SUBMITTED, version, updated_at=submitted_at)

    # The demo chair's meeting five weeks ago: a draft started and left, now past its deadline.
    late = records.load_meeting(meetings["0101"].id)
    day = london(late.starts_at).date()
    started = _at(add_working_days(day, 2), 11)
    version = MinutesVersion(
        number=1, sections=_sections(late, complete=False), created_by_id=administrator.id, created_at=started
    )
    _write(session, late, MinutesStatus.DRAFT, version, updated_at=started + timedelta(minutes=40))
