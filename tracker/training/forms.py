"""Forms for courses, events, sessions, enrolment, uploads and attendance registers."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from flask_wtf import FlaskForm
from sqlmodel import select
from wtforms import SelectChoice

from tracker.calendar.events import is_join_link
from tracker.core.db import db
from tracker.core.fields import (
    BooleanField,
    CheckboxesField,
    DateField,
    DecimalField,
    EmailField,
    FileField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TimeField,
    ValidationError,
    choose_one,
    data_required,
    email,
    file_allowed,
    file_required,
    free_text,
    length,
    number_range,
    optional,
    reason_text,
    required,
    short_text,
)
from tracker.core.forms import VersionedForm, agency_choices
from tracker.core.pillars import Pillar
from tracker.core.timeutil import clock_change_problem, today_london
from tracker.training import listings, rules
from tracker.training.listings import AUDIENCES
from tracker.training.models import OUTCOMES, Audience, Course, CourseKind, EventKind, Mark, TraineeRole

MAX_CAPACITY = 300

# The kinds of event each kind of course runs.
EVENT_KINDS = {
    CourseKind.CHAIR_COURSE: [EventKind.COHORT],
    CourseKind.CPD: [EventKind.CHAIRS_FORUM, EventKind.DEVELOPMENT_DAY, EventKind.BRIEFING],
}


def _hours_field(label: str, description: str) -> DecimalField:
    return DecimalField(
        label,
        description=description,
        places=1,
        validators=[optional(), number_range(label, 0, 100)],
        render_kw={"class": "govuk-input--width-4", "inputmode": "decimal"},
    )


def hours_field_value(minutes: int) -> Decimal:
    """Minutes as the hours a CPD hours box shows (90 → 1.5)."""
    return (Decimal(minutes) / 60).quantize(Decimal("0.1"))


def hours_value(field: DecimalField) -> int:
    """CPD hours typed as a decimal, as whole minutes."""
    return round((field.data or Decimal(0)) * 60)


def _cpd_hours_given(field: DecimalField, course: bool = False) -> bool:
    """Whether CPD hours that earn CPD are given, more than 0; if not, the field says so."""
    refused = None if field.errors else rules.cpd_hours_refused(hours_value(field), course)
    if refused:
        field.errors.append(refused)
    return refused is None


class CourseForm(VersionedForm):
    title = short_text("Course title", limit=200, missing="Enter the course title")
    kind = choose_one("Kind of course", CourseKind.choices(), missing="Select the kind of course")
    description = free_text("Description", limit=5000)
    days = IntegerField(
        "Length in days",
        validators=[required("Enter the length of the course in days"), number_range("Length", 1, 10)],
        render_kw={"class": "govuk-input--width-3", "inputmode": "numeric"},
    )
    cpd_hours = _hours_field(
        "CPD hours", "For a CPD course: what a whole event of it is worth, for example 3 or 1.5"
    )
    completion_marks = CheckboxesField(
        "Marks that count as attending a session",
        description="Select all that apply. Present and late usually count; left early usually does not.",
        choices=[(mark.name, mark.label) for mark in Mark if mark is not Mark.ABSENT],
        validators=[data_required("Select at least one mark that counts as attending")],
    )
    sessions_required = IntegerField(
        "Sessions needed to complete (optional)",
        description="Leave empty if every session must be attended",
        validators=[optional(), number_range("Sessions needed", 1, 50)],
        render_kw={"class": "govuk-input--width-3", "inputmode": "numeric"},
    )
    active = BooleanField("Still running (new events can be added)", default=True)
    submit = SubmitField("Save course")

    def __init__(self, *args, editing: Course | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self._editing = editing

    def validate_cpd_hours(self, field):
        if self.kind.data == CourseKind.CHAIR_COURSE.name and field.data:
            raise ValidationError(
                "Leave CPD hours empty for a chair training course: it trains new chairs, who then keep "
                "current with CPD events"
            )

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.kind.data == CourseKind.CPD.name:
            valid = _cpd_hours_given(self.cpd_hours, course=True) and valid
        return valid

    def validate_sessions_required(self, field):
        days = self.days.data
        if field.data is not None and isinstance(days, int) and 0 < days < field.data:
            each = "one session" if days == 1 else f"a session on each of its {days} days"
            raise ValidationError(f"Sessions needed must be {days} or fewer: the course has {each}")

    def validate_title(self, field):
        existing = db.session.exec(select(Course).where(Course.title == field.data)).first()
        if existing is not None and (self._editing is None or existing.id != self._editing.id):
            raise ValidationError("There is already a course with this title")


class EventForm(VersionedForm):
    title = short_text(
        "Event title",
        limit=200,
        missing="Enter the event title",
        description="For example, 'Cohort 4, spring' or 'Chairs' Forum: victim safety planning'",
    )
    kind = choose_one("Kind of event", missing="Select the kind of event")
    pillar = RadioField(
        "Pillar the forum focuses on",
        description="Chairs' Forums each focus on one of the Four Pillars.",
        choices=Pillar.choices(),
        validate_choice=False,
    )
    capacity = IntegerField(
        "Places",
        description="When every place is taken, people join a waiting list.",
        validators=[required("Enter the number of places"), number_range("Places", 1, MAX_CAPACITY)],
        render_kw={"class": "govuk-input--width-3", "inputmode": "numeric"},
    )
    audience = CheckboxesField(
        "Audience", choices=Audience.choices(), validators=[optional()], description="Select all that apply."
    )
    presenters = free_text("Presenters", limit=2000, description="One a line, with their organisation")
    lived_experience = BooleanField("A speaker with lived experience of the justice system presents")
    cpd_hours = _hours_field("CPD hours", "What attending the whole event is worth, for example 3 or 1.5")
    submit = SubmitField("Save event")

    def __init__(self, *args, course: Course, outcomes_set: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = [(kind.name, kind.label) for kind in EVENT_KINDS[course.kind]]
        # Every event of a CPD course earns CPD; one whose outcomes are set keeps its hours as they are.
        self._hours_needed = course.kind is CourseKind.CPD and not outcomes_set

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        return (_cpd_hours_given(self.cpd_hours) if self._hours_needed else True) and valid

    def validate_pillar(self, field):
        if self.kind.data == EventKind.CHAIRS_FORUM.name and field.data not in Pillar.__members__:
            raise ValidationError("Select the pillar the forum focuses on")


def _day_of(form) -> date | None:
    """The day a session form's times are on: an event's first day, or the session's own day."""
    field = getattr(form, "first_day", None) or form.day
    return field.data if isinstance(field.data, date) else None


