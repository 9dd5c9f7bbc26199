"""Training tables: courses, their events (cohorts and CPD events), sessions, the people enrolled, attendance.

People who attend training need not have an account: a `Trainee` is a person known to the TRSG by
name, email and agency, linked to a `User` when one has the same email. CPD is not entered separately:
it is worked out from the registers and kept on each `Enrolment` (sessions attended, CPD minutes, the
dates of completion and of the last session attended), so the training record and the chairs' register
always agree with the registers.
"""

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field, Relationship, SQLModel

from tracker.auth.models import Agency, User
from tracker.calendar.models import ReplyAnswer
from tracker.core.pillars import Pillar
from tracker.core.relations import ordered_children
from tracker.core.types import LabelledEnum, UTCDateTime, enum_field, timestamp_field
from tracker.training import codes


class CourseKind(LabelledEnum):
    CHAIR_COURSE = "Chair training course"
    CPD = "CPD"


class EventKind(LabelledEnum):
    COHORT = "Course cohort"
    CHAIRS_FORUM = "Chairs' Forum"
    DEVELOPMENT_DAY = "Development day"
    BRIEFING = "Briefing for agency staff"


class Audience(LabelledEnum):
    NEW_CHAIRS = "New chairs"
    CHAIRS = "Chairs"
    ADMINISTRATORS = "MAPPA administrators"
    AGENCY_STAFF = "Other agency staff"


class TraineeRole(LabelledEnum):
    """The capacity someone attends in: the overview counts people trained by it."""

    CHAIR = "Chair"
    ADMINISTRATOR = "MAPPA administrator"
    STAFF = "Agency staff"


class SessionStatus(LabelledEnum):
    SCHEDULED = "Scheduled"
    CANCELLED = "Cancelled"


class EnrolmentStatus(LabelledEnum):
    ENROLLED = "Enrolled"
    WAITING = "Waiting list"
    WITHDRAWN = "Withdrawn"
    COMPLETED = "Completed"
    # Outcomes set when the event ends (`services.close_event`).
    NOT_COMPLETED = "Did not complete"
    NOT_PLACED = "Waiting list closed"


# Those with a place on an event: its sessions in their diaries.
TAKING_A_PLACE = (EnrolmentStatus.ENROLLED, EnrolmentStatus.COMPLETED)
# Those on its registers: with a place, and, once it has ended, those who did not complete it.
ON_REGISTER = (EnrolmentStatus.ENROLLED, EnrolmentStatus.COMPLETED, EnrolmentStatus.NOT_COMPLETED)
# Those counted against its places ("places taken"): everyone who held one, whatever their outcome, so
# the count does not fall when the outcomes are set. Not those withdrawn or waiting.
HOLDING_A_PLACE = ON_REGISTER
# The outcomes the TRSG may set by hand, with a reason, once an event has ended.
OUTCOMES = (EnrolmentStatus.COMPLETED, EnrolmentStatus.NOT_COMPLETED, EnrolmentStatus.WITHDRAWN)


class Mark(LabelledEnum):
    PRESENT = "Present"
    LATE = "Late"
    LEFT_EARLY = "Left early"
    ABSENT = "Absent"


# Present and late count towards completion; left early does not, unless a course says so.
DEFAULT_COMPLETION_MARKS = ("PRESENT", "LATE")


class Course(SQLModel, table=True):
    """A course the TRSG runs again and again, such as the two-day MAPPA Chair Training."""

    __tablename__ = "course"

    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(max_length=200, sa_column_kwargs={"unique": True})
    kind: CourseKind = enum_field(CourseKind, index=True)
    description: str = Field(default="", sa_type=sa.Text)
    days: int = Field(default=1)
    # CPD minutes a whole event of this course is worth, the default for each new event.
    cpd_minutes: int = Field(default=0)
    active: bool = Field(default=True, index=True)
    # The completion rule: the marks (by name) that count as attending a session, and how many
    # sessions must be attended (None: every scheduled session of the event).
    completion_marks: list[str] = Field(
        default_factory=lambda: list(DEFAULT_COMPLETION_MARKS), sa_type=sa.JSON
    )
    sessions_required: int | None = Field(default=None)
    version: int = Field(default=1)

    events: list["CourseEvent"] = Relationship(back_populates="course")

    @property
    def counted_marks(self) -> frozenset[Mark]:
        return frozenset(Mark[name] for name in self.completion_marks if name in Mark.__members__)

    def audit_label(self) -> str:
        return self.title


