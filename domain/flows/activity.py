"""What flows did for real: their sessions, each with its execution log, and their statistics
(supervisors and up, who design the flows)."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from domain.accounts.model import SUPERVISING_ROLES, Actor
from domain.clock import Clock
from domain.errors import InvalidInput, NotFound
from domain.flows.ports import FlowsUnitOfWork
from domain.flows.sessions import FlowSession, FlowSessionFilter, FlowStats, FlowStep
from domain.pagination import Page, PageRequest
from domain.unit_of_work import UnitOfWorkFactory


class FlowActivity:
    def __init__(self, unit_of_work: UnitOfWorkFactory[FlowsUnitOfWork], clock: Clock) -> None:
        self._uow = unit_of_work
        self._clock = clock

    async def sessions(
        self,
        actor: Actor,
        session_filter: FlowSessionFilter,
        request: PageRequest,
    ) -> Page[FlowSession]:
        """Most recently started first."""
        _, organization_id, _ = actor.require_role(SUPERVISING_ROLES)
        f = session_filter
        if f.started_after and f.started_before and f.started_before <= f.started_after:
            raise InvalidInput("the period's end must come after its start", field="until")
        size = request.size()
        async with self._uow(organization_id, read_only=True) as uow:
            return await uow.flow_sessions.page(session_filter, size, request)

    async def session(self, actor: Actor, session_id: UUID) -> FlowSession | None:
        _, organization_id, _ = actor.require_role(SUPERVISING_ROLES)
        async with self._uow(organization_id, read_only=True) as uow:
            return await uow.flow_sessions.get(session_id)

    async def steps(self, actor: Actor, session_ids: list[UUID]) -> dict[UUID, list[FlowStep]]:
        """The execution logs of several sessions, each in order, in one read."""
        _, organization_id, _ = actor.require_role(SUPERVISING_ROLES)
        async with self._uow(organization_id, read_only=True) as uow:
            return await uow.flow_sessions.steps(session_ids)

    async def stats(
        self, actor: Actor, flow_id: UUID, since: datetime, until: datetime | None
    ) -> FlowStats:
        _, organization_id, _ = actor.require_role(SUPERVISING_ROLES)
        end = until or self._clock.now()
        if end <= since:
            raise InvalidInput("the period's end must come after its start", field="until")
        async with self._uow(organization_id, read_only=True) as uow:
            if await uow.flows.get(flow_id) is None:
                raise NotFound("Flow", flow_id)
            return await uow.flow_sessions.stats(flow_id, since, end)
