"""The meeting's records as the minutes show them: typed, holding codes (enum names), with the labels
people read worked out only when the page or the PDF renders them.

A draft builds this live from the meeting (`record.build_record`); an approved version keeps it frozen as
JSON in `MinutesVersion.record` (`to_json`, read back with `MinutesRecord.from_json`). Storing codes means
renaming a label changes how old minutes read, never what they say.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from typing import Any

from tracker.auth.models import AgencySector
from tracker.core.pillars import Pillar
from tracker.meetings.models import (
    ActionStatus,
    AgendaPurpose,
    AttendanceStatus,
    Category,
    Imminence,
    Level,
    LevelDecision,
    MeetingType,
    PillarStatus,
    PlanOutcome,
    PlanPartKind,
    RiskLevel,
)
from tracker.meetings.plan import pillar_wording, risk_wording, text_wording

# Whom a risk is to, by code (the columns of AgendaItem.risks, in its order).
RISK_TO = {
    "CHILDREN": "Children",
    "PUBLIC": "The public",
    "KNOWN_ADULT": "A known adult",
    "STAFF": "Staff",
    "PRISONERS": "Prisoners",
}
# A level decision that takes the case out of MAPPA meetings has no level after it.
EXIT = "EXIT"


def _label(enum, code: str, missing: str = "") -> str:
    return enum[code].label if code else missing


def _labelled(enum, field_name: str, missing: str = "") -> property:
    """A property: the label of the `enum` member whose code the record's `field_name` holds."""
    return property(lambda record: _label(enum, getattr(record, field_name), missing))


@dataclass(frozen=True)
class ActionRecord:
    description: str
    pillar: str  # Pillar code, or "" for none
    agency: str
    owner: str
    due: str
    status: str  # ActionStatus code
    progress: str = ""  # follow-up since the meeting (a new due date, what happened)

    pillar_label = _labelled(Pillar, "pillar")
    status_label = _labelled(ActionStatus, "status")


@dataclass(frozen=True)
class RiskRecord:
    to: str  # a key of RISK_TO
    level: str  # RiskLevel code, or "" when not assessed

    @property
    def to_label(self) -> str:
        return RISK_TO[self.to]

    level_label = _labelled(RiskLevel, "level", "Not assessed")


@dataclass(frozen=True)
class PillarRecord:
    pillar: str  # Pillar code
    status: str  # PillarStatus code
    text: str

    pillar_label = _labelled(Pillar, "pillar")
    status_label = _labelled(PillarStatus, "status")

    @property
    def addressed(self) -> bool:
        return self.status == PillarStatus.ADDRESSED.name


@dataclass(frozen=True)
class PlanPartRecord:
    """What the meeting did with one part of the case's risk management plan."""

    part: str  # PlanPartKind code
    outcome: str  # PlanOutcome code (agreed, confirmed, changed, or not yet either)
    last_agreed: str  # where the part as it stands was agreed: "M-2026-0101, 3 March 2026"
    previous: str  # the wording it replaced, when this meeting changed it

    part_label = _labelled(PlanPartKind, "part")
    outcome_label = _labelled(PlanOutcome, "outcome")


@dataclass(frozen=True)
class CaseRecord:
    id: str
    case_id: int
    reference: str
    name: str
    category: str  # Category code
    category_4: bool
    level: str  # Level code
    purpose: str  # AgendaPurpose code
    presenting_officer: str
    previous_actions: list[ActionRecord]
    risks: list[RiskRecord]
    imminence: str  # Imminence code, or "" when not assessed
    risk_notes: str
    pillars: list[PillarRecord]
    contingency_plan: str
    licence_conditions: str
    level_decision: str  # LevelDecision code, or "" when not recorded
    level_decision_reason: str
    level_after: str  # Level code, EXIT, or "" when no decision was recorded
    actions: list[ActionRecord]
    next_review: str
    # The living plan: the risk assessment's tool and date, and each part confirmed or changed (empty in
    # records approved before the plan was kept).
    assessment_tool: str = ""
    assessed_on: str = ""
    plan: list[PlanPartRecord] = field(default_factory=list)
    # Why the meeting did not discuss the case (deferred), or "" when it did (and in records approved
    # before deferring was kept): the minutes then say only that, under the case.
    not_discussed: str = ""

    @property
    def not_discussed_text(self) -> str:
        return f"Not discussed at this meeting: {self.not_discussed}" if self.not_discussed else ""

    @property
    def assessment(self) -> str:
        """The risk assessment tool and date, as the minutes say them ("" when neither was kept)."""
        if not (self.assessment_tool or self.assessed_on):
            return ""
        return ", ".join(part for part in (self.assessment_tool, self.assessed_on) if part)

    def plan_wording(self, kind: PlanPartKind) -> str:
        """A part of the plan in the words the plan's history uses (`plan.wording` of the live record)."""
        if kind.pillar is not None:
            found = next((p for p in self.pillars if p.pillar == kind.pillar.name), None)
            status = PillarStatus[found.status] if found else PillarStatus.OUTSTANDING
            return pillar_wording(status, found.text if found else "")
        if kind is PlanPartKind.RISK_ASSESSMENT:
            risks = [(risk.to_label, risk.level_label if risk.level else None) for risk in self.risks]
            imminence = self.imminence_label if self.imminence else None
            return risk_wording(risks, imminence, self.risk_notes, self.assessment)
        text = self.contingency_plan if kind is PlanPartKind.CONTINGENCY else self.licence_conditions
        return text_wording(text)

    def plan_outcome(self, kind: PlanPartKind) -> PlanOutcome:
        """What the meeting did with the part (agreed, when the record predates the plan being kept)."""
        found = next((p for p in self.plan if p.part == kind.name), None)
        return PlanOutcome[found.outcome] if found else PlanOutcome.NEW

    category_label = _labelled(Category, "category")
    level_label = _labelled(Level, "level")
    purpose_label = _labelled(AgendaPurpose, "purpose")
    imminence_label = _labelled(Imminence, "imminence", "Not assessed")
    level_decision_label = _labelled(LevelDecision, "level_decision", "Not recorded")

    @property
    def level_after_label(self) -> str:
        return "Exit MAPPA" if self.level_after == EXIT else _label(Level, self.level_after)

    @property
    def decision_text(self) -> str:
        """The decision as the minutes say it, with the level it leaves the case at."""
        after = self.level_after_label
        return f"{self.level_decision_label} ({after})" if after else self.level_decision_label

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> CaseRecord:
        actions = [ActionRecord(**action) for action in data["actions"]]
        previous = [ActionRecord(**action) for action in data["previous_actions"]]
        return cls(
            **{
                **data,
                "actions": actions,
                "previous_actions": previous,
                "risks": [RiskRecord(**risk) for risk in data["risks"]],
                "pillars": [PillarRecord(**pillar) for pillar in data["pillars"]],
                "plan": [PlanPartRecord(**part) for part in data.get("plan", [])],
            }
        )