class NewEventForm(EventForm):
    """A new event, with its first session: the course's other days follow on the next working days."""

    first_day = DateField(
        "Date of the first day", validators=[data_required("Enter the date of the first day")]
    )
    starts = TimeField("Start time", validators=[data_required("Enter the start time")])
    ends = TimeField("End time", validators=[data_required("Enter the end time")])
    venue = StringField("Venue", validators=[length(300, "Venue")])
    online_link = short_text("Online link", limit=500, description="For an event held online")
    submit = SubmitField("Create event")

    def validate_first_day(self, field):
        if field.data and (refused := rules.session_day_refused(field.data, today_london())):
            raise ValidationError(refused)

    def validate_starts(self, field):
        if problem := clock_change_problem(_day_of(self), field.data):
            raise ValidationError(problem)

    def validate_ends(self, field):
        if field.data and self.starts.data and field.data <= self.starts.data:
            raise ValidationError("End time must be after the start time")
        if problem := clock_change_problem(_day_of(self), field.data):
            raise ValidationError(problem)

    def validate_venue(self, field):
        if not field.data and not self.online_link.data:
            raise ValidationError("Enter the venue or an online link")

    def validate_online_link(self, field):
        # It goes into calendar invitations, which take a web address only.
        if field.data and not is_join_link(field.data):
            raise ValidationError("Enter the online link in full, starting with https://")


class SessionForm(VersionedForm):
    title = short_text(
        "Session title",
        limit=100,
        missing="Enter the session title",
        description="For example, 'Day 1'",
    )
    day = DateField("Date", validators=[data_required("Enter the date of the session")])
    starts = TimeField("Start time", validators=[data_required("Enter the start time")])
    ends = TimeField("End time", validators=[data_required("Enter the end time")])
    venue = StringField("Venue", validators=[length(300, "Venue")])
    online_link = short_text("Online link", limit=500, description="For a session held online")
    submit = SubmitField("Save session")

    validate_day = NewEventForm.validate_first_day
    validate_starts = NewEventForm.validate_starts
    validate_ends = NewEventForm.validate_ends
    validate_venue = NewEventForm.validate_venue
    validate_online_link = NewEventForm.validate_online_link


