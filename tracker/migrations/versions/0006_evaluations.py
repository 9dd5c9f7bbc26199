"""evaluations: forms in versions with sections and questions, event evaluations, one-time links, responses

Also adds the default post-event evaluation form, so a new installation has it from the start.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import tracker.core.types
from tracker.core.migrate import create_indexes
from tracker.evaluations.defaults import DEFAULT_FORM

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "evaluation_form",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("family_id", sa.Integer(), nullable=True),
        sa.Column("version_number", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("is_default", sa.Boolean(), nullable=False),
        sa.Column("created_at", tracker.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["created_by_id"], ["user.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("family_id", "version_number", name="uq_evaluation_form_version"),
    )
    create_indexes("evaluation_form", "family_id", "name")

    op.create_table(
        "evaluation_section",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("form_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["form_id"], ["evaluation_form.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    create_indexes("evaluation_section", "form_id")

    op.create_table(
        "event_evaluation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("form_id", sa.Integer(), nullable=False),
        sa.Column("closes_on", sa.Date(), nullable=False),
        sa.Column("always_anonymous", sa.Boolean(), nullable=False),
        sa.Column("created_at", tracker.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("last_reminded_at", tracker.core.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["created_by_id"], ["user.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["event_id"], ["course_event.id"], ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["form_id"], ["evaluation_form.id"], ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("event_id"),
    )
    create_indexes("event_evaluation", "closes_on", "form_id")

    op.create_table(
        "evaluation_invitation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("evaluation_id", sa.Integer(), nullable=False),
        sa.Column("enrolment_id", sa.Integer(), nullable=False),
        sa.Column("sent_at", tracker.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("reminders", sa.Integer(), nullable=False),
        sa.Column("answered", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["enrolment_id"], ["enrolment.id"], ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["evaluation_id"], ["event_evaluation.id"], ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("evaluation_id", "enrolment_id", name="uq_evaluation_invitation_enrolment"),
    )
    create_indexes("evaluation_invitation", "answered", "enrolment_id", "evaluation_id")

    op.create_table(
        "evaluation_question",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("form_id", sa.Integer(), nullable=False),
        sa.Column("section_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "RATING",
                "SINGLE_CHOICE",
                "MULTIPLE_CHOICE",
                "YES_NO",
                "FREE_TEXT",
                name="questionkind",
                native_enum=False,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("text", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("hint", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("required", sa.Boolean(), nullable=False),
        sa.Column("options", sa.JSON(), nullable=False),
        sa.Column("lineage", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.ForeignKeyConstraint(["form_id"], ["evaluation_form.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["section_id"], ["evaluation_section.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    create_indexes("evaluation_question", "form_id", "lineage", "section_id")

    op.create_table(
        "evaluation_response",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("evaluation_id", sa.Integer(), nullable=False),
        sa.Column("form_id", sa.Integer(), nullable=False),
        sa.Column("trainee_id", sa.Integer(), nullable=True),
        sa.Column("submitted_on", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(["evaluation_id"], ["event_evaluation.id"], ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["form_id"], ["evaluation_form.id"], ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["trainee_id"], ["trainee.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    create_indexes("evaluation_response", "evaluation_id", "form_id", "trainee_id")

    op.create_table(
        "evaluation_answer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("response_id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["question_id"], ["evaluation_question.id"], ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["response_id"], ["evaluation_response.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    create_indexes("evaluation_answer", "question_id", "response_id")
    op.create_index("ix_evaluation_answer_question_number", "evaluation_answer", ["question_id", "number"])

    op.create_table(
        "evaluation_link",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("invitation_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("created_at", tracker.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["invitation_id"], ["evaluation_invitation.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash"),
    )
    create_indexes("evaluation_link", "invitation_id")
    _add_default_form()


def downgrade() -> None:
    for table in (
        "evaluation_answer",
        "evaluation_response",
        "evaluation_link",
        "evaluation_invitation",
        "event_evaluation",
        "evaluation_question",
        "evaluation_section",
        "evaluation_form",
    ):
        op.drop_table(table)


def _add_default_form() -> None:
    """The default post-event evaluation (tracker/evaluations/defaults.py), as version 1 of its family."""
    connection = op.get_bind()
    form = sa.table(
        "evaluation_form",
        sa.column("id", sa.Integer),
        sa.column("family_id", sa.Integer),
        sa.column("version_number", sa.Integer),
        sa.column("name", sa.String),
        sa.column("description", sa.Text),
        sa.column("is_default", sa.Boolean),
        sa.column("created_at", tracker.core.types.UTCDateTime()),
        sa.column("version", sa.Integer),
    )
    section = sa.table(
        "evaluation_section",
        sa.column("id", sa.Integer),
        sa.column("form_id", sa.Integer),
        sa.column("position", sa.Integer),
        sa.column("title", sa.String),
        sa.column("description", sa.Text),
    )
    question = sa.table(
        "evaluation_question",
        sa.column("form_id", sa.Integer),
        sa.column("section_id", sa.Integer),
        sa.column("position", sa.Integer),
        sa.column("kind", sa.String),
        sa.column("text", sa.String),
        sa.column("hint", sa.String),
        sa.column("required", sa.Boolean),
        sa.column("options", sa.JSON),
        sa.column("lineage", sa.String),
    )
    form_id = connection.execute(
        sa.insert(form)
        .values(
            version_number=1,
            name=DEFAULT_FORM["name"],
            description=DEFAULT_FORM["description"],
            is_default=True,
            created_at=datetime.now(UTC),
            version=1,
        )
        .returning(form.c.id)
    ).scalar_one()
    connection.execute(sa.update(form).where(form.c.id == form_id).values(family_id=form_id))
    for position, part in enumerate(DEFAULT_FORM["sections"], start=1):
        section_id = connection.execute(
            sa.insert(section)
            .values(form_id=form_id, position=position, title=part["title"], description=part["description"])
            .returning(section.c.id)
        ).scalar_one()
        connection.execute(
            sa.insert(question),
            [
                {"form_id": form_id, "section_id": section_id, "position": number, **fields}
                for number, fields in enumerate(part["questions"], start=1)
            ],
        )
