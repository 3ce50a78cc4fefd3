"""Designing flows: drafts, validation, publishing versions and dry runs (supervisors and up).

Edits change the draft only; `publish` validates it and freezes it as the next version, which
new sessions start on while running sessions finish on theirs.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any
from uuid import UUID

from domain.accounts.model import SUPERVISING_ROLES, Actor
from domain.audit import AuditEntry
from domain.clock import Clock
from domain.errors import Conflict, FlowInvalid, InvalidInput, NotFound
from domain.flows.dry_run import DryRun, DryRunInput, dry_run
from domain.flows.events import FlowPublished
from domain.flows.library import LibraryFlow, ready_made
from domain.flows.model import (
    DEFAULT_EXPIRY_MINUTES,
    Flow,
    FlowFilter,
    FlowKind,
    FlowStatus,
    FlowVersion,
    Problem,
    parse_flow,
)
from domain.flows.ports import FlowsUnitOfWork, IntentModels
from domain.flows.validation import Catalog, validate
from domain.languages import checked_language
from domain.pagination import Page, PageRequest
from domain.unit_of_work import UnitOfWorkFactory

MAX_EXPIRY_MINUTES = 7 * 24 * 60
MAX_NAME = 200
EMPTY_DOCUMENT: Mapping[str, Any] = {"nodes": [], "edges": []}


@dataclass(frozen=True)
class FlowDraft:
    name: str
    kind: FlowKind
    number_ids: tuple[UUID, ...] = ()
    expiry_minutes: int = DEFAULT_EXPIRY_MINUTES
    document: Mapping[str, Any] | None = None


@dataclass(frozen=True)
class FlowChanges:
    """What an update changes; None leaves a field as it is."""

    name: str | None = None
    number_ids: tuple[UUID, ...] | None = None
    expiry_minutes: int | None = None
    document: Mapping[str, Any] | None = None


def _name(name: str) -> str:
    cleaned = " ".join(name.split())
    if not cleaned:
        raise InvalidInput("a flow needs a name", field="name")
    if len(cleaned) > MAX_NAME:
        raise InvalidInput(f"a flow name has at most {MAX_NAME} characters", field="name")
    return cleaned


def _expiry(minutes: int) -> int:
    if not 1 <= minutes <= MAX_EXPIRY_MINUTES:
        raise InvalidInput(
            f"the session expiry is 1 to {MAX_EXPIRY_MINUTES} minutes", field="expiryMinutes"
        )
    return minutes


def _document(document: Mapping[str, Any]) -> dict[str, Any]:
    """Drafts may be unfinished, but they are the editor's shape: nodes and edges lists."""
    if not isinstance(document.get("nodes"), list) or not isinstance(document.get("edges"), list):
        raise InvalidInput(
            "a flow graph is an object with `nodes` and `edges` lists", field="graph"
        )
    return dict(document)