class EnrolForm(FlaskForm):
    email = EmailField(
        "Email address",
        description="If they have an account or have been on training before, their record is used",
        validators=[
            data_required("Enter the person's email address"),
            email(),
            length(254, "Email address"),
        ],
        render_kw={"spellcheck": "false", "autocomplete": "off"},
    )
    # Asked of someone new only: an account's, or a training record's, name and agency are theirs.
    name = short_text(
        "Full name", limit=200, description="Not needed for someone on record: the name there is used"
    )
    agency_id = SelectField(
        "Agency",
        description="Not needed for someone on record: the agency there is used",
        validators=[optional()],
    )
    role = RadioField(
        "Attending as",
        description="Leave unselected to take it from their account, or from the event",
        choices=TraineeRole.choices(),
        validators=[optional()],
    )
    override_reason = free_text(
        "Reason for overriding the enrolment rules (if needed)",
        limit=1000,
        named="Reason",
        description="Only when they already have a place on another event of this course, or this is a "
        "chair course and they have completed one or hold a place on another: the reason is recorded and "
        "shown on their enrolment",
    )
    # Asked only when the name and agency match someone already known by another email address.
    same_person = RadioField(
        "Is this the same person?",
        choices=[("EXISTING", "Yes: enrol the person already on record"), ("NEW", "No: add a new person")],
        validators=[optional()],
    )
    submit = SubmitField("Enrol")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.agency_id.choices = agency_choices(include_blank="Select an agency")

    def validate(self, extra_validators=None) -> bool:
        """Someone not on record (no account, no training record) needs a name and an agency."""
        valid = super().validate(extra_validators)
        if not self.email.errors and listings.on_record(self.email.data) is None:
            if not (self.name.data or "").strip():
                self.name.errors.append("Enter the person's full name")
                valid = False
            if not self.agency_id.data:
                self.agency_id.errors.append("Select the person's agency")
                valid = False
        return valid


class UploadForm(FlaskForm):
    file = FileField(
        "Upload a CSV file",
        description="One person a line: name, email, agency (as named in the tracker). "
        "An optional fourth column says chair, administrator or staff.",
        validators=[
            file_required("Select a CSV file"),
            file_allowed(["csv"], "The selected file must be a CSV"),
        ],
    )
    submit = SubmitField("Upload and check")


def register_form(enrolments, marks: dict, after_the_day: bool = False) -> FlaskForm:
    """A register: a set of radios (present, late, left early, absent) and a note for each person.
    After the day of the session, the marks are taken from the paper sign-in sheet (said, and kept)."""

    fields = {
        "register_version": HiddenField(),
        "from_paper": BooleanField(
            "These marks are taken from the paper sign-in sheet", default=after_the_day
        ),
        "submit": SubmitField("Save register"),
        "all_present": SubmitField("Mark everyone not yet marked as present"),
    }
    # A few hundred people: the choices are made once and shared (as SelectChoice, which WTForms takes
    # without a deprecation warning for each field), and the class is made with every field at once.
    choices = [SelectChoice(value, label) for value, label in Mark.choices()]
    optional_mark, note_rules = [optional()], [optional(), length(500, "Note")]
    for enrolment in enrolments:
        existing = marks.get(enrolment.id)
        name = enrolment.trainee.name
        fields[f"mark_{enrolment.id}"] = RadioField(
            name,
            choices=choices,
            default=existing.mark.name if existing else None,
            validators=optional_mark,
        )
        fields[f"note_{enrolment.id}"] = StringField(
            f"Note for {name}", default=existing.note if existing else "", validators=note_rules
        )
    return type("RegisterForm", (FlaskForm,), fields)()


class OutcomeForm(VersionedForm):
    """The TRSG's override of one person's outcome, with the reason."""

    stale_field = "outcome"
    outcome = choose_one(
        "Outcome",
        [(status.name, status.label) for status in OUTCOMES],
        missing="Select the outcome",
    )
    reason = reason_text(
        "Reason for overriding the outcome",
        missing="Enter the reason for overriding the outcome",
        named="Reason",
        limit=1000,
        description="For example, 'Missed the afternoon of day 2 for a MAPPA meeting; caught up with the "
        "trainer'. The reason is recorded and shown on the event.",
    )
    submit = SubmitField("Save outcome")


class MailingForm(FlaskForm):
    """A message to an event's people. References only: no case details."""

    audience = choose_one("Who to email", [], missing="Select who to email")
    subject = short_text("Subject", limit=150, missing="Enter the subject")
    body = free_text(
        "Message",
        limit=5000,
        missing="Enter the message",
        description="Do not include details of any case or person under MAPPA: emails leave the tracker.",
    )
    submit = SubmitField("Preview the email")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.audience.choices = list(AUDIENCES.items())


class CheckCertificateForm(FlaskForm):
    code = short_text(
        "Certificate code",
        limit=40,
        missing="Enter the certificate code",
        description="As printed on the certificate, for example 7KQ2M-XH93D",
        render_kw={"class": "govuk-input--width-10", "spellcheck": "false", "autocomplete": "off"},
    )
    submit = SubmitField("Check certificate")
