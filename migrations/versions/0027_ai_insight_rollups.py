"""hourly rollups of what the signals worker read (sentiment, intents) and of reply
suggestions offered and taken, for aiInsights

Revision ID: 0027
Revises: 0026
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import persistence.types

revision: str = "0027"
down_revision: str | None = "0026"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _keys() -> list[sa.Column[object]]:
    return [
        sa.Column("organization_id", sa.Uuid(), nullable=False),
        sa.Column("hour", persistence.types.UTCDateTime(timezone=True), nullable=False),
    ]


def _organization(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["organization_id"],
        ["organizations.id"],
        name=op.f(f"fk_{table}_organization_id_organizations"),
        ondelete="CASCADE",
    )


def upgrade() -> None:
    op.create_table(
        "sentiment_rollups",
        *_keys(),
        sa.Column("number_id", sa.Uuid(), nullable=False),
        sa.Column("negative", sa.Integer(), nullable=False),
        sa.Column("neutral", sa.Integer(), nullable=False),
        sa.Column("positive", sa.Integer(), nullable=False),
        sa.Column("score_sum", sa.Double(), nullable=False),
        sa.Column("turned_negative", sa.Integer(), nullable=False),
        _organization("sentiment_rollups"),
        sa.PrimaryKeyConstraint(
            "organization_id", "hour", "number_id", name=op.f("pk_sentiment_rollups")
        ),
    )
    op.create_table(
        "intent_rollups",
        *_keys(),
        sa.Column("number_id", sa.Uuid(), nullable=False),
        sa.Column("intent", sa.String(length=40), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        _organization("intent_rollups"),
        sa.PrimaryKeyConstraint(
            "organization_id", "hour", "number_id", "intent", name=op.f("pk_intent_rollups")
        ),
    )
    op.create_table(
        "suggestion_rollups",
        *_keys(),
        sa.Column("offered", sa.Integer(), nullable=False),
        sa.Column("accepted", sa.Integer(), nullable=False),
        _organization("suggestion_rollups"),
        sa.PrimaryKeyConstraint("organization_id", "hour", name=op.f("pk_suggestion_rollups")),
    )


def downgrade() -> None:
    op.drop_table("suggestion_rollups")
    op.drop_table("intent_rollups")
    op.drop_table("sentiment_rollups")
