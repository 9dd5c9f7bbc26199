"""Meeting quality audits: the form's scores, who may audit a meeting, and the sample of held meetings
suggested for audit each quarter."""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from tracker.core import settings
from tracker.meetings.models import Level
from tracker.reports.models import AuditCriterion
from tracker.reports.rules.periods import Quarter
from tracker.reports.rules.tables import GROUP

AUDIT_SAMPLE_SIZE = settings.define(
    "audit_sample_size",
    4,
    "Meetings suggested for quality audit each quarter",
    hint="The tracker suggests this many held meetings a quarter, spread across levels and chairs.",
    group=GROUP,
    minimum=1,
    maximum=50,
)


def audit_sample_size() -> int:
    return settings.get(AUDIT_SAMPLE_SIZE.key)


# Meeting audits --------------------------------------------------------------------------------------

SCORE_LABELS = {4: "Excellent", 3: "Good", 2: "Requires improvement", 1: "Poor"}
# Only dissent may be "not applicable": a meeting where nobody disagreed has none to record.
MAY_BE_NOT_APPLICABLE = frozenset({AuditCriterion.DISSENT_RECORDED})


def score_problem(criterion: AuditCriterion, score: int | None, comment: str) -> str | None:
    """Why a criterion's score cannot be accepted: none chosen, or a low score with no comment saying why."""
    if score is None:
        if criterion in MAY_BE_NOT_APPLICABLE:
            return None
        return f"Select a score for ‘{criterion.label}’"
    if score not in SCORE_LABELS:
        return f"The score for ‘{criterion.label}’ must be from 4 to 1"
    if score <= 2 and not comment.strip():
        return f"Explain the score for ‘{criterion.label}’ in a comment"
    return None


def auditor_problem(auditor_id: int | None, meeting_chair_id: int, reference: str = "") -> str | None:
    if auditor_id is None:
        return "Select who will audit the meetings"
    if auditor_id == meeting_chair_id:
        meeting = reference or "a meeting"
        return f"A chair cannot audit a meeting they chaired: choose someone else, or leave {meeting} out"
    return None


def mean(values: Iterable[int | None]) -> float | None:
    scored = [value for value in values if value is not None]
    return sum(scored) / len(scored) if scored else None


# The audit sample ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    """A held meeting that may be audited."""

    meeting_id: int
    chair_id: int
    level: Level


def _allocate(sizes: Mapping[Level, int], total: int) -> dict[Level, int]:
    """Share `total` places between levels in proportion to their meetings (largest remainder), at least
    one each while places last, never more than a level has."""
    levels = sorted(sizes, key=lambda level: level.number)
    count = sum(sizes.values())
    total = min(total, count)
    places = {level: min(1, sizes[level]) for level in levels}
    if sum(places.values()) > total:  # fewer places than levels: the larger levels first
        places = dict.fromkeys(levels, 0)
        for level in sorted(levels, key=lambda lv: (-sizes[lv], lv.number))[:total]:
            places[level] = 1
        return places
    remaining = total - sum(places.values())
    while remaining:
        level = max(
            (lv for lv in levels if places[lv] < sizes[lv]),
            key=lambda lv: (sizes[lv] * total / count - places[lv], -lv.number),
        )
        places[level] += 1
        remaining -= 1
    return places


def suggest_sample(candidates: Sequence[Candidate], size: int, seed: int) -> list[int]:
    """A random sample of meetings to audit, stratified by level and chair, the same for the same seed.

    Places are shared between the levels in proportion to their meetings (each level held gets at
    least one); within a level the sample takes one meeting from each chair in turn (chairs in a random
    order) before any chair has a second, so the audit covers as many chairs as it can. Returns meeting
    ids in the order chosen.
    """
    rng = random.Random(seed)
    by_level: dict[Level, dict[int, list[int]]] = {}
    for candidate in sorted(candidates, key=lambda c: c.meeting_id):
        by_level.setdefault(candidate.level, {}).setdefault(candidate.chair_id, []).append(
            candidate.meeting_id
        )
    sizes = {level: sum(len(ids) for ids in chairs.values()) for level, chairs in by_level.items()}
    places = _allocate(sizes, size)
    chosen = []
    for level in sorted(by_level, key=lambda lv: lv.number):
        chairs = sorted(by_level[level])
        rng.shuffle(chairs)
        queues = {chair: rng.sample(by_level[level][chair], len(by_level[level][chair])) for chair in chairs}
        picked = 0
        while picked < places[level]:
            for chair in chairs:
                if picked < places[level] and queues[chair]:
                    chosen.append(queues[chair].pop())
                    picked += 1
    return chosen


def sample_seed(quarter: Quarter, attempt: int = 0) -> int:
    """The seed for a quarter's suggestion: the same quarter suggests the same sample until someone asks
    for another (the next attempt)."""
    return quarter.year.start_year * 100 + quarter.number * 10 + attempt