class CourseEvent(SQLModel, table=True):
    """One running of a course: a cohort of the chair course, or a CPD event such as a Chairs' Forum."""

    __tablename__ = "course_event"

    id: int | None = Field(default=None, primary_key=True)
    course_id: int = Field(foreign_key="course.id", index=True, ondelete="RESTRICT")
    title: str = Field(max_length=200)
    kind: EventKind = enum_field(EventKind, index=True)
    # The pillar a Chairs' Forum focuses on; other events may leave it empty.
    pillar: Pillar | None = enum_field(Pillar, nullable=True, index=True)
    capacity: int
    presenters: str = Field(default="", sa_type=sa.Text)
    lived_experience: bool = Field(default=False)
    audience: list[str] = Field(default_factory=list, sa_type=sa.JSON)
    cpd_minutes: int = Field(default=0)
    # The first and last scheduled session, kept by `refresh_dates` so lists sort and filter in SQL.
    starts_at: datetime | None = Field(default=None, sa_type=UTCDateTime, index=True)
    ends_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # When the outcomes were set (the event had ended): those who did not complete are told so, the
    # waiting list is closed, and certificates go out. Registers may still be corrected afterwards.
    closed_at: datetime | None = Field(default=None, sa_type=UTCDateTime, index=True)
    created_at: datetime = timestamp_field()
    created_by_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    version: int = Field(default=1)

    course: Course = Relationship(back_populates="events")
    sessions: list["TrainingSession"] = ordered_children("event", "TrainingSession.starts_at")

    @property
    def audience_labels(self) -> list[str]:
        return [Audience[name].label for name in self.audience if name in Audience.__members__]

    @property
    def scheduled_sessions(self) -> list["TrainingSession"]:
        return [s for s in self.sessions if s.status is SessionStatus.SCHEDULED]

    @property
    def is_chair_course(self) -> bool:
        return self.kind is EventKind.COHORT and self.course.kind is CourseKind.CHAIR_COURSE

    @property
    def earns_cpd(self) -> bool:
        """Only CPD events earn CPD hours: the chair course is the training that makes a chair, and
        chairs keep current with CPD afterwards (a chair course event's hours, if any were ever entered,
        are neither printed nor counted)."""
        return self.course.kind is CourseKind.CPD

    @property
    def cpd_minutes_earned(self) -> int:
        return self.cpd_minutes if self.earns_cpd else 0

    def refresh_dates(self) -> None:
        scheduled = self.scheduled_sessions
        self.starts_at = min((s.starts_at for s in scheduled), default=None)
        self.ends_at = max((s.ends_at for s in scheduled), default=None)

    def audit_label(self) -> str:
        return self.title


