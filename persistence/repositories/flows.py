"""An organization's flows, the numbers each runs on, and their published versions."""

from __future__ import annotations

import uuid
from typing import Any, cast

from sqlalchemy import RowMapping, Table, delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from domain.errors import Conflict
from domain.flows.model import Flow, FlowFilter, FlowKind, FlowStatus, FlowVersion, RunnableFlow
from domain.pagination import Edge, Page, PageRequest
from persistence.models.flows import FlowNumberRow, FlowRow, FlowVersionRow
from persistence.repositories.cursors import Keyset, encode_cursor
from persistence.repositories.flow_sessions import SqlFlowSessionRepository
from persistence.repositories.scope import RepositoryScope

FLOWS = cast(Table, FlowRow.__table__)
FLOW_NUMBERS = cast(Table, FlowNumberRow.__table__)
FLOW_VERSIONS = cast(Table, FlowVersionRow.__table__)
FIELDS = (
    "name",
    "expiry_minutes",
    "draft",
    "published_version",
    "created_at",
    "updated_at",
    "draft_updated_at",
    "published_at",
    "archived_at",
)


def _flow(row: RowMapping, number_ids: list[uuid.UUID]) -> Flow:
    return Flow(
        id=row["id"],
        organization_id=row["organization_id"],
        kind=FlowKind(row["kind"]),
        number_ids=tuple(sorted(number_ids)),
        **{name: row[name] for name in FIELDS},
    )


FLOW_ORDER = Keyset(FLOWS.c.updated_at, FLOWS.c.id, newest_first=True)
"""Flows: most recently changed first."""