@dataclass(frozen=True)
class MeetingDetails:
    reference: str
    level: str  # Level code
    type: str  # MeetingType code
    date: str
    time: str
    place: str
    chair: str
    administrator: str

    level_label = _labelled(Level, "level")
    type_label = _labelled(MeetingType, "type")

    @property
    def rows(self) -> list[tuple[str, str]]:
        """The meeting's details as the minutes open with them (form MAPPA C), on the page and in the PDF
        alike: the reference, level and type, when and where, the chair and who took the minutes."""
        return [
            ("Meeting reference", self.reference),
            ("Meeting", f"{self.level_label} {self.type_label.lower()} meeting"),
            ("Date and time", f"{self.date}, {self.time}"),
            ("Place", self.place or "Not given"),
            ("Chair", self.chair),
            ("Minutes taken by", self.administrator or "Not recorded"),
        ]


@dataclass(frozen=True)
class AttendanceRecord:
    agency: str
    name: str
    status: str  # AttendanceStatus code, or "" when not recorded
    deputy: str

    status_label = _labelled(AttendanceStatus, "status", "Not recorded")


@dataclass(frozen=True)
class MinutesRecord:
    meeting: MeetingDetails
    statement: str
    area: str
    attendance: list[AttendanceRecord]
    absent_agencies: list[str]
    ra_not_represented: list[str]  # AgencySector codes
    items: list[CaseRecord] = field(default_factory=list)
    # The same, worked out without the Category 4 cases, for readers not cleared for them (None in records
    # approved before it was kept: those readers then get `ra_not_represented` as it was frozen).
    ra_not_represented_without_category_4: list[str] | None = None
    # Brought in from the area's own records, which do not say who was invited or attended.
    imported: bool = False

    @property
    def attendance_empty(self) -> str:
        """What the attendance section says when it has no rows."""
        if self.imported:
            return "Not recorded: the meeting was brought in from the area's records."
        return "No agencies were invited."

    @property
    def ra_not_represented_labels(self) -> list[str]:
        return [AgencySector[code].label for code in self.ra_not_represented]

    def to_json(self) -> dict[str, Any]:
        return _plain(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> MinutesRecord:
        return cls(
            **{
                **data,
                "meeting": MeetingDetails(**data["meeting"]),
                "attendance": [AttendanceRecord(**row) for row in data["attendance"]],
                "items": [CaseRecord.from_json(item) for item in data["items"]],
            }
        )

    def agencies_represented(self) -> list[str]:
        """The agencies at the meeting: someone present, or a deputy attending for whoever sent apologies."""
        present = AttendanceStatus.PRESENT.name
        return sorted({row.agency for row in self.attendance if row.status == present or row.deputy.strip()})

    def for_viewer(
        self, may_see_category_4: bool, category_4_now: frozenset[int] = frozenset()
    ) -> tuple[MinutesRecord, int]:
        """The record with the Category 4 cases left out for someone not cleared to see them (those that
        were Category 4 at the meeting, and those made Category 4 since: `category_4_now`, case ids),
        and how many were left out."""
        if may_see_category_4:
            return self, 0
        items = [item for item in self.items if not item.category_4 and item.case_id not in category_4_now]
        missing = self.ra_not_represented_without_category_4
        if missing is None:
            missing = self.ra_not_represented
        shown = replace(
            self, items=items, ra_not_represented=missing, ra_not_represented_without_category_4=missing
        )
        return shown, len(self.items) - len(items)


def _plain(value: Any) -> Any:
    """A record as plain JSON values: what `dataclasses.asdict` gives, without its deep copy of every
    string (a caseload brought in freezes thousands of records at once)."""
    if value is None or isinstance(value, (str, int, float)):
        return value
    if isinstance(value, (list, tuple)):
        return type(value)(_plain(item) for item in value)
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    names = _FIELDS.get(type(value))
    if names is None:
        names = _FIELDS[type(value)] = tuple(f.name for f in fields(value))
    return {name: _plain(getattr(value, name)) for name in names}


_FIELDS: dict[type, tuple[str, ...]] = {}
