"""Flow sessions, their execution log, the statistics over them and the timers' claims."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import RowMapping, Table, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from domain.flows.engine import SessionStatus
from domain.flows.model import FlowKind
from domain.flows.sessions import (
    FlowSession,
    FlowSessionFilter,
    FlowStats,
    FlowStep,
    NodeCount,
    PendingCall,
    state_document,
    state_from_document,
)
from domain.pagination import Edge, Page, PageRequest
from persistence.claims import claim_due
from persistence.database import Database
from persistence.models.flows import FlowSessionRow, FlowSessionStepRow
from persistence.repositories.cursors import Keyset, encode_cursor

SESSIONS = cast(Table, FlowSessionRow.__table__)
STEPS = cast(Table, FlowSessionStepRow.__table__)
ACTIVE = SessionStatus.ACTIVE.value
DROP_OFF_STATUSES = (SessionStatus.EXPIRED.value, SessionStatus.ERROR.value)


def _session(row: RowMapping) -> FlowSession:
    status = SessionStatus(row["status"])
    pending = row["pending_http"]
    return FlowSession(
        id=row["id"],
        organization_id=row["organization_id"],
        flow_id=row["flow_id"],
        flow_version=row["flow_version"],
        kind=FlowKind(row["kind"]),
        conversation_id=row["conversation_id"],
        contact_id=row["contact_id"],
        number_id=row["number_id"],
        expiry=timedelta(minutes=row["expiry_minutes"]),
        state=state_from_document(row["state"], status, row["expires_at"], row["error"]),
        started_at=row["started_at"],
        updated_at=row["updated_at"],
        ended_at=row["ended_at"],
        pending_http=PendingCall.from_document(pending) if pending else None,
        last_node_id=row["last_node_id"],
        step_count=row["step_count"],
    )


def _values(session: FlowSession) -> dict[str, Any]:
    return {
        "status": session.status.value,
        "state": state_document(session.state),
        "pending_http": session.pending_http.document() if session.pending_http else None,
        "expires_at": session.state.expires_at,
        "wakes_at": session.wakes_at,
        "error": session.state.error,
        "last_node_id": session.last_node_id,
        "step_count": session.step_count,
        "updated_at": session.updated_at,
        "ended_at": session.ended_at,
    }


def _step(row: RowMapping) -> FlowStep:
    return FlowStep(
        session_id=row["session_id"],
        sequence=row["sequence"],
        node_id=row["node_id"],
        node_type=row["node_type"],
        input=row["input"],
        effects=tuple(row["effects"]),
        variables_changed=row["variables_changed"],
        duration_ms=row["duration_ms"],
        at=row["at"],
        way=row["way"],
        error=row["error"],
    )


SESSION_ORDER = Keyset(SESSIONS.c.started_at, SESSIONS.c.id, newest_first=True)
"""Flow sessions: most recently started first."""


class SqlFlowSessionRepository:
    def __init__(self, session: AsyncSession, organization_id: uuid.UUID) -> None:
        self._session = session
        self._organization_id = organization_id
        self._mine = SESSIONS.c.organization_id == organization_id

    async def active_for(self, conversation_id: uuid.UUID) -> FlowSession | None:
        result = await self._session.execute(
            select(*SESSIONS.columns)
            .where(
                self._mine,
                SESSIONS.c.conversation_id == conversation_id,
                SESSIONS.c.status == ACTIVE,
            )
            .with_for_update()
        )
        row = result.mappings().first()
        return _session(row) if row else None

    async def active_in(self, conversation_ids: list[uuid.UUID]) -> dict[uuid.UUID, FlowSession]:
        if not conversation_ids:
            return {}
        result = await self._session.execute(
            select(*SESSIONS.columns).where(
                self._mine,
                SESSIONS.c.conversation_id.in_(conversation_ids),
                SESSIONS.c.status == ACTIVE,
            )
        )
        return {row["conversation_id"]: _session(row) for row in result.mappings()}

    async def get(self, session_id: uuid.UUID, lock: bool = False) -> FlowSession | None:
        query = select(*SESSIONS.columns).where(self._mine, SESSIONS.c.id == session_id)
        result = await self._session.execute(query.with_for_update() if lock else query)
        row = result.mappings().first()
        return _session(row) if row else None

    async def last_started(self, conversation_id: uuid.UUID, flow_id: uuid.UUID) -> datetime | None:
        result = await self._session.execute(
            select(func.max(SESSIONS.c.started_at)).where(
                self._mine,
                SESSIONS.c.conversation_id == conversation_id,
                SESSIONS.c.flow_id == flow_id,
            )
        )
        return cast(datetime | None, result.scalar())

    async def add(self, session: FlowSession) -> None:
        await self._session.execute(
            insert(SESSIONS).values(
                id=session.id,
                organization_id=self._organization_id,
                flow_id=session.flow_id,
                flow_version=session.flow_version,
                kind=session.kind.value,
                conversation_id=session.conversation_id,
                contact_id=session.contact_id,
                number_id=session.number_id,
                expiry_minutes=int(session.expiry.total_seconds() // 60),
                started_at=session.started_at,
                **_values(session),
            )
        )

    async def save(self, session: FlowSession) -> None:
        await self._session.execute(
            update(SESSIONS)
            .where(self._mine, SESSIONS.c.id == session.id)
            .values(**_values(session))
        )

    async def add_steps(self, steps: list[FlowStep]) -> None:
        if not steps:
            return
        await self._session.execute(
            insert(STEPS),
            [
                {
                    "session_id": step.session_id,
                    "sequence": step.sequence,
                    "organization_id": self._organization_id,
                    "node_id": step.node_id,
                    "node_type": step.node_type,
                    "input": step.input,
                    "effects": list(step.effects),
                    "variables_changed": dict(step.variables_changed),
                    "duration_ms": step.duration_ms,
                    "way": step.way,
                    "error": step.error,
                    "at": step.at,
                }
                for step in steps
            ],
        )

    async def steps(self, session_ids: list[uuid.UUID]) -> dict[uuid.UUID, list[FlowStep]]:
        found: dict[uuid.UUID, list[FlowStep]] = {session_id: [] for session_id in session_ids}
        if not session_ids:
            return found
        result = await self._session.execute(
            select(*STEPS.columns)
            .where(
                STEPS.c.organization_id == self._organization_id,
                STEPS.c.session_id.in_(session_ids),
            )
            .order_by(STEPS.c.session_id, STEPS.c.sequence)
        )
        for row in result.mappings():
            found[row["session_id"]].append(_step(row))
        return found

    async def page(
        self, session_filter: FlowSessionFilter, size: int, request: PageRequest
    ) -> Page[FlowSession]:
        """Most recently started first."""
        f = session_filter
        query = select(*SESSIONS.columns).where(self._mine)
        if f.flow_id is not None:
            query = query.where(SESSIONS.c.flow_id == f.flow_id)
        if f.contact_id is not None:
            query = query.where(SESSIONS.c.contact_id == f.contact_id)
        if f.conversation_id is not None:
            query = query.where(SESSIONS.c.conversation_id == f.conversation_id)
        if f.status is not None:
            query = query.where(SESSIONS.c.status == f.status.value)
        if f.started_after is not None:
            query = query.where(SESSIONS.c.started_at >= f.started_after)
        if f.started_before is not None:
            query = query.where(SESSIONS.c.started_at < f.started_before)
        result = await self._session.execute(SESSION_ORDER.select(query, request, size))
        return SESSION_ORDER.page(
            list(result.mappings()),
            request,
            size,
            lambda r: Edge(encode_cursor(r["started_at"], r["id"]), _session(r)),
        )

    async def stats(self, flow_id: uuid.UUID, since: datetime, until: datetime) -> FlowStats:
        in_period = (
            self._mine,
            SESSIONS.c.flow_id == flow_id,
            SESSIONS.c.started_at >= since,
            SESSIONS.c.started_at < until,
        )
        result = await self._session.execute(
            select(SESSIONS.c.status, func.count()).where(*in_period).group_by(SESSIONS.c.status)
        )
        counts = {str(status): int(count) for status, count in result.all()}
        dropped = await self._session.execute(
            select(SESSIONS.c.last_node_id, func.count().label("sessions"))
            .where(
                *in_period,
                SESSIONS.c.status.in_(DROP_OFF_STATUSES),
                SESSIONS.c.last_node_id.is_not(None),
            )
            .group_by(SESSIONS.c.last_node_id)
            .order_by(func.count().desc(), SESSIONS.c.last_node_id)
        )
        return FlowStats(
            started=sum(counts.values()),
            completed=counts.get(SessionStatus.COMPLETED.value, 0),
            expired=counts.get(SessionStatus.EXPIRED.value, 0),
            transferred=counts.get(SessionStatus.TRANSFERRED.value, 0),
            replaced=counts.get(SessionStatus.REPLACED.value, 0),
            failed=counts.get(SessionStatus.ERROR.value, 0),
            active=counts.get(ACTIVE, 0),
            drop_off=tuple(NodeCount(str(node), int(n)) for node, n in dropped.all()),
        )


@dataclass(frozen=True)
class DueSession:
    organization_id: uuid.UUID
    session_id: uuid.UUID


async def claim_due_sessions(
    database: Database, limit: int, now: datetime, lease: timedelta
) -> list[DueSession]:
    """Active sessions whose timer or HTTP call is due, taken for `lease` so that several
    processes never act on the same one at once."""
    rows = await claim_due(
        database,
        SESSIONS,
        "wakes_at",
        limit,
        now,
        lease,
        (SESSIONS.c.organization_id, SESSIONS.c.id),
        SESSIONS.c.status == ACTIVE,
    )
    return [DueSession(row.organization_id, row.id) for row in rows]
