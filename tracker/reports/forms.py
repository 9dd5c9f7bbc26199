"""Forms for the annual report's entered figures, assigning meeting audits and scoring a meeting."""

from __future__ import annotations

from flask_wtf import FlaskForm

from tracker.core.fields import (
    CheckboxesField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
    data_required,
    length,
    number_range,
    optional,
)
from tracker.reports import rules
from tracker.reports.annual import ENTERED_COUNTS, RATE_LABEL
from tracker.reports.models import AuditCriterion

LEVEL_1_LABELS = {
    "level_1_category_1": "Level 1, Category 1",
    "level_1_category_2": "Level 1, Category 2",
}
# Short names for messages ("Enter ... as a whole number").
_SHORT = {
    "breach_cautioned": "Category 1 individuals cautioned for breach of notification requirements",
    "breach_convicted": "Category 1 individuals convicted for breach of notification requirements",
    "notification_revoked": "notification requirements revoked",
    "shpo_imposed": "Sexual Harm Prevention Orders imposed",
    "shpo_foreign_travel": "orders with foreign travel restrictions",
    "notification_orders": "notification orders",
    "sro_breach_notification": "people who breached a Sexual Risk Order",
    "shpo_breach_level_2": "Level 2 breaches of Sexual Harm Prevention Orders",
    "shpo_breach_level_3": "Level 3 breaches of Sexual Harm Prevention Orders",
}
ENTERED_LABELS = dict(ENTERED_COUNTS)


def _count(label: str, short: str, maximum: int = 10_000_000) -> IntegerField:
    return IntegerField(
        label,
        validators=[optional(), number_range(f"The number of {short}", minimum=0, maximum=maximum)],
        message=f"Enter the number of {short} as a whole number, like 12",
    )


class FiguresForm(FlaskForm):
    """Every figure is optional (a year can be filled in over time); what is entered must be a whole
    number of 0 or more. The rate per 100,000 is worked out from the population entered here."""

    level_1_category_1 = _count(LEVEL_1_LABELS["level_1_category_1"], "Level 1, Category 1 individuals")
    level_1_category_2 = _count(LEVEL_1_LABELS["level_1_category_2"], "Level 1, Category 2 individuals")
    breach_cautioned = _count(ENTERED_LABELS["breach_cautioned"], _SHORT["breach_cautioned"])
    breach_convicted = _count(ENTERED_LABELS["breach_convicted"], _SHORT["breach_convicted"])
    notification_revoked = _count(ENTERED_LABELS["notification_revoked"], _SHORT["notification_revoked"])
    shpo_imposed = _count(ENTERED_LABELS["shpo_imposed"], _SHORT["shpo_imposed"])
    shpo_foreign_travel = _count(ENTERED_LABELS["shpo_foreign_travel"], _SHORT["shpo_foreign_travel"])
    notification_orders = _count(ENTERED_LABELS["notification_orders"], _SHORT["notification_orders"])
    sro_breach_notification = _count(
        ENTERED_LABELS["sro_breach_notification"], _SHORT["sro_breach_notification"]
    )
    shpo_breach_level_2 = _count(ENTERED_LABELS["shpo_breach_level_2"], _SHORT["shpo_breach_level_2"])
    shpo_breach_level_3 = _count(ENTERED_LABELS["shpo_breach_level_3"], _SHORT["shpo_breach_level_3"])
    population = IntegerField(
        "Population aged 10 and over",
        validators=[optional(), number_range("The population", minimum=1, maximum=100_000_000)],
        message="Enter the population aged 10 and over as a whole number, like 8,043,000",
        description=f"The rate per 100,000 ({RATE_LABEL[0].lower()}{RATE_LABEL[1:]}) is worked out from it "
        "and the Category 1 total on 31 March.",
    )
    population_source = StringField(
        "Where the population figure comes from",
        validators=[length(300, "Where the population figure comes from")],
        description="For example: ONS mid-2024 population estimates, excluding under-tens",
    )
    version = HiddenField()
    submit = SubmitField("Save figures")

    FIELDS = (
        *LEVEL_1_LABELS,
        *(name for name, _label in ENTERED_COUNTS),
        "population",
        "population_source",
    )

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        for name, message in rules.figures_problems(self.values()).items():
            if not getattr(self, name).errors:
                getattr(self, name).errors = [*getattr(self, name).errors, message]
                valid = False
        return valid

    def values(self) -> dict:
        values = {name: getattr(self, name).data for name in self.FIELDS}
        values["population_source"] = (values["population_source"] or "").strip()
        return values


class AssignForm(FlaskForm):
    meetings = CheckboxesField(
        "Meetings to audit", validators=[data_required("Select at least one meeting to audit")]
    )
    auditor = SelectField("Auditor", validators=[data_required("Select who will audit the meetings")])
    submit = SubmitField("Assign the audits")


SCORE_CHOICES = [(str(score), f"{score} – {label}") for score, label in rules.SCORE_LABELS.items()]
NOT_APPLICABLE = ("NA", "Not applicable: nobody disagreed")


def audit_form(**kwargs) -> FlaskForm:
    """The meeting-audit form: a score and a comment for every criterion of the national form."""

    class AuditForm(FlaskForm):
        version = HiddenField()
        submit = SubmitField("Save the audit")

        def criteria(self):
            return [
                (
                    criterion,
                    getattr(self, f"score_{criterion.name.lower()}"),
                    getattr(self, f"comment_{criterion.name.lower()}"),
                )
                for criterion in AuditCriterion
            ]

        def scores(self) -> dict[AuditCriterion, tuple[int | None, str]]:
            result = {}
            for criterion, score, comment in self.criteria():
                value = int(score.data) if score.data and score.data.isdigit() else None
                result[criterion] = (value, comment.data or "")
            return result

        def validate(self, extra_validators=None) -> bool:
            valid = super().validate(extra_validators)
            for criterion, score, comment in self.criteria():
                value, text = self.scores()[criterion]
                problem = rules.score_problem(criterion, value, text)
                if problem is None:
                    continue
                valid = False
                target = score if value is None else comment
                target.errors = [*target.errors, problem]
            return valid

    for criterion in AuditCriterion:
        choices = list(SCORE_CHOICES)
        if criterion in rules.MAY_BE_NOT_APPLICABLE:
            choices.append(NOT_APPLICABLE)
        key = criterion.name.lower()
        setattr(
            AuditForm,
            f"score_{key}",
            RadioField(criterion.label, choices=choices, validate_choice=False),
        )
        setattr(
            AuditForm,
            f"comment_{key}",
            TextAreaField(
                f"Comment on ‘{criterion.label}’",
                validators=[length(2000, "The comment")],
                render_kw={"rows": 2},
            ),
        )
    return AuditForm(**kwargs)
