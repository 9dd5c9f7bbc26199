"""meetings, cases, agendas, pillars and actions

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from tracker.core.migrate import create_table_with_id, drop_tables
from tracker.migrations import columns as col

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


LEVELS = ("LEVEL_1", "LEVEL_2", "LEVEL_3")
PILLARS = ("SUPERVISION", "MONITORING_AND_CONTROL", "INTERVENTIONS_AND_TREATMENT", "VICTIM_SAFETY_PLANNING")
RISK_LEVELS = ("LOW", "MEDIUM", "HIGH", "VERY_HIGH")
RISK_TO = ("children", "public", "known_adult", "staff", "prisoners")
CASE_EVENT_KINDS = ("REFERRED", "LEVEL_CHANGED", "RECALLED", "CUSTODY_OTHER", "RELEASED", "EXITED")


def upgrade() -> None:
    op.create_table(
        "chair_profile",
        *col.integers("user_id"),
        *col.strings(120, "grade"),
        *col.booleans("may_chair_level_2", "may_chair_level_3"),
        *col.utc_times("updated_at"),
        *col.foreign_keys("CASCADE", user_id="user"),
        sa.PrimaryKeyConstraint("user_id"),
    )
    create_table_with_id(
        "mappa_case",
        *col.strings(40, "reference"),
        *col.strings(200, "name"),
        *col.dates("date_of_birth"),
        *col.strings(40, "visor_reference", "ndelius_reference", "pnc_reference"),
        col.enum_column("category", "category", "CATEGORY_1", "CATEGORY_2", "CATEGORY_3", "CATEGORY_4"),
        col.enum_column("level", "level", *LEVELS),
        col.enum_column("status", "casestatus", "ACTIVE", "IN_CUSTODY", "EXITED"),
        *col.integers("lead_agency_id"),
        *col.integers("lead_officer_id", nullable=True),
        *col.strings(80, "borough"),
        *col.dates("referred_on"),
        *col.dates("last_reviewed_on", "next_review_on", nullable=True),
        *col.integers("created_by_id", nullable=True),
        *col.utc_times("created_at"),
        *col.integers("version"),
        *col.foreign_keys(created_by_id="user", lead_agency_id="agency", lead_officer_id="user"),
        sa.UniqueConstraint("reference"),
        indexed=(
            "borough",
            "category",
            "created_by_id",
            "last_reviewed_on",
            "lead_agency_id",
            "lead_officer_id",
            "level",
            "name",
            "next_review_on",
            "referred_on",
            "status",
        ),
    )

    create_table_with_id(
        "meeting",
        *col.strings(20, "reference"),
        col.enum_column("level", "level", *LEVELS),
        col.enum_column("meeting_type", "meetingtype", "INITIAL", "REVIEW", "EMERGENCY"),
        *col.utc_times("starts_at", "ends_at"),
        *col.strings(200, "venue"),
        *col.strings(500, "online_link"),
        *col.integers("chair_id"),
        *col.integers("administrator_id", nullable=True),
        col.enum_column("status", "meetingstatus", "SCHEDULED", "HELD", "CANCELLED"),
        *col.texts("cancelled_reason"),
        *col.integers("sequence"),
        *col.utc_times("created_at", "updated_at"),
        *col.integers("version"),
        *col.foreign_keys(administrator_id="user", chair_id="user"),
        sa.UniqueConstraint("reference"),
        indexed=("administrator_id", "chair_id", "level", "starts_at", "status"),
    )

    create_table_with_id(
        "agenda_item",
        *col.integers("meeting_id", "case_id", "position"),
        col.enum_column("purpose", "agendapurpose", "INITIAL", "REVIEW"),
        *col.utc_times("slot_starts_at", "slot_ends_at", nullable=True),
        *col.integers("presenting_officer_id", nullable=True),
        col.enum_column("level_considered", "level", *LEVELS),
        *(col.enum_column(f"risk_to_{who}", "risklevel", *RISK_LEVELS, nullable=True) for who in RISK_TO),
        col.enum_column(
            "imminence", "imminence", "NOT_IMMINENT", "IF_CIRCUMSTANCES_CHANGE", "IMMINENT", nullable=True
        ),
        *col.texts("risk_notes", "contingency_plan", "licence_conditions"),
        col.enum_column("level_decision", "leveldecision", "RETAIN", "RAISE", "LOWER", "EXIT", nullable=True),
        *col.texts("level_decision_reason"),
        *col.dates("next_review_on", nullable=True),
        *col.integers("version"),
        *col.foreign_keys(case_id="mappa_case", meeting_id="meeting", presenting_officer_id="user"),
        sa.UniqueConstraint("meeting_id", "case_id"),
        indexed=("case_id", "meeting_id"),
    )

    create_table_with_id(
        "invitation",
        *col.integers("meeting_id", "agency_id"),
        *col.integers("user_id", nullable=True),
        col.enum_column("rsvp", "rsvp", "AWAITING", "ACCEPTED", "DECLINED"),
        *col.utc_times("rsvp_at", nullable=True),
        col.enum_column("attendance", "attendancestatus", "PRESENT", "APOLOGIES", "ABSENT", nullable=True),
        *col.strings(200, "deputy_name"),
        *col.utc_times("invited_at"),
        *col.foreign_keys(agency_id="agency", meeting_id="meeting", user_id="user"),
        indexed=("agency_id", "meeting_id", "user_id"),
    )

    create_table_with_id(
        "case_event",
        *col.integers("case_id"),
        col.enum_column("kind", "caseeventkind", *CASE_EVENT_KINDS),
        *col.dates("occurred_on"),
        col.enum_column("level", "level", *LEVELS),
        col.enum_column("previous_level", "level", *LEVELS, nullable=True),
        *col.texts("reason"),
        *col.integers("agenda_item_id", "recorded_by_id", nullable=True),
        *col.utc_times("recorded_at"),
        *col.foreign_keys(agenda_item_id="agenda_item", case_id="mappa_case", recorded_by_id="user"),
        indexed=("agenda_item_id", "case_id", "occurred_on"),
    )
    op.create_index("ix_case_event_kind_occurred_on", "case_event", ["kind", "occurred_on"])

    create_table_with_id(
        "meeting_action",
        *col.integers("case_id", "agenda_item_id"),
        col.enum_column("pillar", "pillar", *PILLARS, nullable=True),
        *col.texts("description"),
        *col.integers("owner_agency_id"),
        *col.integers("owner_id", nullable=True),
        *col.dates("due_on"),
        col.enum_column("status", "actionstatus", "OPEN", "DONE", "DROPPED"),
        *col.texts("dropped_reason"),
        *col.dates("completed_on", nullable=True),
        *col.utc_times("created_at"),
        *col.integers("version"),
        *col.foreign_keys(
            agenda_item_id="agenda_item", case_id="mappa_case", owner_agency_id="agency", owner_id="user"
        ),
        indexed=("agenda_item_id", "case_id", "due_on", "owner_agency_id", "owner_id", "status"),
    )
    op.create_index(
        "ix_meeting_action_owner_status_due_on", "meeting_action", ["owner_id", "status", "due_on"]
    )
    op.create_index("ix_meeting_action_status_due_on", "meeting_action", ["status", "due_on"])

    create_table_with_id(
        "pillar_entry",
        *col.integers("agenda_item_id"),
        col.enum_column("pillar", "pillar", *PILLARS),
        col.enum_column("status", "pillarstatus", "ADDRESSED", "NOT_APPLICABLE", "OUTSTANDING"),
        *col.texts("not_applicable_reason", "summary"),
        *col.utc_times("updated_at"),
        *col.integers("updated_by_id", nullable=True),
        *col.integers("version"),
        *col.foreign_keys("CASCADE", agenda_item_id="agenda_item"),
        *col.foreign_keys(updated_by_id="user"),
        sa.UniqueConstraint("agenda_item_id", "pillar"),
        indexed=("agenda_item_id",),
    )


def downgrade() -> None:
    drop_tables(
        "pillar_entry",
        "meeting_action",
        "case_event",
        "invitation",
        "agenda_item",
        "meeting",
        "mappa_case",
        "chair_profile",
    )
