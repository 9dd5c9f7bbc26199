"""email outbox, replies by email, minutes links for agencies without accounts

Revision ID: 0011
Revises: 0012
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from tracker.core.migrate import create_table_with_id
from tracker.migrations import columns as col

revision: str = "0011"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


ANSWERS = ("ACCEPTED", "TENTATIVE", "DECLINED")


def upgrade() -> None:
    create_table_with_id(
        "outbox_message",
        *col.utc_times("created_at"),
        col.enum_column("status", "outboxstatus", "QUEUED", "SENT", "FAILED"),
        *col.strings(320, "sender"),
        *col.texts("recipients", "subject"),
        sa.Column("message", sa.LargeBinary(), nullable=False),
        *col.strings(60, "about_type", "about_id", nullable=True),
        *col.texts("summary"),
        *col.integers("attempts"),
        *col.utc_times("next_attempt_at"),
        *col.utc_times("claimed_until", nullable=True),
        *col.strings(32, "claim_token", nullable=True),
        *col.texts("last_error", nullable=True),
        *col.utc_times("sent_at", nullable=True),
    )
    op.create_index("ix_outbox_message_created_at", "outbox_message", ["created_at"])
    op.create_index("ix_outbox_message_due", "outbox_message", ["status", "next_attempt_at"])
    create_table_with_id(
        "email_reply",
        *col.utc_times("received_at"),
        *col.strings(500, "message_id"),
        *col.strings(320, "sender"),
        *col.texts("subject"),
        *col.strings(255, "event_uid", nullable=True),
        *col.integers("sequence", nullable=True),
        *col.strings(320, "attendee", nullable=True),
        col.enum_column("answer", "replyanswer", *ANSWERS, nullable=True),
        *col.texts("comment"),
        *col.booleans("applied"),
        *col.texts("outcome"),
        *col.strings(60, "object_type", "object_id", nullable=True),
        sa.UniqueConstraint("message_id"),
        indexed=("received_at", "applied"),
    )
    create_table_with_id(
        "session_reply",
        *col.integers("session_id", "enrolment_id"),
        col.enum_column("answer", "replyanswer", *ANSWERS),
        *col.texts("comment"),
        *col.utc_times("replied_at"),
        *col.foreign_keys(enrolment_id="enrolment", session_id="training_session"),
        sa.UniqueConstraint("session_id", "enrolment_id", name="uq_session_reply"),
        indexed=("session_id", "enrolment_id"),
    )
    with op.batch_alter_table("invitation") as batch:
        batch.add_column(sa.Column("rsvp_comment", sa.Text(), nullable=False, server_default=""))
    with op.batch_alter_table("agency") as batch:
        batch.add_column(*col.strings(254, "secure_mailbox", server_default=""))
    create_table_with_id(
        "minutes_disclosure",
        *col.integers("version_id", "recipient_id", "agency_id"),
        *col.strings(254, "mailbox"),
        *col.texts("reason"),
        *col.strings(64, "token_hash"),
        *col.strings(64, "code_hash", nullable=True),
        *col.utc_times("code_sent_at", nullable=True),
        *col.integers("wrong_codes"),
        *col.utc_times("created_at"),
        *col.integers("created_by_id"),
        *col.utc_times("expires_at"),
        *col.utc_times("opened_at", "revoked_at", nullable=True),
        *col.integers("revoked_by_id", nullable=True),
        *col.foreign_keys(
            agency_id="agency",
            created_by_id="user",
            recipient_id="minutes_recipient",
            revoked_by_id="user",
            version_id="minutes_version",
        ),
        sa.UniqueConstraint("token_hash"),
        indexed=("version_id", "recipient_id", "agency_id"),
    )


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
