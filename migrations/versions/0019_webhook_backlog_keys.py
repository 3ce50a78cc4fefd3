"""the conversations each delivery of the webhook backlog holds messages for

Revision ID: 0019
Revises: 0018
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "webhook_backlog_keys",
        sa.Column("conversation_key", sa.String(length=255), nullable=False),
        sa.Column(
            "delivery_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["delivery_id"],
            ["webhook_deliveries.id"],
            name=op.f("fk_webhook_backlog_keys_delivery_id_webhook_deliveries"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "conversation_key", "delivery_id", name=op.f("pk_webhook_backlog_keys")
        ),
    )
    op.create_index(
        op.f("ix_webhook_backlog_keys_delivery_id"),
        "webhook_backlog_keys",
        ["delivery_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_webhook_backlog_keys_delivery_id"), table_name="webhook_backlog_keys")
    op.drop_table("webhook_backlog_keys")
