"""Forms and choices that every area uses: confirmation buttons, forms that carry a version, the dates a
list is searched between, agencies."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort
from flask_wtf import FlaskForm
from wtforms import Field, HiddenField

from tracker.core.db import db
from tracker.core.fields import SubmitField, ValidationError

STALE = (
    "Someone else changed this while you were editing it. Your changes were not saved: "
    "reload the page to see theirs, then make yours again"
)


class ConfirmForm(FlaskForm):
    """A form that only carries the CSRF token, for buttons that change something."""

    submit = SubmitField("Confirm")


def require_confirmation() -> None:
    """Refuse (400) a button's POST that does not carry a valid CSRF token."""
    if not ConfirmForm().validate_on_submit():
        abort(400)


class VersionedForm(FlaskForm):
    """A form for something two people may edit at once: the version it was read at travels with it
    (see tracker.core.locking)."""

    version = HiddenField()
    # The field that shows the message when the version is out of date, so the error summary links there.
    stale_field = "title"

    def check_version(self, current: int) -> bool:
        """False, with a message on the form, if someone else saved a change since this form was read."""
        if str(current) == (self.version.data or ""):
            return True
        getattr(self, self.stale_field).errors.append(STALE)
        return False

    def show_conflict(self, message: str = STALE, field: Field | None = None) -> None:
        """Say on the form that someone else saved first (the service's claim of the version failed): on
        `field`, else the form's `stale_field`, else its first field."""
        if field is None:
            field = getattr(self, self.stale_field, None) or next(
                f for f in self if f.name not in ("csrf_token", "version")
            )
        field.errors = [*field.errors, message]


class DateRangeChecks:
    """The checks of a list's search between two dates (its `date_from` and `date_to` fields, each an
    optional `tracker.core.fields.DateField`), the same on every list: a date that is not a real one, or
    only part of one, is a message on its field (the field's own), and so is a 'to' date before the
    'from' date. A list whose search has an error says so in the error summary and shows nothing, rather
    than everything as if no dates had been given."""

    def validate_date_to(self, field):
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError("The 'to' date must be the same as or after the 'from' date")


# The agency table as core sees it (the model is tracker.auth.models.Agency; core imports no area).
_AGENCY = sa.table(
    "agency", sa.column("id"), sa.column("name"), sa.column("sector"), sa.column("active", sa.Boolean)
)
# The sectors (by stored name) of agencies that hold no case records: those whose AgencySector says
# `holds_case_records` is false (core comes below auth, so it names them; a test keeps the two agreed).
NO_CASE_RECORDS = ("LAY_ADVISERS",)


def agency_choices(include_blank: str | None = None, *, case_records: bool = False) -> list[tuple[str, str]]:
    """The active agencies by name, as select choices (with a blank first choice if asked); with
    `case_records`, only those that may hold them (to lead a case, own an action, be sent minutes)."""
    statement = sa.select(_AGENCY.c.id, _AGENCY.c.name).where(_AGENCY.c.active).order_by(_AGENCY.c.name)
    if case_records:
        statement = statement.where(_AGENCY.c.sector.not_in(NO_CASE_RECORDS))
    agencies = db.session.execute(statement)
    choices = [(str(agency_id), name) for agency_id, name in agencies]
    return ([("", include_blank)] if include_blank is not None else []) + choices


def name_key(name: str | None) -> str:
    """A name typed by hand as it is compared with others, case and spacing aside: "HM  prison service"
    and "HM Prison Service" are one name."""
    return " ".join((name or "").split()).casefold()
