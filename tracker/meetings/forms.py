"""Forms for cases, meetings, agendas, invitations, attendance, the Four Pillars, decisions and actions.

Checks that need only the form's own values live here; checks against the record being changed (the
meeting's date, the case's level) are made by the views through `rules`.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask_wtf import FlaskForm
from sqlmodel import col, select

from tracker.auth.models import User, UserRole
from tracker.calendar.events import usable_link
from tracker.core.db import db
from tracker.core.fields import (
    BooleanField,
    CheckboxesField,
    DateField,
    RadioField,
    ReferenceField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
    TimeField,
    ValidationError,
    data_required,
    length,
    optional,
    required,
)
from tracker.core.forms import VersionedForm, agency_choices
from tracker.core.permissions import ROLE_PERMISSIONS, Permission, Role
from tracker.core.timeutil import today_london
from tracker.meetings.models import (
    MEETING_LEVELS,
    AgendaPurpose,
    AttendanceStatus,
    Case,
    CaseEventKind,
    Category,
    Imminence,
    Level,
    LevelDecision,
    MeetingType,
    Pillar,
    PillarStatus,
    RiskLevel,
)

LEVEL_CHOICES = [(level.name, level.label) for level in MEETING_LEVELS]


# The roles whose holders may see case data: only they can be invited, present a case or own an action
# (SMB members and lay advisers see aggregates only; system admins run the system, not cases).
CASEWORK_ROLES = tuple(
    role for role, granted in ROLE_PERMISSIONS.items() if Permission.VIEW_CASE_DATA in granted
)


def people_choices(blank: str, role: Role | None = None, cleared_only: bool = False) -> list[tuple[str, str]]:
    """Active people, with their agency, for a select: those with `role` when given, else everyone whose
    roles let them see case data; with `cleared_only`, only those cleared for Category 4 cases."""
    roles = (role,) if role is not None else CASEWORK_ROLES
    statement = (
        select(User)
        .where(User.active, col(User.id).in_(select(UserRole.user_id).where(col(UserRole.role).in_(roles))))
        .order_by(User.name)
    )
    if cleared_only:
        statement = statement.where(User.terrorism_cleared)
    return [("", blank)] + [(str(u.id), f"{u.name} ({u.agency.name})") for u in db.session.exec(statement)]


def _id(value: str | None) -> int | None:
    return int(value) if value else None


# Cases -------------------------------------------------------------------------------------------


class CaseForm(VersionedForm):
    reference = ReferenceField(
        "MAPPA reference",
        description="The reference your area gives the case, for example LDN-2026-0142.",
        validators=[data_required("Enter the MAPPA reference"), length(40, "MAPPA reference")],
        render_kw={"class": "govuk-input--width-20", "spellcheck": "false"},
    )
    name = StringField(
        "Full name", validators=[data_required("Enter the person's full name"), length(200, "Full name")]
    )
    date_of_birth = DateField("Date of birth", validators=[required("Enter the person's date of birth")])
    category = RadioField(
        "Category",
        choices=[(c.name, f"{c.label}: {c.description}") for c in Category],
        validators=[data_required("Select the category")],
    )
    level = RadioField("Level", choices=LEVEL_CHOICES, validators=[data_required("Select the level")])
    referred_on = DateField("Date referred", validators=[required("Enter the date the case was referred")])
    lead_agency_id = SelectField("Lead agency", validators=[data_required("Select the lead agency")])
    lead_officer_id = SelectField("Lead officer", validators=[optional()])
    borough = StringField("Borough", validators=[data_required("Enter the borough"), length(80, "Borough")])
    visor_reference = StringField(
        "ViSOR reference",
        validators=[optional(), length(40, "ViSOR reference")],
        render_kw={"class": "govuk-input--width-20"},
    )
    ndelius_reference = StringField(
        "nDelius reference (CRN)",
        validators=[optional(), length(40, "nDelius reference")],
        render_kw={"class": "govuk-input--width-20"},
    )
    pnc_reference = StringField(
        "PNC number",
        validators=[optional(), length(40, "PNC number")],
        render_kw={"class": "govuk-input--width-20"},
    )
    submit = SubmitField("Save")

    def __init__(self, *args, editing: Case | None = None, may_see_category_4: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self._editing = editing
        self.lead_agency_id.choices = agency_choices(include_blank="Select an agency")
        cleared_only = editing is not None and editing.is_category_4
        self.lead_officer_id.choices = people_choices("Not named yet", cleared_only=cleared_only)
        if not may_see_category_4:
            self.category.choices = [c for c in self.category.choices if c[0] != Category.CATEGORY_4.name]

    def validate_reference(self, field):
        existing = db.session.exec(
            select(Case.id).where(sa.func.upper(Case.reference) == field.data.upper())
        ).first()
        if existing is not None and (self._editing is None or existing != self._editing.id):
            raise ValidationError("There is already a case with this MAPPA reference")

    def validate_date_of_birth(self, field):
        if field.data and field.data >= today_london():
            raise ValidationError("Date of birth must be in the past")

    def validate_referred_on(self, field):
        if field.data and field.data > today_london():
            raise ValidationError("The date referred must be today or in the past")

    def values(self) -> dict:
        """The case's fields as this form sets them, for `services.refer_case` and `services.edit_case`."""
        return {
            "reference": self.reference.data,
            "name": self.name.data,
            "date_of_birth": self.date_of_birth.data,
            "category": Category[self.category.data],
            "referred_on": self.referred_on.data,
            "lead_agency_id": int(self.lead_agency_id.data),
            "lead_officer_id": _id(self.lead_officer_id.data),
            "borough": self.borough.data,
            "visor_reference": self.visor_reference.data or "",
            "ndelius_reference": self.ndelius_reference.data or "",
            "pnc_reference": self.pnc_reference.data or "",
        }


