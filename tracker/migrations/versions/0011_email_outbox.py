"""email outbox, replies by email, minutes links for agencies without accounts

Revision ID: 0011
Revises: 0012
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import tracker.core.types

revision: str = "0011"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "outbox_message",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", tracker.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column(
            "status",
            sa.Enum("QUEUED", "SENT", "FAILED", name="outboxstatus", native_enum=False, length=40),
            nullable=False,
        ),
        sa.Column("sender", sqlmodel.sql.sqltypes.AutoString(length=320), nullable=False),
        sa.Column("recipients", sa.Text(), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("message", sa.LargeBinary(), nullable=False),
        sa.Column("about_type", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=True),
        sa.Column("about_id", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=True),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", tracker.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("claimed_until", tracker.core.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("claim_token", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("sent_at", tracker.core.types.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_outbox_message_created_at", "outbox_message", ["created_at"])
    op.create_index("ix_outbox_message_due", "outbox_message", ["status", "next_attempt_at"])
    answer = sa.Enum("ACCEPTED", "TENTATIVE", "DECLINED", name="replyanswer", native_enum=False, length=40)
    op.create_table(
        "email_reply",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("received_at", tracker.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("message_id", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("sender", sqlmodel.sql.sqltypes.AutoString(length=320), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("event_uid", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=True),
        sa.Column("sequence", sa.Integer(), nullable=True),
        sa.Column("attendee", sqlmodel.sql.sqltypes.AutoString(length=320), nullable=True),
        sa.Column("answer", answer, nullable=True),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("applied", sa.Boolean(), nullable=False),
        sa.Column("outcome", sa.Text(), nullable=False),
        sa.Column("object_type", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=True),
        sa.Column("object_id", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("message_id"),
    )
    op.create_index("ix_email_reply_received_at", "email_reply", ["received_at"])
    op.create_index("ix_email_reply_applied", "email_reply", ["applied"])
    op.create_table(
        "session_reply",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("enrolment_id", sa.Integer(), nullable=False),
        sa.Column("answer", answer, nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("replied_at", tracker.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["enrolment_id"], ["enrolment.id"], ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["session_id"], ["training_session.id"], ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("session_id", "enrolment_id", name="uq_session_reply"),
    )
    op.create_index("ix_session_reply_session_id", "session_reply", ["session_id"])
    op.create_index("ix_session_reply_enrolment_id", "session_reply", ["enrolment_id"])
    with op.batch_alter_table("invitation") as batch:
        batch.add_column(sa.Column("rsvp_comment", sa.Text(), nullable=False, server_default=""))
    with op.batch_alter_table("agency") as batch:
        batch.add_column(
            sa.Column("secure_mailbox", sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False, server_default="")
        )
    op.create_table(
        "minutes_disclosure",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("recipient_id", sa.Integer(), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("mailbox", sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("token_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("code_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("code_sent_at", tracker.core.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("wrong_codes", sa.Integer(), nullable=False),
        sa.Column("created_at", tracker.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("expires_at", tracker.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("opened_at", tracker.core.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", tracker.core.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("revoked_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["agency_id"], ["agency.id"], ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["created_by_id"], ["user.id"], ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["recipient_id"], ["minutes_recipient.id"], ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["revoked_by_id"], ["user.id"], ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["version_id"], ["minutes_version.id"], ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash"),
    )
    op.create_index("ix_minutes_disclosure_version_id", "minutes_disclosure", ["version_id"])
    op.create_index("ix_minutes_disclosure_recipient_id", "minutes_disclosure", ["recipient_id"])
    op.create_index("ix_minutes_disclosure_agency_id", "minutes_disclosure", ["agency_id"])


def downgrade() -> None:
    op.drop_table("minutes_disclosure")
    with op.batch_alter_table("agency") as batch:
        batch.drop_column("secure_mailbox")
    with op.batch_alter_table("invitation") as batch:
        batch.drop_column("rsvp_comment")
    op.drop_table("session_reply")
    op.drop_table("email_reply")
    op.drop_index("ix_outbox_message_due", table_name="outbox_message")
    op.drop_index("ix_outbox_message_created_at", table_name="outbox_message")
    op.drop_table("outbox_message")
