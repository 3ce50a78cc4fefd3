"""conversations remember the queue they were last routed to

Revision ID: 0012
Revises: 0011
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("conversations") as batch:
        batch.add_column(sa.Column("queue_id", sa.Uuid(), nullable=True))
        batch.create_index(
            op.f("ix_conversations_organization_id_queue_id_last_message_at_id"),
            ["organization_id", "queue_id", "last_message_at", "id"],
            unique=False,
        )
        batch.create_foreign_key(
            op.f("fk_conversations_queue_id_queues"),
            "queues",
            ["queue_id"],
            ["id"],
            ondelete="SET NULL",
        )
    # Conversations already routed keep the queue of their latest item.
    op.execute(
        "UPDATE conversations SET queue_id = ("
        " SELECT queue_items.queue_id FROM queue_items"
        " WHERE queue_items.conversation_id = conversations.id"
        " ORDER BY queue_items.entered_at DESC LIMIT 1)"
    )


def downgrade() -> None:
    with op.batch_alter_table("conversations") as batch:
        batch.drop_constraint(op.f("fk_conversations_queue_id_queues"), type_="foreignkey")
        batch.drop_index(op.f("ix_conversations_organization_id_queue_id_last_message_at_id"))
        batch.drop_column("queue_id")
