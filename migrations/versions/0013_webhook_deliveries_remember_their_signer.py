"""webhook deliveries remember whose app secret signed them

Revision ID: 0013
Revises: 0012
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import persistence.types

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Deliveries stored before this were accepted as the installation's: null keeps that.
    with op.batch_alter_table("webhook_deliveries") as batch:
        batch.add_column(sa.Column("signer_numbers", persistence.types.JSONDocument, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("webhook_deliveries") as batch:
        batch.drop_column("signer_numbers")
