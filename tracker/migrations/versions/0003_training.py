"""training: courses, events and sessions, trainees, enrolments, attendance, uploads

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa

from tracker.core.migrate import create_table_with_id, drop_tables
from tracker.migrations import columns as col

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


PILLARS = ("SUPERVISION", "MONITORING_AND_CONTROL", "INTERVENTIONS_AND_TREATMENT", "VICTIM_SAFETY_PLANNING")


def upgrade() -> None:
    create_table_with_id(
        "course",
        *col.strings(200, "title"),
        col.enum_column("kind", "coursekind", "CHAIR_COURSE", "CPD"),
        *col.texts("description"),
        *col.integers("days", "cpd_minutes"),
        *col.booleans("active"),
        *col.integers("version"),
        sa.UniqueConstraint("title"),
        indexed=("active", "kind"),
    )

    create_table_with_id(
        "course_event",
        *col.integers("course_id"),
        *col.strings(200, "title"),
        col.enum_column("kind", "eventkind", "COHORT", "CHAIRS_FORUM", "DEVELOPMENT_DAY", "BRIEFING"),
        col.enum_column("pillar", "pillar", *PILLARS, nullable=True),
        *col.integers("capacity"),
        *col.texts("presenters"),
        *col.booleans("lived_experience"),
        *col.json_columns("audience"),
        *col.integers("cpd_minutes"),
        *col.utc_times("starts_at", "ends_at", nullable=True),
        *col.utc_times("created_at"),
        *col.integers("created_by_id", nullable=True),
        *col.integers("version"),
        *col.foreign_keys(course_id="course"),
        *col.foreign_keys("SET NULL", created_by_id="user"),
        indexed=("course_id", "kind", "pillar", "starts_at"),
    )

    create_table_with_id(
        "trainee",
        *col.strings(200, "name"),
        *col.strings(254, "email"),
        *col.integers("agency_id"),
        *col.integers("user_id", nullable=True),
        *col.utc_times("created_at"),
        *col.foreign_keys(agency_id="agency"),
        *col.foreign_keys("SET NULL", user_id="user"),
        sa.UniqueConstraint("email"),
        sa.UniqueConstraint("user_id"),
        indexed=("agency_id", "name"),
    )

    create_table_with_id(
        "enrolment",
        *col.integers("event_id", "trainee_id"),
        col.enum_column("role", "traineerole", "CHAIR", "ADMINISTRATOR", "STAFF"),
        col.enum_column("status", "enrolmentstatus", "ENROLLED", "WAITING", "WITHDRAWN", "COMPLETED"),
        *col.integers("waiting_position", nullable=True),
        *col.utc_times("enrolled_at"),
        *col.utc_times("withdrawn_at", nullable=True),
        *col.integers("sessions_attended", "cpd_minutes"),
        *col.dates("completed_on", "last_attended_on", nullable=True),
        *col.integers("version"),
        *col.foreign_keys(event_id="course_event", trainee_id="trainee"),
        sa.UniqueConstraint("event_id", "trainee_id", name="uq_enrolment_event_trainee"),
        indexed=("completed_on", "event_id", "last_attended_on", "role", "status", "trainee_id"),
    )

    create_table_with_id(
        "enrolment_import",
        *col.integers("event_id", "created_by_id"),
        *col.utc_times("created_at"),
        *col.strings(255, "filename"),
        *col.json_columns("rows"),
        *col.foreign_keys("CASCADE", created_by_id="user", event_id="course_event"),
        indexed=("created_by_id", "event_id"),
    )

    create_table_with_id(
        "training_session",
        *col.integers("event_id"),
        *col.strings(100, "title"),
        *col.utc_times("starts_at", "ends_at"),
        *col.strings(300, "venue"),
        *col.strings(500, "online_link"),
        col.enum_column("status", "sessionstatus", "SCHEDULED", "CANCELLED"),
        *col.integers("sequence", "register_version", "version"),
        *col.foreign_keys(event_id="course_event"),
        indexed=("event_id", "starts_at", "status"),
    )

    create_table_with_id(
        "attendance",
        *col.integers("session_id", "enrolment_id"),
        col.enum_column("mark", "mark", "PRESENT", "LATE", "LEFT_EARLY", "ABSENT"),
        *col.strings(500, "note"),
        *col.utc_times("marked_at"),
        *col.integers("marked_by_id", nullable=True),
        *col.foreign_keys(enrolment_id="enrolment"),
        *col.foreign_keys("SET NULL", marked_by_id="user"),
        *col.foreign_keys(session_id="training_session"),
        sa.UniqueConstraint("session_id", "enrolment_id", name="uq_attendance_session_enrolment"),
        indexed=("enrolment_id", "mark", "session_id"),
    )


def downgrade() -> None:
    drop_tables(
        "attendance", "training_session", "enrolment_import", "enrolment", "trainee", "course_event", "course"
    )
