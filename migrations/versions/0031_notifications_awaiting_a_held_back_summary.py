"""notifications held by the frequency limit that a `held_back` summary has not counted yet

Revision ID: 0031
Revises: 0030
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0031"
down_revision: str | None = "0030"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("awaiting_summary", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.create_index(
            "ix_notifications_awaiting_summary",
            ["created_at"],
            unique=False,
            postgresql_where=sa.text("awaiting_summary"),
            sqlite_where=sa.text("awaiting_summary"),
        )


def downgrade() -> None:
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.drop_index(
            "ix_notifications_awaiting_summary",
            postgresql_where=sa.text("awaiting_summary"),
            sqlite_where=sa.text("awaiting_summary"),
        )
        batch_op.drop_column("awaiting_summary")