class CaseEventForm(FlaskForm):
    kind = RadioField(
        "What happened",
        choices=[(k.name, k.label) for k in CaseEventKind if k is not CaseEventKind.REFERRED],
        validators=[data_required("Select what happened")],
    )
    new_level = RadioField(
        "New level",
        description="Only for a change of level.",
        choices=[(level.name, level.label) for level in Level],
        validate_choice=False,
    )
    occurred_on = DateField("Date", validators=[required("Enter the date it happened")])
    reason = TextAreaField(
        "Reason",
        validators=[data_required("Enter the reason"), length(2000, "Reason")],
        render_kw={"rows": 3},
    )
    submit = SubmitField("Record")

    def validate_occurred_on(self, field):
        if field.data and field.data > today_london():
            raise ValidationError("The date must be today or in the past")

    def validate_new_level(self, field):
        if field.data and field.data not in Level.__members__:
            raise ValidationError("Select the new level")
        if self.kind.data == CaseEventKind.LEVEL_CHANGED.name and not field.data:
            raise ValidationError("Select the new level")


# Meetings ----------------------------------------------------------------------------------------


class MeetingForm(VersionedForm):
    level = RadioField("Level", choices=LEVEL_CHOICES, validators=[data_required("Select the level")])
    meeting_type = RadioField(
        "Type of meeting",
        choices=MeetingType.choices(),
        validators=[data_required("Select the type of meeting")],
    )
    day = DateField("Date", validators=[required("Enter the meeting date")])
    start_time = TimeField("Start time", validators=[required("Enter the start time")])
    end_time = TimeField("End time", validators=[required("Enter the end time")])
    venue = StringField(
        "Venue",
        description="Leave blank for an online meeting.",
        validators=[optional(), length(200, "Venue")],
    )
    online_link = StringField(
        "Online meeting link",
        validators=[length(500, "Online meeting link")],
        render_kw={"spellcheck": "false"},
    )
    chair_id = SelectField(
        "Chair",
        description="Each chair's training, CPD and the levels they may chair are from the chairs' register.",
        validators=[data_required("Select the chair")],
    )
    chair_reason = TextAreaField(
        "Why will this chair chair the meeting?",
        description="Only needed if the chair has not completed chair training or their CPD has lapsed.",
        validators=[optional(), length(2000, "Reason")],
        render_kw={"rows": 3},
    )
    administrator_id = SelectField("Administrator", validators=[optional()])
    submit = SubmitField("Save")

    def __init__(self, *args, **kwargs):
        from tracker.meetings.queries import chair_options, trained_chairs_without_accounts

        super().__init__(*args, **kwargs)
        self.chair_options = chair_options()
        self.trained_without_accounts = trained_chairs_without_accounts()
        self.chair_id.choices = [("", "Select a chair")] + [
            (str(option.user_id), option.label) for option in self.chair_options
        ]
        self.administrator_id.choices = people_choices("No administrator yet", Role.ADMINISTRATOR)

    def validate_end_time(self, field):
        if field.data and self.start_time.data and field.data <= self.start_time.data:
            raise ValidationError("The end time must be after the start time")

    def validate_online_link(self, field):
        if not field.data and not self.venue.data:
            raise ValidationError("Enter a venue or an online meeting link")
        if field.data and (not field.data.startswith("https://") or usable_link(field.data) is None):
            raise ValidationError("Enter the online meeting link in full, starting with https://")


