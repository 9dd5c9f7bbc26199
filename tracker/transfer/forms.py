"""The form that asks who the whole-area export is for and why: every export is a disclosure."""

from __future__ import annotations

from flask_wtf import FlaskForm

from tracker.core.fields import (
    FileField,
    SubmitField,
    file_allowed,
    file_required,
    reason_text,
    short_text,
)


class ExportForm(FlaskForm):
    recipient = short_text(
        "Who the export is for",
        limit=200,
        missing="Enter who the export is for",
        description="A person, an organisation or a mailbox, for example: the new case system's supplier",
    )
    reason = reason_text(
        "Why the records are being exported",
        missing="Enter why the records are being exported",
        limit=1000,
        rows=3,
        description="For example: moving to a new system, as agreed by the Strategic Management Board",
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
