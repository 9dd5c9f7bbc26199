"""The form that asks who the whole-area export is for and why: every export is a disclosure."""

from __future__ import annotations

from flask_wtf import FlaskForm

from tracker.core.fields import (
    FileField,
    StringField,
    SubmitField,
    TextAreaField,
    data_required,
    file_allowed,
    file_required,
    length,
)


class ExportForm(FlaskForm):
    recipient = StringField(
        "Who the export is for",
        description="A person, an organisation or a mailbox, for example: the new case system's supplier",
        validators=[data_required("Enter who the export is for"), length(200, "Who the export is for")],
    )
    reason = TextAreaField(
        "Why the records are being exported",
        description="For example: moving to a new system, as agreed by the Strategic Management Board",
        validators=[data_required("Enter why the records are being exported"), length(1000, "The reason")],
        render_kw={"rows": 3},
    )
    submit = SubmitField("Export everything (ZIP)")


class CaseloadUploadForm(FlaskForm):
    file = FileField(
        "Upload the caseload",
        description="A CSV file or an Excel workbook (.xlsx), its first row naming the columns as the "
        "template does.",
        validators=[
            file_required("Select a CSV file or an Excel workbook"),
            file_allowed(["csv", "xlsx"], "The selected file must be a CSV or an Excel workbook (.xlsx)"),
        ],
    )
    submit = SubmitField("Upload and check")
