"""flows, their numbers and published versions

Revision ID: 0008
Revises: 0007
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import persistence.types

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    op.create_table(
        "flows",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("organization_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("expiry_minutes", sa.Integer(), nullable=False),
        sa.Column("draft", JSON, nullable=False),
        sa.Column("published_version", sa.Integer(), nullable=True),
        sa.Column("created_at", persistence.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", persistence.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("draft_updated_at", persistence.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("published_at", persistence.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("archived_at", persistence.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_flows_organization_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_flows")),
        sa.UniqueConstraint("organization_id", "name", name=op.f("uq_flows_organization_id_name")),
    )
    op.create_index(
        op.f("ix_flows_organization_id_updated_at_id"),
        "flows",
        ["organization_id", "updated_at", "id"],
        unique=False,
    )
    op.create_table(
        "flow_numbers",
        sa.Column("flow_id", sa.Uuid(), nullable=False),
        sa.Column("number_id", sa.Uuid(), nullable=False),
        sa.Column("organization_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["flow_id"],
            ["flows.id"],
            name=op.f("fk_flow_numbers_flow_id_flows"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["number_id"],
            ["whatsapp_numbers.id"],
            name=op.f("fk_flow_numbers_number_id_whatsapp_numbers"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_flow_numbers_organization_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("flow_id", "number_id", name=op.f("pk_flow_numbers")),
    )
    op.create_index(op.f("ix_flow_numbers_number_id"), "flow_numbers", ["number_id"], unique=False)
    op.create_table(
        "flow_versions",
        sa.Column("flow_id", sa.Uuid(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Uuid(), nullable=False),
        sa.Column("document", JSON, nullable=False),
        sa.Column("published_at", persistence.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("published_by", sa.Uuid(), nullable=True),
        sa.ForeignKeyConstraint(
            ["flow_id"],
            ["flows.id"],
            name=op.f("fk_flow_versions_flow_id_flows"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_flow_versions_organization_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["published_by"], ["users.id"], name=op.f("fk_flow_versions_published_by_users")
        ),
        sa.PrimaryKeyConstraint("flow_id", "version", name=op.f("pk_flow_versions")),
    )


def downgrade() -> None:
    op.drop_table("flow_versions")
    op.drop_index(op.f("ix_flow_numbers_number_id"), table_name="flow_numbers")
    op.drop_table("flow_numbers")
    op.drop_index(op.f("ix_flows_organization_id_updated_at_id"), table_name="flows")
    op.drop_table("flows")
