"""Reading a case's history from spreadsheets: its past meetings (date, level and decision) and its open
actions. Every row is checked before anything is saved, by plain functions over the rows and plain facts
about what the tracker already holds, so that the preview and the import agree.

Cases are found by their MAPPA reference, in any case of letters. A Category 4 case is among the facts only
for someone cleared for it: to anyone else its reference reads as unknown, like any reference not held.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from tracker.core.csvfile import csv_text
from tracker.core.pillars import Pillar
from tracker.meetings import rules
from tracker.meetings.models import AgendaPurpose, Level, LevelDecision
from tracker.transfer.caseload import LEVELS
from tracker.transfer.sheets import Column, parse_date, text_problem

MEETINGS, ACTIONS = "meetings", "actions"

MEETING_COLUMNS = [
    Column(
        "meeting_reference",
        "The meeting's reference, like M-2024-0101: rows with the same reference are one meeting",
        required=True,
    ),
    Column("meeting_date", "The day the meeting was held, as 2024-11-05 or 05/11/2024", required=True),
    Column("level", "The meeting's level: 2 or 3", required=True),
    Column(
        "case_reference", "The MAPPA reference of a case discussed, already in the tracker", required=True
    ),
    Column("decision", "The level decision: Retain, Raise, Lower or Exit", required=True),
    Column("reason", "Why the meeting decided so (empty: brought in from the area's records)"),
    Column("next_review_due", "The review date the meeting set (empty when the case left MAPPA)"),
    Column("purpose", "Initial or Review (empty: Review)"),
    Column("chair_email", "The chair's email address, as their tracker account has it", required=True),
]
ACTION_COLUMNS = [
    Column("case_reference", "The MAPPA reference of the case, already in the tracker", required=True),
    Column("description", "What is to be done", required=True),
    Column(
        "owner_agency", "The agency that owns the action, exactly as listed in the tracker", required=True
    ),
    Column("owner_email", "The owner's email address, when they have a tracker account"),
    Column("due_on", "When the action is due, as 2025-02-28 or 28/02/2025", required=True),
    Column(
        "meeting_reference",
        "The meeting that agreed it (empty: the case's latest meeting in the tracker)",
    ),
    Column(
        "pillar", "Supervision, Monitoring and control, Interventions and treatment, Victim safety planning"
    ),
]
COLUMNS = {MEETINGS: MEETING_COLUMNS, ACTIONS: ACTION_COLUMNS}
NOUNS = {MEETINGS: "meetings' cases", ACTIONS: "actions"}

MEETING_EXAMPLE = {
    "meeting_reference": "M-2024-0101",
    "meeting_date": "2024-11-05",
    "level": "2",
    "case_reference": "LDN-2024-0001",
    "decision": "Retain",
    "reason": "Risk is stable; the plan is working",
    "next_review_due": "2025-02-25",
    "purpose": "Review",
    "chair_email": "chair@example.org",
}
ACTION_EXAMPLE = {
    "case_reference": "LDN-2024-0001",
    "description": "Complete a home visit and confirm the address",
    "owner_agency": "Metropolitan Police Service",
    "owner_email": "",
    "due_on": "2025-01-31",
    "meeting_reference": "M-2024-0101",
    "pillar": "Monitoring and control",
}
DEFAULT_REASON = "Brought in from the area's records"

DECISIONS = {
    **{decision.name.lower(): decision for decision in LevelDecision},
    **{decision.label.lower(): decision for decision in LevelDecision},
    "retain": LevelDecision.RETAIN,
}
PURPOSES = {"": AgendaPurpose.REVIEW, "initial": AgendaPurpose.INITIAL, "review": AgendaPurpose.REVIEW}
PILLARS = {
    **{pillar.label.lower(): pillar for pillar in Pillar},
    **{pillar.name.lower(): pillar for pillar in Pillar},
    "monitoring": Pillar.MONITORING_AND_CONTROL,
    "interventions": Pillar.INTERVENTIONS_AND_TREATMENT,
    "victim safety": Pillar.VICTIM_SAFETY_PLANNING,
}


def template_csv(kind: str) -> str:
    columns = COLUMNS[kind]
    example = MEETING_EXAMPLE if kind == MEETINGS else ACTION_EXAMPLE
    return csv_text([column.name for column in columns], [[example[column.name] for column in columns]])


# What the tracker holds, as plain facts -----------------------------------------------------------------


@dataclass(frozen=True)
class CaseFacts:
    id: int
    reference: str
    referred_on: date
    category_4: bool
    # The case's meetings in the tracker, latest last: (meeting reference in capitals, meeting id).
    meetings: tuple[tuple[str, int], ...] = ()
    # The case's latest meeting whose minutes have been approved (its reference, its day, and whether the
    # minutes are being corrected), which decided the case's level: a meeting held on or before that day
    # would rewrite what it decided (and come before it in the case's meetings), so is not brought in.
    decided: tuple[str, date, bool] | None = None


@dataclass(frozen=True)
class PersonFacts:
    id: int
    name: str
    agency_id: int | None
    cleared: bool
    chairs: bool  # holds the chair role


@dataclass(frozen=True)
class MeetingFacts:
    id: int
    reference: str
    # The minutes are approved (the record is frozen), and whether the meeting was itself imported (its
    # record is then built again with the actions agreed).
    frozen: bool
    imported: bool
    # An imported meeting's record has been taken further since it came in: its actions were brought in
    # (they come in together, once), its minutes were distributed, or corrected. It is then not rebuilt.
    settled: bool = False
    held_on: date | None = None  # the day it was held (an action it agreed is due no earlier)


# Checking --------------------------------------------------------------------------------------------


@dataclass
class CheckedRow:
    """One row: the case it is about, what it would create (`values`, `summary`) or what is wrong."""

    line: int
    reference: str  # the case's reference, as held (or in capitals when unknown)
    name: str  # what the row is: the meeting's reference, or the action's description
    values: dict = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    summary: str = ""


def _case(reference: str, cases: Mapping[str, CaseFacts], errors: list[str]) -> CaseFacts | None:
    if not reference:
        errors.append("Enter the MAPPA reference of the case")
        return None
    case = cases.get(reference)
    if case is None:
        errors.append(f"There is no case {reference} in the tracker: bring the caseload in first")
    return case


def _begun(row: dict, detail: str, cases: Mapping[str, CaseFacts]) -> tuple[CheckedRow, CaseFacts | None]:
    """A row's check begun: `detail` shown beside its case reference, and the case found (or why not)."""
    reference = row["case_reference"].strip().upper()
    item = CheckedRow(row["line"], reference, detail)
    case = _case(reference, cases, item.errors)
    if case is not None:
        item.reference = case.reference
    return item, case


