"""action due in force: an action's due date is the new one its owner set since the meeting, where there is
one; open actions are found by that date, and the Board's counts of actions by due date recounted by it

Revision ID: 0035
Revises: 0034
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0035"
down_revision: str | None = "0034"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

DUE_IN_FORCE = "coalesce(revised_due_on, due_on)"


def upgrade() -> None:
    op.create_index(
        "ix_meeting_action_status_due_in_force", "meeting_action", ["status", sa.text(DUE_IN_FORCE)]
    )
    # The counts of actions by due date were kept by the date agreed: work them out again by the date in
    # force, with the application's own rule.
    from tracker.core import tallies
    from tracker.reports.tallies import ACTIONS_DUE

    tallies.recount(ACTIONS_DUE, op.get_bind())


def downgrade() -> None:
    op.drop_index("ix_meeting_action_status_due_in_force", table_name="meeting_action")
    # Back to the counts by the date agreed (the rule of the revision before this one).
    action, case, tally = (
        sa.table("meeting_action", *(sa.column(n) for n in ("case_id", "due_on", "status", "completed_on"))),
        sa.table("mappa_case", sa.column("id"), sa.column("category")),
        sa.table("action_tally", sa.column("due_on"), sa.column("outcome"), sa.column("actions")),
    )
    outcome = sa.case(
        (action.c.status == "OPEN", "OPEN"),
        (action.c.completed_on <= action.c.due_on, "ON_TIME"),
        else_="LATE",
    )
    counted = (
        sa.select(action.c.due_on, outcome.label("outcome"), sa.func.count().label("actions"))
        .select_from(action.join(case, case.c.id == action.c.case_id))
        .where(
            case.c.category != "CATEGORY_4",
            sa.or_(action.c.status == "OPEN", sa.and_(action.c.status == "DONE", action.c.completed_on.is_not(None))),
        )
        .group_by(action.c.due_on, outcome)
    )
    op.execute(sa.delete(tally))
    op.execute(sa.insert(tally).from_select(["due_on", "outcome", "actions"], counted))
