"""trigram index for searching contacts by name or number (PostgreSQL)

Revision ID: 0009
Revises: 0008
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CONTACT_DOCUMENT = "(COALESCE(profile_name, '') || ' ' || COALESCE(wa_id, ''))"


def upgrade() -> None:
    # pg_trgm ships with PostgreSQL and is a trusted extension: the database's owner may
    # create it. SQLite searches by scanning and has no use for either.
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        op.execute(
            "CREATE INDEX ix_contacts_search ON contacts "
            f"USING gin ({CONTACT_DOCUMENT} gin_trgm_ops)"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.drop_index("ix_contacts_search", table_name="contacts")
