"""Evaluation tables: form templates in versions, the evaluation of an event, one-time links, answers.

A form version that has been sent to an event is never changed: editing it makes the next version of
the same family (`family_id`), and each question keeps a `lineage` key across versions so results can
be compared question by question between events evaluated with different versions.

Anonymity: a `Response` names the person only when they chose to (and the evaluation allows it). The
`EvaluationInvitation` records that its person has answered, as a flag with no time and no pointer to
the response, so nothing in the database joins an anonymous answer back to its author. None of these
tables is written to the automatic audit trail (its entries carry who, when and from where).
"""

import uuid
from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field, Relationship, SQLModel

from tracker.core.relations import ordered_children
from tracker.core.types import LabelledEnum, UTCDateTime, enum_field, timestamp_field
from tracker.training.models import CourseEvent, Enrolment


class QuestionKind(LabelledEnum):
    RATING = "Rating scale, 1 to 5"
    SINGLE_CHOICE = "Single choice"
    MULTIPLE_CHOICE = "Multiple choice"
    YES_NO = "Yes or no"
    FREE_TEXT = "Free text"

    @property
    def has_options(self) -> bool:
        return self in (QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE)

    @property
    def is_numeric(self) -> bool:
        """Answers kept as numbers: a rating (1 to 5) or yes/no (1 or 0)."""
        return self in (QuestionKind.RATING, QuestionKind.YES_NO)


def new_lineage() -> str:
    return uuid.uuid4().hex


class EvaluationForm(SQLModel, table=True):
    """One version of an evaluation form. Versions of one form share `family_id` (the first's id)."""

    __tablename__ = "evaluation_form"
    __table_args__ = (sa.UniqueConstraint("family_id", "version_number", name="uq_evaluation_form_version"),)

    id: int | None = Field(default=None, primary_key=True)
    family_id: int | None = Field(default=None, index=True)
    version_number: int = Field(default=1)
    name: str = Field(max_length=200, index=True)
    description: str = Field(default="", sa_type=sa.Text)
    # The post-event evaluation every installation starts with (added by the migration).
    is_default: bool = Field(default=False)
    created_at: datetime = timestamp_field()
    created_by_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    # Rises on every change, so two people editing the same draft cannot overwrite each other.
    version: int = Field(default=1)

    sections: list["FormSection"] = ordered_children("form", "FormSection.position")
    # Every question of the version, in no particular order: `ordered_questions` is the page's order.
    questions: list["Question"] = ordered_children("form", "Question.id")

    @property
    def ordered_questions(self) -> list["Question"]:
        """The questions as the form shows them: section by section, each in its own order."""
        return [question for section in self.sections for question in section.questions]

    @property
    def label(self) -> str:
        return f"{self.name} (version {self.version_number})"

    def audit_label(self) -> str:
        return self.label


class FormSection(SQLModel, table=True):
    """A part of a form with a heading; its questions are shown together."""

    __tablename__ = "evaluation_section"

    id: int | None = Field(default=None, primary_key=True)
    form_id: int = Field(foreign_key="evaluation_form.id", index=True, ondelete="CASCADE")
    position: int = Field(default=1)
    title: str = Field(max_length=200)
    description: str = Field(default="", sa_type=sa.Text)

    form: EvaluationForm = Relationship(back_populates="sections")
    questions: list["Question"] = ordered_children("section", "Question.position")

    def audit_label(self) -> str:
        return f"section '{self.title}' of form {self.form_id}"


class Question(SQLModel, table=True):
    """A question of a form version. `position` orders it within its section."""

    __tablename__ = "evaluation_question"

    id: int | None = Field(default=None, primary_key=True)
    form_id: int = Field(foreign_key="evaluation_form.id", index=True, ondelete="CASCADE")
    section_id: int = Field(foreign_key="evaluation_section.id", index=True, ondelete="CASCADE")
    position: int = Field(default=1)
    kind: QuestionKind = enum_field(QuestionKind)
    text: str = Field(max_length=300)
    hint: str = Field(default="", max_length=500)
    required: bool = Field(default=True)
    # The choices of a single or multiple choice question; the five labels of a rating scale.
    options: list[str] = Field(default_factory=list, sa_type=sa.JSON)
    # The same question in every version of a form, so results compare across versions.
    lineage: str = Field(default_factory=new_lineage, max_length=32, index=True)

    form: EvaluationForm = Relationship(back_populates="questions")
    section: FormSection = Relationship(back_populates="questions")

    def audit_label(self) -> str:
        return f"question '{self.text[:60]}' of form {self.form_id}"


