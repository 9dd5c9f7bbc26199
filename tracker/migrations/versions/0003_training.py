"""training: courses, events and sessions, trainees, enrolments, attendance, uploads

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import tracker.core.types
from tracker.core.migrate import create_indexes

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "course",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column(
            "kind",
            sa.Enum("CHAIR_COURSE", "CPD", name="coursekind", native_enum=False, length=40),
            nullable=False,
        ),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("days", sa.Integer(), nullable=False),
        sa.Column("cpd_minutes", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("title"),
    )
    create_indexes("course", "active", "kind")

    op.create_table(
        "course_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("course_id", sa.Integer(), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "COHORT",
                "CHAIRS_FORUM",
                "DEVELOPMENT_DAY",
                "BRIEFING",
                name="eventkind",
                native_enum=False,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column(
            "pillar",
            sa.Enum(
                "SUPERVISION",
                "MONITORING_AND_CONTROL",
                "INTERVENTIONS_AND_TREATMENT",
                "VICTIM_SAFETY_PLANNING",
                name="pillar",
                native_enum=False,
                length=40,
            ),
            nullable=True,
        ),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("presenters", sa.Text(), nullable=False),
        sa.Column("lived_experience", sa.Boolean(), nullable=False),
        sa.Column("audience", sa.JSON(), nullable=False),
        sa.Column("cpd_minutes", sa.Integer(), nullable=False),
        sa.Column("starts_at", tracker.core.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("ends_at", tracker.core.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_at", tracker.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["course_id"], ["course.id"], ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["created_by_id"], ["user.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    create_indexes("course_event", "course_id", "kind", "pillar", "starts_at")

    op.create_table(
        "trainee",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("email", sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("created_at", tracker.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["agency_id"], ["agency.id"], ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("email"),
        sa.UniqueConstraint("user_id"),
    )
    create_indexes("trainee", "agency_id", "name")

    op.create_table(
        "enrolment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("trainee_id", sa.Integer(), nullable=False),
        sa.Column(
            "role",
            sa.Enum("CHAIR", "ADMINISTRATOR", "STAFF", name="traineerole", native_enum=False, length=40),
            nullable=False,
        ),
        sa.Column(
            "status",
            sa.Enum(
                "ENROLLED",
                "WAITING",
                "WITHDRAWN",
                "COMPLETED",
                name="enrolmentstatus",
                native_enum=False,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("waiting_position", sa.Integer(), nullable=True),
        sa.Column("enrolled_at", tracker.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("withdrawn_at", tracker.core.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("sessions_attended", sa.Integer(), nullable=False),
        sa.Column("cpd_minutes", sa.Integer(), nullable=False),
        sa.Column("completed_on", sa.Date(), nullable=True),
        sa.Column("last_attended_on", sa.Date(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["event_id"], ["course_event.id"], ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["trainee_id"], ["trainee.id"], ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("event_id", "trainee_id", name="uq_enrolment_event_trainee"),
    )
    create_indexes(
        "enrolment", "completed_on", "event_id", "last_attended_on", "role", "status", "trainee_id"
    )

    op.create_table(
        "enrolment_import",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", tracker.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("filename", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.Column("rows", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["created_by_id"], ["user.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["event_id"], ["course_event.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    create_indexes("enrolment_import", "created_by_id", "event_id")

    op.create_table(
        "training_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("starts_at", tracker.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("ends_at", tracker.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("venue", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("online_link", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column(
            "status",
            sa.Enum("SCHEDULED", "CANCELLED", name="sessionstatus", native_enum=False, length=40),
            nullable=False,
        ),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("register_version", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["event_id"], ["course_event.id"], ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id"),
    )
    create_indexes("training_session", "event_id", "starts_at", "status")

    op.create_table(
        "attendance",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("enrolment_id", sa.Integer(), nullable=False),
        sa.Column(
            "mark",
            sa.Enum("PRESENT", "LATE", "LEFT_EARLY", "ABSENT", name="mark", native_enum=False, length=40),
            nullable=False,
        ),
        sa.Column("note", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("marked_at", tracker.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("marked_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["enrolment_id"], ["enrolment.id"], ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["marked_by_id"], ["user.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["session_id"], ["training_session.id"], ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("session_id", "enrolment_id", name="uq_attendance_session_enrolment"),
    )
    create_indexes("attendance", "enrolment_id", "mark", "session_id")


def downgrade() -> None:
    op.drop_table("attendance")
    op.drop_table("training_session")
    op.drop_table("enrolment_import")
    op.drop_table("enrolment")
    op.drop_table("trainee")
    op.drop_table("course_event")
    op.drop_table("course")
