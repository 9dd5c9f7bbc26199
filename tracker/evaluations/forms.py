"""Forms for building evaluation forms, sending them to events, answering them and comparing results."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms.validators import StopValidation, ValidationError

from tracker.core.fields import (
    BooleanField,
    CheckboxesField,
    DateField,
    RadioField,
    SelectField,
    SubmitField,
    TextAreaField,
    choose_one,
    data_required,
    free_text,
    length,
    optional,
    short_text,
)
from tracker.core.forms import VersionedForm, name_key
from tracker.evaluations import listings, rules
from tracker.evaluations.models import EvaluationForm, Question, QuestionKind


def _closing_date() -> DateField:
    return DateField(
        "Closing date",
        description="Answers are accepted up to and including this day",
        validators=[data_required("Enter the closing date")],
    )


class FormDetailsForm(VersionedForm):
    name = short_text(
        "Form name",
        limit=200,
        missing="Enter the form name",
        description="For example, 'Post-event evaluation' or 'Chair training course evaluation'",
    )
    description = free_text(
        "Introduction",
        limit=2000,
        description="Shown above the questions to everyone who answers",
    )
    submit = SubmitField("Save")
    stale_field = "name"

    def __init__(self, *args, editing: EvaluationForm | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self._editing = editing

    def validate_name(self, field):
        # Two forms of one name would be two identical choices when sending a form to an event. Compared
        # here, not with SQL lower(), which SQLite applies to ASCII letters only; an area has tens of forms.
        own = self._editing.family_id if self._editing else None
        taken = {name_key(name) for family_id, name in listings.current_names() if family_id != own}
        if name_key(field.data) in taken:
            raise ValidationError("There is already an evaluation form with this name")


class SectionForm(VersionedForm):
    title = short_text("Section heading", limit=200, missing="Enter the section heading")
    description = free_text("Section introduction", limit=1000)
    submit = SubmitField("Save section")


class QuestionForm(VersionedForm):
    text = short_text("Question", limit=300, missing="Enter the question")
    hint = short_text("Hint", limit=500, description="Optional help shown under the question")
    kind = choose_one(
        "Kind of answer",
        QuestionKind.choices(),
        missing="Select the kind of answer",
        invalid_choice_message="Select the kind of answer",
    )
    options = TextAreaField(
        "Options or labels",
        description=(
            "One a line. A single or multiple choice question needs two or more options; a rating "
            "scale needs five labels, for 1 to 5 (for example Very poor, Poor, Fair, Good, Excellent)."
        ),
        validators=[length(5000, "Options")],
    )
    required = BooleanField("An answer is required")
    measure = SelectField(
        "Same measure as",
        description=(
            "To compare results with events evaluated with another form, select the question of that form "
            "that asks the same thing, with the same kind of answer."
        ),
        validators=[optional()],
        invalid_choice_message="Select a question from the list",
    )
    submit = SubmitField("Save question")

    def validate_options(self, field) -> None:
        if self.kind.data not in QuestionKind.__members__:
            return
        try:
            self.parsed_options = rules.parse_options(QuestionKind[self.kind.data], field.data or "")
        except rules.OptionsProblem as problem:
            raise StopValidation(str(problem)) from None


class AttachForm(FlaskForm):
    form_id = choose_one(
        "Evaluation form",
        missing="Select the evaluation form",
        invalid_choice_message="Select the evaluation form",
    )
    closes_on = _closing_date()
    always_anonymous = BooleanField(
        "Keep every answer anonymous",
        description="If you leave this unticked, each person chooses whether to keep their name with "
        "their answers",
    )
    submit = SubmitField("Send the form")

    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today

    def validate_closes_on(self, field) -> None:
        if field.data is not None and field.data < self.today:
            raise StopValidation("Closing date must be today or in the future")


class ClosingDateForm(VersionedForm):
    closes_on = _closing_date()
    submit = SubmitField("Save closing date")


class CompareForm(FlaskForm):
    """Which evaluations to put side by side (a GET form: nothing changes)."""

    class Meta:
        csrf = False

    evaluation = CheckboxesField(
        "Events to compare",
        description="Select two to four events. Their forms may differ: questions marked as the same "
        "measure are compared.",
        coerce=int,
        validate_choice=False,
    )
    submit = SubmitField("Compare")

    def __init__(self, *args, measures: dict[int, set[str]], **kwargs):
        super().__init__(*args, **kwargs)
        # Each evaluation that may be chosen, and the measures (question lineages) its form asks.
        self.measures = measures

    def validate_evaluation(self, field) -> None:
        chosen = [value for value in field.data or [] if value in self.measures]
        if len(chosen) < 2:
            raise StopValidation("Select at least two events to compare")
        if len(chosen) > 4:
            raise StopValidation("Select four events or fewer to compare")
        if not rules.share_a_measure([self.measures[value] for value in chosen]):
            raise StopValidation(
                "Select events whose forms share a question: each event must ask at least one of the "
                "same measures as another"
            )
        field.data = chosen


# Answering -----------------------------------------------------------------------------------------

NAMED_CHOICES = [("NO", "No, answer anonymously"), ("YES", "Yes, keep my name with my answers")]


def _check(question: Question):
    spec = rules.QuestionSpec(question.kind, question.text, question.required, tuple(question.options))

    def check(_form, field) -> None:
        # A question with one answer takes one value: two (only from a form altered by hand) are refused,
        # not the first silently kept.
        if question.kind is not QuestionKind.MULTIPLE_CHOICE and len(field.raw_data or ()) > 1:
            raise StopValidation(f"Give one answer to ‘{question.text}’")
        problem = rules.answer_problem(spec, field.data)
        if problem:
            raise StopValidation(problem)

    return check


def _answer_field(question: Question):
    options = {"description": question.hint, "validators": [_check(question)]}
    if question.kind is QuestionKind.RATING:
        choices = [(str(n), f"{n} – {label}") for n, label in zip(rules.SCALE, question.options, strict=True)]
        return RadioField(question.text, choices=choices, validate_choice=False, **options)
    if question.kind is QuestionKind.YES_NO:
        return RadioField(
            question.text, choices=[(rules.YES, "Yes"), (rules.NO, "No")], validate_choice=False, **options
        )
    if question.kind is QuestionKind.SINGLE_CHOICE:
        choices = [(option, option) for option in question.options]
        return RadioField(question.text, choices=choices, validate_choice=False, **options)
    if question.kind is QuestionKind.MULTIPLE_CHOICE:
        choices = [(option, option) for option in question.options]
        return CheckboxesField(question.text, choices=choices, validate_choice=False, **options)
    return TextAreaField(question.text, render_kw={"rows": 4}, **options)


def answer_form(evaluation_form: EvaluationForm, *, ask_name: bool, formdata=None) -> FlaskForm:
    """A form with a field per question (named q<id>), and the choice of anonymity when it is offered."""

    class AnswerForm(FlaskForm):
        pass

    for question in evaluation_form.ordered_questions:
        setattr(AnswerForm, field_name(question), _answer_field(question))
    if ask_name:
        AnswerForm.named = choose_one(
            "Do you want your name kept with your answers?",
            NAMED_CHOICES,
            missing="Select whether to keep your name with your answers",
            description="Either way, your answers count once. Anonymous answers are not linked to you.",
            invalid_choice_message="Select whether to keep your name with your answers",
        )
    AnswerForm.submit = SubmitField("Send my answers")
    return AnswerForm() if formdata is None else AnswerForm(formdata=formdata)


def field_name(question: Question) -> str:
    return f"q{question.id}"


def form_choices(forms: list[EvaluationForm]) -> list[tuple[str, str]]:
    return [(str(form.id), form.label) for form in forms]
