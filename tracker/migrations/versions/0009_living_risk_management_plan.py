"""the case's living risk management plan: plan parts per meeting, the assessment tool and date, the level
a decision set, and action progress

Revision ID: 0009
Revises: 0016
Create Date: 2026-12-02

Existing data is carried: every agenda item gets its plan parts, carried from the case's previous held
meeting (confirmed where the wording is the same, changed where not, agreed at the case's first meeting),
and an item at a meeting not yet held starts from the plan of the case's latest held meeting where it
has recorded nothing itself. A raise or lower already recorded keeps the level it set.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import tracker.core.types
from tracker.core.migrate import create_indexes

revision: str = "0009"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PARTS = (
    "RISK_ASSESSMENT",
    "SUPERVISION",
    "MONITORING_AND_CONTROL",
    "INTERVENTIONS_AND_TREATMENT",
    "VICTIM_SAFETY_PLANNING",
    "CONTINGENCY",
    "LICENCE_CONDITIONS",
)
PILLARS = PARTS[1:5]
RISK = (
    "risk_to_children",
    "risk_to_public",
    "risk_to_known_adult",
    "risk_to_staff",
    "risk_to_prisoners",
    "imminence",
    "risk_notes",
    "assessment_tool",
    "assessed_on",
)
LEVELS = ("LEVEL_1", "LEVEL_2", "LEVEL_3")


def _enum(*names: str, name: str) -> sa.Enum:
    return sa.Enum(*names, name=name, native_enum=False, length=40)


def upgrade() -> None:
    with op.batch_alter_table("agenda_item", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("assessment_tool", sa.String(length=60), nullable=False, server_default="")
        )
        batch_op.add_column(sa.Column("assessed_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("level_decided", _enum(*LEVELS, name="level"), nullable=True))
    with op.batch_alter_table("meeting_action", schema=None) as batch_op:
        batch_op.add_column(sa.Column("revised_due_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("progress_note", sa.Text(), nullable=False, server_default=""))
    op.create_table(
        "plan_part",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agenda_item_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("part", _enum(*PARTS, name="planpartkind"), nullable=False),
        sa.Column(
            "outcome", _enum("PENDING", "NEW", "CONFIRMED", "CHANGED", name="planoutcome"), nullable=False
        ),
        sa.Column("carried_from_id", sa.Integer(), nullable=True),
        sa.Column("reviewed_at", tracker.core.types.UTCDateTime(), nullable=True),
        sa.Column("reviewed_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["agenda_item_id"], ["agenda_item.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["carried_from_id"], ["agenda_item.id"], ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["case_id"], ["mappa_case.id"], ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["reviewed_by_id"], ["user.id"], ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("agenda_item_id", "part"),
    )
    create_indexes("plan_part", "agenda_item_id", "case_id", "carried_from_id")
    _carry_existing_data()


def _carry_existing_data() -> None:
    bind = op.get_bind()
    meta = sa.MetaData()
    item = sa.Table("agenda_item", meta, autoload_with=bind)
    meeting = sa.Table("meeting", meta, autoload_with=bind)
    entry = sa.Table("pillar_entry", meta, autoload_with=bind)
    event = sa.Table("case_event", meta, autoload_with=bind)
    part = sa.Table("plan_part", meta, autoload_with=bind)

    # The level each recorded raise or lower set, from the history entry it made.
    for item_id, level in bind.execute(
        sa.select(event.c.agenda_item_id, event.c.level).where(
            event.c.agenda_item_id.is_not(None), event.c.kind == "LEVEL_CHANGED"
        )
    ):
        bind.execute(
            item.update()
            .where(item.c.id == item_id, item.c.level_decision.in_(("RAISE", "LOWER")))
            .values(level_decided=level)
        )

    rows = (
        bind.execute(
            sa.select(item, meeting.c.status.label("meeting_status"), meeting.c.starts_at)
            .join(meeting, meeting.c.id == item.c.meeting_id)
            .where(meeting.c.status != "CANCELLED")
            .order_by(item.c.case_id, meeting.c.starts_at, item.c.id)
        )
        .mappings()
        .all()
    )
    pillars: dict[int, dict[str, dict]] = {}
    for row in bind.execute(sa.select(entry)).mappings():
        pillars.setdefault(row["agenda_item_id"], {})[row["pillar"]] = dict(row)

    def values(row, kind):
        if kind in PILLARS:
            pillar = pillars.get(row["id"], {}).get(kind)
            return (pillar["status"], pillar["summary"], pillar["not_applicable_reason"]) if pillar else ()
        if kind == "RISK_ASSESSMENT":
            return tuple(row[name] for name in RISK)
        return (row["contingency_plan" if kind == "CONTINGENCY" else "licence_conditions"],)

    def recorded_nothing(row) -> bool:
        blank_pillars = all(
            p["status"] == "OUTSTANDING" and not p["summary"] for p in pillars.get(row["id"], {}).values()
        )
        return blank_pillars and all(row[name] in (None, "") for name in RISK) and not row["contingency_plan"]

    last_held: dict[int, dict] = {}
    new_parts = []
    for row in rows:
        source = last_held.get(row["case_id"])
        held = row["meeting_status"] == "HELD"
        if source is not None and not held and recorded_nothing(row):
            # The next review opens with the plan as it stands.
            bind.execute(
                item.update()
                .where(item.c.id == row["id"])
                .values(
                    **{name: source[name] for name in RISK},
                    contingency_plan=source["contingency_plan"],
                    licence_conditions=source["licence_conditions"],
                )
            )
            for kind, theirs in pillars.get(source["id"], {}).items():
                bind.execute(
                    entry.update()
                    .where(entry.c.agenda_item_id == row["id"], entry.c.pillar == kind)
                    .values(
                        status=theirs["status"],
                        summary=theirs["summary"],
                        not_applicable_reason=theirs["not_applicable_reason"],
                    )
                )
        for kind in PARTS:
            if source is None:
                outcome = "NEW" if held else "PENDING"
            elif not held:
                outcome = "PENDING"
            else:
                outcome = "CONFIRMED" if values(source, kind) == values(row, kind) else "CHANGED"
            new_parts.append(
                {
                    "agenda_item_id": row["id"],
                    "case_id": row["case_id"],
                    "part": kind,
                    "outcome": outcome,
                    "carried_from_id": source["id"] if source is not None else None,
                }
            )
        if held:
            last_held[row["case_id"]] = dict(row)
    if new_parts:
        bind.execute(part.insert(), new_parts)


def downgrade() -> None:
    op.drop_table("plan_part")
    with op.batch_alter_table("meeting_action", schema=None) as batch_op:
        batch_op.drop_column("progress_note")
        batch_op.drop_column("revised_due_on")
    with op.batch_alter_table("agenda_item", schema=None) as batch_op:
        batch_op.drop_column("level_decided")
        batch_op.drop_column("assessed_on")
        batch_op.drop_column("assessment_tool")