class TrainingSession(SQLModel, table=True):
    """A day or part of a day of an event. `sequence` rises when the time, place or status changes,
    so calendar invitations (SEQUENCE in iCalendar) replace the earlier ones."""

    __tablename__ = "training_session"

    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(foreign_key="course_event.id", index=True, ondelete="RESTRICT")
    title: str = Field(max_length=100)
    starts_at: datetime = Field(sa_type=UTCDateTime, index=True)
    ends_at: datetime = Field(sa_type=UTCDateTime)
    venue: str = Field(default="", max_length=300)
    online_link: str = Field(default="", max_length=500)
    status: SessionStatus = enum_field(SessionStatus, default=SessionStatus.SCHEDULED, index=True)
    sequence: int = Field(default=0)
    # The SEQUENCE last sent to everyone with a place (when it last moved): a reply to it or later counts.
    sequence_for_all: int = Field(default=0)
    # Rises each time the register is saved: two people marking at once cannot overwrite each other.
    register_version: int = Field(default=0)
    version: int = Field(default=1)

    event: CourseEvent = Relationship(back_populates="sessions")

    def reschedule(
        self, *, starts_at: datetime, ends_at: datetime, venue: str, online_link: str, title: str
    ) -> bool:
        """Change the session, raising the calendar sequence if anyone's diary needs updating (and
        saying whether it did)."""
        moved = (starts_at, ends_at, venue, online_link) != (
            self.starts_at,
            self.ends_at,
            self.venue,
            self.online_link,
        )
        self.title = title
        self.starts_at, self.ends_at, self.venue, self.online_link = starts_at, ends_at, venue, online_link
        if moved:
            self._raise_sequence(for_all=True)
        return moved

    def cancel(self) -> None:
        self.status = SessionStatus.CANCELLED
        self._raise_sequence(for_all=True)

    def renumbered(self) -> None:
        """Another session's change moved which session this is ("session 2 of 3"): everyone's diary
        entry takes the new title."""
        self._raise_sequence(for_all=True)

    def someone_taken_off(self) -> None:
        """Someone lost their place: their cancellation must outrank the invitation they hold (the others
        keep theirs, and their replies to it still count)."""
        self._raise_sequence(for_all=False)

    def invited_after_a_cancellation(self) -> None:
        """Someone invited while a cancellation went out at this SEQUENCE (perhaps to them): their
        invitation must outrank it, whichever arrives first (the others keep theirs)."""
        if self.sequence > self.sequence_for_all:
            self._raise_sequence(for_all=False)

    def _raise_sequence(self, *, for_all: bool) -> None:
        # The one place a session's calendar SEQUENCE rises.
        self.sequence += 1
        if for_all:
            self.sequence_for_all = self.sequence

    def audit_label(self) -> str:
        return f"{self.title} (event {self.event_id})"


class Trainee(SQLModel, table=True):
    """A person who attends training, with or without an account."""

    __tablename__ = "trainee"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200, index=True)
    # Lower case; the key by which uploads and accounts are matched to the person.
    email: str = Field(max_length=254, sa_column_kwargs={"unique": True})
    agency_id: int = Field(foreign_key="agency.id", index=True, ondelete="RESTRICT")
    user_id: int | None = Field(
        default=None, foreign_key="user.id", ondelete="SET NULL", sa_column_kwargs={"unique": True}
    )
    created_at: datetime = timestamp_field()

    agency: Agency = Relationship(sa_relationship_kwargs={"lazy": "joined"})
    user: User | None = Relationship()

    def audit_label(self) -> str:
        return f"trainee {self.id}"


class Enrolment(SQLModel, table=True):
    """A person's place on an event, and what they achieved there (worked out from the registers)."""

    __tablename__ = "enrolment"
    __table_args__ = (sa.UniqueConstraint("event_id", "trainee_id", name="uq_enrolment_event_trainee"),)

    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(foreign_key="course_event.id", index=True, ondelete="RESTRICT")
    trainee_id: int = Field(foreign_key="trainee.id", index=True, ondelete="RESTRICT")
    role: TraineeRole = enum_field(TraineeRole, index=True)
    status: EnrolmentStatus = enum_field(EnrolmentStatus, index=True)
    waiting_position: int | None = Field(default=None)
    enrolled_at: datetime = timestamp_field()
    withdrawn_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    sessions_attended: int = Field(default=0)
    cpd_minutes: int = Field(default=0)
    completed_on: date | None = Field(default=None, index=True)
    last_attended_on: date | None = Field(default=None, index=True)
    # Why the TRSG gave this place despite the enrolment rules (a place held on another event of the
    # course, or chair training already completed); empty when no rule was overridden.
    override_reason: str = Field(default="", sa_type=sa.Text)
    # An outcome the TRSG set by hand (an `OUTCOMES` name) and why; the registers no longer decide it.
    outcome_override: EnrolmentStatus | None = enum_field(EnrolmentStatus, nullable=True)
    outcome_reason: str = Field(default="", sa_type=sa.Text)
    # The certificate's verification code (`codes`), given at completion and kept; only a Completed
    # enrolment's code verifies. Set when the certificate has been emailed.
    certificate_code: str | None = Field(default=None, max_length=10, sa_column_kwargs={"unique": True})
    certificate_sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    version: int = Field(default=1)

    event: CourseEvent = Relationship()
    trainee: Trainee = Relationship()

    @property
    def on_register(self) -> bool:
        return self.status in ON_REGISTER

    def record_outcome(self, outcome, *, closed: bool = False, last_day: date | None = None) -> None:
        """Keep what the registers say (a `rules.Outcome`): completion, CPD minutes and dates.

        Once the event is `closed`, not completing is an outcome (Did not complete) rather than a place
        still held. An outcome the TRSG set by hand stands whatever the registers say; one set to
        Completed is dated `last_day` when the registers give no day."""
        self.sessions_attended = outcome.sessions_attended
        self.cpd_minutes = outcome.cpd_minutes
        self.completed_on = outcome.completed_on
        self.last_attended_on = outcome.last_attended_on
        if self.outcome_override is not None:
            self.status = self.outcome_override
        elif outcome.complete:
            self.status = EnrolmentStatus.COMPLETED
        else:
            self.status = EnrolmentStatus.NOT_COMPLETED if closed else EnrolmentStatus.ENROLLED
        if self.status is not EnrolmentStatus.COMPLETED:
            self.completed_on = None
        elif self.completed_on is None:
            self.completed_on = last_day or outcome.last_attended_on
        if self.status is EnrolmentStatus.COMPLETED and self.certificate_code is None:
            self.certificate_code = codes.new_code()

    def audit_label(self) -> str:
        return f"enrolment of trainee {self.trainee_id} on event {self.event_id}"