def _person(
    email: str, people: Mapping[str, PersonFacts], case: CaseFacts | None, role: str, errors: list[str]
) -> PersonFacts | None:
    person = people.get(email.strip().lower())
    if person is None:
        errors.append(f"There is no tracker account with the email address {email.strip()}")
    elif case is not None and case.category_4 and not person.cleared:
        errors.append(f"{person.name} is not cleared for Category 4 cases, so cannot be the {role}")
    return person


def _level(row: dict) -> Level | None:
    return LEVELS.get(row["level"].lower().removeprefix("level").strip())


def _levels_before(
    rows: list[dict], cases: Mapping[str, CaseFacts]
) -> tuple[dict[int, Level], dict[int, int]]:
    """For each row (by line) after a meeting of the same case in the file (by meeting date) that raised
    or lowered it: the level it left the case at, where this one starts from (a Retain leaves the case's
    history to say). And each row after one that ended MAPPA management: that row's line."""
    by_case: dict[str, list[tuple[date, int, Level, LevelDecision]]] = {}
    for row in rows:
        case = cases.get(row["case_reference"].strip().upper())
        held, level = parse_date(row["meeting_date"]), _level(row)
        decision = DECISIONS.get(row["decision"].strip().lower())
        if case is not None and held is not None and level is not None and decision is not None:
            by_case.setdefault(case.reference, []).append((held, row["line"], level, decision))
    moved, exited = {}, {}
    for meetings in by_case.values():
        moved_to, exit_line = None, None
        for _held, line, level, decision in sorted(meetings):
            if exit_line is not None:
                exited[line] = exit_line
            elif moved_to is not None:
                moved[line] = moved_to
            if decision is LevelDecision.EXIT:
                exit_line = exit_line or line
            elif decision in (LevelDecision.RAISE, LevelDecision.LOWER):
                moved_to = rules.level_after_decision(level, decision)
    return moved, exited


