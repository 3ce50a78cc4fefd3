"""statuses keep Meta's conversation object beside its pricing

Revision ID: 0018
Revises: 0017
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import persistence.types

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("message_statuses") as batch:
        batch.add_column(sa.Column("conversation", persistence.types.JSONDocument, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("message_statuses") as batch:
        batch.drop_column("conversation")
