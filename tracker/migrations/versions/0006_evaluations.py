"""evaluations: forms in versions with sections and questions, event evaluations, one-time links, responses

Also adds the default post-event evaluation form, so a new installation has it from the start.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

from tracker.core.migrate import create_table_with_id, drop_tables
from tracker.evaluations.defaults import DEFAULT_FORM
from tracker.migrations import columns as col

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    create_table_with_id(
        "evaluation_form",
        *col.integers("family_id", nullable=True),
        *col.integers("version_number"),
        *col.strings(200, "name"),
        *col.texts("description"),
        *col.booleans("is_default"),
        *col.utc_times("created_at"),
        *col.integers("created_by_id", nullable=True),
        *col.integers("version"),
        *col.foreign_keys("SET NULL", created_by_id="user"),
        sa.UniqueConstraint("family_id", "version_number", name="uq_evaluation_form_version"),
        indexed=("family_id", "name"),
    )

    create_table_with_id(
        "evaluation_section",
        *col.integers("form_id", "position"),
        *col.strings(200, "title"),
        *col.texts("description"),
        *col.foreign_keys("CASCADE", form_id="evaluation_form"),
        indexed=("form_id",),
    )

    create_table_with_id(
        "event_evaluation",
        *col.integers("event_id", "form_id"),
        *col.dates("closes_on"),
        *col.booleans("always_anonymous"),
        *col.utc_times("created_at"),
        *col.integers("created_by_id", nullable=True),
        *col.utc_times("last_reminded_at", nullable=True),
        *col.integers("version"),
        *col.foreign_keys("SET NULL", created_by_id="user"),
        *col.foreign_keys(event_id="course_event", form_id="evaluation_form"),
        sa.UniqueConstraint("event_id"),
        indexed=("closes_on", "form_id"),
    )

    create_table_with_id(
        "evaluation_invitation",
        *col.integers("evaluation_id", "enrolment_id"),
        *col.utc_times("sent_at"),
        *col.integers("reminders"),
        *col.booleans("answered"),
        *col.foreign_keys(enrolment_id="enrolment", evaluation_id="event_evaluation"),
        sa.UniqueConstraint("evaluation_id", "enrolment_id", name="uq_evaluation_invitation_enrolment"),
        indexed=("answered", "enrolment_id", "evaluation_id"),
    )

    create_table_with_id(
        "evaluation_question",
        *col.integers("form_id", "section_id", "position"),
        col.enum_column(
            "kind", "questionkind", "RATING", "SINGLE_CHOICE", "MULTIPLE_CHOICE", "YES_NO", "FREE_TEXT"
        ),
        *col.strings(300, "text"),
        *col.strings(500, "hint"),
        *col.booleans("required"),
        *col.json_columns("options"),
        *col.strings(32, "lineage"),
        *col.foreign_keys("CASCADE", form_id="evaluation_form", section_id="evaluation_section"),
        indexed=("form_id", "lineage", "section_id"),
    )

    create_table_with_id(
        "evaluation_response",
        *col.integers("evaluation_id", "form_id"),
        *col.integers("trainee_id", nullable=True),
        *col.dates("submitted_on"),
        *col.foreign_keys(evaluation_id="event_evaluation", form_id="evaluation_form"),
        *col.foreign_keys("SET NULL", trainee_id="trainee"),
        indexed=("evaluation_id", "form_id", "trainee_id"),
    )

    create_table_with_id(
        "evaluation_answer",
        *col.integers("response_id", "question_id"),
        *col.integers("number", nullable=True),
        *col.texts("text", nullable=True),
        *col.foreign_keys(question_id="evaluation_question"),
        *col.foreign_keys("CASCADE", response_id="evaluation_response"),
        indexed=("question_id", "response_id"),
    )
    op.create_index("ix_evaluation_answer_question_number", "evaluation_answer", ["question_id", "number"])

    create_table_with_id(
        "evaluation_link",
        *col.integers("invitation_id"),
        *col.strings(64, "token_hash"),
        *col.utc_times("created_at"),
        *col.foreign_keys("CASCADE", invitation_id="evaluation_invitation"),
        sa.UniqueConstraint("token_hash"),
        indexed=("invitation_id",),
    )
    _add_default_form()


def downgrade() -> None:
    drop_tables(
        "evaluation_answer",
        "evaluation_response",
        "evaluation_link",
        "evaluation_invitation",
        "event_evaluation",
        "evaluation_question",
        "evaluation_section",
        "evaluation_form",
    )


def _add_default_form() -> None:
    """The default post-event evaluation (tracker/evaluations/defaults.py), as version 1 of its family."""
    connection = op.get_bind()
    # The tables as upgrade() has just made them.
    meta = sa.MetaData()
    form, section, question = (
        sa.Table(name, meta, autoload_with=connection)
        for name in ("evaluation_form", "evaluation_section", "evaluation_question")
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
