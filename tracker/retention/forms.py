"""The co-ordinator's forms: retain a record (why, and when to look again), dispose of it (confirmed),
and place or lift a legal hold on a case."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, ValidationError

from tracker.core.fields import (
    BooleanField,
    DateField,
    SubmitField,
    data_required,
    reason_text,
)
from tracker.core.timeutil import today_london
from tracker.retention import rules


class RetainForm(FlaskForm):
    version = HiddenField()
    reason = reason_text(
        "Why is the record kept?",
        missing="Enter why the record is kept",
        description="For example: proceedings are pending, or the person was referred again. Say no more "
        "about the person than the decision needs.",
    )
    review_on = DateField("Date of the next review", description="For example, 27 3 2031")
    submit = SubmitField("Retain the record")

    def validate_review_on(self, field):
        today = today_london()
        problem = rules.retain_refusal("kept", field.data, today, rules.latest_review(today)).get("review_on")
        if problem and not field.errors:
            raise ValidationError(problem)


class DisposeForm(FlaskForm):
    version = HiddenField()
    confirm = BooleanField(
        "I have checked this record is no longer needed, and confirm it is to be disposed of",
        validators=[data_required("Confirm that the record is to be disposed of")],
    )
    submit = SubmitField("Dispose of the record")


class HoldForm(FlaskForm):
    reason = reason_text(
        "Why is the case held?",
        missing="Enter why the case is held",
        description="For example: a claim, an inquiry or a request from the court. The hold stops disposal "
        "until it is lifted.",
    )
    submit = SubmitField("Place a legal hold")


class LiftForm(FlaskForm):
    reason = reason_text("Why is the hold lifted?", missing="Enter why the hold is lifted")
    submit = SubmitField("Lift the legal hold")
