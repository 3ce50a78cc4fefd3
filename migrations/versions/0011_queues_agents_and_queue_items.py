"""queues agents and queue items

Revision ID: 0011
Revises: 0010
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import persistence.types

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    op.create_table(
        "queues",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("organization_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("department", sa.String(length=200), nullable=True),
        sa.Column("strategy", sa.String(length=20), nullable=False),
        sa.Column("hours", JSON, nullable=True),
        sa.Column("outside_hours", sa.String(length=20), nullable=False),
        sa.Column("max_wait_minutes", sa.Integer(), nullable=True),
        sa.Column("max_size", sa.Integer(), nullable=True),
        sa.Column("required_skills", JSON, nullable=False),
        sa.Column("messages", JSON, nullable=False),
        sa.Column("agent_reply_timeout_minutes", sa.Integer(), nullable=True),
        sa.Column("overflow_queue_id", sa.Uuid(), nullable=True),
        sa.Column("target_answer_seconds", sa.Integer(), nullable=False),
        sa.Column("created_at", persistence.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", persistence.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("deleted_at", persistence.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_queues_organization_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["overflow_queue_id"], ["queues.id"], name=op.f("fk_queues_overflow_queue_id_queues")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_queues")),
    )
    op.create_index(
        "uq_queues_live_name",
        "queues",
        ["organization_id", "name"],
        unique=True,
        postgresql_where=sa.text("deleted_at IS NULL"),
        sqlite_where=sa.text("deleted_at IS NULL"),
    )
    op.create_table(
        "agent_profiles",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("organization_id", sa.Uuid(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("status_since", persistence.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("skills", JSON, nullable=False),
        sa.Column("departments", JSON, nullable=False),
        sa.Column("hours", JSON, nullable=True),
        sa.Column("last_assigned_at", persistence.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("free_since", persistence.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_agent_profiles_organization_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_agent_profiles_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_agent_profiles")),
    )
    op.create_index(
        op.f("ix_agent_profiles_organization_id"),
        "agent_profiles",
        ["organization_id"],
        unique=False,
    )
    op.create_table(
        "agent_status_changes",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("organization_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("at", persistence.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("actor_user_id", sa.Uuid(), nullable=True),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_agent_status_changes_organization_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_agent_status_changes_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agent_status_changes")),
    )
    op.create_index(
        op.f("ix_agent_status_changes_organization_id_user_id_at"),
        "agent_status_changes",
        ["organization_id", "user_id", "at"],
        unique=False,
    )
    op.create_table(
        "queue_members",
        sa.Column("queue_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("organization_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_queue_members_organization_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["queue_id"],
            ["queues.id"],
            name=op.f("fk_queue_members_queue_id_queues"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_queue_members_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("queue_id", "user_id", name=op.f("pk_queue_members")),
    )
    op.create_index(op.f("ix_queue_members_user_id"), "queue_members", ["user_id"], unique=False)
    op.create_table(
        "queue_items",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("organization_id", sa.Uuid(), nullable=False),
        sa.Column("queue_id", sa.Uuid(), nullable=False),
        sa.Column("conversation_id", sa.Uuid(), nullable=False),
        sa.Column("priority", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("entered_at", persistence.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("agent_id", sa.Uuid(), nullable=True),
        sa.Column("assigned_at", persistence.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column(
            "first_agent_reply_at", persistence.types.UTCDateTime(timezone=True), nullable=True
        ),
        sa.Column("completed_at", persistence.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("wait_deadline", persistence.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("reply_deadline", persistence.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("fallback_action", sa.String(length=20), nullable=False),
        sa.Column("metadata", JSON, nullable=False),
        sa.Column("routing_decision", JSON, nullable=True),
        sa.Column("rating", sa.Integer(), nullable=True),
        sa.Column("feedback", sa.Text(), nullable=True),
        sa.Column("previous_agent_ids", JSON, nullable=False),
        sa.ForeignKeyConstraint(
            ["agent_id"], ["users.id"], name=op.f("fk_queue_items_agent_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["conversation_id"],
            ["conversations.id"],
            name=op.f("fk_queue_items_conversation_id_conversations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_queue_items_organization_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["queue_id"], ["queues.id"], name=op.f("fk_queue_items_queue_id_queues")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_queue_items")),
    )
    op.create_index(
        op.f("ix_queue_items_organization_id_queue_id_status_priority_entered_at"),
        "queue_items",
        ["organization_id", "queue_id", "status", "priority", "entered_at"],
        unique=False,
    )
    op.create_index(
        op.f("ix_queue_items_organization_id_status_agent_id"),
        "queue_items",
        ["organization_id", "status", "agent_id"],
        unique=False,
    )
    op.create_index(
        "ix_queue_items_reply_deadline",
        "queue_items",
        ["organization_id", "reply_deadline"],
        unique=False,
        postgresql_where=sa.text("status = 'assigned'"),
        sqlite_where=sa.text("status = 'assigned'"),
    )
    op.create_index(
        "ix_queue_items_wait_deadline",
        "queue_items",
        ["organization_id", "wait_deadline"],
        unique=False,
        postgresql_where=sa.text("status = 'waiting'"),
        sqlite_where=sa.text("status = 'waiting'"),
    )
    op.create_index(
        "uq_queue_items_open_conversation",
        "queue_items",
        ["conversation_id"],
        unique=True,
        postgresql_where=sa.text("status IN ('waiting', 'assigned')"),
        sqlite_where=sa.text("status IN ('waiting', 'assigned')"),
    )
    op.create_table(
        "queue_item_events",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("organization_id", sa.Uuid(), nullable=False),
        sa.Column("item_id", sa.Uuid(), nullable=False),
        sa.Column("queue_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("at", persistence.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("actor_user_id", sa.Uuid(), nullable=True),
        sa.Column("agent_id", sa.Uuid(), nullable=True),
        sa.Column("details", JSON, nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["queue_items.id"],
            name=op.f("fk_queue_item_events_item_id_queue_items"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_queue_item_events_organization_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["queue_id"], ["queues.id"], name=op.f("fk_queue_item_events_queue_id_queues")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_queue_item_events")),
    )
    op.create_index(
        op.f("ix_queue_item_events_item_id"), "queue_item_events", ["item_id"], unique=False
    )
    op.create_index(
        op.f("ix_queue_item_events_organization_id_queue_id_at"),
        "queue_item_events",
        ["organization_id", "queue_id", "at"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(
        op.f("ix_queue_item_events_organization_id_queue_id_at"), table_name="queue_item_events"
    )
    op.drop_index(op.f("ix_queue_item_events_item_id"), table_name="queue_item_events")
    op.drop_table("queue_item_events")
    op.drop_index(
        "uq_queue_items_open_conversation",
        table_name="queue_items",
        postgresql_where=sa.text("status IN ('waiting', 'assigned')"),
        sqlite_where=sa.text("status IN ('waiting', 'assigned')"),
    )
    op.drop_index(
        "ix_queue_items_wait_deadline",
        table_name="queue_items",
        postgresql_where=sa.text("status = 'waiting'"),
        sqlite_where=sa.text("status = 'waiting'"),
    )
    op.drop_index(
        "ix_queue_items_reply_deadline",
        table_name="queue_items",
        postgresql_where=sa.text("status = 'assigned'"),
        sqlite_where=sa.text("status = 'assigned'"),
    )
    op.drop_index(op.f("ix_queue_items_organization_id_status_agent_id"), table_name="queue_items")
    op.drop_index(
        op.f("ix_queue_items_organization_id_queue_id_status_priority_entered_at"),
        table_name="queue_items",
    )
    op.drop_table("queue_items")
    op.drop_index(op.f("ix_queue_members_user_id"), table_name="queue_members")
    op.drop_table("queue_members")
    op.drop_index(
        op.f("ix_agent_status_changes_organization_id_user_id_at"),
        table_name="agent_status_changes",
    )
    op.drop_table("agent_status_changes")
    op.drop_index(op.f("ix_agent_profiles_organization_id"), table_name="agent_profiles")
    op.drop_table("agent_profiles")
    op.drop_index(
        "uq_queues_live_name",
        table_name="queues",
        postgresql_where=sa.text("deleted_at IS NULL"),
        sqlite_where=sa.text("deleted_at IS NULL"),
    )
    op.drop_table("queues")
