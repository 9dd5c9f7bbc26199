"""The rules of minutes as plain functions over plain values: what blocks approval, the workflow's steps,
the distribution deadline and whether minutes are late, and merging a draft's text.

The distribution deadline (`minutes_distribution_working_days`) and the review intervals are the meetings
area's settings; this module reads them through `tracker.meetings.rules`.
"""

from __future__ import annotations

import enum
import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from tracker.core.timeutil import format_datetime
from tracker.core.workdays import add_working_days
from tracker.meetings import rules as meeting_rules
from tracker.meetings.models import Level, LevelDecision, Pillar, PillarStatus
from tracker.minutes.models import MinutesStatus

# What blocks approval -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ActionFacts:
    description: str
    has_owner: bool
    due_on: date | None


@dataclass(frozen=True)
class ItemFacts:
    """What approval needs to know about one case on the agenda."""

    case_reference: str
    level: Level
    pillars: Mapping[Pillar, PillarStatus] = field(default_factory=dict)
    actions: tuple[ActionFacts, ...] = ()
    level_decision: LevelDecision | None = None
    # The level a raise or lower fixed when it was recorded (`AgendaItem.level_decided`): what the case is
    # managed at after the meeting, whatever it stands at now.
    level_decided: Level | None = None
    level_decision_reason: str = ""
    next_review_on: date | None = None
    # What is missing from the risk assessment (none, or its tool and date), if anything.
    risk_problem: str | None = None
    # Parts of the plan carried from the last meeting that this one has not confirmed or changed.
    plan_pending: tuple[str, ...] = ()
    # Earlier meetings on the case whose minutes are being corrected (their record is not approved).
    corrections_before: tuple[str, ...] = ()
    # The meeting did not discuss the case (deferred, with the chair's reason): it recorded nothing for it.
    not_discussed: bool = False


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def item_blockers(item: ItemFacts, meeting_day: date, review_weeks: Mapping[Level, int]) -> list[str]:
    """Why the minutes cannot yet be approved because of this case, each naming the case and what is
    missing: no risk assessment (or none with its tool and date), a pillar still outstanding (or never
    recorded), a part of the plan carried from the last meeting neither confirmed nor changed, an earlier
    meeting on the case whose minutes are being corrected (its record is not approved), an action
    without an owner or due date, no level decision or no rationale for it, no next review date or one
    beyond the longest interval for the level the case will be managed at. A case the meeting did not
    discuss (deferred) needs none of these: the minutes record only that, and why."""
    if item.not_discussed:
        return []
    case = f"Case {item.case_reference}"
    problems = [f"{case}: {item.risk_problem}"] if item.risk_problem else []
    problems += [
        f"{case}: the {pillar.label} pillar is still outstanding"
        for pillar in Pillar
        if item.pillars.get(pillar, PillarStatus.OUTSTANDING) is PillarStatus.OUTSTANDING
    ]
    problems += [
        f"{case}: the plan's {part} has not been confirmed or changed at this meeting"
        for part in item.plan_pending
    ]
    problems += [
        f"{case}: the minutes of {reference}, an earlier meeting on the case, are being corrected: approve "
        "or abandon that correction first, so that this meeting starts from an approved record"
        for reference in item.corrections_before
    ]
    for action in item.actions:
        if not action.has_owner:
            problems.append(f"{case}: the action “{_short(action.description)}” has no named owner")
        if action.due_on is None:
            problems.append(f"{case}: the action “{_short(action.description)}” has no due date")
    if item.level_decision is None:
        problems.append(f"{case}: no level decision is recorded")
        return problems
    if not item.level_decision_reason.strip():
        problems.append(f"{case}: the level decision has no rationale")
    level_after = _level_after(item)
    if level_after is None or not level_after.has_meetings:
        return problems
    weeks = review_weeks[level_after]
    latest = meeting_rules.latest_review(meeting_day, weeks)
    if item.next_review_on is None:
        problems.append(f"{case}: no next review date is set")
    elif item.next_review_on <= meeting_day:
        problems.append(f"{case}: the next review date must be after the meeting")
    elif item.next_review_on > latest:
        problems.append(
            f"{case}: the next review date, {item.next_review_on:%-d %B %Y}, is later than "
            f"{latest:%-d %B %Y} ({level_after.label} cases are reviewed at least every {weeks} weeks)"
        )
    return problems


