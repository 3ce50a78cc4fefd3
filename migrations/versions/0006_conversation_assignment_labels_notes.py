"""conversation assignment, labels, notes and client message ids

Revision ID: 0006
Revises: 0005
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import persistence.types

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    op.create_table(
        "conversation_notes",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("organization_id", sa.Uuid(), nullable=False),
        sa.Column("conversation_id", sa.Uuid(), nullable=False),
        sa.Column("author_id", sa.Uuid(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", persistence.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"], ["users.id"], name=op.f("fk_conversation_notes_author_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["conversation_id"],
            ["conversations.id"],
            name=op.f("fk_conversation_notes_conversation_id_conversations"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_conversation_notes_organization_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_conversation_notes")),
    )
    op.create_index(
        op.f("ix_conversation_notes_conversation_id_created_at"),
        "conversation_notes",
        ["conversation_id", "created_at"],
        unique=False,
    )
    with op.batch_alter_table("conversations") as batch:
        batch.add_column(sa.Column("last_message_id", sa.Uuid(), nullable=True))
        batch.add_column(sa.Column("assignee_id", sa.Uuid(), nullable=True))
        batch.add_column(sa.Column("labels", JSON, nullable=True))
        for column in ("snoozed_until", "handed_off_at", "first_human_reply_at", "resolved_at"):
            batch.add_column(
                sa.Column(column, persistence.types.UTCDateTime(timezone=True), nullable=True)
            )
        batch.drop_index(op.f("ix_conversations_organization_id_last_message_at"))
        batch.create_index(
            op.f("ix_conversations_organization_id_assignee_id"),
            ["organization_id", "assignee_id"],
            unique=False,
        )
        batch.create_index(
            op.f("ix_conversations_organization_id_last_message_at_id"),
            ["organization_id", "last_message_at", "id"],
            unique=False,
        )
        batch.create_foreign_key(
            op.f("fk_conversations_assignee_id_users"), "users", ["assignee_id"], ["id"]
        )
    # The inbox orders on last_message_at alone (an index scan): it is never null from now on.
    op.execute(
        "UPDATE conversations SET last_message_at = created_at WHERE last_message_at IS NULL"
    )
    with op.batch_alter_table("messages") as batch:
        batch.add_column(sa.Column("sender_user_id", sa.Uuid(), nullable=True))
        batch.add_column(sa.Column("client_message_id", sa.String(length=100), nullable=True))
        batch.create_index(
            "uq_messages_organization_id_client_message_id",
            ["organization_id", "client_message_id"],
            unique=True,
            postgresql_where=sa.text("client_message_id IS NOT NULL"),
            sqlite_where=sa.text("client_message_id IS NOT NULL"),
        )
        batch.create_foreign_key(
            op.f("fk_messages_sender_user_id_users"), "users", ["sender_user_id"], ["id"]
        )
        batch.create_index(op.f("ix_messages_context_wamid"), ["context_wamid"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("messages") as batch:
        batch.drop_constraint(op.f("fk_messages_sender_user_id_users"), type_="foreignkey")
        batch.drop_index(op.f("ix_messages_context_wamid"))
        batch.drop_index("uq_messages_organization_id_client_message_id")
        batch.drop_column("client_message_id")
        batch.drop_column("sender_user_id")
    with op.batch_alter_table("conversations") as batch:
        batch.drop_constraint(op.f("fk_conversations_assignee_id_users"), type_="foreignkey")
        batch.drop_index(op.f("ix_conversations_organization_id_last_message_at_id"))
        batch.drop_index(op.f("ix_conversations_organization_id_assignee_id"))
        batch.create_index(
            op.f("ix_conversations_organization_id_last_message_at"),
            ["organization_id", "last_message_at"],
            unique=False,
        )
        for column in (
            "resolved_at",
            "first_human_reply_at",
            "handed_off_at",
            "snoozed_until",
            "labels",
            "assignee_id",
            "last_message_id",
        ):
            batch.drop_column(column)
    op.drop_index(
        op.f("ix_conversation_notes_conversation_id_created_at"), table_name="conversation_notes"
    )
    op.drop_table("conversation_notes")
