"""The case page's plan history tells a run of meetings that confirmed a part unchanged in one line."""

from types import SimpleNamespace

from tracker.meetings.models import PlanOutcome
from tracker.meetings.plan_shown import HistoryEntry, in_lines


def _entry(reference: str, outcome: PlanOutcome, text: str, unapproved: str | None = None) -> HistoryEntry:
    return HistoryEntry(SimpleNamespace(reference=reference), None, outcome, text, unapproved)


def _told(entries) -> list[tuple[str, str, int]]:
    return [(line.newest.meeting.reference, line.oldest.meeting.reference, line.count) for line in in_lines(entries)]


def test_meetings_in_a_row_that_confirmed_the_same_wording_are_one_line():
    confirmed, changed, agreed = PlanOutcome.CONFIRMED, PlanOutcome.CHANGED, PlanOutcome.NEW
    entries = [
        _entry("M-6", confirmed, "Weekly visits"),
        _entry("M-5", confirmed, "Weekly visits"),
        _entry("M-4", changed, "Weekly visits"),
        _entry("M-3", confirmed, "Monthly visits"),
        _entry("M-2", confirmed, "Monthly visits"),
        _entry("M-1", agreed, "Monthly visits"),
    ]
    assert _told(entries) == [("M-6", "M-5", 2), ("M-4", "M-4", 1), ("M-3", "M-2", 2), ("M-1", "M-1", 1)]


def test_a_meeting_whose_minutes_are_not_approved_is_never_folded_into_a_run():
    """Its working plan is not the record: it keeps its own line saying so, and splits the run."""
    confirmed = PlanOutcome.CONFIRMED
    entries = [
        _entry("M-4", confirmed, "Weekly visits"),
        _entry("M-3", confirmed, "Weekly visits", unapproved="minutes being corrected"),
        _entry("M-2", confirmed, "Weekly visits"),
        _entry("M-1", confirmed, "Weekly visits"),
    ]
    assert _told(entries) == [("M-4", "M-4", 1), ("M-3", "M-3", 1), ("M-2", "M-1", 2)]
    assert _told([]) == []