def check_meetings(
    rows: Iterable[dict],
    *,
    cases: Mapping[str, CaseFacts],
    existing_meetings: set[str],
    people: Mapping[str, PersonFacts],
    today: date,
    levels: Mapping[tuple[int, date], Level] | None = None,
) -> list[CheckedRow]:
    """Each row of a past-meetings file with the meeting and decision it would record, or what is wrong.
    `cases` are those the person may see, by reference in capitals; `existing_meetings` the meeting
    references held, in capitals; `people` the tracker's accounts by email in lower case; `levels` each
    case's level on each meeting's day as its history in the tracker has it, by (case id, day)."""
    rows = list(rows)
    first: dict[str, tuple[int, tuple]] = {}
    pairs: dict[tuple[str, str], int] = {}
    levels_before, exited = _levels_before(rows, cases)
    checked = []
    for row in rows:
        meeting_reference = row["meeting_reference"].strip().upper()
        item, case = _begun(row, meeting_reference, cases)
        errors = item.errors
        if problem := text_problem(
            meeting_reference, "Enter the meeting's reference", "The meeting's reference", 20
        ):
            errors.append(problem)
        elif meeting_reference in existing_meetings:
            errors.append(f"Meeting {meeting_reference} is already in the tracker")
        held = parse_date(row["meeting_date"])
        if held is None:
            errors.append("Enter the meeting date as a date, like 2024-11-05")
        elif held >= today:
            errors.append("The meeting date must be in the past: only meetings already held are brought in")
        elif case is not None and held < case.referred_on:
            errors.append(
                f"The meeting date must not be before the case's referral ({case.referred_on:%-d %B %Y})"
            )
        elif case is not None and case.decided is not None and held <= case.decided[1]:
            reference, on, correcting = case.decided
            state = "being corrected" if correcting else "approved"
            errors.append(
                f"The level of {case.reference} was decided at {reference} on {on:%-d %B %Y}, whose minutes "
                f"are {state}: bring in only meetings held after that"
            )
        level = _level(row)
        stood = None
        if case is not None and held is not None:
            stood = levels_before.get(row["line"]) or (levels or {}).get((case.id, held))
        if row["line"] in exited:
            ended_at = exited[row["line"]]
            errors.append(
                f"{case.reference} left MAPPA meeting management at the meeting on row {ended_at}: a later "
                "meeting needs the case referred again first"
            )
        elif level is None:
            errors.append("The level must be 2 or 3")
        elif stood is not None and stood is not level:
            errors.append(
                f"{case.reference} stood at {stood.label} on {held:%-d %B %Y}: give the level it was managed "
                "at"
            )
        decision = DECISIONS.get(row["decision"].strip().lower())
        if decision is None:
            errors.append("The decision must be Retain, Raise, Lower or Exit")
        elif level is not None and (problem := rules.level_decision_problem(level, decision)):
            errors.append(problem)
        after = rules.level_after_decision(level, decision) if level and decision else level
        next_review = parse_date(row["next_review_due"]) if row["next_review_due"].strip() else None
        if row["next_review_due"].strip() and next_review is None:
            errors.append("Enter the next review date as a date, like 2025-02-25, or leave it empty")
        elif next_review is not None and held is not None and next_review <= held:
            errors.append("The next review must be after the meeting")
        elif next_review is not None and level and decision is not None and after in (None, Level.LEVEL_1):
            errors.append("Leave the next review empty: the case left MAPPA meeting management")
        purpose = PURPOSES.get(row["purpose"].strip().lower())
        if purpose is None:
            errors.append("The purpose must be Initial or Review")
        reason = row["reason"].strip() or DEFAULT_REASON
        if len(reason) > 2000:
            errors.append("The reason must be 2,000 characters or fewer")
        chair = None
        if not row["chair_email"].strip():
            errors.append("Enter the chair's email address")
        else:
            chair = _person(
                row["chair_email"], people, case, "chair of a meeting discussing this case", errors
            )
            if chair is not None and not chair.chairs:
                errors.append(f"{chair.name} does not have the chair role, so cannot chair a meeting")
        if meeting_reference and held and level and chair:
            facts = (held, level, chair.id)
            line, seen = first.setdefault(meeting_reference, (row["line"], facts))
            if seen != facts:
                errors.append(f"Row {line} gives meeting {meeting_reference} another date, level or chair")
        if meeting_reference and case is not None:
            earlier = pairs.setdefault((meeting_reference, case.reference), row["line"])
            if earlier != row["line"]:
                errors.append(f"{case.reference} is already on meeting {meeting_reference} (row {earlier})")
        item.values = {
            "case_id": case.id if case else None,
            "held_on": held,
            "level": level,
            "decision": decision,
            "level_decided": after if decision in (LevelDecision.RAISE, LevelDecision.LOWER) else None,
            "reason": reason,
            "next_review_on": next_review,
            "purpose": purpose,
            "chair_id": chair.id if chair else None,
        }
        if not errors:
            parts = [f"held {held:%-d %B %Y}", level.label, decision.label]
            if next_review:
                parts.append(f"next review {next_review:%-d %B %Y}")
            item.summary = ", ".join(parts)
        checked.append(item)
    return checked
