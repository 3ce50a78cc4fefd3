"""the onboarding steps an organization completed or skipped

Revision ID: 0022
Revises: 0021
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import persistence.types

revision: str = "0022"
down_revision: str | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "onboarding_steps",
        sa.Column("organization_id", sa.Uuid(), nullable=False),
        sa.Column("step", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("at", persistence.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("by", sa.Uuid(), nullable=True),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_onboarding_steps_organization_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["by"], ["users.id"], name=op.f("fk_onboarding_steps_by_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("organization_id", "step", name=op.f("pk_onboarding_steps")),
    )


def downgrade() -> None:
    op.drop_table("onboarding_steps")
