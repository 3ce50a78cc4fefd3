"""sentiment read in customer messages, per message and per conversation; queues may raise a
customer's priority when it turns negative

Revision ID: 0023
Revises: 0022
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import persistence.types

revision: str = "0023"
down_revision: str | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("messages") as batch:
        batch.add_column(
            sa.Column("signals_due_at", persistence.types.UTCDateTime(timezone=True), nullable=True)
        )
    op.create_index(
        "ix_messages_signals_due_at",
        "messages",
        ["signals_due_at"],
        postgresql_where=sa.text("signals_due_at IS NOT NULL"),
        sqlite_where=sa.text("signals_due_at IS NOT NULL"),
    )
    with op.batch_alter_table("queues") as batch:
        batch.add_column(
            sa.Column(
                "raise_priority_when_negative",
                sa.Boolean(),
                nullable=False,
                server_default=sa.false(),
            )
        )
    op.create_table(
        "message_signals",
        sa.Column("message_id", sa.Uuid(), nullable=False),
        sa.Column("organization_id", sa.Uuid(), nullable=False),
        sa.Column("conversation_id", sa.Uuid(), nullable=False),
        sa.Column("language", sa.String(length=10), nullable=False),
        sa.Column("sentiment_label", sa.String(length=10), nullable=False),
        sa.Column("sentiment_score", sa.Double(), nullable=False),
        sa.Column("scored_at", persistence.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["conversation_id"],
            ["conversations.id"],
            name=op.f("fk_message_signals_conversation_id_conversations"),
        ),
        sa.ForeignKeyConstraint(
            ["message_id"],
            ["messages.id"],
            name=op.f("fk_message_signals_message_id_messages"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_message_signals_organization_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("message_id", name=op.f("pk_message_signals")),
    )
    op.create_index(
        op.f("ix_message_signals_organization_id"), "message_signals", ["organization_id"]
    )
    op.create_table(
        "conversation_sentiments",
        sa.Column("conversation_id", sa.Uuid(), nullable=False),
        sa.Column("organization_id", sa.Uuid(), nullable=False),
        sa.Column("message_id", sa.Uuid(), nullable=False),
        sa.Column("label", sa.String(length=10), nullable=False),
        sa.Column("score", sa.Double(), nullable=False),
        sa.Column("trend", sa.String(length=10), nullable=False),
        sa.Column("recent_scores", persistence.types.JSONDocument, nullable=False),
        sa.Column("updated_at", persistence.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["conversation_id"],
            ["conversations.id"],
            name=op.f("fk_conversation_sentiments_conversation_id_conversations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_conversation_sentiments_organization_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("conversation_id", name=op.f("pk_conversation_sentiments")),
    )
    op.create_index(
        op.f("ix_conversation_sentiments_organization_id"),
        "conversation_sentiments",
        ["organization_id"],
    )


def downgrade() -> None:
    op.drop_table("conversation_sentiments")
    op.drop_table("message_signals")
    with op.batch_alter_table("queues") as batch:
        batch.drop_column("raise_priority_when_negative")
    op.drop_index("ix_messages_signals_due_at", table_name="messages")
    with op.batch_alter_table("messages") as batch:
        batch.drop_column("signals_due_at")
