"""Open actions brought in from an area's records: each row checked against the cases and meetings the
tracker holds (the plain facts of `tracker.transfer.history`), with the action it would create."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from tracker.meetings import rules
from tracker.transfer.caseload import named_agency
from tracker.transfer.history import (
    PILLARS,
    CaseFacts,
    CheckedRow,
    MeetingFacts,
    PersonFacts,
    _begun,
    _person,
)
from tracker.transfer.sheets import CellError, date_problem, parse_date, text_problem


def check_actions(
    rows: Iterable[dict],
    *,
    cases: Mapping[str, CaseFacts],
    meetings: Mapping[str, MeetingFacts],
    agencies: Mapping[str, int | None],
    people: Mapping[str, PersonFacts],
) -> list[CheckedRow]:
    """Each row of an open-actions file with the action it would create and the meeting that agreed it, or
    what is wrong. `meetings` are the meetings of the cases named, by reference in capitals."""
    checked = []
    for row in rows:
        description = row["description"].strip()
        item, case = _begun(row, description, cases)
        errors = item.errors
        if problem := text_problem(description, "Enter what is to be done", "The description", 2000):
            errors.append(problem)
        missing = "Enter the agency that owns the action, as listed in the tracker"
        agency = named_agency(
            row["owner_agency"], agencies, errors, "an action's owner", column="owner_agency", missing=missing
        )
        owner = None
        if row["owner_email"].strip():
            owner = _person(row["owner_email"], people, case, "owner of an action on this case", errors)
            if owner is not None and agency is not None and owner.agency_id != agency:
                errors.append(f"{owner.name} does not work for {row['owner_agency'].strip()}")
        due = parse_date(row["due_on"])
        if due is None:
            errors.append(CellError("due_on", date_problem(row["due_on"], "the due date", "2025-01-31")))
        pillar = PILLARS.get(row["pillar"].strip().lower()) if row["pillar"].strip() else None
        if row["pillar"].strip() and pillar is None:
            errors.append(
                "The pillar must be Supervision, Monitoring and control, Interventions and treatment or "
                "Victim safety planning, or empty"
            )
        meeting = _meeting_of(row["meeting_reference"].strip().upper(), case, meetings, errors)
        # As on the action form: an action is due no earlier than the meeting that agreed it.
        held_on = meeting.held_on if meeting is not None else None
        if due is not None and held_on is not None and (problem := rules.action_due_problem(due, held_on)):
            agreed = f"{meeting.reference}, {held_on:%-d %B %Y}"
            errors.append(CellError("due_on", f"{problem} that agreed it ({agreed})"))
        item.values = {
            "case_id": case.id if case else None,
            "meeting_id": meeting.id if meeting else None,
            "description": description,
            "owner_agency_id": agency,
            "owner_id": owner.id if owner else None,
            "due_on": due,
            "pillar": pillar,
        }
        if not errors:
            who = owner.name if owner else row["owner_agency"].strip()
            item.summary = f"Open, owned by {who}, due {due:%-d %B %Y}, agreed at {meeting.reference}"
        checked.append(item)
    return checked


def _meeting_of(
    meeting_reference: str, case: CaseFacts | None, meetings: Mapping[str, MeetingFacts], errors: list[str]
) -> MeetingFacts | None:
    """The meeting that agreed the action: the one named, which must have discussed the case, or the
    case's latest. A meeting whose approved minutes were written in the tracker is not changed here."""
    if case is None:
        return None
    held = dict(case.meetings)
    if meeting_reference:
        if meeting_reference not in held:
            errors.append(
                f"{case.reference} was not discussed at a meeting {meeting_reference} held in the tracker: "
                "name a meeting that has been held and discussed it, or leave the meeting out"
            )
            return None
    elif not case.meetings:
        errors.append(
            f"{case.reference} has no meeting in the tracker to have agreed the action: bring its past "
            "meetings in first, or name the meeting"
        )
        return None
    else:
        meeting_reference = case.meetings[-1][0]
    meeting = meetings[meeting_reference]
    if meeting.frozen and not meeting.imported:
        errors.append(
            f"The minutes of {meeting.reference} are approved, so an action it agreed is added through a "
            "correction to the minutes"
        )
        return None
    if meeting.imported and meeting.settled:
        errors.append(
            f"The minutes of {meeting.reference} were brought in and have since taken their actions, "
            "been distributed or been corrected, so an action it agreed is added through a correction to the "
            "minutes"
        )
        return None
    return meeting
