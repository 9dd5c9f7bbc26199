"""Forms for disclosure packs: the request, the documents, a redaction, an agency's agreement, issuing, and
extending the time to reply to a subject access request."""

from __future__ import annotations

from datetime import date

from flask_wtf import FlaskForm
from wtforms.validators import ValidationError

from tracker.core.fields import (
    BooleanField,
    CheckboxesField,
    DateField,
    SubmitField,
    TextAreaField,
    choose_one,
    length,
    reason_text,
    required,
    short_text,
)
from tracker.core.forms import VersionedForm
from tracker.core.timeutil import format_date, today_london
from tracker.disclosure import rules
from tracker.disclosure.models import PackPurpose, RedactionReason

MAX_PASSAGE = 5_000
MAX_EXTENSION_REASON = 1_000


class RequestForm(FlaskForm):
    requester = short_text(
        "Who is the pack for?",
        limit=200,
        missing="Enter who the pack is for",
        named="Who the pack is for",
        description="The person or body asking: for example the data subject's name, or the court and "
        "case number.",
    )
    purpose = choose_one("What is it for?", PackPurpose.choices(), missing="Select what the pack is for")
    purpose_detail = TextAreaField(
        "Details of the request",
        description="For example how the request was made, or the hearing it is for. Required for 'Other'.",
        validators=[length(1_000, "Details of the request")],
    )
    request_received_on = DateField(
        "When was the request received?",
        description="The day it arrived, even if before this pack was started. A subject access request "
        "must be answered within one calendar month of it. For example, 27 3 2026",
        validators=[required("Enter the date the request was received")],
        named="The date the request was received",
    )
    submit = SubmitField("Save and continue")

    def __init__(
        self,
        *args,
        referred_on: date,
        first_answer: date | None = None,
        told_on: date | None = None,
        **kwargs,
    ):
        """`first_answer`: the earliest date of an agency's answer already recorded in the pack; `told_on`:
        the day the requester was told the time to reply to their subject access request was extended."""
        super().__init__(*args, **kwargs)
        self._referred_on, self._first_answer, self._told_on = referred_on, first_answer, told_on

    def validate_purpose_detail(self, field) -> None:
        if self.purpose.data in PackPurpose.__members__:
            problem = rules.purpose_problem(PackPurpose[self.purpose.data], field.data or "")
            if problem:
                raise ValidationError(problem)

    def validate_request_received_on(self, field) -> None:
        told_on = self._told_on if self.purpose.data == PackPurpose.SUBJECT_ACCESS.name else None
        problem = field.data and rules.received_date_problem(
            field.data, self._referred_on, today_london(), self._first_answer, told_on=told_on
        )
        if problem:
            raise ValidationError(problem)


class DocumentsForm(FlaskForm):
    documents = CheckboxesField("Documents", validators=[required("Select at least one document")])
    submit = SubmitField("Save and continue")


class RedactionForm(FlaskForm):
    passage = TextAreaField(
        "Text to redact",
        description="Copy the words exactly as they appear in the paragraph, or redact the whole paragraph.",
        validators=[length(MAX_PASSAGE, "Text to redact")],
    )
    whole_paragraph = BooleanField("Redact the whole paragraph")
    everywhere = BooleanField(
        "Also redact this text wherever else it appears in the pack, in capitals or not"
    )
    reason = choose_one(
        "Why is it withheld?",
        [(reason.name, f"{rules.CODES[reason]}: {reason.label}") for reason in RedactionReason],
        missing="Select why the text is withheld",
    )
    note = TextAreaField(
        "Note for the record (not printed)",
        description="Required for 'Other'. Do not copy the withheld text here.",
        validators=[length(1_000, "The note")],
    )
    submit = SubmitField("Redact")

    def validate_passage(self, field) -> None:
        if not self.whole_paragraph.data and not (field.data or "").strip():
            raise ValidationError("Enter the text to redact, or choose to redact the whole paragraph")

    def validate_note(self, field) -> None:
        if self.reason.data == RedactionReason.OTHER.name and not (field.data or "").strip():
            raise ValidationError("Enter why the text is withheld")


class AgreementForm(FlaskForm):
    agreed = choose_one(
        "Did the agency agree to its information being disclosed?",
        [("yes", "Yes"), ("no", "No")],
        missing="Select whether the agency agreed",
    )
    agreed_by = short_text(
        "Who gave the agency's answer?",
        limit=200,
        missing="Enter who gave the agency's answer",
        named="Who gave the answer",
        description="Their name and role.",
    )
    agreed_on = DateField(
        "When?",
        description="The day the agency answered, even if before this pack was started. "
        "For example, 27 3 2026",
        validators=[required("Enter the date of the answer")],
        named="The date of the answer",
    )
    override_reason = TextAreaField(
        "Reason to disclose without the agency's agreement",
        description="Leave empty if the pack must wait for the agency to agree (or redact its information).",
        validators=[length(2_000, "The reason")],
    )
    submit = SubmitField("Save and continue")

    def __init__(self, *args, answered_from: date, **kwargs):
        super().__init__(*args, **kwargs)
        self._answered_from = answered_from

    def validate_agreed_on(self, field):
        problem = field.data and rules.agreement_date_problem(field.data, self._answered_from, today_london())
        if problem:
            raise ValidationError(problem)


class IssueForm(VersionedForm):
    stale_field = "submit"
    submit = SubmitField("Issue the pack")


class ExtensionForm(FlaskForm):
    told_on = DateField(
        "When was the requester told?",
        description="The day you told them the time to reply is extended, and why.",
        validators=[required("Enter the date the requester was told")],
        named="The date the requester was told",
    )
    reason = reason_text(
        "Why is the time to reply extended?",
        missing="Enter why the time to reply is extended",
        limit=MAX_EXTENSION_REASON,
        rows=4,
        description="What makes the request complex, or the requests numerous, as you told the requester.",
    )
    submit = SubmitField("Extend the time to reply")

    def __init__(self, *args, received_on: date, **kwargs):
        super().__init__(*args, **kwargs)
        self._received_on = received_on
        first_due = format_date(rules.reply_due(received_on))
        self.told_on.description += (
            f" No later than {first_due}, the day the reply is first due. For example, 27 3 2026"
        )

    def validate_told_on(self, field) -> None:
        problem = field.data and rules.extension_told_problem(field.data, self._received_on, today_london())
        if problem:
            raise ValidationError(problem)