def _level_after(item: ItemFacts) -> Level | None:
    """The level the case is managed at after the decision: for a raise or lower, the level the decision
    fixed when it was recorded (a later-recorded change dated before the meeting does not move it)."""
    moves = item.level_decision in (LevelDecision.RAISE, LevelDecision.LOWER)
    if moves and item.level_decided is not None:
        return item.level_decided
    return meeting_rules.level_after_decision(item.level, item.level_decision)


def approval_blockers(
    items: Iterable[ItemFacts], meeting_day: date, review_weeks: Mapping[Level, int]
) -> list[str]:
    """Everything that must be put right before the chair may approve, in agenda order."""
    return [problem for item in items for problem in item_blockers(item, meeting_day, review_weeks)]


def attendance_problem(meeting_reference: str, unrecorded: Iterable[str]) -> str | None:
    """Why the minutes cannot be submitted or approved while attendance is not recorded: the minutes say
    who attended, sent apologies or was absent, and which Responsible Authority agencies were missing,
    so every agency invited (`unrecorded`: those with no attendance recorded, by name) is marked first."""
    names = list(dict.fromkeys(unrecorded))
    if not names:
        return None
    agencies = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return (
        f"Meeting {meeting_reference}: record the attendance of {agencies} (present, apologies or absent), "
        "so the minutes say who was there"
    )


# The workflow ---------------------------------------------------------------------------------------


class Step(enum.Enum):
    EDIT = "edit"
    SUBMIT = "submit"
    APPROVE = "approve"
    DISTRIBUTE = "distribute"
    CORRECT = "correct"
    ABANDON = "abandon"


ALLOWED_FROM: dict[Step, frozenset[MinutesStatus]] = {
    Step.EDIT: frozenset({MinutesStatus.DRAFT, MinutesStatus.SUBMITTED}),
    Step.SUBMIT: frozenset({MinutesStatus.DRAFT}),
    Step.APPROVE: frozenset({MinutesStatus.SUBMITTED}),
    # Distributed minutes may go to a further agency that was missed.
    Step.DISTRIBUTE: frozenset({MinutesStatus.APPROVED, MinutesStatus.DISTRIBUTED}),
    Step.CORRECT: frozenset({MinutesStatus.APPROVED, MinutesStatus.DISTRIBUTED}),
    # A correction not yet approved (whether the minutes go back to approved or distributed is the
    # restore point's to say).
    Step.ABANDON: frozenset({MinutesStatus.DRAFT, MinutesStatus.SUBMITTED}),
}

REFUSALS = {
    Step.EDIT: "Approved minutes cannot be changed. Make a correction to start a new version",
    Step.SUBMIT: "Only a draft can be submitted to the chair",
    Step.APPROVE: "Only minutes submitted to the chair can be approved",
    Step.DISTRIBUTE: "Only approved minutes can be distributed",
    Step.CORRECT: "Only approved minutes can be corrected: change the draft instead",
    Step.ABANDON: "Only a correction not yet approved can be abandoned",
}


def step_problem(status: MinutesStatus, step: Step) -> str | None:
    """Why this step cannot be taken from this status, or None."""
    return None if status in ALLOWED_FROM[step] else REFUSALS[step]


def approval_note(chair_name: str, chair_active: bool) -> str:
    """Why someone other than the meeting's chair approved its minutes, as the approved version keeps it
    ("approved by Ann Other for Daniel Price, who has left"). A chair whose account was made active again
    after the approval was handed over is named as the chair the approver stood in for."""
    if chair_active:
        return f"in place of {chair_name}, the meeting's chair"
    return f"for {chair_name}, who has left"


