"""Forms for accounts, agencies, area settings and searching the audit trail."""

from __future__ import annotations

from flask_wtf import FlaskForm
from sqlmodel import select
from wtforms import Form

from tracker.admin import rules
from tracker.auth.models import Agency, AgencySector, User
from tracker.core import audit
from tracker.core import settings as area_settings
from tracker.core.db import db
from tracker.core.fields import (
    BooleanField,
    CheckboxesField,
    DateField,
    EmailField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
    ValidationError,
    data_required,
    email,
    length,
    number_range,
    optional,
    reason_text,
    required,
    short_text,
)
from tracker.core.forms import DateRangeChecks, agency_choices, name_key
from tracker.core.permissions import Role


class UserForm(FlaskForm):
    name = short_text("Full name", limit=200, missing="Enter the person's full name")
    email = EmailField(
        "Email address",
        validators=[
            data_required("Enter the person's work email address"),
            email(),
            length(254, "Email address"),
        ],
        render_kw={"spellcheck": "false", "autocomplete": "off"},
    )
    agency_id = SelectField("Agency", validators=[data_required("Select the person's agency")])
    job_title = short_text("Job title or grade", limit=200, named="Job title")
    roles = CheckboxesField(
        "Roles",
        description="Select all that apply. System admins and MAPPA co-ordinators must use two-factor "
        "sign-in.",
        choices=Role.choices(),
    )
    terrorism_cleared = BooleanField("May see Category 4 (terrorism) cases")
    chair_trained = BooleanField("Has completed MAPPA chair training")
    active = BooleanField("Account is active", default=True)
    submit = SubmitField("Save")

    def __init__(self, *args, editing: User | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.agency_id.choices = agency_choices(include_blank="Select an agency")
        self._editing = editing

    def validate_email(self, field):
        existing = db.session.exec(select(User).where(User.email == field.data)).first()
        if existing is not None and (self._editing is None or existing.id != self._editing.id):
            raise ValidationError("There is already an account with this email address")

    def validate_roles(self, field):
        if not field.data:
            raise ValidationError("Select at least one role")


class AgencyForm(FlaskForm):
    name = short_text("Agency name", limit=200, missing="Enter the agency's name")
    sector = SelectField(
        "Sector",
        description="Police, Probation and Prisons make up the Responsible Authority.",
        choices=[("", "Select a sector")] + AgencySector.choices(),
        validators=[data_required("Select the agency's sector")],
    )
    secure_mailbox = EmailField(
        "Secure group mailbox (optional)",
        description="For an agency without accounts in the tracker: its secure email address. Invitations "
        "to the agency and notices of minutes go there.",
        validators=[optional(), email(), length(254, "Secure group mailbox")],
        render_kw={"spellcheck": "false", "autocomplete": "off"},
    )
    active = BooleanField("Agency is active", default=True)
    submit = SubmitField("Save")

    def __init__(self, *args, editing: Agency | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self._editing = editing

    def validate_name(self, field):
        # "HM Prison Service" = "hm prison service", "Évry" = "ÉVRY": compared here, not with SQL lower(),
        # which SQLite applies to ASCII letters only. An area has tens of agencies.
        wanted = name_key(field.data)
        for agency_id, name in db.session.exec(select(Agency.id, Agency.name)):
            if name_key(name) == wanted and (self._editing is None or agency_id != self._editing.id):
                raise ValidationError("There is already an agency with this name")


def settings_form_class() -> type[FlaskForm]:
    """A form with one field per registered area setting, built from the registry; settings that would
    contradict one another are refused together (`rules.settings_problems`)."""

    class SettingsForm(FlaskForm):
        # What each setting was when the page was opened (`area_settings.fingerprints`, as JSON).
        opened = HiddenField()
        submit = SubmitField("Save settings")

        def validate(self, extra_validators=None):
            return super().validate(extra_validators) & self.contradictions_shown()

        def contradictions_shown(self) -> bool:
            """Put each contradiction among the values beside its field; whether there were none. Also used
            on opening the page, for settings saved before a rule existed or changed outside the page."""
            # A setting with a problem of its own (out of range) is not compared: its pair would be given
            # a message derived from a value that is itself refused ("enter 0 weeks or fewer").
            fields = {key: getattr(self, key) for key in area_settings.REGISTRY}
            values = {key: None if field.errors else field.data for key, field in fields.items()}
            valid = True
            for key, problem in rules.settings_problems(values).items():
                field = getattr(self, key)
                if not isinstance(field.errors, list):
                    field.errors = []  # WTForms gives an unvalidated field a tuple
                if not field.errors:  # its own problem (not a number, out of range) is said first
                    field.errors = [problem]
                    valid = False
            return valid

    for key, definition in area_settings.REGISTRY.items():
        setattr(SettingsForm, key, _setting_field(definition))
    return SettingsForm


def _setting_field(definition: area_settings.SettingDefinition):
    label, hint = definition.label, definition.hint
    if definition.kind == "bool":
        return BooleanField(label, description=hint)
    if definition.kind == "int":
        # `required`, not `data_required`: 0 is a number someone typed (out of range or not), not a gap.
        return IntegerField(
            label,
            description=hint,
            message=f"{label} must be a whole number",
            validators=[
                required(f"Enter the {label[0].lower()}{label[1:]}"),
                number_range(label, definition.minimum, definition.maximum),
            ],
        )
    validators = [data_required(f"Enter the {label.lower()}")]
    if definition.max_length:
        validators.append(length(definition.max_length, label))
    filters = ()
    if definition.separator:
        validators.append(_no_repeats(label, definition.separator, definition.offered))
        filters = (_tidy_list(definition.separator),)
    kind = TextAreaField if definition.kind == "text" else StringField
    return kind(label, description=hint, validators=validators, filters=filters)


def _tidy_list(separator: str):
    """A list as it is kept: each entry trimmed, blank lines and empty entries left out."""

    def tidy(text):
        return area_settings.joined(area_settings.entries(text, separator), separator) if text else text

    return tidy


def _no_repeats(label: str, separator: str, offered: tuple[str, ...]):
    named = f"{label[0].lower()}{label[1:]}"

    def check(form, field):
        listed = area_settings.entries(field.data or "", separator)
        if repeated := rules.repeated_entry(listed):
            raise ValidationError(f"“{repeated}” is in the list of {named} more than once: remove one")
        if always := rules.offered_entry(listed, offered):
            raise ValidationError(
                f"“{always}” is always offered, with a box to type the reason: remove it from the list of "
                f"{named}"
            )

    return check


class AuditSearchForm(DateRangeChecks, Form):
    """Read from the query string: searching changes nothing, so it is a GET without a CSRF token."""

    person = StringField("Person", description="Name or email address", validators=[optional()])
    case = short_text("Case reference", limit=40, render_kw={"class": "govuk-input--width-10"})
    action = SelectField(
        "Operation",
        choices=[("", "Any"), *((key, label) for key, label in audit.OPERATIONS.items())],
        validators=[optional()],
    )
    reason = short_text(
        "Reason",
        limit=500,
        description="A reason from the area's lists, or words from a reason typed",
    )
    object_type = short_text(
        "Object",
        limit=60,
        description="For example Case, Meeting or Action",
        render_kw={"class": "govuk-input--width-10"},
    )
    object_id = short_text("Object id", limit=60, render_kw={"class": "govuk-input--width-5"})
    date_from = DateField("From", validators=[optional()])
    date_to = DateField("To", validators=[optional()])


class RefuseAccountForm(FlaskForm):
    """A system admin refusing a chair's account the TRSG asked for, saying why: the TRSG reads it on the
    chairs' register."""

    reason = reason_text(
        "Why is the account refused?",
        missing="Enter why the account is refused",
        limit=1000,
        description="The Training and Research Sub-Group reads this on the chairs' register: say what "
        "they would need to do for an account to be approved, if anything. Do not include case details.",
    )
    submit = SubmitField("Refuse")


class RefuseGrantForm(FlaskForm):
    """A second system admin refusing access another admin asked for (a role, clearance or a new email
    address), saying why: the admin who asked is emailed the reason, and the audit trail keeps it."""

    reason = reason_text(
        "Why are you refusing it?",
        missing=rules.refusal_problem(""),
        limit=rules.REFUSAL_REASON_LIMIT,
        description="The admin who asked for it is emailed your reason, so do not include case details.",
    )
    submit = SubmitField("Refuse")