class FlowService:
    def __init__(
        self,
        unit_of_work: UnitOfWorkFactory[FlowsUnitOfWork],
        clock: Clock,
        intents: IntentModels | None = None,
    ) -> None:
        self._uow = unit_of_work
        self._clock = clock
        self._intents = intents
        """Where a dry run's intent nodes read test messages; without it they go "unsure"."""

    async def flows(
        self, actor: Actor, flow_filter: FlowFilter, request: PageRequest
    ) -> Page[Flow]:
        """Most recently changed first."""
        _, organization_id, _ = actor.require_role(SUPERVISING_ROLES)
        size = request.size()
        async with self._uow(organization_id, read_only=True) as uow:
            return await uow.flows.page(flow_filter, size, request)

    async def library(
        self, actor: Actor, language: str | None, queue_id: UUID | None, segment: str | None = None
    ) -> tuple[LibraryFlow, ...]:
        """The ready-made flows, for designers to copy: in the organization's language unless
        another is asked for, handing customers to the queue asked for, or else to the
        organization's first queue by name (with none, validation asks for one)."""
        _, organization_id, _ = actor.require_role(SUPERVISING_ROLES)
        if language is not None:
            language = checked_language(language)
        async with self._uow(organization_id, read_only=True) as uow:
            if language is None:
                language = (await uow.organization.get()).language
            if queue_id is not None:
                if await uow.queues.get(queue_id) is None:
                    raise NotFound("Queue", queue_id)
                chosen: UUID | None = queue_id
            else:
                queues = sorted(await uow.queues.list(), key=lambda queue: queue.name.casefold())
                chosen = queues[0].id if queues else None
        return ready_made(language, str(chosen) if chosen else None, segment)

    async def flow(self, actor: Actor, flow_id: UUID) -> Flow | None:
        _, organization_id, _ = actor.require_role(SUPERVISING_ROLES)
        async with self._uow(organization_id, read_only=True) as uow:
            return await uow.flows.get(flow_id)

    async def create(self, actor: Actor, draft: FlowDraft) -> Flow:
        _, organization_id, _ = actor.require_role(SUPERVISING_ROLES)
        now = self._clock.now()
        flow = Flow(
            id=uuid.uuid4(),
            organization_id=organization_id,
            name=_name(draft.name),
            kind=draft.kind,
            number_ids=tuple(dict.fromkeys(draft.number_ids)),
            expiry_minutes=_expiry(draft.expiry_minutes),
            draft=_document(draft.document or EMPTY_DOCUMENT),
            published_version=None,
            created_at=now,
            updated_at=now,
            draft_updated_at=now,
        )
        async with self._uow(organization_id) as uow:
            await self._check_numbers(uow, flow.number_ids)
            await uow.flows.add(flow)
            self._audit(uow, actor, flow, "create", {"name": flow.name, "kind": flow.kind.value})
            await uow.commit()
        return flow

    async def update(self, actor: Actor, flow_id: UUID, changes: FlowChanges) -> Flow:
        _, organization_id, _ = actor.require_role(SUPERVISING_ROLES)
        now = self._clock.now()
        async with self._uow(organization_id) as uow:
            flow = await self._editable(uow, flow_id)
            changed: dict[str, Any] = {}
            if changes.name is not None:
                flow = replace(flow, name=_name(changes.name))
                changed["name"] = flow.name
            if changes.number_ids is not None:
                numbers = tuple(dict.fromkeys(changes.number_ids))
                await self._check_numbers(uow, numbers)
                flow = replace(flow, number_ids=numbers)
                changed["numberIds"] = [str(n) for n in numbers]
            if changes.expiry_minutes is not None:
                flow = replace(flow, expiry_minutes=_expiry(changes.expiry_minutes))
                changed["expiryMinutes"] = flow.expiry_minutes
            if changes.document is not None:
                flow = replace(flow, draft=_document(changes.document), draft_updated_at=now)
                changed["graph"] = "changed"
            if flow.status is FlowStatus.PUBLISHED and changes.number_ids is not None:
                await self._check_one_universal(uow, flow)
            flow = replace(flow, updated_at=now)
            await uow.flows.save(flow)
            self._audit(uow, actor, flow, "update", changed)
            await uow.commit()
        return flow

    async def duplicate(self, actor: Actor, flow_id: UUID, name: str | None) -> Flow:
        """A new draft with the original's draft and settings, published nowhere yet."""
        _, organization_id, _ = actor.require_role(SUPERVISING_ROLES)
        now = self._clock.now()
        async with self._uow(organization_id) as uow:
            original = await self._get(uow, flow_id)
            copy = replace(
                original,
                id=uuid.uuid4(),
                name=_name(name or f"{original.name} (copy)"),
                published_version=None,
                created_at=now,
                updated_at=now,
                draft_updated_at=now,
                published_at=None,
                archived_at=None,
            )
            await uow.flows.add(copy)
            self._audit(uow, actor, copy, "duplicate", {"from": str(original.id)})
            await uow.commit()
        return copy

    async def archive(self, actor: Actor, flow_id: UUID) -> Flow:
        _, organization_id, _ = actor.require_role(SUPERVISING_ROLES)
        now = self._clock.now()
        async with self._uow(organization_id) as uow:
            flow = await self._editable(uow, flow_id)
            flow = replace(flow, archived_at=now, updated_at=now)
            await uow.flows.save(flow)
            self._audit(uow, actor, flow, "archive", {})
            await uow.commit()
        return flow

    async def validate(self, actor: Actor, flow_id: UUID) -> list[Problem]:
        """The draft's problems; an empty list means it can be published."""
        _, organization_id, _ = actor.require_role(SUPERVISING_ROLES)
        async with self._uow(organization_id, read_only=True) as uow:
            flow = await self._get(uow, flow_id)
            catalog, _ = await self._catalog(uow, flow)
        return self._problems(flow, flow.draft, catalog)

    async def publish(self, actor: Actor, flow_id: UUID) -> Flow:
        _, organization_id, _ = actor.require_role(SUPERVISING_ROLES)
        async with self._uow(organization_id) as uow:
            flow = await self._editable(uow, flow_id)
            flow = await self._publish(uow, actor, flow, flow.draft)
            self._audit(uow, actor, flow, "publish", {"version": flow.published_version})
            await uow.commit()
        return flow

    async def versions(self, actor: Actor, flow_id: UUID) -> list[FlowVersion]:
        """Every published version of the flow, newest first."""
        _, organization_id, _ = actor.require_role(SUPERVISING_ROLES)
        async with self._uow(organization_id, read_only=True) as uow:
            flow = await self._get(uow, flow_id)
            return await uow.flows.versions(flow.id)

    async def roll_back(self, actor: Actor, flow_id: UUID, version: int) -> Flow:
        """Publish an earlier version again, as the next version and as the draft: history
        only grows, so the version being replaced can be rolled back to in turn. It is
        validated again, since the templates and queues it names may have changed since."""
        _, organization_id, _ = actor.require_role(SUPERVISING_ROLES)
        async with self._uow(organization_id) as uow:
            flow = await self._editable(uow, flow_id)
            earlier = await uow.flows.version(flow.id, version)
            if earlier is None:
                raise NotFound("Flow version", f"{flow.id} v{version}")
            flow = await self._publish(uow, actor, flow, earlier.document)
            self._audit(
                uow,
                actor,
                flow,
                "rollback",
                {"version": flow.published_version, "restored": version},
            )
            await uow.commit()
        return flow

    async def _publish(
        self, uow: FlowsUnitOfWork, actor: Actor, flow: Flow, document: Mapping[str, Any]
    ) -> Flow:
        """Validate a document and freeze it as the flow's next version, which becomes its
        draft too."""
        catalog, _ = await self._catalog(uow, flow)
        problems = self._problems(flow, document, catalog)
        if problems:
            raise FlowInvalid(problems)
        if not flow.number_ids:
            raise InvalidInput("choose the numbers the flow runs on first", field="numberIds")
        await self._check_one_universal(uow, flow)
        now = self._clock.now()
        version = (flow.published_version or 0) + 1
        await uow.flows.add_version(FlowVersion(flow.id, version, document, now, actor.user_id))
        flow = replace(
            flow,
            draft=document,
            draft_updated_at=flow.draft_updated_at if document == flow.draft else now,
            published_version=version,
            published_at=now,
            updated_at=now,
        )
        await uow.flows.save(flow)
        uow.emit(
            FlowPublished(organization_id=flow.organization_id, flow_id=flow.id, version=version)
        )
        return flow

    async def test(
        self, actor: Actor, flow_id: UUID, test: DryRunInput, version: int | None
    ) -> DryRun:
        """A dry run of the draft, or of a published version: nothing is sent or stored."""
        _, organization_id, _ = actor.require_role(SUPERVISING_ROLES)
        async with self._uow(organization_id, read_only=True) as uow:
            flow = await self._get(uow, flow_id)
            document = flow.draft
            if version is not None:
                published = await uow.flows.version(flow.id, version)
                if published is None:
                    raise NotFound("Flow version", f"{flow.id} v{version}")
                document = published.document
            catalog, texts = await self._catalog(uow, flow)
        parsed = parse_flow(document)
        return dry_run(
            parsed.graph,
            flow.kind,
            catalog,
            texts,
            test,
            self._clock.now(),
            flow.expiry,
            parsed.problems,
            await self._intents.reader(flow.organization_id) if self._intents else None,
        )

    @staticmethod
    def _problems(flow: Flow, document: Mapping[str, Any], catalog: Catalog) -> list[Problem]:
        parsed = parse_flow(document)
        return [*parsed.problems, *validate(parsed.graph, flow.kind, catalog)]

    async def _get(self, uow: FlowsUnitOfWork, flow_id: UUID) -> Flow:
        flow = await uow.flows.get(flow_id)
        if flow is None:
            raise NotFound("Flow", flow_id)
        return flow

    async def _editable(self, uow: FlowsUnitOfWork, flow_id: UUID) -> Flow:
        flow = await self._get(uow, flow_id)
        if flow.status is FlowStatus.ARCHIVED:
            raise Conflict("the flow is archived; duplicate it to work on it again")
        return flow

    async def _check_numbers(self, uow: FlowsUnitOfWork, number_ids: tuple[UUID, ...]) -> None:
        if not number_ids:
            return
        known = {number.id for number in await uow.whatsapp_numbers.list()}
        for number_id in number_ids:
            if number_id not in known:
                raise NotFound("WhatsApp number", number_id)

    async def _check_one_universal(self, uow: FlowsUnitOfWork, flow: Flow) -> None:
        """A number has one universal flow: two would race to answer the same message."""
        if flow.kind is not FlowKind.UNIVERSAL:
            return
        others = [
            other
            for other in await uow.flows.published_on(list(flow.number_ids), FlowKind.UNIVERSAL)
            if other.id != flow.id
        ]
        if others:
            raise Conflict(
                f"'{others[0].name}' is already the universal flow of one of these numbers; "
                "archive it or take the number off it first",
                field="numberIds",
            )

    async def _catalog(
        self, uow: FlowsUnitOfWork, flow: Flow
    ) -> tuple[Catalog, dict[tuple[str, str], str]]:
        """The approved templates of the flow's numbers' WhatsApp accounts, and the
        organization's queues once it has any."""
        wabas = {n.waba_id for n in await uow.whatsapp_numbers.list() if n.id in flow.number_ids}
        templates = [t for t in await uow.templates.list_for() if t.approved]
        if wabas:
            templates = [t for t in templates if t.waba_id in wabas]
        approved = {(t.name, t.language): len(t.body_parameters.names) for t in templates}
        texts = {(t.name, t.language): t.body_text for t in templates}
        queues = frozenset(str(queue.id) for queue in await uow.queues.list())
        return Catalog(approved_templates=approved, queue_ids=queues or None), texts

    def _audit(
        self, uow: FlowsUnitOfWork, actor: Actor, flow: Flow, verb: str, changes: dict[str, Any]
    ) -> None:
        uow.audit(
            AuditEntry(
                organization_id=flow.organization_id,
                action=f"flow.{verb}",
                target_type="flow",
                target_id=str(flow.id),
                occurred_at=self._clock.now(),
                actor_user_id=actor.user_id,
                client_ip=actor.client_ip,
                changes=changes,
            )
        )
