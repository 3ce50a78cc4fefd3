"""intents with their examples, the trainings of each organization's intent model, and the
intent read in each customer message

Revision ID: 0026
Revises: 0025
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import persistence.types

revision: str = "0026"
down_revision: str | None = "0025"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "intents",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("organization_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("description", sa.String(length=200), nullable=False),
        sa.Column("examples", persistence.types.JSONDocument, nullable=False),
        sa.Column("created_at", persistence.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", persistence.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_intents_organization_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_intents")),
        sa.UniqueConstraint(
            "organization_id", "name", name=op.f("uq_intents_organization_id_name")
        ),
    )
    op.create_table(
        "intent_models",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("organization_id", sa.Uuid(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("stage", sa.String(length=20), nullable=False),
        sa.Column("progress", sa.Double(), nullable=False),
        sa.Column("requested_at", persistence.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("requested_by", sa.Uuid(), nullable=True),
        sa.Column("due_at", persistence.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("started_at", persistence.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("finished_at", persistence.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("training_seconds", sa.Double(), nullable=True),
        sa.Column("evaluation", persistence.types.JSONDocument, nullable=True),
        sa.Column("artifact", sa.LargeBinary(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_intent_models_organization_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["requested_by"],
            ["users.id"],
            name=op.f("fk_intent_models_requested_by_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_intent_models")),
        sa.UniqueConstraint(
            "organization_id", "version", name=op.f("uq_intent_models_organization_id_version")
        ),
    )
    op.create_index(
        "ix_intent_models_due_at",
        "intent_models",
        ["due_at"],
        postgresql_where=sa.text("due_at IS NOT NULL"),
        sqlite_where=sa.text("due_at IS NOT NULL"),
    )
    with op.batch_alter_table("message_signals") as batch:
        batch.add_column(sa.Column("intent", sa.String(length=40), nullable=True))
        batch.add_column(sa.Column("intent_confidence", sa.Double(), nullable=True))
        batch.add_column(sa.Column("intent_model_version", sa.Integer(), nullable=True))
    with op.batch_alter_table("conversation_sentiments") as batch:
        batch.add_column(sa.Column("intent", sa.String(length=40), nullable=True))
        batch.add_column(sa.Column("intent_confidence", sa.Double(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("conversation_sentiments") as batch:
        batch.drop_column("intent_confidence")
        batch.drop_column("intent")
    with op.batch_alter_table("message_signals") as batch:
        batch.drop_column("intent_model_version")
        batch.drop_column("intent_confidence")
        batch.drop_column("intent")
    op.drop_index("ix_intent_models_due_at", table_name="intent_models")
    op.drop_table("intent_models")
    op.drop_table("intents")
