"""Form pieces shared by every area: a form for a record two people may edit at once."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import Field, HiddenField

CONFLICT = (
    "Someone else changed this while you were editing it. Your changes were not saved: "
    "reload the page to see theirs, then make yours again"
)


class VersionedForm(FlaskForm):
    """A form that edits a record two people may change at once: the version it was read at travels with
    it in a hidden field, and the service saving it claims that version (see tracker.core.locking)."""

    version = HiddenField()

    def show_conflict(self, message: str = CONFLICT, field: Field | None = None) -> None:
        """Say on the form that someone else saved first: on `field`, else the form's first field, so the
        error summary links there."""
        if field is None:
            field = next(f for f in self if f.name not in ("csrf_token", "version"))
        field.errors = [*field.errors, message]
