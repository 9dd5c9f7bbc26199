"""Forms for drafting minutes, the workflow's buttons, distribution and corrections.

The draft form is built for the meeting's agenda: one set of free-text sections per case. Every form that
changes minutes carries the version the person's page was built from, for the optimistic lock.
"""

from __future__ import annotations

import json
from typing import Any

from flask_wtf import FlaskForm

from tracker.core.fields import (
    BooleanField,
    CheckboxesField,
    HiddenField,
    SelectField,
    SubmitField,
    TextAreaField,
    data_required,
    length,
    reason_text,
    short_text,
)
from tracker.core.forms import VersionedForm
from tracker.minutes import rules
from tracker.minutes.sections import ITEM_SECTIONS, MEETING_SECTIONS, STATEMENT_LABEL, STATEMENT_READ

MAX_SECTION = 20_000


class StepForm(VersionedForm):
    """A button that changes minutes: carries the version the page showed."""

    submit = SubmitField("Continue")


def _field_name(item_id: str | None, key: str) -> str:
    return f"item_{item_id}_{key}" if item_id else f"meeting_{key}"


class MinutesForm(StepForm):
    """The draft: the meeting's own sections, then each case's. Build with `MinutesForm.for_items`.
    `shown` carries the fingerprints of the sections as the page showed them (see `rules.fingerprints`),
    so that a save from an out-of-date page can keep everyone's changes to different sections."""

    item_ids: tuple[str, ...] = ()
    shown = HiddenField()

    @classmethod
    def for_items(cls, item_ids: list[str], **kwargs: Any) -> MinutesForm:
        attributes: dict[str, Any] = {"item_ids": tuple(item_ids)}
        for section in MEETING_SECTIONS:
            attributes[_field_name(None, section.key)] = TextAreaField(
                section.label, description=section.hint, validators=[length(MAX_SECTION, section.label)]
            )
        for item_id in item_ids:
            attributes[_field_name(item_id, STATEMENT_READ)] = BooleanField(STATEMENT_LABEL)
            for section in ITEM_SECTIONS:
                attributes[_field_name(item_id, section.key)] = TextAreaField(
                    section.label, description=section.hint, validators=[length(MAX_SECTION, section.label)]
                )
        form_class = type("DraftMinutesForm", (cls,), attributes)
        return form_class(**kwargs)

    def field_for(self, item_id: str | None, key: str):
        return self[_field_name(item_id, key)]

    def load(self, sections: dict) -> None:
        """Fill the fields from the saved draft (for a page that has not been posted)."""
        for section in MEETING_SECTIONS:
            self.field_for(None, section.key).data = sections.get("meeting", {}).get(section.key, "")
        for item_id in self.item_ids:
            texts = sections.get("items", {}).get(item_id, {})
            self.field_for(item_id, STATEMENT_READ).data = bool(texts.get(STATEMENT_READ))
            for section in ITEM_SECTIONS:
                self.field_for(item_id, section.key).data = texts.get(section.key, "")

    def show(self, sections: dict) -> None:
        """Fill the fields from these sections, and remember what the page shows."""
        self.load(sections)
        self.shown.data = json.dumps(rules.fingerprints(self.sections()))

    def shown_fingerprints(self) -> dict[str, str] | None:
        """The fingerprints the page was built with, or None if it sent none (or something else)."""
        try:
            shown = json.loads(self.shown.data or "")
        except ValueError:
            return None
        if not isinstance(shown, dict) or not all(isinstance(v, str) for v in shown.values()):
            return None
        return shown

    def sections(self) -> dict:
        """What was posted, as the draft stores it."""
        meeting = {s.key: (self.field_for(None, s.key).data or "") for s in MEETING_SECTIONS}
        items = {}
        for item_id in self.item_ids:
            texts: dict[str, Any] = {
                s.key: (self.field_for(item_id, s.key).data or "") for s in ITEM_SECTIONS
            }
            texts[STATEMENT_READ] = bool(self.field_for(item_id, STATEMENT_READ).data)
            items[item_id] = texts
        return {"meeting": meeting, "items": items}


class CorrectionForm(StepForm):
    reason = reason_text(
        "Why are the minutes being corrected?",
        missing="Enter the reason for the correction",
        named="The reason for the correction",
        description="The reason is kept with the new version. The approved version stays as it is.",
    )
    submit = SubmitField("Start a corrected version")


class DistributeForm(StepForm):
    recipients = CheckboxesField(
        "Who are the minutes going to?",
        description="Select the attending and relevant agencies.",
        validators=[data_required("Select at least one agency to send the minutes to")],
    )
    submit = SubmitField("Record the distribution")


class SharedCodeForm(FlaskForm):
    code = short_text(
        "Code",
        limit=10,
        missing="Enter the code from the email",
        description="The six-digit code we emailed to your agency's secure mailbox.",
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"},
    )
    submit = SubmitField("Open the minutes")



class HandoverForm(FlaskForm):
    """The co-ordinator hands the approval of minutes waiting for someone who has left to another chair."""

    meetings = CheckboxesField(
        "Minutes to hand over", validators=[data_required("Select the minutes to hand over")]
    )
    approver_id = SelectField(
        "Chair who will approve them",
        description=(
            "An active chair whose chair record allows the meetings' level. They read and approve the "
            "minutes in place of the meeting's chair, and are told by email."
        ),
        validators=[data_required("Select the chair who will approve the minutes")],
    )
    submit = SubmitField("Hand the approval over")
