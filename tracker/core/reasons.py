"""The reasons a person gives for opening a case they have no part in, or for handing over a file, and the
form that asks for one: a short list the area edits in settings, plus "Other" with the reason typed.

Section 62 of the Data Protection Act 2018 asks that the log of a consultation or a disclosure makes its
justification clear; these lists keep the answers short and comparable, so the log review can search them.
"""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import Form
from wtforms.validators import ValidationError

from tracker.core import settings
from tracker.core.fields import HiddenField, RadioField, StringField, SubmitField, length, required

OTHER = "other"

CONSULTATION_REASONS = settings.define(
    "consultation_reasons",
    "\n".join(
        (
            "Reviewing the case for the MAPPA co-ordinator's oversight",
            "Preparing a referral or meeting",
            "Responding to a request for information",
            "Checking the record for a data protection request",
        )
    ),
    "Reasons for opening a case",
    hint="One a line. Someone who is not on a case's current meeting (nor its lead officer or an action "
    "owner) chooses one of these, or types another, before the case opens; so does the co-ordinator "
    "before the minutes of a meeting they have no part in. Recorded in the audit trail.",
    group="Data protection",
    separator="\n",
    offered=("Other",),
)
DISCLOSURE_REASONS = settings.define(
    "disclosure_reasons",
    "\n".join(
        (
            "For my own use at or before the meeting",
            "For my own use in training, CPD or evaluation work",
            "Sharing with a partner agency under the information sharing agreement",
            "Responding to a request for information or a data protection request",
            "Reporting to the Strategic Management Board",
        )
    ),
    "Reasons for exporting a file",
    hint="One a line. Whoever downloads a PDF, CSV or calendar file says who it is for and chooses one of "
    "these, or types another. Recorded in the audit trail with the recipient.",
    group="Data protection",
    separator="\n",
    offered=("Other",),
)


def themselves(user) -> str:
    """A person as the recipient of a file they keep themselves, as the log names them."""
    return f"{user.name} <{user.email}> (themselves)"


def choices(text: str) -> list[tuple[str, str]]:
    """The reasons of a setting's text (one a line, blanks dropped), then "Other"."""
    reasons = settings.entries(text, "\n")
    return [(reason, reason) for reason in reasons] + [(OTHER, "Other")]


class _ReasonFields:
    reason = RadioField("Why do you need to open it?", validators=[required("Select a reason")])
    other_reason = StringField(
        "Your reason",
        description="If you chose Other",
        validators=[length(500, "Your reason")],
    )

    def validate_other_reason(self, field):
        if self.reason.data == OTHER and not (field.data or "").strip():
            raise ValidationError("Enter your reason")

    def given(self) -> str:
        """The reason as the log keeps it: the one chosen, or the one typed."""
        if self.reason.data == OTHER:
            return f"Other: {self.other_reason.data.strip()}"
        return self.reason.data


class ConsultationReasonForm(_ReasonFields, FlaskForm):
    """Asked once per case per session of someone with no part in the case, and once per meeting per
    session of someone who reads its minutes only by oversight (a POST: it writes the log)."""

    next = HiddenField()
    submit = SubmitField("Open the case")

    def __init__(self, *args, opens: str = "the case", **kwargs):
        super().__init__(*args, **kwargs)
        self.reason.choices = choices(settings.get("consultation_reasons"))
        self.submit.label.text = f"Open {opens}"


class DisclosureForm(_ReasonFields, Form):
    """Asked before a file is handed over: who it is for and why. Read from the query string (a GET to
    the download's own address), so the file follows the answer with no state kept in between."""

    recipient = RadioField(
        "Who is this file for?",
        choices=[("me", "Only me"), ("someone", "Someone else, an agency or a mailbox")],
        validators=[required("Select who the file is for")],
    )
    recipient_name = StringField(
        "Name the person, agency or mailbox",
        description="If it is for someone else, for example 'Probation Service, secure mailbox'",
        validators=[length(255, "The recipient")],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.reason.label.text = "Why are you exporting it?"
        self.reason.choices = choices(settings.get("disclosure_reasons"))

    def validate_recipient_name(self, field):
        if self.recipient.data == "someone" and not (field.data or "").strip():
            raise ValidationError("Enter who the file is for")

    def named_recipient(self, user) -> str:
        if self.recipient.data == "me":
            return themselves(user)
        return self.recipient_name.data.strip()
