"""meetings, cases, agendas, pillars and actions

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import tracker.core.types
from tracker.core.migrate import create_indexes

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "chair_profile",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("grade", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("may_chair_level_2", sa.Boolean(), nullable=False),
        sa.Column("may_chair_level_3", sa.Boolean(), nullable=False),
        sa.Column("updated_at", tracker.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("user_id"),
    )
    op.create_table(
        "mappa_case",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("date_of_birth", sa.Date(), nullable=False),
        sa.Column("visor_reference", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("ndelius_reference", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("pnc_reference", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column(
            "category",
            sa.Enum(
                "CATEGORY_1",
                "CATEGORY_2",
                "CATEGORY_3",
                "CATEGORY_4",
                name="category",
                native_enum=False,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column(
            "level",
            sa.Enum("LEVEL_1", "LEVEL_2", "LEVEL_3", name="level", native_enum=False, length=40),
            nullable=False,
        ),
        sa.Column(
            "status",
            sa.Enum("ACTIVE", "IN_CUSTODY", "EXITED", name="casestatus", native_enum=False, length=40),
            nullable=False,
        ),
        sa.Column("lead_agency_id", sa.Integer(), nullable=False),
        sa.Column("lead_officer_id", sa.Integer(), nullable=True),
        sa.Column("borough", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("referred_on", sa.Date(), nullable=False),
        sa.Column("last_reviewed_on", sa.Date(), nullable=True),
        sa.Column("next_review_on", sa.Date(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", tracker.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["created_by_id"], ["user.id"], ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["lead_agency_id"], ["agency.id"], ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["lead_officer_id"], ["user.id"], ondelete="RESTRICT"),
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
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column(
            "level",
            sa.Enum("LEVEL_1", "LEVEL_2", "LEVEL_3", name="level", native_enum=False, length=40),
            nullable=False,
        ),
        sa.Column(
            "meeting_type",
            sa.Enum("INITIAL", "REVIEW", "EMERGENCY", name="meetingtype", native_enum=False, length=40),
            nullable=False,
        ),
        sa.Column("starts_at", tracker.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("ends_at", tracker.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("venue", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("online_link", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("chair_id", sa.Integer(), nullable=False),
        sa.Column("administrator_id", sa.Integer(), nullable=True),
        sa.Column(
            "status",
            sa.Enum("SCHEDULED", "HELD", "CANCELLED", name="meetingstatus", native_enum=False, length=40),
            nullable=False,
        ),
        sa.Column("cancelled_reason", sa.Text(), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("created_at", tracker.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", tracker.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["administrator_id"], ["user.id"], ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["chair_id"], ["user.id"], ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("reference"),
    )
    create_indexes("meeting", "administrator_id", "chair_id", "level", "starts_at", "status")

    op.create_table(
        "agenda_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column(
            "purpose",
            sa.Enum("INITIAL", "REVIEW", name="agendapurpose", native_enum=False, length=40),
            nullable=False,
        ),
        sa.Column("slot_starts_at", tracker.core.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("slot_ends_at", tracker.core.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("presenting_officer_id", sa.Integer(), nullable=True),
        sa.Column(
            "level_considered",
            sa.Enum("LEVEL_1", "LEVEL_2", "LEVEL_3", name="level", native_enum=False, length=40),
            nullable=False,
        ),
        sa.Column(
            "risk_to_children",
            sa.Enum("LOW", "MEDIUM", "HIGH", "VERY_HIGH", name="risklevel", native_enum=False, length=40),
            nullable=True,
        ),
        sa.Column(
            "risk_to_public",
            sa.Enum("LOW", "MEDIUM", "HIGH", "VERY_HIGH", name="risklevel", native_enum=False, length=40),
            nullable=True,
        ),
        sa.Column(
            "risk_to_known_adult",
            sa.Enum("LOW", "MEDIUM", "HIGH", "VERY_HIGH", name="risklevel", native_enum=False, length=40),
            nullable=True,
        ),
        sa.Column(
            "risk_to_staff",
            sa.Enum("LOW", "MEDIUM", "HIGH", "VERY_HIGH", name="risklevel", native_enum=False, length=40),
            nullable=True,
        ),
        sa.Column(
            "risk_to_prisoners",
            sa.Enum("LOW", "MEDIUM", "HIGH", "VERY_HIGH", name="risklevel", native_enum=False, length=40),
            nullable=True,
        ),
        sa.Column(
            "imminence",
            sa.Enum(
                "NOT_IMMINENT",
                "IF_CIRCUMSTANCES_CHANGE",
                "IMMINENT",
                name="imminence",
                native_enum=False,
                length=40,
            ),
            nullable=True,
        ),
        sa.Column("risk_notes", sa.Text(), nullable=False),
        sa.Column("contingency_plan", sa.Text(), nullable=False),
        sa.Column("licence_conditions", sa.Text(), nullable=False),
        sa.Column(
            "level_decision",
            sa.Enum("RETAIN", "RAISE", "LOWER", "EXIT", name="leveldecision", native_enum=False, length=40),
            nullable=True,
        ),
        sa.Column("level_decision_reason", sa.Text(), nullable=False),
        sa.Column("next_review_on", sa.Date(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["mappa_case.id"], ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["meeting_id"], ["meeting.id"], ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["presenting_officer_id"], ["user.id"], ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("meeting_id", "case_id"),
    )
    create_indexes("agenda_item", "case_id", "meeting_id")

    op.create_table(
        "invitation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column(
            "rsvp",
            sa.Enum("AWAITING", "ACCEPTED", "DECLINED", name="rsvp", native_enum=False, length=40),
            nullable=False,
        ),
        sa.Column("rsvp_at", tracker.core.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column(
            "attendance",
            sa.Enum("PRESENT", "APOLOGIES", "ABSENT", name="attendancestatus", native_enum=False, length=40),
            nullable=True,
        ),
        sa.Column("deputy_name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("invited_at", tracker.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["agency_id"], ["agency.id"], ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["meeting_id"], ["meeting.id"], ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id"),
    )
    create_indexes("invitation", "agency_id", "meeting_id", "user_id")

    op.create_table(
        "case_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "REFERRED",
                "LEVEL_CHANGED",
                "RECALLED",
                "CUSTODY_OTHER",
                "RELEASED",
                "EXITED",
                name="caseeventkind",
                native_enum=False,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("occurred_on", sa.Date(), nullable=False),
        sa.Column(
            "level",
            sa.Enum("LEVEL_1", "LEVEL_2", "LEVEL_3", name="level", native_enum=False, length=40),
            nullable=False,
        ),
        sa.Column(
            "previous_level",
            sa.Enum("LEVEL_1", "LEVEL_2", "LEVEL_3", name="level", native_enum=False, length=40),
            nullable=True,
        ),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("agenda_item_id", sa.Integer(), nullable=True),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", tracker.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["agenda_item_id"], ["agenda_item.id"], ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["case_id"], ["mappa_case.id"], ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["recorded_by_id"], ["user.id"], ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id"),
    )
    create_indexes("case_event", "agenda_item_id", "case_id", "occurred_on")
    op.create_index("ix_case_event_kind_occurred_on", "case_event", ["kind", "occurred_on"])

    op.create_table(
        "meeting_action",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("agenda_item_id", sa.Integer(), nullable=False),
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
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("owner_agency_id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column(
            "status",
            sa.Enum("OPEN", "DONE", "DROPPED", name="actionstatus", native_enum=False, length=40),
            nullable=False,
        ),
        sa.Column("dropped_reason", sa.Text(), nullable=False),
        sa.Column("completed_on", sa.Date(), nullable=True),
        sa.Column("created_at", tracker.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["agenda_item_id"], ["agenda_item.id"], ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["case_id"], ["mappa_case.id"], ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["owner_agency_id"], ["agency.id"], ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["owner_id"], ["user.id"], ondelete="RESTRICT"),
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
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agenda_item_id", sa.Integer(), nullable=False),
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
            nullable=False,
        ),
        sa.Column(
            "status",
            sa.Enum(
                "ADDRESSED",
                "NOT_APPLICABLE",
                "OUTSTANDING",
                name="pillarstatus",
                native_enum=False,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("not_applicable_reason", sa.Text(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("updated_at", tracker.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["agenda_item_id"], ["agenda_item.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["updated_by_id"], ["user.id"], ondelete="RESTRICT"),
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
