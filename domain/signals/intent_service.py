"""An organization's intents and the trainings of its model: supervisors write them, any member
reads them; training is only queued here and runs in the intents worker."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any
from uuid import UUID

from domain.accounts.model import SUPERVISING_ROLES, Actor
from domain.ai.intents import Example, refusal, starter_intents
from domain.ai.sentiment import plain
from domain.audit import AuditEntry
from domain.clock import Clock
from domain.errors import Conflict, InvalidInput, NotFound
from domain.flows.model import FlowFilter, FlowKind, FlowStatus, KeywordTrigger, parse_flow
from domain.pagination import PageRequest
from domain.signals.events import IntentModelUpdated
from domain.signals.intents import (
    MAX_INTENTS,
    Intent,
    IntentDraft,
    IntentModel,
    ModelStatus,
    checked_intent,
)
from domain.signals.ports import SignalsUnitOfWork
from domain.unit_of_work import UnitOfWorkFactory

MAX_MODELS_LISTED = 20


@dataclass(frozen=True)
class StarterImport:
    created: list[Intent]
    skipped: list[str]
    """Names the organization already had, left as they were."""


class IntentService:
    def __init__(
        self,
        unit_of_work: UnitOfWorkFactory[SignalsUnitOfWork],
        clock: Clock,
        on_queued: Callable[[], None] | None = None,
    ) -> None:
        self._uow = unit_of_work
        self._clock = clock
        self._on_queued = on_queued or (lambda: None)

    async def intents(self, actor: Actor) -> list[Intent]:
        _, organization_id, _ = actor.require_user()
        async with self._uow(organization_id, read_only=True) as uow:
            return await uow.intents.list()

    async def create(self, actor: Actor, draft: IntentDraft) -> Intent:
        _, organization_id, _ = actor.require_role(SUPERVISING_ROLES)
        checked = checked_intent(draft)
        now = self._clock.now()
        intent = Intent(
            uuid.uuid4(),
            organization_id,
            checked.name,
            checked.description,
            checked.examples,
            now,
            now,
        )
        async with self._uow(organization_id) as uow:
            if len(await uow.intents.list()) >= MAX_INTENTS:
                raise InvalidInput(f"an organization has at most {MAX_INTENTS} intents")
            await _name_free(uow, checked.name, None)
            await uow.intents.save(intent)
            uow.audit(self._audit(actor, "intent.create", intent, _facts(intent)))
            await uow.commit()
        return intent

    async def update(self, actor: Actor, intent_id: UUID, draft: IntentDraft) -> Intent:
        """Takes effect on messages once the model is trained again."""
        _, organization_id, _ = actor.require_role(SUPERVISING_ROLES)
        checked = checked_intent(draft)
        async with self._uow(organization_id) as uow:
            current = await uow.intents.get(intent_id)
            if current is None:
                raise NotFound("Intent", intent_id)
            await _name_free(uow, checked.name, intent_id)
            updated = replace(
                current,
                name=checked.name,
                description=checked.description,
                examples=checked.examples,
                updated_at=self._clock.now(),
            )
            await uow.intents.save(updated)
            before, after = _facts(current), _facts(updated)
            changes = {key: after[key] for key in after if after[key] != before[key]}
            uow.audit(self._audit(actor, "intent.update", updated, changes))
            await uow.commit()
        return updated

    async def delete(self, actor: Actor, intent_id: UUID) -> Intent:
        _, organization_id, _ = actor.require_role(SUPERVISING_ROLES)
        async with self._uow(organization_id) as uow:
            current = await uow.intents.get(intent_id)
            if current is None:
                raise NotFound("Intent", intent_id)
            await uow.intents.delete(intent_id)
            uow.audit(self._audit(actor, "intent.delete", current, {"name": current.name}))
            await uow.commit()
        return current

    async def import_starter(self, actor: Actor, include_keyword_flows: bool) -> StarterImport:
        """PyTake's starter intents, and one intent per published keyword flow with its
        keywords as examples; names the organization already has are left alone."""
        _, organization_id, _ = actor.require_role(SUPERVISING_ROLES)
        now = self._clock.now()
        async with self._uow(organization_id) as uow:
            organization = await uow.organization.get()
            drafts = [
                IntentDraft(starter.name, starter.description, starter.examples)
                for starter in starter_intents(organization.language)
            ]
            if include_keyword_flows:
                drafts += await _keyword_flow_intents(uow)
            existing = {intent.name for intent in await uow.intents.list()}
            created: list[Intent] = []
            skipped: list[str] = []
            for draft in drafts:
                if draft.name in existing:
                    skipped.append(draft.name)
                    continue
                if len(existing) >= MAX_INTENTS:
                    raise InvalidInput(f"an organization has at most {MAX_INTENTS} intents")
                checked = checked_intent(draft)
                intent = Intent(
                    uuid.uuid4(),
                    organization_id,
                    checked.name,
                    checked.description,
                    checked.examples,
                    now,
                    now,
                )
                await uow.intents.save(intent)
                existing.add(intent.name)
                created.append(intent)
            if created:
                uow.audit(
                    AuditEntry(
                        organization_id=organization_id,
                        action="intent.import_starter",
                        target_type="intent",
                        target_id=str(organization_id),
                        occurred_at=now,
                        actor_user_id=actor.user_id,
                        client_ip=actor.client_ip,
                        changes={"created": [intent.name for intent in created]},
                    )
                )
            await uow.commit()
        return StarterImport(created, skipped)

    async def train(self, actor: Actor) -> IntentModel:
        """Queues a training of every intent's current examples; while one is queued or under
        way, that one is the answer."""
        user_id, organization_id, _ = actor.require_role(SUPERVISING_ROLES)
        async with self._uow(organization_id) as uow:
            pending = await uow.intent_models.pending()
            if pending is not None:
                return pending
            intents = await uow.intents.list()
            reason = refusal([Example(i.name, text) for i in intents for text in i.examples])
            if reason is not None:
                raise InvalidInput(reason)
            latest = await uow.intent_models.latest(1)
            now = self._clock.now()
            model = IntentModel(
                id=uuid.uuid4(),
                organization_id=organization_id,
                version=latest[0].version + 1 if latest else 1,
                status=ModelStatus.QUEUED,
                stage="queued",
                progress=0.0,
                requested_at=now,
                requested_by=user_id,
            )
            await uow.intent_models.add(model)
            uow.emit(model_updated(model))
            uow.audit(
                AuditEntry(
                    organization_id=organization_id,
                    action="intent_model.train",
                    target_type="intent_model",
                    target_id=str(model.id),
                    occurred_at=now,
                    actor_user_id=user_id,
                    client_ip=actor.client_ip,
                    changes={"version": model.version, "intents": len(intents)},
                )
            )
            await uow.commit()
        self._on_queued()
        return model

    async def model(self, actor: Actor) -> IntentModel | None:
        _, organization_id, _ = actor.require_user()
        async with self._uow(organization_id, read_only=True) as uow:
            return await uow.intent_models.active()

    async def models(self, actor: Actor, first: int) -> list[IntentModel]:
        if not 1 <= first <= MAX_MODELS_LISTED:
            raise InvalidInput(f"first is between 1 and {MAX_MODELS_LISTED}", field="first")
        _, organization_id, _ = actor.require_user()
        async with self._uow(organization_id, read_only=True) as uow:
            return await uow.intent_models.latest(first)

    def _audit(
        self, actor: Actor, action: str, intent: Intent, changes: dict[str, Any]
    ) -> AuditEntry:
        return AuditEntry(
            organization_id=intent.organization_id,
            action=action,
            target_type="intent",
            target_id=str(intent.id),
            occurred_at=self._clock.now(),
            actor_user_id=actor.user_id,
            client_ip=actor.client_ip,
            changes=changes,
        )


def _facts(intent: Intent) -> dict[str, Any]:
    return {
        "name": intent.name,
        "description": intent.description,
        "examples": len(intent.examples),
    }


def model_updated(model: IntentModel) -> IntentModelUpdated:
    return IntentModelUpdated(
        organization_id=model.organization_id,
        model_id=model.id,
        version=model.version,
        status=model.status.value,
        stage=model.stage,
        progress=model.progress,
    )


async def _name_free(uow: SignalsUnitOfWork, name: str, other_than: UUID | None) -> None:
    taken = await uow.intents.by_name(name)
    if taken is not None and taken.id != other_than:
        raise Conflict(f"the intent {name} exists", field="name")


async def _keyword_flow_intents(uow: SignalsUnitOfWork) -> list[IntentDraft]:
    page = await uow.flows.page(
        FlowFilter(kind=FlowKind.KEYWORD, status=FlowStatus.PUBLISHED),
        MAX_INTENTS,
        PageRequest(MAX_INTENTS, None, None, None),
    )
    drafts: list[IntentDraft] = []
    for flow in (edge.node for edge in page.edges):
        if flow.published_version is None:
            continue
        version = await uow.flows.version(flow.id, flow.published_version)
        if version is None:
            continue
        keywords = [
            keyword
            for node in parse_flow(version.document).graph.triggers
            if isinstance(node.data, KeywordTrigger)
            for keyword in node.data.keywords
        ]
        name = _intent_name(flow.name)
        if keywords and name:
            drafts.append(IntentDraft(name, f"Keywords of the flow {flow.name}", tuple(keywords)))
    return drafts


def _intent_name(flow_name: str) -> str:
    """The flow "Pedidos e entregas" gives the intent flow_pedidos_e_entregas."""
    words = "".join(c if c.isalnum() else " " for c in plain(flow_name)).split()
    return ("flow_" + "_".join(words))[:40] if words else ""
