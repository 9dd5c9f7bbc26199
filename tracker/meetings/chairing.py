"""Who chairs a meeting: warnings about the chair, where a chair stands (training, CPD, the levels their
chair record allows), when choosing them needs a reason, and how the chair picker describes them.
Plain functions over plain values, like the rest of `tracker.meetings.rules` (which re-exports them)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from tracker.core.timeutil import format_date
from tracker.meetings.models import Level


def chair_warnings(
    *,
    chair_name: str,
    level: Level,
    trained: bool,
    cpd_current: bool = True,
    may_chair: bool | None = None,
) -> list[str]:
    """Warnings about a meeting's chair.

    `trained`: has completed MAPPA chair training. `cpd_current`: whether their CPD is up to date (the
    chairs' register). `may_chair`: None when there is no chair record, else whether the record allows
    this level.
    """
    warnings = []
    if not trained:
        warnings.append(f"{chair_name} has not completed MAPPA chair training")
    if trained and not cpd_current:
        warnings.append(f"{chair_name}'s chair CPD has lapsed")
    if may_chair is None:
        warnings.append(f"There is no chair record for {chair_name}, so their grade has not been checked")
    elif not may_chair:
        warnings.append(f"{chair_name} is not recorded as able to chair {level.label} meetings")
    return warnings


@dataclass(frozen=True)
class ChairStanding:
    """Where a chair stands on a day, from the chairs' register and their chair record: `trained` (has
    completed chair training), `cpd_current`, the day CPD lapses (or lapsed) and the levels their chair
    record allows (None when there is no chair record)."""

    trained: bool
    cpd_current: bool
    cpd_due_by: date | None = None
    levels: frozenset[Level] | None = None

    @property
    def needs_reason(self) -> bool:
        return chair_reason_needed(self.trained, self.cpd_current)

    def may_chair(self, level: Level) -> bool:
        """Whether their chair record allows the level (no record: not known, so not held against them;
        the meeting page warns that it was not checked)."""
        return self.levels is None or level in self.levels

    def needs_reason_for(self, level: Level) -> bool:
        """A reason is recorded on the meeting for a chair untrained, with CPD lapsed, or whose chair record
        does not allow the meeting's level (Level 3 is chaired at a more senior grade)."""
        return self.needs_reason or not self.may_chair(level)


def chair_reason_needed(trained: bool, cpd_current: bool) -> bool:
    """A chair who has not completed chair training, or whose CPD has lapsed, may still chair a meeting,
    but only with a reason recorded on it (domain: a meeting has a chair who is trained, CPD current)."""
    return not (trained and cpd_current)


def chair_reason_problem(standing: ChairStanding, reason: str, level: Level | None = None) -> str | None:
    """The error for the meeting form when the chosen chair needs a reason and none was given."""
    needed = standing.needs_reason_for(level) if level is not None else standing.needs_reason
    if not needed or reason.strip():
        return None
    if not standing.trained:
        return "Enter why this chair will chair the meeting although they have not completed chair training"
    if not standing.cpd_current:
        return "Enter why this chair will chair the meeting although their CPD has lapsed"
    return (
        f"Enter why this chair will chair the meeting although their chair record does not allow "
        f"{level.label} meetings"
    )


def chair_summary(standing: ChairStanding) -> str:
    """What the chair picker says about a chair: training, CPD and the levels they may chair, as in
    "trained, CPD current until 3 May 2027, may chair Level 3"."""
    if not standing.trained:
        parts = ["not trained"]
    elif standing.cpd_current:
        until = f" until {format_date(standing.cpd_due_by)}" if standing.cpd_due_by else ""
        parts = ["trained", f"CPD current{until}"]
    else:
        since = f" on {format_date(standing.cpd_due_by)}" if standing.cpd_due_by else ""
        parts = ["trained", f"CPD lapsed{since}"]
    if standing.levels is None:
        parts.append("levels not recorded")
    elif Level.LEVEL_3 in standing.levels:
        parts.append("may chair Level 3")
    elif Level.LEVEL_2 in standing.levels:
        parts.append("Level 2 only")
    else:
        parts.append("may not chair")
    return ", ".join(parts)
