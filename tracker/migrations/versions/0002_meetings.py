"""meetings, cases, agendas, pillars and actions

Revision ID: 0002
Revises: 0001
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
    strings,
    texts,
    utc_times,
)

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


LEVELS = ("LEVEL_1", "LEVEL_2", "LEVEL_3")
PILLARS = ("SUPERVISION", "MONITORING_AND_CONTROL", "INTERVENTIONS_AND_TREATMENT", "VICTIM_SAFETY_PLANNING")
RISK_LEVELS = ("LOW", "MEDIUM", "HIGH", "VERY_HIGH")
RISK_TO = ("children", "public", "known_adult", "staff", "prisoners")


def upgrade() -> None:
    op.create_table(
        "chair_profile",
        *integers("user_id"),
        *strings(120, "grade"),
        *booleans("may_chair_level_2", "may_chair_level_3"),
        *utc_times("updated_at"),
        *foreign_keys("CASCADE", user_id="user"),
        sa.PrimaryKeyConstraint("user_id"),
    )
    op.create_table(
        "mappa_case",
        id_column(),
        *strings(40, "reference"),
        *strings(200, "name"),
        *dates("date_of_birth"),
        *strings(40, "visor_reference", "ndelius_reference", "pnc_reference"),
        enum_column("category", "category", "CATEGORY_1", "CATEGORY_2", "CATEGORY_3", "CATEGORY_4"),
        enum_column("level", "level", *LEVELS),
        enum_column("status", "casestatus", "ACTIVE", "IN_CUSTODY", "EXITED"),
        *integers("lead_agency_id"),
        *integers("lead_officer_id", nullable=True),
        *strings(80, "borough"),
        *dates("referred_on"),
        *dates("last_reviewed_on", "next_review_on", nullable=True),
        *integers("created_by_id", nullable=True),
        *utc_times("created_at"),
        *integers("version"),
        *foreign_keys(created_by_id="user", lead_agency_id="agency", lead_officer_id="user"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("reference"),
    )
    create_indexes(
        "mappa_case",
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
    )

    op.create_table(
        "meeting",
        id_column(),
        *strings(20, "reference"),
        enum_column("level", "level", *LEVELS),
        enum_column("meeting_type", "meetingtype", "INITIAL", "REVIEW", "EMERGENCY"),
        *utc_times("starts_at", "ends_at"),
        *strings(200, "venue"),
        *strings(500, "online_link"),
        *integers("chair_id"),
        *integers("administrator_id", nullable=True),
        enum_column("status", "meetingstatus", "SCHEDULED", "HELD", "CANCELLED"),
        *texts("cancelled_reason"),
        *integers("sequence"),
        *utc_times("created_at", "updated_at"),
        *integers("version"),
        *foreign_keys(administrator_id="user", chair_id="user"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("reference"),
    )
    create_indexes("meeting", "administrator_id", "chair_id", "level", "starts_at", "status")

    op.create_table(
        "agenda_item",
        id_column(),
        *integers("meeting_id", "case_id", "position"),
        enum_column("purpose", "agendapurpose", "INITIAL", "REVIEW"),
        *utc_times("slot_starts_at", "slot_ends_at", nullable=True),
        *integers("presenting_officer_id", nullable=True),
        enum_column("level_considered", "level", *LEVELS),
        *(enum_column(f"risk_to_{who}", "risklevel", *RISK_LEVELS, nullable=True) for who in RISK_TO),
        enum_column(
            "imminence", "imminence", "NOT_IMMINENT", "IF_CIRCUMSTANCES_CHANGE", "IMMINENT", nullable=True
        ),
        *texts("risk_notes", "contingency_plan", "licence_conditions"),
        enum_column("level_decision", "leveldecision", "RETAIN", "RAISE", "LOWER", "EXIT", nullable=True),
        *texts("level_decision_reason"),
        *dates("next_review_on", nullable=True),
        *integers("version"),
        *foreign_keys(case_id="mappa_case", meeting_id="meeting", presenting_officer_id="user"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("meeting_id", "case_id"),
    )
    create_indexes("agenda_item", "case_id", "meeting_id")

    op.create_table(
        "invitation",
        id_column(),
        *integers("meeting_id", "agency_id"),
        *integers("user_id", nullable=True),
        enum_column("rsvp", "rsvp", "AWAITING", "ACCEPTED", "DECLINED"),
        *utc_times("rsvp_at", nullable=True),
        enum_column("attendance", "attendancestatus", "PRESENT", "APOLOGIES", "ABSENT", nullable=True),
        *strings(200, "deputy_name"),
        *utc_times("invited_at"),
        *foreign_keys(agency_id="agency", meeting_id="meeting", user_id="user"),
        sa.PrimaryKeyConstraint("id"),
    )
    create_indexes("invitation", "agency_id", "meeting_id", "user_id")

    op.create_table(
        "case_event",
        id_column(),
        *integers("case_id"),
        enum_column(
            "kind",
            "caseeventkind",
            *("REFERRED", "LEVEL_CHANGED", "RECALLED", "CUSTODY_OTHER", "RELEASED", "EXITED"),
        ),
        *dates("occurred_on"),
        enum_column("level", "level", *LEVELS),
        enum_column("previous_level", "level", *LEVELS, nullable=True),
        *texts("reason"),
        *integers("agenda_item_id", "recorded_by_id", nullable=True),
        *utc_times("recorded_at"),
        *foreign_keys(agenda_item_id="agenda_item", case_id="mappa_case", recorded_by_id="user"),
        sa.PrimaryKeyConstraint("id"),
    )
    create_indexes("case_event", "agenda_item_id", "case_id", "occurred_on")
    op.create_index("ix_case_event_kind_occurred_on", "case_event", ["kind", "occurred_on"])

    op.create_table(
        "meeting_action",
        id_column(),
        *integers("case_id", "agenda_item_id"),
        enum_column("pillar", "pillar", *PILLARS, nullable=True),
        *texts("description"),
        *integers("owner_agency_id"),
        *integers("owner_id", nullable=True),
        *dates("due_on"),
        enum_column("status", "actionstatus", "OPEN", "DONE", "DROPPED"),
        *texts("dropped_reason"),
        *dates("completed_on", nullable=True),
        *utc_times("created_at"),
        *integers("version"),
        *foreign_keys(
            agenda_item_id="agenda_item", case_id="mappa_case", owner_agency_id="agency", owner_id="user"
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    create_indexes(
        "meeting_action", "agenda_item_id", "case_id", "due_on", "owner_agency_id", "owner_id", "status"
    )
    op.create_index(
        "ix_meeting_action_owner_status_due_on", "meeting_action", ["owner_id", "status", "due_on"]
    )
    op.create_index("ix_meeting_action_status_due_on", "meeting_action", ["status", "due_on"])

    op.create_table(
        "pillar_entry",
        id_column(),
        *integers("agenda_item_id"),
        enum_column("pillar", "pillar", *PILLARS),
        enum_column("status", "pillarstatus", "ADDRESSED", "NOT_APPLICABLE", "OUTSTANDING"),
        *texts("not_applicable_reason", "summary"),
        *utc_times("updated_at"),
        *integers("updated_by_id", nullable=True),
        *integers("version"),
        *foreign_keys("CASCADE", agenda_item_id="agenda_item"),
        *foreign_keys(updated_by_id="user"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("agenda_item_id", "pillar"),
    )
    create_indexes("pillar_entry", "agenda_item_id")


def downgrade() -> None:
    op.drop_table("pillar_entry")
    op.drop_table("meeting_action")
    op.drop_table("case_event")
    op.drop_table("invitation")
    op.drop_table("agenda_item")
    op.drop_table("meeting")
    op.drop_table("mappa_case")
    op.drop_table("chair_profile")
