"""notifications, each person's preferences, and a cursor per organization over its events

Existing organizations' cursors start at their newest event: what happened before notifications
existed is not announced now.

Revision ID: 0028
Revises: 0027
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import persistence.types

revision: str = "0028"
down_revision: str | None = "0027"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UNREAD = "read_at IS NULL AND archived_at IS NULL"


def _foreign_key(table: str, column: str, referred: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column],
        [f"{referred}.id"],
        name=op.f(f"fk_{table}_{column}_{referred}"),
        ondelete=ondelete,
    )


def upgrade() -> None:
    op.create_table(
        "notification_cursors",
        sa.Column("organization_id", sa.Uuid(), nullable=False),
        sa.Column("last_sequence", sa.BigInteger(), nullable=False),
        _foreign_key("notification_cursors", "organization_id", "organizations", "CASCADE"),
        sa.PrimaryKeyConstraint("organization_id", name=op.f("pk_notification_cursors")),
    )
    op.execute(
        "INSERT INTO notification_cursors (organization_id, last_sequence) "
        "SELECT id, last_event_sequence FROM organizations"
    )
    op.create_table(
        "notification_preferences",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("organization_id", sa.Uuid(), nullable=False),
        sa.Column("document", persistence.types.JSONDocument, nullable=False),
        sa.Column("updated_at", persistence.types.UTCDateTime(timezone=True), nullable=False),
        _foreign_key("notification_preferences", "organization_id", "organizations", "CASCADE"),
        _foreign_key("notification_preferences", "user_id", "users", "CASCADE"),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_notification_preferences")),
    )
    op.create_index(
        op.f("ix_notification_preferences_organization_id"),
        "notification_preferences",
        ["organization_id"],
    )
    op.create_table(
        "notifications",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("organization_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("type", sa.String(length=40), nullable=False),
        sa.Column("category", sa.String(length=20), nullable=False),
        sa.Column("severity", sa.String(length=10), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("conversation_id", sa.Uuid(), nullable=True),
        sa.Column("event_sequence", sa.BigInteger(), nullable=True),
        sa.Column("announced", sa.Boolean(), nullable=False),
        sa.Column("sound", sa.Boolean(), nullable=False),
        sa.Column("held_because", sa.String(length=20), nullable=True),
        sa.Column("created_at", persistence.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("read_at", persistence.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("archived_at", persistence.types.UTCDateTime(timezone=True), nullable=True),
        _foreign_key("notifications", "conversation_id", "conversations", "SET NULL"),
        _foreign_key("notifications", "organization_id", "organizations", "CASCADE"),
        _foreign_key("notifications", "user_id", "users", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notifications")),
    )
    op.create_index(
        op.f("ix_notifications_organization_id_user_id_created_at_id"),
        "notifications",
        ["organization_id", "user_id", "created_at", "id"],
    )
    op.create_index(
        "ix_notifications_unread",
        "notifications",
        ["organization_id", "user_id"],
        postgresql_where=sa.text(UNREAD),
        sqlite_where=sa.text(UNREAD),
    )


def downgrade() -> None:
    op.drop_index("ix_notifications_unread", table_name="notifications")
    op.drop_index(
        op.f("ix_notifications_organization_id_user_id_created_at_id"), table_name="notifications"
    )
    op.drop_table("notifications")
    op.drop_index(
        op.f("ix_notification_preferences_organization_id"), table_name="notification_preferences"
    )
    op.drop_table("notification_preferences")
    op.drop_table("notification_cursors")