class EventEvaluation(SQLModel, table=True):
    """A form version sent to the attendees of an event, open until its closing date (inclusive)."""

    __tablename__ = "event_evaluation"

    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(
        foreign_key="course_event.id", ondelete="RESTRICT", sa_column_kwargs={"unique": True}
    )
    form_id: int = Field(foreign_key="evaluation_form.id", index=True, ondelete="RESTRICT")
    closes_on: date = Field(index=True)
    # When set, nobody's name is kept with their answers; otherwise each person chooses.
    always_anonymous: bool = Field(default=False)
    created_at: datetime = timestamp_field()
    created_by_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    last_reminded_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    version: int = Field(default=1)

    event: CourseEvent = Relationship()
    form: EvaluationForm = Relationship()

    def audit_label(self) -> str:
        return f"evaluation of event {self.event_id}"


class EvaluationReopening(SQLModel, table=True):
    """A day an evaluation that had closed was reopened (its closing date moved to that day or later).

    Each reopening starts a new opening of the evaluation, and the day an answer was given tells which
    opening it came in (nobody answers while it is closed): anonymous answers shown at a close stay
    shown, and those given after a reopening are held back until there are enough of their own
    (`rules.anonymous_shown`)."""

    __tablename__ = "evaluation_reopening"

    id: int | None = Field(default=None, primary_key=True)
    evaluation_id: int = Field(foreign_key="event_evaluation.id", index=True, ondelete="CASCADE")
    # The day in London, as answers keep theirs (`Response.submitted_on`).
    reopened_on: date

    def audit_label(self) -> str:
        return f"reopening of evaluation {self.evaluation_id}"


class EvaluationInvitation(SQLModel, table=True):
    """One attendee's invitation to answer: answered once, by any of the links they were sent."""

    __tablename__ = "evaluation_invitation"
    __table_args__ = (
        sa.UniqueConstraint("evaluation_id", "enrolment_id", name="uq_evaluation_invitation_enrolment"),
    )
    __audited__ = False

    id: int | None = Field(default=None, primary_key=True)
    evaluation_id: int = Field(foreign_key="event_evaluation.id", index=True, ondelete="RESTRICT")
    enrolment_id: int = Field(foreign_key="enrolment.id", index=True, ondelete="RESTRICT")
    sent_at: datetime = timestamp_field()
    reminders: int = Field(default=0)
    # Answered or not: deliberately no time, and no link to the response (see the module docstring).
    answered: bool = Field(default=False, index=True)

    evaluation: EventEvaluation = Relationship()
    enrolment: Enrolment = Relationship()

    def audit_label(self) -> str:
        return f"evaluation invitation of enrolment {self.enrolment_id}"


class InvitationLink(SQLModel, table=True):
    """A link emailed to an attendee: only the hash of its random token is kept. Each email (the first
    and every reminder) carries a new link; all of a person's links work until they have answered."""

    __tablename__ = "evaluation_link"
    __audited__ = False

    id: int | None = Field(default=None, primary_key=True)
    invitation_id: int = Field(foreign_key="evaluation_invitation.id", index=True, ondelete="CASCADE")
    token_hash: str = Field(max_length=64, sa_column_kwargs={"unique": True})
    created_at: datetime = timestamp_field()

    invitation: EvaluationInvitation = Relationship()


class Response(SQLModel, table=True):
    """One person's answers to an evaluation; `trainee_id` is empty when they answered anonymously."""

    __tablename__ = "evaluation_response"
    __audited__ = False

    id: int | None = Field(default=None, primary_key=True)
    evaluation_id: int = Field(foreign_key="event_evaluation.id", index=True, ondelete="RESTRICT")
    form_id: int = Field(foreign_key="evaluation_form.id", index=True, ondelete="RESTRICT")
    trainee_id: int | None = Field(default=None, foreign_key="trainee.id", index=True, ondelete="SET NULL")
    # A day, not a moment: a time would let an anonymous answer be matched to the link used.
    submitted_on: date

    answers: list["Answer"] = Relationship(back_populates="response")


class Answer(SQLModel, table=True):
    """The answer to one question: a number (rating 1 to 5, yes 1, no 0) or a text (a choice or words).

    A multiple choice question has one row per option chosen, so every count is a GROUP BY in SQL.
    """

    __tablename__ = "evaluation_answer"
    __table_args__ = (sa.Index("ix_evaluation_answer_question_number", "question_id", "number"),)
    __audited__ = False

    id: int | None = Field(default=None, primary_key=True)
    response_id: int = Field(foreign_key="evaluation_response.id", index=True, ondelete="CASCADE")
    question_id: int = Field(foreign_key="evaluation_question.id", index=True, ondelete="RESTRICT")
    number: int | None = Field(default=None)
    text: str | None = Field(default=None, sa_type=sa.Text)

    response: Response = Relationship(back_populates="answers")