def status_after(step: Step, status: MinutesStatus) -> MinutesStatus:
    """The status once the step is taken (editing leaves submitted minutes with the chair)."""
    return {
        Step.EDIT: status,
        Step.SUBMIT: MinutesStatus.SUBMITTED,
        Step.APPROVE: MinutesStatus.APPROVED,
        Step.DISTRIBUTE: MinutesStatus.DISTRIBUTED,
        Step.CORRECT: MinutesStatus.DRAFT,
        Step.ABANDON: MinutesStatus.APPROVED,
    }[step]


def correction_problem(reason: str) -> str | None:
    if not reason.strip():
        return "Enter the reason for the correction"
    return None


def sent_minutes_subject(reference: str, number: int) -> str:
    """The subject of an email that sends approved minutes: a correction (any version after the first)
    says so, so that no one keeps using the version it replaces."""
    if number > 1:
        return f"Corrected minutes (version {number}) of MAPPA meeting {reference}"
    return f"Approved minutes of MAPPA meeting {reference}"


def replaces_note(number: int, you: str = "you") -> str:
    """For a correction, the sentence that says which version it replaces ("" for the first)."""
    if number <= 1:
        return ""
    return (
        f"This is version {number}, approved as a correction: it replaces version {number - 1}, which {you} "
        "may have had before. Use this version from now on."
    )


# Timeliness -----------------------------------------------------------------------------------------


class Timeliness(enum.Enum):
    DUE = "Due"
    OVERDUE = "Overdue"
    ON_TIME = "Distributed on time"
    LATE = "Distributed late"


def distribution_due_on(meeting_day: date, working_days: int) -> date:
    """The last day the minutes may be distributed: `working_days` working days after the meeting."""
    return add_working_days(meeting_day, working_days)


def imported_note(imported_on: date, by: str | None) -> str:
    """What the pages and the PDF say of a meeting brought in from the area's records (`Meeting.imported`)
    and of its first minutes: brought in, not approved by a chair in the tracker."""
    return f"Imported from the area's records on {imported_on:%-d %B %Y}" + (f" by {by}" if by else "")


def timeliness(due_on: date, distributed_on: date | None, today: date) -> Timeliness:
    """Whether minutes are still due, overdue (not distributed by the deadline) or were distributed on time
    or late."""
    if distributed_on is not None:
        return Timeliness.ON_TIME if distributed_on <= due_on else Timeliness.LATE
    return Timeliness.OVERDUE if today > due_on else Timeliness.DUE


def distribution_note(sent: list[tuple[int, date]], unsent: int | None) -> str:
    """Which versions of corrected minutes were distributed and when (`sent`: version number and day, in
    the order they went), and the corrected version approved but not sent yet (`unsent`), for the page
    that says the minutes were distributed on time or late, which is the first version's. "" for minutes
    never corrected (or never sent)."""
    if not sent or (len(sent) == 1 and unsent is None):
        return ""
    (first, on), *later = sent
    note = f"Version {first} was distributed on {on:%-d %B %Y}"
    note += "".join(f", corrected version {number} on {day:%-d %B %Y}" for number, day in later) + "."
    if unsent is not None:
        note += f" Corrected version {unsent} has not been sent yet."
    return note


def distributed_when(first: datetime, latest: datetime | None) -> str:
    """When a version of the minutes was distributed, for its page and PDF: its first distribution and,
    when it was sent to more people later (`latest`: the last time it was sent to anyone), that too, to
    the minute as the table of whom it went to shows the times."""
    shown = format_datetime(first)
    if latest is None or latest < first or format_datetime(latest) == shown:
        return shown
    return f"First on {shown}; last sent on {format_datetime(latest)}"


def last_meeting_day_overdue(today: date, working_days: int) -> date:
    """The latest meeting day whose minutes are overdue today if not yet distributed.

    The deadline never moves backwards as the meeting day moves forwards, so "held on or before this day"
    finds every overdue meeting in SQL, bank holidays included.
    """
    day = today
    while distribution_due_on(day, working_days) >= today:
        day = add_working_days(day, -1)
    return day


