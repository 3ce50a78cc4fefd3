"""contacts conversations messages

Revision ID: 0004
Revises: 0003
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import persistence.types

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "contacts",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("organization_id", sa.Uuid(), nullable=False),
        sa.Column("wa_id", sa.String(length=32), nullable=True),
        sa.Column("user_id", sa.String(length=160), nullable=True),
        sa.Column("profile_name", sa.String(length=200), nullable=True),
        sa.Column("username", sa.String(length=100), nullable=True),
        sa.Column("created_at", persistence.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", persistence.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_contacts_organization_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contacts")),
    )
    op.create_index(
        "uq_contacts_organization_id_user_id",
        "contacts",
        ["organization_id", "user_id"],
        unique=True,
        postgresql_where=sa.text("user_id IS NOT NULL"),
        sqlite_where=sa.text("user_id IS NOT NULL"),
    )
    op.create_index(
        "uq_contacts_organization_id_wa_id",
        "contacts",
        ["organization_id", "wa_id"],
        unique=True,
        postgresql_where=sa.text("wa_id IS NOT NULL"),
        sqlite_where=sa.text("wa_id IS NOT NULL"),
    )

    op.create_table(
        "message_statuses",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("organization_id", sa.Uuid(), nullable=False),
        sa.Column("wamid", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("occurred_at", persistence.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("received_at", persistence.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("recipient_id", sa.String(length=160), nullable=True),
        sa.Column("errors", persistence.types.JSONDocument, nullable=True),
        sa.Column("pricing", persistence.types.JSONDocument, nullable=True),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_message_statuses_organization_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_message_statuses")),
        sa.UniqueConstraint("wamid", "status", name=op.f("uq_message_statuses_wamid_status")),
    )
    op.create_index(
        op.f("ix_message_statuses_organization_id"),
        "message_statuses",
        ["organization_id"],
        unique=False,
    )

    op.create_table(
        "conversations",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("organization_id", sa.Uuid(), nullable=False),
        sa.Column("number_id", sa.Uuid(), nullable=False),
        sa.Column("contact_id", sa.Uuid(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("unread_count", sa.Integer(), nullable=False),
        sa.Column("last_message_at", persistence.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("last_inbound_at", persistence.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_at", persistence.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", persistence.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["contact_id"], ["contacts.id"], name=op.f("fk_conversations_contact_id_contacts")
        ),
        sa.ForeignKeyConstraint(
            ["number_id"],
            ["whatsapp_numbers.id"],
            name=op.f("fk_conversations_number_id_whatsapp_numbers"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_conversations_organization_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_conversations")),
    )
    op.create_index(
        op.f("ix_conversations_organization_id_last_message_at"),
        "conversations",
        ["organization_id", "last_message_at"],
        unique=False,
    )
    op.create_index(
        "uq_conversations_open_number_id_contact_id",
        "conversations",
        ["number_id", "contact_id"],
        unique=True,
        postgresql_where=sa.text("status IN ('open', 'pending')"),
        sqlite_where=sa.text("status IN ('open', 'pending')"),
    )

    op.create_table(
        "messages",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("organization_id", sa.Uuid(), nullable=False),
        sa.Column("conversation_id", sa.Uuid(), nullable=False),
        sa.Column("direction", sa.String(length=10), nullable=False),
        sa.Column("wamid", sa.String(length=200), nullable=True),
        sa.Column("type", sa.String(length=20), nullable=False),
        sa.Column("content", persistence.types.JSONDocument, nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("sent_at", persistence.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_at", persistence.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("context_wamid", sa.String(length=200), nullable=True),
        sa.Column("forwarded", sa.Boolean(), nullable=False),
        sa.Column("referral", persistence.types.JSONDocument, nullable=True),
        sa.Column("error", persistence.types.JSONDocument, nullable=True),
        sa.ForeignKeyConstraint(
            ["conversation_id"],
            ["conversations.id"],
            name=op.f("fk_messages_conversation_id_conversations"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_messages_organization_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_messages")),
        sa.UniqueConstraint("wamid", name=op.f("uq_messages_wamid")),
    )
    op.create_index(
        op.f("ix_messages_conversation_id_sent_at_id"),
        "messages",
        ["conversation_id", "sent_at", "id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_messages_organization_id"), "messages", ["organization_id"], unique=False
    )

    op.add_column(
        "webhook_deliveries",
        sa.Column("not_before", persistence.types.UTCDateTime(timezone=True), nullable=True),
    )


def downgrade() -> None:
    with op.batch_alter_table("webhook_deliveries") as batch_op:
        batch_op.drop_column("not_before")

    op.drop_index(op.f("ix_messages_organization_id"), table_name="messages")
    op.drop_index(op.f("ix_messages_conversation_id_sent_at_id"), table_name="messages")

    op.drop_table("messages")
    op.drop_index(
        "uq_conversations_open_number_id_contact_id",
        table_name="conversations",
        postgresql_where=sa.text("status IN ('open', 'pending')"),
        sqlite_where=sa.text("status IN ('open', 'pending')"),
    )
    op.drop_index(
        op.f("ix_conversations_organization_id_last_message_at"), table_name="conversations"
    )

    op.drop_table("conversations")
    op.drop_index(op.f("ix_message_statuses_organization_id"), table_name="message_statuses")

    op.drop_table("message_statuses")
    op.drop_index(
        "uq_contacts_organization_id_wa_id",
        table_name="contacts",
        postgresql_where=sa.text("wa_id IS NOT NULL"),
        sqlite_where=sa.text("wa_id IS NOT NULL"),
    )
    op.drop_index(
        "uq_contacts_organization_id_user_id",
        table_name="contacts",
        postgresql_where=sa.text("user_id IS NOT NULL"),
        sqlite_where=sa.text("user_id IS NOT NULL"),
    )

    op.drop_table("contacts")
