"""Forms for a case and the events in its history."""

from __future__ import annotations

import sqlalchemy as sa
from flask_wtf import FlaskForm
from sqlmodel import select

from tracker.auth.models import User
from tracker.core import audit
from tracker.core.db import db
from tracker.core.fields import (
    DateField,
    RadioField,
    ReferenceField,
    SelectField,
    SubmitField,
    TimeField,
    ValidationError,
    choose_one,
    data_required,
    free_text,
    length,
    optional,
    required,
    short_text,
)
from tracker.core.forms import VersionedForm, agency_choices
from tracker.core.timeutil import london, today_london
from tracker.core.types import utcnow
from tracker.meetings import access
from tracker.meetings.forms.choices import LEVEL_CHOICES, chosen_id, people_choices
from tracker.meetings.models import Case, CaseEventKind, Category, Level

# Cases -------------------------------------------------------------------------------------------


# For a reference a case this person may not see already has: neither that there is such a case nor whose.
REFERENCE_NOT_AVAILABLE = "This MAPPA reference cannot be used: check it, or ask the MAPPA co-ordinator"


class CaseForm(VersionedForm):
    reference = ReferenceField(
        "MAPPA reference",
        description="The reference your area gives the case, for example LDN-2026-0142.",
        validators=[data_required("Enter the MAPPA reference"), length(40, "MAPPA reference")],
        render_kw={"class": "govuk-input--width-20", "spellcheck": "false"},
    )
    name = short_text("Full name", limit=200, missing="Enter the person's full name")
    date_of_birth = DateField("Date of birth", validators=[required("Enter the person's date of birth")])
    category = choose_one(
        "Category",
        [(c.name, f"{c.label}: {c.description}") for c in Category],
        missing="Select the category",
    )
    level = choose_one("Level", LEVEL_CHOICES, missing="Select the level")
    referred_on = DateField("Date referred", validators=[required("Enter the date the case was referred")])
    lead_agency_id = SelectField("Lead agency", validators=[data_required("Select the lead agency")])
    lead_officer_id = SelectField("Lead officer", validators=[optional()])
    borough = short_text("Borough", limit=80, missing="Enter the borough")
    visor_reference = short_text("ViSOR reference", limit=40, render_kw={"class": "govuk-input--width-20"})
    ndelius_reference = short_text(
        "nDelius reference (CRN)",
        limit=40,
        named="nDelius reference",
        render_kw={"class": "govuk-input--width-20"},
    )
    pnc_reference = short_text("PNC number", limit=40, render_kw={"class": "govuk-input--width-20"})
    submit = SubmitField("Save")

    def __init__(self, *args, viewer: User, editing: Case | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self._editing, self._viewer = editing, viewer
        may_see_category_4 = viewer.terrorism_cleared
        self.lead_agency_id.choices = agency_choices(include_blank="Select an agency", case_records=True)
        cleared_only = editing is not None and editing.is_category_4
        self.lead_officer_id.choices = people_choices("Not named yet", cleared_only=cleared_only)
        if not may_see_category_4:
            self.category.choices = [c for c in self.category.choices if c[0] != Category.CATEGORY_4.name]

    def validate_reference(self, field):
        """A reference is one case's. Taken by a case this person may not see or find (another chair's, a
        Category 4 case), the answer does not say there is such a case or what it is, and the attempt is
        in the case's audit trail for those who may see it."""
        existing = db.session.exec(
            select(Case).where(sa.func.upper(Case.reference) == field.data.upper())
        ).first()
        if existing is None or (self._editing is not None and existing.id == self._editing.id):
            return
        if not access.case_known(existing, self._viewer):
            audit.record(
                "case reference refused",
                existing,
                summary="Entered on a case form by someone who may not see this case; refused",
            )
            raise ValidationError(REFERENCE_NOT_AVAILABLE)
        raise ValidationError("There is already a case with this MAPPA reference")

    def validate_date_of_birth(self, field):
        if field.data and field.data >= today_london():
            raise ValidationError("Date of birth must be in the past")

    def validate_referred_on(self, field):
        if field.data and field.data > today_london():
            raise ValidationError("The date referred must be today or in the past")
        born = self.date_of_birth.data
        if field.data and born and born < today_london() and field.data <= born:
            raise ValidationError("The date referred must be after the date of birth")

    def values(self) -> dict:
        """The case's fields as this form sets them, for `services.refer_case` and `services.edit_case`."""
        return {
            "reference": self.reference.data,
            "name": self.name.data,
            "date_of_birth": self.date_of_birth.data,
            "category": Category[self.category.data],
            "referred_on": self.referred_on.data,
            "lead_agency_id": int(self.lead_agency_id.data),
            "lead_officer_id": chosen_id(self.lead_officer_id.data),
            "borough": self.borough.data,
            "visor_reference": self.visor_reference.data or "",
            "ndelius_reference": self.ndelius_reference.data or "",
            "pnc_reference": self.pnc_reference.data or "",
        }


class CaseEventForm(FlaskForm):
    kind = choose_one(
        "What happened",
        [(k.name, k.label) for k in CaseEventKind if k is not CaseEventKind.REFERRED],
        missing="Select what happened",
    )
    new_level = RadioField(
        "New level",
        description="Only for a change of level.",
        choices=[(level.name, level.label) for level in Level],
        validate_choice=False,
    )
    occurred_on = DateField("Date", validators=[required("Enter the date it happened")])
    occurred_time = TimeField(
        "Time (optional)",
        validators=[optional()],
        description=(
            "The time it happened, if on the day of a meeting on this case and after the meeting began: "
            "without one, it counts as before that day's meetings. For example, 17:30"
        ),
    )
    reason = free_text("Reason", limit=2000, missing="Enter the reason", rows=3)
    submit = SubmitField("Record")

    def validate_occurred_on(self, field):
        if field.data and field.data > today_london():
            raise ValidationError("The date must be today or in the past")

    def validate_occurred_time(self, field):
        now = london(utcnow())
        if field.data and self.occurred_on.data == now.date() and field.data > now.time():
            raise ValidationError("The time must be now or in the past")

    def validate_new_level(self, field):
        if field.data and field.data not in Level.__members__:
            raise ValidationError("Select the new level")
        if self.kind.data == CaseEventKind.LEVEL_CHANGED.name and not field.data:
            raise ValidationError("Select the new level")
