"""outbox send pacing and templates

Revision ID: 0005
Revises: 0004
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import persistence.types

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "whatsapp_templates",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("organization_id", sa.Uuid(), nullable=False),
        sa.Column("waba_id", sa.String(length=32), nullable=False),
        sa.Column("meta_id", sa.String(length=64), nullable=True),
        sa.Column("name", sa.String(length=512), nullable=False),
        sa.Column("language", sa.String(length=20), nullable=False),
        sa.Column("category", sa.String(length=30), nullable=False),
        sa.Column("status", sa.String(length=30), nullable=False),
        sa.Column("parameter_format", sa.String(length=20), nullable=False),
        sa.Column(
            "components",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("rejection_reason", sa.Text(), nullable=True),
        sa.Column("created_at", persistence.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", persistence.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_whatsapp_templates_organization_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_whatsapp_templates")),
        sa.UniqueConstraint(
            "organization_id",
            "waba_id",
            "name",
            "language",
            name=op.f("uq_whatsapp_templates_organization_id_waba_id_name_language"),
        ),
    )
    op.create_index(
        op.f("ix_whatsapp_templates_organization_id_status"),
        "whatsapp_templates",
        ["organization_id", "status"],
        unique=False,
    )
    op.create_table(
        "send_pacing",
        sa.Column("number_id", sa.Uuid(), nullable=False),
        sa.Column("next_slot", sa.Double(), nullable=False),
        sa.ForeignKeyConstraint(
            ["number_id"],
            ["whatsapp_numbers.id"],
            name=op.f("fk_send_pacing_number_id_whatsapp_numbers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("number_id", name=op.f("pk_send_pacing")),
    )
    op.create_table(
        "outbound_messages",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("organization_id", sa.Uuid(), nullable=False),
        sa.Column("number_id", sa.Uuid(), nullable=False),
        sa.Column("message_id", sa.Uuid(), nullable=True),
        sa.Column("recipient", sa.String(length=160), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column(
            "payload",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("not_before", persistence.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("deadline", persistence.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("wamid", sa.String(length=200), nullable=True),
        sa.Column("error_code", sa.Integer(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("created_at", persistence.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("sent_at", persistence.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["message_id"], ["messages.id"], name=op.f("fk_outbound_messages_message_id_messages")
        ),
        sa.ForeignKeyConstraint(
            ["number_id"],
            ["whatsapp_numbers.id"],
            name=op.f("fk_outbound_messages_number_id_whatsapp_numbers"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_outbound_messages_organization_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbound_messages")),
    )
    op.create_index(
        op.f("ix_outbound_messages_message_id"), "outbound_messages", ["message_id"], unique=False
    )
    op.create_index(
        op.f("ix_outbound_messages_number_id_recipient_status"),
        "outbound_messages",
        ["number_id", "recipient", "status"],
        unique=False,
    )
    op.create_index(
        op.f("ix_outbound_messages_status_not_before"),
        "outbound_messages",
        ["status", "not_before"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_outbound_messages_status_not_before"), table_name="outbound_messages")
    op.drop_index(
        op.f("ix_outbound_messages_number_id_recipient_status"), table_name="outbound_messages"
    )
    op.drop_index(op.f("ix_outbound_messages_message_id"), table_name="outbound_messages")
    op.drop_table("outbound_messages")
    op.drop_table("send_pacing")
    op.drop_index(
        op.f("ix_whatsapp_templates_organization_id_status"), table_name="whatsapp_templates"
    )
    op.drop_table("whatsapp_templates")
