"""flow sessions and their steps

Revision ID: 0010
Revises: 0009
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import persistence.types

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    op.create_table(
        "flow_sessions",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("organization_id", sa.Uuid(), nullable=False),
        sa.Column("flow_id", sa.Uuid(), nullable=False),
        sa.Column("flow_version", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("conversation_id", sa.Uuid(), nullable=False),
        sa.Column("contact_id", sa.Uuid(), nullable=False),
        sa.Column("number_id", sa.Uuid(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("expiry_minutes", sa.Integer(), nullable=False),
        sa.Column("state", JSON, nullable=False),
        sa.Column("pending_http", JSON, nullable=True),
        sa.Column("expires_at", persistence.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("wakes_at", persistence.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("last_node_id", sa.String(length=100), nullable=True),
        sa.Column("step_count", sa.Integer(), nullable=False),
        sa.Column("started_at", persistence.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", persistence.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("ended_at", persistence.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["contact_id"],
            ["contacts.id"],
            name=op.f("fk_flow_sessions_contact_id_contacts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["conversation_id"],
            ["conversations.id"],
            name=op.f("fk_flow_sessions_conversation_id_conversations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["flow_id"],
            ["flows.id"],
            name=op.f("fk_flow_sessions_flow_id_flows"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_flow_sessions_organization_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_flow_sessions")),
    )
    op.create_index(
        op.f("ix_flow_sessions_conversation_id_flow_id_started_at"),
        "flow_sessions",
        ["conversation_id", "flow_id", "started_at"],
        unique=False,
    )
    op.create_index(
        "ix_flow_sessions_due",
        "flow_sessions",
        ["wakes_at"],
        unique=False,
        postgresql_where=sa.text("status = 'active'"),
        sqlite_where=sa.text("status = 'active'"),
    )
    op.create_index(
        op.f("ix_flow_sessions_organization_id_flow_id_started_at"),
        "flow_sessions",
        ["organization_id", "flow_id", "started_at"],
        unique=False,
    )
    op.create_index(
        op.f("ix_flow_sessions_organization_id_started_at_id"),
        "flow_sessions",
        ["organization_id", "started_at", "id"],
        unique=False,
    )
    op.create_index(
        "uq_flow_sessions_active_conversation",
        "flow_sessions",
        ["conversation_id"],
        unique=True,
        postgresql_where=sa.text("status = 'active'"),
        sqlite_where=sa.text("status = 'active'"),
    )
    op.create_table(
        "flow_session_steps",
        sa.Column("session_id", sa.Uuid(), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Uuid(), nullable=False),
        sa.Column("node_id", sa.String(length=100), nullable=False),
        sa.Column("node_type", sa.String(length=40), nullable=False),
        sa.Column("input", sa.Text(), nullable=True),
        sa.Column("effects", JSON, nullable=False),
        sa.Column("variables_changed", JSON, nullable=False),
        sa.Column("duration_ms", sa.Double(), nullable=False),
        sa.Column("way", sa.String(length=100), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("at", persistence.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_flow_session_steps_organization_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["flow_sessions.id"],
            name=op.f("fk_flow_session_steps_session_id_flow_sessions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("session_id", "sequence", name=op.f("pk_flow_session_steps")),
    )


def downgrade() -> None:
    op.drop_table("flow_session_steps")
    op.drop_index(
        "uq_flow_sessions_active_conversation",
        table_name="flow_sessions",
        postgresql_where=sa.text("status = 'active'"),
        sqlite_where=sa.text("status = 'active'"),
    )
    op.drop_index(
        op.f("ix_flow_sessions_organization_id_started_at_id"), table_name="flow_sessions"
    )
    op.drop_index(
        op.f("ix_flow_sessions_organization_id_flow_id_started_at"), table_name="flow_sessions"
    )
    op.drop_index(
        "ix_flow_sessions_due",
        table_name="flow_sessions",
        postgresql_where=sa.text("status = 'active'"),
        sqlite_where=sa.text("status = 'active'"),
    )
    op.drop_index(
        op.f("ix_flow_sessions_conversation_id_flow_id_started_at"), table_name="flow_sessions"
    )
    op.drop_table("flow_sessions")