def working_days_setting() -> int:
    return meeting_rules.minutes_working_days()


def review_weeks_by_level() -> dict[Level, int]:
    return {level: meeting_rules.review_weeks(level) for level in meeting_rules.REVIEW_WEEKS}


# Drafts ---------------------------------------------------------------------------------------------


def merge_sections(existing: Mapping, posted: Mapping) -> dict:
    """The draft's text after a save: what was posted replaces what was there, section by section; the
    sections the person did not have on their page (a case they may not see) are kept as they were."""
    merged = {"meeting": dict(existing.get("meeting", {})), "items": {}}
    merged["meeting"].update(posted.get("meeting", {}))
    items = {key: dict(value) for key, value in existing.get("items", {}).items()}
    for item_id, texts in posted.get("items", {}).items():
        items.setdefault(str(item_id), {}).update(texts)
    merged["items"] = items
    return merged


def _texts(sections: Mapping) -> Iterator[tuple[tuple[str, str | None, str], object]]:
    """Each section of a draft with where it is: (part, item id or None, key) and its text or tick."""
    for key, text in sections.get("meeting", {}).items():
        yield ("meeting", None, key), text
    for item_id, texts in sections.get("items", {}).items():
        for key, text in texts.items():
            yield ("items", str(item_id), key), text


def _saved(sections: Mapping, where: tuple[str, str | None, str], like: object) -> object:
    part, item_id, key = where
    texts = sections.get("meeting", {}) if part == "meeting" else sections.get("items", {}).get(item_id, {})
    return texts.get(key, "" if isinstance(like, str) else False)


def _fingerprint(value: object) -> str:
    return hashlib.sha256(json.dumps(value).encode()).hexdigest()[:16]


def _label(where: tuple[str, str | None, str]) -> str:
    return "/".join(part or "" for part in where)


def fingerprints(shown: Mapping) -> dict[str, str]:
    """A short fingerprint of each section as the drafting page shows it. The page carries them, so that
    a save can tell which sections the person changed from what their page showed."""
    return {_label(where): _fingerprint(text) for where, text in _texts(shown)}


def changed_sections(posted: Mapping, shown: Mapping[str, str] | None) -> dict:
    """The sections the person changed from what their page showed (`shown`: its fingerprints), as the
    draft stores them. Without fingerprints (a page from before they were kept) every section counts."""
    changed: dict = {"meeting": {}, "items": {}}
    for where, text in _texts(posted):
        if shown is not None and shown.get(_label(where)) == _fingerprint(text):
            continue
        part, item_id, key = where
        target = changed["meeting"] if part == "meeting" else changed["items"].setdefault(item_id, {})
        target[key] = text
    return changed


def conflicting_sections(
    theirs: Mapping, yours: Mapping, shown: Mapping[str, str] | None = None
) -> list[tuple[str, str | None, str]]:
    """The sections where the saved draft (theirs) differs from what this person changed (yours) and
    someone else changed it too since the person's page was built (`shown`: its fingerprints), as
    (part, item id or None, key), so both texts can be shown side by side. A section only one of them
    changed is no conflict: their change and this person's both stand."""
    differences = []
    for where, text in _texts(yours):
        saved = _saved(theirs, where, text)
        if saved == text:
            continue
        if shown is not None and shown.get(_label(where)) == _fingerprint(saved):
            continue  # nobody else changed it since the page was built
        differences.append(where)
    return differences


def file_name(meeting_reference: str, document: str, version: int | None = None, status: str = "") -> str:
    """A download's name that says what it is: M-2026-0143-minutes-v2-approved.pdf."""
    parts = [meeting_reference, document]
    if version is not None:
        parts.append(f"v{version}")
    if status:
        parts.append(status.lower().replace(" ", "-"))
    return "-".join(parts) + ".pdf"
