"""The standard items of a MAPPA meeting's agenda, in the order MAPPA meetings follow, around the cases:
the agenda page, the agenda PDF and the minutes template (`tracker.minutes.sections`) share this order."""

from __future__ import annotations

BEFORE_CASES = (
    "Introductions and apologies",
    "Confidentiality and diversity statement",
    "Minutes and actions of the last meeting",
)
AFTER_CASES = ("Any other business", "Date of next meeting")


def numbered(case_count: int) -> tuple[list[tuple[int, str]], int, list[tuple[int, str]]]:
    """The standard items before the cases with their numbers, the number of the first case, and the
    standard items after the cases with theirs (numbering runs on without a gap through the cases shown)."""
    before = [(number, title) for number, title in enumerate(BEFORE_CASES, start=1)]
    first_case = len(BEFORE_CASES) + 1
    after = [(number, title) for number, title in enumerate(AFTER_CASES, start=first_case + case_count)]
    return before, first_case, after
