"""full-text index over message bodies (PostgreSQL)

Revision ID: 0007
Revises: 0006
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BODY_DOCUMENT = "to_tsvector('simple'::regconfig, COALESCE(content ->> 'body'::text, ''::text))"


def upgrade() -> None:
    # SQLite searches with a substring match and has no use for it.
    if op.get_bind().dialect.name == "postgresql":
        op.create_index(
            "ix_messages_body_search",
            "messages",
            [sa.text(BODY_DOCUMENT)],
            postgresql_using="gin",
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.drop_index("ix_messages_body_search", table_name="messages")