class Attendance(SQLModel, table=True):
    """One person's mark on one session's register."""

    __tablename__ = "attendance"
    __table_args__ = (
        sa.UniqueConstraint("session_id", "enrolment_id", name="uq_attendance_session_enrolment"),
    )

    id: int | None = Field(default=None, primary_key=True)
    session_id: int = Field(foreign_key="training_session.id", index=True, ondelete="RESTRICT")
    enrolment_id: int = Field(foreign_key="enrolment.id", index=True, ondelete="RESTRICT")
    mark: Mark = enum_field(Mark, index=True)
    note: str = Field(default="", max_length=500)
    marked_at: datetime = timestamp_field()
    marked_by_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    # Entered after the day from the paper sign-in sheet, rather than marked in the room.
    from_paper: bool = Field(default=False)

    def audit_label(self) -> str:
        return f"{self.mark.label}: enrolment {self.enrolment_id}, session {self.session_id}"


class EnrolmentImport(SQLModel, table=True):
    """An uploaded list of people, held on the server until it has no errors and the TRSG confirms it."""

    __tablename__ = "enrolment_import"

    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(foreign_key="course_event.id", index=True, ondelete="CASCADE")
    created_by_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    created_at: datetime = timestamp_field()
    filename: str = Field(default="", max_length=255)
    # The rows as read: [{"line": 2, "name": ..., "email": ..., "agency": ..., "role": ...}].
    rows: list[dict] = Field(default_factory=list, sa_type=sa.JSON)

    def audit_label(self) -> str:
        return f"upload of {len(self.rows)} people for event {self.event_id}"


def link_training_record(_mapper, connection, user: User) -> None:
    """An account made for someone who already has a training record takes that record over (by email)."""
    connection.execute(
        sa.update(Trainee.__table__)
        .where(Trainee.__table__.c.email == user.email.lower(), Trainee.__table__.c.user_id.is_(None))
        .values(user_id=user.id)
    )


class SessionReply(SQLModel, table=True):
    """A person's answer to the invitation to one session (Accept, Tentative or Decline in Outlook)."""

    __tablename__ = "session_reply"
    __table_args__ = (sa.UniqueConstraint("session_id", "enrolment_id", name="uq_session_reply"),)

    id: int | None = Field(default=None, primary_key=True)
    session_id: int = Field(foreign_key="training_session.id", index=True, ondelete="RESTRICT")
    enrolment_id: int = Field(foreign_key="enrolment.id", index=True, ondelete="RESTRICT")
    answer: ReplyAnswer = enum_field(ReplyAnswer)
    comment: str = Field(default="", sa_type=sa.Text)
    replied_at: datetime = timestamp_field()

    def audit_label(self) -> str:
        return f"reply to session {self.session_id} for enrolment {self.enrolment_id}"

