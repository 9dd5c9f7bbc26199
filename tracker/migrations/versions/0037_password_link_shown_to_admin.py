"""password links shown to an admin: a link handed over on screen (no mail server, an account without
wide access) is marked, so that a password set through it is not kept when the account is given wide access

Revision ID: 0037
Revises: 0036
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0037"
down_revision: str | None = "0036"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Links made before were shown whenever no mail server was set up and the account had no wide
    # access; which of them were is not on record, so they count as shown (the safe side: a password set
    # through one is ended when the account is given wide access, and a new link is emailed).
    op.add_column(
        "password_reset",
        sa.Column("shown_to_admin", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.execute(sa.text("UPDATE password_reset SET shown_to_admin = :shown").bindparams(shown=True))


def downgrade() -> None:
    with op.batch_alter_table("password_reset") as batch_op:
        batch_op.drop_column("shown_to_admin")
