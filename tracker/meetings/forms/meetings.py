"""Forms for scheduling and cancelling a meeting, its agenda, invitations, replies and attendance."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import Form

from tracker.calendar.events import is_join_link
from tracker.core.fields import (
    BooleanField,
    DateField,
    HiddenField,
    ReferenceField,
    SelectField,
    StringField,
    SubmitField,
    TimeField,
    ValidationError,
    choose_one,
    data_required,
    free_text,
    length,
    optional,
    reason_text,
    required,
    short_text,
)
from tracker.core.forms import DateRangeChecks, VersionedForm, agency_choices
from tracker.core.permissions import Role
from tracker.core.timeutil import clock_change_problem
from tracker.meetings.forms.choices import (
    LEVEL_CHOICES,
    AgencyAndPersonForm,
    people_choices,
)
from tracker.meetings.models import AgendaPurpose, AttendanceStatus, MeetingType

# Meetings ----------------------------------------------------------------------------------------


class MeetingFilterForm(DateRangeChecks, Form):
    """The meeting list's dates, read from the query string: filtering changes nothing, so it is a GET
    without a CSRF token."""

    date_from = DateField("From", validators=[optional()])
    date_to = DateField("To", validators=[optional()])


class MeetingForm(VersionedForm):
    level = choose_one("Level", LEVEL_CHOICES, missing="Select the level")
    meeting_type = choose_one("Type of meeting", MeetingType.choices(), missing="Select the type of meeting")
    day = DateField("Date", validators=[required("Enter the meeting date")])
    start_time = TimeField("Start time", validators=[required("Enter the start time")])
    end_time = TimeField("End time", validators=[required("Enter the end time")])
    venue = short_text("Venue", limit=200, description="Leave blank for an online meeting.")
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
    chair_reason = free_text(
        "Why will this chair chair the meeting?",
        limit=2000,
        named="Reason",
        rows=3,
        description=(
            "Only needed if the chair has not completed chair training, their CPD has lapsed, or their chair "
            "record does not allow the meeting's level."
        ),
    )
    administrator_id = SelectField("Administrator", validators=[optional()])
    submit = SubmitField("Save")

    def __init__(self, *args, departed_chair: str | None = None, **kwargs):
        """`departed_chair`: the name of the meeting's chair when their account is deactivated (they are
        not offered, so the form asks plainly for another chair rather than for "the chair")."""
        from tracker.meetings.queries import chair_options, trained_chairs_without_accounts

        super().__init__(*args, **kwargs)
        if departed_chair:
            message = f"{departed_chair}'s account is deactivated: choose another chair"
            self.chair_id.validators = [data_required(message)]
            if not self.is_submitted():
                self.chair_id.description = f"{message}. {self.chair_id.description}"
        self.chair_options = chair_options()
        self.trained_without_accounts = trained_chairs_without_accounts()
        self.chair_id.choices = [("", "Select a chair")] + [
            (str(option.user_id), option.label) for option in self.chair_options
        ]
        self.administrator_id.choices = people_choices("No administrator yet", Role.ADMINISTRATOR)

    def validate_start_time(self, field):
        if problem := clock_change_problem(self.day.data, field.data):
            raise ValidationError(problem)

    def validate_end_time(self, field):
        if field.data and self.start_time.data and field.data <= self.start_time.data:
            raise ValidationError("The end time must be after the start time")
        if problem := clock_change_problem(self.day.data, field.data):
            raise ValidationError(problem)

    def validate_online_link(self, field):
        if not field.data and not self.venue.data:
            raise ValidationError("Enter a venue or an online meeting link")
        if field.data and not is_join_link(field.data):
            raise ValidationError("Enter the online meeting link in full, starting with https://")


class CancelMeetingForm(VersionedForm):
    reason = reason_text(
        "Why is the meeting cancelled?", missing="Enter why the meeting is cancelled", named="Reason", rows=3
    )
    submit = SubmitField("Cancel meeting")


class NotDiscussedForm(VersionedForm):
    """A case on the agenda that the meeting did not discuss after all, and why."""

    reason = reason_text(
        "Why was the case not discussed?",
        missing="Enter why the case was not discussed",
        named="Reason",
        limit=500,
        rows=3,
        description="For example, “Not reached: time ran out” or “Key agency absent”. The "
        "minutes say “Not discussed at this meeting” with this reason.",
    )
    stale_field = "reason"
    submit = SubmitField("Mark as not discussed")


class AgendaItemForm(VersionedForm):
    case_reference = ReferenceField(
        "MAPPA reference of the case",
        validators=[length(40, "MAPPA reference")],
        render_kw={"class": "govuk-input--width-20", "spellcheck": "false"},
    )
    purpose = choose_one("Purpose", AgendaPurpose.choices(), missing="Select the purpose of the discussion")
    slot_start = TimeField("Time slot starts", validators=[optional()])
    slot_end = TimeField("Time slot ends", validators=[optional()])
    presenting_officer_id = SelectField("Presenting officer", validators=[optional()])
    # What the page showed of the item's slot (`locking.fingerprint`): a decision or risk assessment saved
    # meanwhile raises the item's version but is no conflict with it.
    shown = HiddenField()
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


class InvitationForm(AgencyAndPersonForm):
    works_elsewhere = "Select a person who works for the agency invited"

    agency_id = SelectField("Agency", validators=[data_required("Select the agency to invite")])
    user_id = SelectField(
        "Person",
        description=(
            "Someone from that agency. Leave blank to invite the agency: the Outlook invitation then goes to "
            "its secure mailbox, if it has one."
        ),
        validators=[optional()],
    )
    submit = SubmitField("Invite")


class RsvpForm(FlaskForm):
    answer = choose_one(
        "Will you attend?",
        [
            ("ACCEPTED", "Yes, I will attend"),
            ("TENTATIVE", "Perhaps (tentative)"),
            ("DECLINED", "No, I cannot attend"),
        ],
        missing="Select whether you will attend",
    )
    deputy_name = short_text(
        "Deputy attending in your place",
        limit=200,
        named="Deputy's name",
        description="If you cannot attend, the name of the colleague who will.",
    )
    submit = SubmitField("Send reply")


def attendance_form_class(invitations) -> type[FlaskForm]:
    """A form with a status and a deputy's name for each invitation of the meeting (and, for an agency
    invited with no one named, who came from it)."""

    class AttendanceForm(FlaskForm):
        submit = SubmitField("Save attendance")

    agencies = agency_choices(include_blank="The same agency", case_records=True)

    for invitation in invitations:
        who = invitation.user.name + ", " if invitation.user else ""
        label = f"{who}{invitation.agency.name}"
        setattr(
            AttendanceForm,
            f"status_{invitation.id}",
            choose_one(label, AttendanceStatus.choices(), missing=f"Select whether {label} attended"),
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
        if invitation.user is None and not invitation.walk_in:  # the agency invited as such: who came
            setattr(
                AttendanceForm,
                f"attendee_{invitation.id}",
                StringField(f"Who attended from {label}", validators=[optional(), length(200, "Name")]),
            )
    return AttendanceForm


class WalkInForm(FlaskForm):
    """Someone who came to the meeting without an invitation."""

    name = short_text("Name", limit=200, missing="Enter the name of the person who attended")
    agency_id = SelectField("Agency", validators=[data_required("Select the agency they came from")])
    role = short_text("Role", limit=200, description="For example, housing officer.")
    accepted = BooleanField("Accepted the confidentiality statement")
    submit = SubmitField("Record attendee")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.agency_id.choices = agency_choices(include_blank="Select an agency", case_records=True)
