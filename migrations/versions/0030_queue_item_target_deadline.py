"""queue items: when a waiting customer passes the queue's target answer time

Customers already waiting when this runs have none, and are not announced as overdue.

Revision ID: 0030
Revises: 0029
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import persistence.types

revision: str = "0030"
down_revision: str | None = "0029"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("queue_items", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "target_deadline", persistence.types.UTCDateTime(timezone=True), nullable=True
            )
        )
        batch_op.create_index(
            "ix_queue_items_target_deadline",
            ["target_deadline"],
            unique=False,
            postgresql_where=sa.text("status = 'waiting'"),
            sqlite_where=sa.text("status = 'waiting'"),
        )


def downgrade() -> None:
    with op.batch_alter_table("queue_items", schema=None) as batch_op:
        batch_op.drop_index(
            "ix_queue_items_target_deadline",
            postgresql_where=sa.text("status = 'waiting'"),
            sqlite_where=sa.text("status = 'waiting'"),
        )
        batch_op.drop_column("target_deadline")
