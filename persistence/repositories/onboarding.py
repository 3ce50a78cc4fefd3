"""The onboarding's records, and the facts it recognises done steps by."""

from __future__ import annotations

import uuid
from typing import cast

from sqlalchemy import ColumnElement, ScalarSelect, Table, delete, func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.onboarding.steps import Facts, Step, StepRecord, StepStatus
from persistence.models.accounts import OrganizationRow, UserRow
from persistence.models.flows import FlowRow
from persistence.models.onboarding import OnboardingStepRow
from persistence.models.queues import QueueItemRow, QueueRow
from persistence.models.team import InvitationRow
from persistence.models.whatsapp import WhatsAppNumberRow, WhatsAppTemplateRow
from persistence.repositories.scope import RepositoryScope

STEPS = cast(Table, OnboardingStepRow.__table__)


class SqlOnboardingRepository:
    def __init__(self, session: AsyncSession, organization_id: uuid.UUID) -> None:
        self._session = session
        self._organization_id = organization_id

    async def records(self) -> dict[Step, StepRecord]:
        result = await self._session.execute(
            select(STEPS).where(STEPS.c.organization_id == self._organization_id)
        )
        return {
            Step(row["step"]): StepRecord(
                Step(row["step"]), StepStatus(row["status"]), row["at"], row["by"]
            )
            for row in result.mappings()
        }

    async def record(self, record: StepRecord) -> None:
        await self._session.execute(
            delete(STEPS).where(
                STEPS.c.organization_id == self._organization_id,
                STEPS.c.step == record.step.value,
            )
        )
        await self._session.execute(
            insert(STEPS).values(
                organization_id=self._organization_id,
                step=record.step.value,
                status=record.status.value,
                at=record.at,
                by=record.by,
            )
        )

    async def facts(self) -> Facts:
        mine = self._organization_id

        def count(table: Table, *conditions: ColumnElement[bool]) -> ScalarSelect[int]:
            return (
                select(func.count())
                .select_from(table)
                .where(table.c.organization_id == mine, *conditions)
                .scalar_subquery()
            )

        flows = cast(Table, FlowRow.__table__)
        queues = cast(Table, QueueRow.__table__)
        users = cast(Table, UserRow.__table__)

        organization = await self._session.get(OrganizationRow, mine)
        counts = (
            await self._session.execute(
                select(
                    count(cast(Table, WhatsAppNumberRow.__table__)),
                    count(cast(Table, WhatsAppTemplateRow.__table__)),
                    count(
                        flows,
                        flows.c.published_version.is_not(None),
                        flows.c.archived_at.is_(None),
                    ),
                    count(queues, queues.c.deleted_at.is_(None)),
                    count(cast(Table, InvitationRow.__table__)),
                    count(users, users.c.is_active.is_(True)),
                    select(QueueItemRow.id)
                    .where(QueueItemRow.organization_id == mine)
                    .limit(1)
                    .scalar_subquery(),
                )
            )
        ).one()
        numbers, templates, published, open_queues, invitations, members, handoff = counts
        return Facts(
            profile=bool(organization and organization.time_zone and organization.business_hours),
            numbers=int(numbers),
            templates=int(templates),
            published_flows=int(published),
            queues=int(open_queues),
            invitations=int(invitations),
            members=int(members),
            handoffs=0 if handoff is None else 1,
        )


class OnboardingRepositories(RepositoryScope):
    """The onboarding's records and facts."""

    @property
    def onboarding(self) -> SqlOnboardingRepository:
        return SqlOnboardingRepository(self.session, self.scope())
