"""training outcomes: completion rules per course, events closed with outcomes, outcome overrides,
certificate verification codes, and register marks taken from paper

Revision ID: 0020
Revises: 0014
Create Date: 2026-12-03
"""

import secrets
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import tracker.core.types

revision: str = "0020"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # as tracker.training.codes, frozen here


def upgrade() -> None:
    with op.batch_alter_table("course") as batch:
        batch.add_column(
            sa.Column("completion_marks", sa.JSON(), nullable=False, server_default='["PRESENT", "LATE"]')
        )
        batch.add_column(sa.Column("sessions_required", sa.Integer(), nullable=True))
    with op.batch_alter_table("course_event") as batch:
        batch.add_column(sa.Column("closed_at", tracker.core.types.UTCDateTime(), nullable=True))
        batch.create_index("ix_course_event_closed_at", ["closed_at"])
    with op.batch_alter_table("enrolment") as batch:
        batch.add_column(
            sa.Column(
                "outcome_override",
                sa.Enum(
                    "ENROLLED",
                    "WAITING",
                    "WITHDRAWN",
                    "COMPLETED",
                    "NOT_COMPLETED",
                    "NOT_PLACED",
                    name="enrolmentstatus",
                    native_enum=False,
                    length=40,
                    create_constraint=False,
                ),
                nullable=True,
            )
        )
        batch.add_column(sa.Column("outcome_reason", sa.Text(), nullable=False, server_default=""))
        batch.add_column(sa.Column("certificate_code", sa.String(length=10), nullable=True))
        batch.add_column(sa.Column("certificate_sent_at", tracker.core.types.UTCDateTime(), nullable=True))
        batch.create_unique_constraint("uq_enrolment_certificate_code", ["certificate_code"])
    with op.batch_alter_table("attendance") as batch:
        batch.add_column(sa.Column("from_paper", sa.Boolean(), nullable=False, server_default=sa.false()))

    # Every certificate already earned gets its verification code.
    connection = op.get_bind()
    completed = connection.execute(
        sa.text("SELECT id FROM enrolment WHERE status = 'COMPLETED' AND certificate_code IS NULL")
    ).scalars()
    for enrolment_id in list(completed):
        code = "".join(secrets.choice(_ALPHABET) for _ in range(10))
        connection.execute(
            sa.text("UPDATE enrolment SET certificate_code = :code WHERE id = :id"),
            {"code": code, "id": enrolment_id},
        )


def downgrade() -> None:
    with op.batch_alter_table("attendance") as batch:
        batch.drop_column("from_paper")
    with op.batch_alter_table("enrolment") as batch:
        batch.drop_constraint("uq_enrolment_certificate_code", type_="unique")
        for column in ("certificate_sent_at", "certificate_code", "outcome_reason", "outcome_override"):
            batch.drop_column(column)
    with op.batch_alter_table("course_event") as batch:
        batch.drop_index("ix_course_event_closed_at")
        batch.drop_column("closed_at")
    with op.batch_alter_table("course") as batch:
        batch.drop_column("sessions_required")
        batch.drop_column("completion_marks")