class CancelMeetingForm(VersionedForm):
    reason = TextAreaField(
        "Why is the meeting cancelled?",
        validators=[data_required("Enter why the meeting is cancelled"), length(2000, "Reason")],
        render_kw={"rows": 3},
    )
    submit = SubmitField("Cancel meeting")


class AgendaItemForm(VersionedForm):
    case_reference = ReferenceField(
        "MAPPA reference of the case",
        validators=[length(40, "MAPPA reference")],
        render_kw={"class": "govuk-input--width-20", "spellcheck": "false"},
    )
    purpose = RadioField(
        "Purpose",
        choices=AgendaPurpose.choices(),
        validators=[data_required("Select the purpose of the discussion")],
    )
    slot_start = TimeField("Time slot starts", validators=[optional()])
    slot_end = TimeField("Time slot ends", validators=[optional()])
    presenting_officer_id = SelectField("Presenting officer", validators=[optional()])
    submit = SubmitField("Save")

    def __init__(self, *args, adding: bool = True, cleared_only: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self._adding = adding
        self.presenting_officer_id.choices = people_choices("Not named yet", cleared_only=cleared_only)

    def validate_case_reference(self, field):
        if self._adding and not field.data:
            raise ValidationError("Enter the MAPPA reference of the case")

    def validate_slot_end(self, field):
        if field.data and not self.slot_start.data:
            raise ValidationError("Enter the time the slot starts")
        if field.data and self.slot_start.data and field.data <= self.slot_start.data:
            raise ValidationError("The slot must end after it starts")


class InvitationForm(FlaskForm):
    agency_id = SelectField("Agency", validators=[data_required("Select the agency to invite")])
    user_id = SelectField(
        "Person",
        description="Someone from that agency. Leave blank to invite the agency.",
        validators=[optional()],
    )
    submit = SubmitField("Invite")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.agency_id.choices = agency_choices(include_blank="Select an agency")
        self.user_id.choices = people_choices("No one named")

    def validate_user_id(self, field):
        if field.data and self.agency_id.data:
            person = db.session.get(User, int(field.data))
            if person is None or str(person.agency_id) != self.agency_id.data:
                raise ValidationError("Select a person who works for the agency invited")


class RsvpForm(FlaskForm):
    answer = RadioField(
        "Will you attend?",
        choices=[
            ("ACCEPTED", "Yes, I will attend"),
            ("TENTATIVE", "Perhaps (tentative)"),
            ("DECLINED", "No, I cannot attend"),
        ],
        validators=[data_required("Select whether you will attend")],
    )
    deputy_name = StringField(
        "Deputy attending in your place",
        description="If you cannot attend, the name of the colleague who will.",
        validators=[optional(), length(200, "Deputy's name")],
    )
    submit = SubmitField("Send reply")


def attendance_form_class(invitations) -> type[FlaskForm]:
    """A form with a status and a deputy's name for each invitation of the meeting."""

    class AttendanceForm(FlaskForm):
        submit = SubmitField("Save attendance")

    agencies = agency_choices(include_blank="The same agency")

    for invitation in invitations:
        who = invitation.user.name + ", " if invitation.user else ""
        label = f"{who}{invitation.agency.name}"
        setattr(
            AttendanceForm,
            f"status_{invitation.id}",
            RadioField(
                label,
                choices=AttendanceStatus.choices(),
                validators=[data_required(f"Select whether {label} attended")],
            ),
        )
        setattr(
            AttendanceForm,
            f"deputy_{invitation.id}",
            StringField(f"Deputy for {label}", validators=[optional(), length(200, "Deputy's name")]),
        )
        setattr(
            AttendanceForm,
            f"deputy_agency_{invitation.id}",
            SelectField(f"Deputy's agency, for {label}", choices=agencies, validators=[optional()]),
        )
        setattr(
            AttendanceForm,
            f"accepted_{invitation.id}",
            BooleanField(f"{label}: accepted the confidentiality statement"),
        )
    return AttendanceForm


class WalkInForm(FlaskForm):
    """Someone who came to the meeting without an invitation."""

    name = StringField(
        "Name", validators=[data_required("Enter the name of the person who attended"), length(200, "Name")]
    )
    agency_id = SelectField("Agency", validators=[data_required("Select the agency they came from")])
    role = StringField(
        "Role", description="For example, housing officer.", validators=[optional(), length(200, "Role")]
    )
    accepted = BooleanField("Accepted the confidentiality statement")
    submit = SubmitField("Record attendee")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.agency_id.choices = agency_choices(include_blank="Select an agency")


# The record of each case's discussion ------------------------------------------------------------


class PillarForm(VersionedForm):
    status = RadioField(
        "Status",
        choices=PillarStatus.choices(),
        validators=[data_required("Select the status of this pillar")],
    )
    summary = TextAreaField(
        "Summary of the plan", validators=[length(10000, "Summary")], render_kw={"rows": 6}
    )
    not_applicable_reason = TextAreaField(
        "Why it does not apply", validators=[length(2000, "Reason")], render_kw={"rows": 3}
    )
    submit = SubmitField("Save")

    def validate_summary(self, field):
        if self.status.data == PillarStatus.ADDRESSED.name and not (field.data or "").strip():
            raise ValidationError("Enter a summary of how the plan addresses this pillar")

    def validate_not_applicable_reason(self, field):
        if self.status.data == PillarStatus.NOT_APPLICABLE.name and not (field.data or "").strip():
            raise ValidationError("Enter why this pillar does not apply")


RISK_FIELDS = (
    "risk_to_children",
    "risk_to_public",
    "risk_to_known_adult",
    "risk_to_staff",
    "risk_to_prisoners",
)


def _risk_field(label: str) -> RadioField:
    return RadioField(
        label,
        choices=RiskLevel.choices(),
        validators=[data_required(f"Select the risk of serious harm to {label.lower()}")],
    )


class RiskForm(VersionedForm):
    def __init__(self, *args, tools: list[str] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.assessment_tool.choices = [(tool, tool) for tool in tools]

    risk_to_children = _risk_field("Children")
    risk_to_public = _risk_field("The public")
    risk_to_known_adult = _risk_field("A known adult")
    risk_to_staff = _risk_field("Staff")
    risk_to_prisoners = _risk_field("Prisoners")
    imminence = RadioField(
        "How imminent is the risk?",
        choices=Imminence.choices(),
        validators=[data_required("Select how imminent the risk is")],
    )
    risk_notes = TextAreaField(
        "Risk factors", validators=[optional(), length(10000, "Risk factors")], render_kw={"rows": 4}
    )
    assessment_tool = RadioField(
        "Assessment tool",
        choices=[],
        validators=[data_required("Select the tool the risk was assessed with")],
    )
    assessed_on = DateField(
        "Date of the assessment",
        validators=[required("Enter the date of the assessment")],
    )
    contingency_plan = TextAreaField(
        "Contingency plan",
        description="What happens if the plan fails or the risk rises.",
        validators=[optional(), length(10000, "Contingency plan")],
        render_kw={"rows": 4},
    )
    licence_conditions = TextAreaField(
        "Licence or order conditions",
        validators=[optional(), length(10000, "Licence conditions")],
        render_kw={"rows": 4},
    )
    submit = SubmitField("Save")


class DecisionForm(VersionedForm):
    level_decision = RadioField(
        "Level decision",
        choices=LevelDecision.choices(),
        validators=[data_required("Select the level decision")],
    )
    level_decision_reason = TextAreaField(
        "Rationale",
        validators=[data_required("Enter the rationale for the decision"), length(5000, "Rationale")],
        render_kw={"rows": 4},
    )
    next_review_on = DateField("Next review date", validators=[optional()])
    submit = SubmitField("Save")


class ActionForm(FlaskForm):
    description = TextAreaField(
        "Action",
        validators=[data_required("Enter what needs to be done"), length(2000, "Action")],
        render_kw={"rows": 3},
    )
    pillar = SelectField(
        "Pillar", choices=[("", "Not under a pillar")] + Pillar.choices(), validators=[optional()]
    )
    owner_agency_id = SelectField(
        "Owner agency", validators=[data_required("Select the agency that owns the action")]
    )
    # The same rule as approval: every action has a named owner.
    owner_id = SelectField("Owner", validators=[data_required("Select the person who owns the action")])
    due_on = DateField("Due date", validators=[required("Enter the date the action is due")])
    submit = SubmitField("Add action")

    def __init__(self, *args, cleared_only: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.owner_agency_id.choices = agency_choices(include_blank="Select an agency")
        self.owner_id.choices = people_choices("No one named", cleared_only=cleared_only)

    def validate_owner_id(self, field):
        if field.data and self.owner_agency_id.data:
            person = db.session.get(User, int(field.data))
            if person is None or str(person.agency_id) != self.owner_agency_id.data:
                raise ValidationError("Select an owner who works for the owner agency")


class DropActionForm(VersionedForm):
    reason = TextAreaField(
        "Why is the action dropped?",
        validators=[data_required("Enter why the action is dropped"), length(2000, "Reason")],
        render_kw={"rows": 3},
    )
    submit = SubmitField("Drop action")


class ActionProgressForm(VersionedForm):
    """Follow-up on an agreed action: not done by its date (and when it now will be), or what happened."""

    revised_due_on = DateField(
        "New due date", description="Leave empty if the date stands.", validators=[optional()]
    )
    progress_note = TextAreaField(
        "What has happened",
        description="For example, why it was not done by the date agreed.",
        validators=[data_required("Enter what has happened"), length(2000, "What has happened")],
        render_kw={"rows": 3},
    )
    submit = SubmitField("Save progress")


class ChairProfileForm(FlaskForm):
    grade = StringField(
        "Grade",
        description="For example, Detective Superintendent or Senior Probation Officer.",
        validators=[data_required("Enter the chair's grade"), length(120, "Grade")],
    )
    levels = CheckboxesField("May chair", choices=LEVEL_CHOICES)
    submit = SubmitField("Save")
