"""Forms for the record of each case's discussion: the Four Pillars, risk, the level decision and actions,
and a chair's record of the levels they may chair."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField

from tracker.core.fields import (
    CheckboxesField,
    DateField,
    RadioField,
    SelectField,
    SubmitField,
    TextAreaField,
    ValidationError,
    choose_one,
    data_required,
    free_text,
    length,
    optional,
    reason_text,
    required,
    short_text,
)
from tracker.core.forms import VersionedForm
from tracker.meetings import rules
from tracker.meetings.forms.choices import LEVEL_CHOICES, AgencyAndPersonForm
from tracker.meetings.models import Imminence, Level, LevelDecision, Pillar, PillarStatus, RiskLevel

# The record of each case's discussion ------------------------------------------------------------


class PillarForm(VersionedForm):
    status = choose_one("Status", PillarStatus.choices(), missing="Select the status of this pillar")
    summary = TextAreaField(
        "Summary of the plan", validators=[length(10000, "Summary")], render_kw={"rows": 6}
    )
    not_applicable_reason = TextAreaField(
        "Why it does not apply", validators=[length(2000, "Reason")], render_kw={"rows": 3}
    )
    submit = SubmitField("Save")

    def validate_summary(self, field):
        if self.status.data == PillarStatus.ADDRESSED.name and not (field.data or "").strip():
            raise ValidationError("Enter a summary of how the plan addresses this pillar")

    def validate_not_applicable_reason(self, field):
        if self.status.data == PillarStatus.NOT_APPLICABLE.name and not (field.data or "").strip():
            raise ValidationError("Enter why this pillar does not apply")


def _risk_field(label: str) -> RadioField:
    return choose_one(
        label,
        RiskLevel.choices(),
        missing=f"Select the risk of serious harm to {label.lower()}",
    )


class RiskForm(VersionedForm):
    # What the page showed of the risk assessment (`locking.fingerprint`): a decision saved meanwhile is
    # no conflict with it.
    shown = HiddenField()

    def __init__(self, *args, tools: list[str] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.assessment_tool.choices = [(tool, tool) for tool in tools]

    risk_to_children = _risk_field("Children")
    risk_to_public = _risk_field("The public")
    risk_to_known_adult = _risk_field("A known adult")
    risk_to_staff = _risk_field("Staff")
    risk_to_prisoners = _risk_field("Prisoners")
    imminence = choose_one(
        "How imminent is the risk?",
        Imminence.choices(),
        missing="Select how imminent the risk is",
    )
    risk_notes = free_text("Risk factors", limit=10000, rows=4)
    assessment_tool = choose_one("Assessment tool", [], missing="Select the tool the risk was assessed with")
    assessed_on = DateField(
        "Date of the assessment",
        validators=[required("Enter the date of the assessment")],
    )
    contingency_plan = free_text(
        "Contingency plan",
        limit=10000,
        rows=4,
        description="What happens if the plan fails or the risk rises.",
    )
    licence_conditions = free_text("Licence or order conditions", limit=10000, rows=4)
    submit = SubmitField("Save")


class DecisionForm(VersionedForm):
    level_decision = choose_one(
        "Level decision",
        LevelDecision.choices(),
        missing="Select the level decision",
    )
    level_decision_reason = free_text(
        "Rationale",
        limit=5000,
        missing="Enter the rationale for the decision",
        rows=4,
    )
    next_review_on = DateField("Next review date", validators=[optional()])
    submit = SubmitField("Save")
    # What the page showed of the decision (`locking.fingerprint`): a risk assessment saved meanwhile is no
    # conflict with it.
    shown = HiddenField()

    @staticmethod
    def decision_hints(standing: Level) -> list[dict]:
        """What each decision does to a case standing at `standing`, as a hint on its radio, in the order of
        the choices. Lowering to Level 1 and exiting are easily confused: a Level 1 case is still a MAPPA
        case, managed by its lead agency; a case that exits is no longer a MAPPA case at all."""
        hints = {
            LevelDecision.RETAIN: f"Stays at {_level_means(standing)}",
            LevelDecision.EXIT: "No longer a MAPPA case (for example the licence has ended): the case is "
            "closed as exited MAPPA",
        }
        for decision in (LevelDecision.RAISE, LevelDecision.LOWER):
            refused = rules.level_decision_problem(standing, decision)
            hints[decision] = refused or _level_means(rules.level_after_decision(standing, decision))
        return [{"hint": {"text": hints[decision]}} for decision in LevelDecision]


def _level_means(level: Level) -> str:
    return f"{level.label}: {LEVEL_MEANS[level]}"


# What each level means for how the case is managed (the domain primer's words).
LEVEL_MEANS = {
    Level.LEVEL_1: "managed by the lead agency, no MAPPA meetings (still a MAPPA case)",
    Level.LEVEL_2: "managed through multi-agency MAPPA meetings",
    Level.LEVEL_3: "managed through MAPPA meetings with senior-level attendance and commitment of resources",
}


class ActionForm(AgencyAndPersonForm):
    agency_field, person_field = "owner_agency_id", "owner_id"
    works_elsewhere = "Select an owner who works for the owner agency"

    description = free_text("Action", limit=2000, missing="Enter what needs to be done", rows=3)
    pillar = SelectField(
        "Pillar", choices=[("", "Not under a pillar")] + Pillar.choices(), validators=[optional()]
    )
    owner_agency_id = SelectField(
        "Owner agency", validators=[data_required("Select the agency that owns the action")]
    )
    # The same rule as approval: every action has a named owner, so "No one named" is not offered.
    no_one = "Select a person"
    owner_id = SelectField(
        "Owner",
        description=(
            "An action needs a named person who owns it: choose someone from the owner agency, even when "
            "the agency was invited as anyone from the agency."
        ),
        validators=[data_required("Select the person who owns the action")],
    )
    due_on = DateField("Due date", validators=[required("Enter the date the action is due")])
    # The version of the action a change was read at (empty when adding one): two changes at once, or a
    # change to a record put back since, are refused rather than saved over each other.
    version = HiddenField()
    submit = SubmitField("Add action")


class DropActionForm(VersionedForm):
    """Closing an open action without it being done: it could not be done, or it was not done."""

    outcome = choose_one(
        "Why is the action being closed?",
        [
            ("DROPPED", "It could not be done"),
            ("NOT_DONE", "It was not done"),
        ],
        missing="Select whether the action could not be done or was not done",
    )
    reason = reason_text(
        "Why?",
        missing="Enter why the action is closed without being done",
        named="Why",
        rows=3,
        description="For example, what stopped it or what happened instead.",
    )
    submit = SubmitField("Close the action")


class ActionProgressForm(VersionedForm):
    """Follow-up on an agreed action: not done by its date (and when it now will be), or what happened."""

    revised_due_on = DateField(
        "New due date",
        description="Leave empty if the date agreed at the meeting stands.",
        validators=[optional()],
    )
    progress_note = free_text(
        "What has happened",
        limit=2000,
        missing="Enter what has happened",
        rows=3,
        description="For example, why it was not done by the date agreed.",
    )
    submit = SubmitField("Save progress")


class ChairProfileForm(FlaskForm):
    grade = short_text(
        "Grade",
        limit=120,
        missing="Enter the chair's grade",
        description="For example, Detective Superintendent or Senior Probation Officer.",
    )
    levels = CheckboxesField("May chair", choices=LEVEL_CHOICES)
    submit = SubmitField("Save")
