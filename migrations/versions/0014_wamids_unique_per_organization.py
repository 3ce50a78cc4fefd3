"""wamids are unique per organization, not across the installation

Revision ID: 0014
Revises: 0013
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("messages") as batch:
        batch.drop_constraint(op.f("uq_messages_wamid"), type_="unique")
        batch.create_unique_constraint(
            op.f("uq_messages_organization_id_wamid"), ["organization_id", "wamid"]
        )
    # The new constraint leads with organization_id, so it serves that index's lookups too.
    with op.batch_alter_table("message_statuses") as batch:
        batch.drop_constraint(op.f("uq_message_statuses_wamid_status"), type_="unique")
        batch.drop_index(op.f("ix_message_statuses_organization_id"))
        batch.create_unique_constraint(
            op.f("uq_message_statuses_organization_id_wamid_status"),
            ["organization_id", "wamid", "status"],
        )


def downgrade() -> None:
    with op.batch_alter_table("message_statuses") as batch:
        batch.drop_constraint(
            op.f("uq_message_statuses_organization_id_wamid_status"), type_="unique"
        )
        batch.create_index(
            op.f("ix_message_statuses_organization_id"), ["organization_id"], unique=False
        )
        batch.create_unique_constraint(
            op.f("uq_message_statuses_wamid_status"), ["wamid", "status"]
        )
    with op.batch_alter_table("messages") as batch:
        batch.drop_constraint(op.f("uq_messages_organization_id_wamid"), type_="unique")
        batch.create_unique_constraint(op.f("uq_messages_wamid"), ["wamid"])