class SqlFlowRepository:
    def __init__(self, session: AsyncSession, organization_id: uuid.UUID) -> None:
        self._session = session
        self._organization_id = organization_id
        self._mine = FLOWS.c.organization_id == organization_id

    async def _numbers(self, flow_ids: list[uuid.UUID]) -> dict[uuid.UUID, list[uuid.UUID]]:
        numbers: dict[uuid.UUID, list[uuid.UUID]] = {flow_id: [] for flow_id in flow_ids}
        if not flow_ids:
            return numbers
        result = await self._session.execute(
            select(FLOW_NUMBERS.c.flow_id, FLOW_NUMBERS.c.number_id).where(
                FLOW_NUMBERS.c.organization_id == self._organization_id,
                FLOW_NUMBERS.c.flow_id.in_(flow_ids),
            )
        )
        for flow_id, number_id in result.all():
            numbers[flow_id].append(number_id)
        return numbers

    async def _flows(self, rows: list[RowMapping]) -> list[Flow]:
        numbers = await self._numbers([row["id"] for row in rows])
        return [_flow(row, numbers[row["id"]]) for row in rows]

    async def get(self, flow_id: uuid.UUID) -> Flow | None:
        result = await self._session.execute(
            select(*FLOWS.columns).where(self._mine, FLOWS.c.id == flow_id)
        )
        row = result.mappings().first()
        return (await self._flows([row]))[0] if row else None

    async def page(self, flow_filter: FlowFilter, size: int, request: PageRequest) -> Page[Flow]:
        """Most recently changed first."""
        query = select(*FLOWS.columns).where(self._mine)
        if flow_filter.kind is not None:
            query = query.where(FLOWS.c.kind == flow_filter.kind.value)
        match flow_filter.status:
            case FlowStatus.ARCHIVED:
                query = query.where(FLOWS.c.archived_at.is_not(None))
            case FlowStatus.PUBLISHED:
                query = query.where(
                    FLOWS.c.archived_at.is_(None), FLOWS.c.published_version.is_not(None)
                )
            case FlowStatus.DRAFT:
                query = query.where(
                    FLOWS.c.archived_at.is_(None), FLOWS.c.published_version.is_(None)
                )
            case None:
                pass
        if flow_filter.number_id is not None:
            query = query.where(
                FLOWS.c.id.in_(
                    select(FLOW_NUMBERS.c.flow_id).where(
                        FLOW_NUMBERS.c.organization_id == self._organization_id,
                        FLOW_NUMBERS.c.number_id == flow_filter.number_id,
                    )
                )
            )
        if flow_filter.search and flow_filter.search.strip():
            query = query.where(FLOWS.c.name.icontains(flow_filter.search.strip(), autoescape=True))
        result = await self._session.execute(FLOW_ORDER.select(query, request, size))
        page = FLOW_ORDER.page(
            list(result.mappings()),
            request,
            size,
            lambda r: Edge(encode_cursor(r["updated_at"], r["id"]), r),
        )
        flows = await self._flows([edge.node for edge in page.edges])
        return Page(
            [Edge(edge.cursor, flow) for edge, flow in zip(page.edges, flows, strict=True)],
            has_next_page=page.has_next_page,
            has_previous_page=page.has_previous_page,
        )

    async def add(self, flow: Flow) -> None:
        values = {name: getattr(flow, name) for name in FIELDS}
        await self._write(
            insert(FLOWS).values(
                id=flow.id, organization_id=self._organization_id, kind=flow.kind.value, **values
            ),
            flow.name,
        )
        await self._set_numbers(flow)

    async def save(self, flow: Flow) -> None:
        values = {name: getattr(flow, name) for name in FIELDS if name != "created_at"}
        await self._write(
            update(FLOWS).where(self._mine, FLOWS.c.id == flow.id).values(**values), flow.name
        )
        await self._set_numbers(flow)

    async def _write(self, statement: Any, name: str) -> None:
        try:
            async with self._session.begin_nested():
                await self._session.execute(statement)
        except IntegrityError as error:
            raise Conflict(f"there is already a flow named '{name}'", field="name") from error

    async def _set_numbers(self, flow: Flow) -> None:
        await self._session.execute(
            delete(FLOW_NUMBERS).where(
                FLOW_NUMBERS.c.organization_id == self._organization_id,
                FLOW_NUMBERS.c.flow_id == flow.id,
            )
        )
        if flow.number_ids:
            await self._session.execute(
                insert(FLOW_NUMBERS),
                [
                    {
                        "flow_id": flow.id,
                        "number_id": number_id,
                        "organization_id": self._organization_id,
                    }
                    for number_id in flow.number_ids
                ],
            )

    async def published_on(self, number_ids: list[uuid.UUID], kind: FlowKind) -> list[Flow]:
        result = await self._session.execute(
            select(*FLOWS.columns).where(
                self._mine,
                FLOWS.c.kind == kind.value,
                FLOWS.c.archived_at.is_(None),
                FLOWS.c.published_version.is_not(None),
                FLOWS.c.id.in_(
                    select(FLOW_NUMBERS.c.flow_id).where(
                        FLOW_NUMBERS.c.organization_id == self._organization_id,
                        FLOW_NUMBERS.c.number_id.in_(number_ids),
                    )
                ),
            )
        )
        return await self._flows(list(result.mappings()))

    async def runnable_on(self, number_id: uuid.UUID) -> list[RunnableFlow]:
        result = await self._session.execute(
            select(FLOWS.c.id, FLOWS.c.kind, FLOWS.c.published_version, FLOWS.c.expiry_minutes)
            .join(FLOW_NUMBERS, FLOW_NUMBERS.c.flow_id == FLOWS.c.id)
            .where(
                self._mine,
                FLOW_NUMBERS.c.number_id == number_id,
                FLOWS.c.archived_at.is_(None),
                FLOWS.c.published_version.is_not(None),
            )
            .order_by(FLOWS.c.name)
        )
        return [
            RunnableFlow(row.id, FlowKind(row.kind), int(row.published_version), row.expiry_minutes)
            for row in result.all()
        ]

    async def add_version(self, version: FlowVersion) -> None:
        await self._session.execute(
            insert(FLOW_VERSIONS).values(
                flow_id=version.flow_id,
                version=version.version,
                organization_id=self._organization_id,
                document=dict(version.document),
                published_at=version.published_at,
                published_by=version.published_by,
            )
        )

    async def version(self, flow_id: uuid.UUID, version: int) -> FlowVersion | None:
        result = await self._session.execute(
            select(*FLOW_VERSIONS.columns).where(
                FLOW_VERSIONS.c.organization_id == self._organization_id,
                FLOW_VERSIONS.c.flow_id == flow_id,
                FLOW_VERSIONS.c.version == version,
            )
        )
        row = result.mappings().first()
        return None if row is None else _version(row)

    async def versions(self, flow_id: uuid.UUID) -> list[FlowVersion]:
        result = await self._session.execute(
            select(*FLOW_VERSIONS.columns)
            .where(
                FLOW_VERSIONS.c.organization_id == self._organization_id,
                FLOW_VERSIONS.c.flow_id == flow_id,
            )
            .order_by(FLOW_VERSIONS.c.version.desc())
        )
        return [_version(row) for row in result.mappings().all()]


def _version(row: RowMapping) -> FlowVersion:
    return FlowVersion(
        row["flow_id"], row["version"], row["document"], row["published_at"], row["published_by"]
    )


class FlowsRepositories(RepositoryScope):
    """Flows and the sessions they ran."""

    @property
    def flows(self) -> SqlFlowRepository:
        return SqlFlowRepository(self.session, self.scope())

    @property
    def flow_sessions(self) -> SqlFlowSessionRepository:
        return SqlFlowSessionRepository(self.session, self.scope())
