"""training: courses, events and sessions, trainees, enrolments, attendance, uploads

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from tracker.core.migrate import create_indexes
from tracker.migrations.columns import (
    booleans,
    dates,
    enum_column,
    foreign_keys,
    id_column,
    integers,
    json_columns,
    strings,
    texts,
    utc_times,
)

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


PILLARS = ("SUPERVISION", "MONITORING_AND_CONTROL", "INTERVENTIONS_AND_TREATMENT", "VICTIM_SAFETY_PLANNING")


def upgrade() -> None:
    op.create_table(
        "course",
        id_column(),
        *strings(200, "title"),
        enum_column("kind", "coursekind", "CHAIR_COURSE", "CPD"),
        *texts("description"),
        *integers("days", "cpd_minutes"),
        *booleans("active"),
        *integers("version"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("title"),
    )
    create_indexes("course", "active", "kind")

    op.create_table(
        "course_event",
        id_column(),
        *integers("course_id"),
        *strings(200, "title"),
        enum_column("kind", "eventkind", "COHORT", "CHAIRS_FORUM", "DEVELOPMENT_DAY", "BRIEFING"),
        enum_column("pillar", "pillar", *PILLARS, nullable=True),
        *integers("capacity"),
        *texts("presenters"),
        *booleans("lived_experience"),
        *json_columns("audience"),
        *integers("cpd_minutes"),
        *utc_times("starts_at", "ends_at", nullable=True),
        *utc_times("created_at"),
        *integers("created_by_id", nullable=True),
        *integers("version"),
        *foreign_keys(course_id="course"),
        *foreign_keys("SET NULL", created_by_id="user"),
        sa.PrimaryKeyConstraint("id"),
    )
    create_indexes("course_event", "course_id", "kind", "pillar", "starts_at")

    op.create_table(
        "trainee",
        id_column(),
        *strings(200, "name"),
        *strings(254, "email"),
        *integers("agency_id"),
        *integers("user_id", nullable=True),
        *utc_times("created_at"),
        *foreign_keys(agency_id="agency"),
        *foreign_keys("SET NULL", user_id="user"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("email"),
        sa.UniqueConstraint("user_id"),
    )
    create_indexes("trainee", "agency_id", "name")

    op.create_table(
        "enrolment",
        id_column(),
        *integers("event_id", "trainee_id"),
        enum_column("role", "traineerole", "CHAIR", "ADMINISTRATOR", "STAFF"),
        enum_column("status", "enrolmentstatus", "ENROLLED", "WAITING", "WITHDRAWN", "COMPLETED"),
        *integers("waiting_position", nullable=True),
        *utc_times("enrolled_at"),
        *utc_times("withdrawn_at", nullable=True),
        *integers("sessions_attended", "cpd_minutes"),
        *dates("completed_on", "last_attended_on", nullable=True),
        *integers("version"),
        *foreign_keys(event_id="course_event", trainee_id="trainee"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("event_id", "trainee_id", name="uq_enrolment_event_trainee"),
    )
    create_indexes(
        "enrolment", "completed_on", "event_id", "last_attended_on", "role", "status", "trainee_id"
    )

    op.create_table(
        "enrolment_import",
        id_column(),
        *integers("event_id", "created_by_id"),
        *utc_times("created_at"),
        *strings(255, "filename"),
        *json_columns("rows"),
        *foreign_keys("CASCADE", created_by_id="user", event_id="course_event"),
        sa.PrimaryKeyConstraint("id"),
    )
    create_indexes("enrolment_import", "created_by_id", "event_id")

    op.create_table(
        "training_session",
        id_column(),
        *integers("event_id"),
        *strings(100, "title"),
        *utc_times("starts_at", "ends_at"),
        *strings(300, "venue"),
        *strings(500, "online_link"),
        enum_column("status", "sessionstatus", "SCHEDULED", "CANCELLED"),
        *integers("sequence", "register_version", "version"),
        *foreign_keys(event_id="course_event"),
        sa.PrimaryKeyConstraint("id"),
    )
    create_indexes("training_session", "event_id", "starts_at", "status")

    op.create_table(
        "attendance",
        id_column(),
        *integers("session_id", "enrolment_id"),
        enum_column("mark", "mark", "PRESENT", "LATE", "LEFT_EARLY", "ABSENT"),
        *strings(500, "note"),
        *utc_times("marked_at"),
        *integers("marked_by_id", nullable=True),
        *foreign_keys(enrolment_id="enrolment"),
        *foreign_keys("SET NULL", marked_by_id="user"),
        *foreign_keys(session_id="training_session"),
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
