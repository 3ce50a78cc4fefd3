"""The organization's templates: synchronized from Meta, created and deleted through Meta,
and kept current by Meta's template status webhooks."""

from __future__ import annotations

from collections.abc import Awaitable
from dataclasses import replace
from typing import Any, TypeVar
from uuid import UUID

from domain.accounts.model import MANAGER_ROLES, Actor
from domain.audit import AuditEntry
from domain.clock import Clock
from domain.errors import MetaRefused, NotFound
from domain.secrets import SecretBox
from domain.unit_of_work import UnitOfWorkFactory
from domain.whatsapp.events import TemplatesSynced, TemplateStatusChanged
from domain.whatsapp.graph import GraphApi
from domain.whatsapp.inbound import TemplateStatusChange
from domain.whatsapp.meta_errors import GraphApiFailure
from domain.whatsapp.model import WhatsAppNumber
from domain.whatsapp.ports import WhatsAppUnitOfWork
from domain.whatsapp.templates import (
    Template,
    TemplateDefinition,
    TemplateFilter,
    from_meta,
    merged,
)

T = TypeVar("T")
MAX_PAGES = 100
"""6,000 templates at Meta's page size of 100 is Meta's own maximum per WABA."""


class TemplateService:
    def __init__(
        self,
        unit_of_work: UnitOfWorkFactory[WhatsAppUnitOfWork],
        secrets: SecretBox,
        graph: GraphApi,
        clock: Clock,
    ) -> None:
        self._uow = unit_of_work
        self._secrets = secrets
        self._graph = graph
        self._clock = clock

    async def search(self, actor: Actor, template_filter: TemplateFilter) -> list[Template]:
        """Every member may read templates: agents choose one when the window is closed."""
        _, organization_id, _ = actor.require_user()
        async with self._uow(organization_id, read_only=True) as uow:
            templates = await uow.templates.list_for()
        return [template for template in templates if template_filter.matches(template)]

    async def sync(self, actor: Actor, number_id: UUID) -> list[Template]:
        """Page through Meta's list for the number's WABA; templates Meta no longer has are
        removed."""
        number = await self._managed_number(actor, number_id)
        token = self._secrets.open(number.access_token_sealed)
        items: list[dict[str, Any]] = []
        after: str | None = None
        for _ in range(MAX_PAGES):
            page, after = await _meta(self._graph.templates_page(number.waba_id, token, after))
            items += page
            if after is None:
                break
        now = self._clock.now()
        async with self._uow(number.organization_id) as uow:
            known = {(t.name, t.language): t for t in await uow.templates.list_for(number.waba_id)}
            synced = []
            for item in items:
                incoming = from_meta(number.organization_id, number.waba_id, item, now)
                template = merged(known.pop((incoming.name, incoming.language), None), incoming)
                await uow.templates.save(template)
                synced.append(template)
            for name in {name for name, _ in known}:
                await uow.templates.delete(number.waba_id, name)
            self._audit(uow, actor, number, "sync", {"templates": len(synced)})
            uow.emit(
                TemplatesSynced(
                    organization_id=number.organization_id,
                    waba_id=number.waba_id,
                    templates=len(synced),
                )
            )
            await uow.commit()
        return sorted(synced, key=lambda t: (t.name, t.language))

    async def create(
        self, actor: Actor, number_id: UUID, definition: TemplateDefinition
    ) -> Template:
        request = definition.to_meta()
        number = await self._managed_number(actor, number_id)
        token = self._secrets.open(number.access_token_sealed)
        answer = await _meta(self._graph.create_template(number.waba_id, token, request))
        now = self._clock.now()
        template = from_meta(
            number.organization_id,
            number.waba_id,
            {**request, "id": answer.get("id"), "status": answer.get("status", "PENDING")},
            now,
        )
        async with self._uow(number.organization_id) as uow:
            await uow.templates.save(template)
            self._audit(
                uow, actor, number, "create", {"name": template.name, "language": template.language}
            )
            await uow.commit()
        return template

    async def delete(self, actor: Actor, number_id: UUID, name: str) -> int:
        """Meta deletes a template in every language at once; so does PyTake."""
        number = await self._managed_number(actor, number_id)
        token = self._secrets.open(number.access_token_sealed)
        await _meta(self._graph.delete_template(number.waba_id, token, name))
        async with self._uow(number.organization_id) as uow:
            deleted = await uow.templates.delete(number.waba_id, name)
            self._audit(uow, actor, number, "delete", {"name": name})
            await uow.commit()
        return deleted

    async def _managed_number(self, actor: Actor, number_id: UUID) -> WhatsAppNumber:
        _, organization_id, _ = actor.require_role(MANAGER_ROLES)
        async with self._uow(organization_id, read_only=True) as uow:
            number = await uow.whatsapp_numbers.get(number_id)
        if number is None:
            raise NotFound("WhatsApp number", number_id)
        return number

    def _audit(
        self,
        uow: WhatsAppUnitOfWork,
        actor: Actor,
        number: WhatsAppNumber,
        verb: str,
        changes: dict[str, Any],
    ) -> None:
        uow.audit(
            AuditEntry(
                organization_id=number.organization_id,
                action=f"whatsapp_template.{verb}",
                target_type="whatsapp_number",
                target_id=str(number.id),
                occurred_at=self._clock.now(),
                actor_user_id=actor.user_id,
                client_ip=actor.client_ip,
                changes={"wabaId": number.waba_id, **changes},
            )
        )


async def apply_template_status(
    uow: WhatsAppUnitOfWork, change: TemplateStatusChange, now: Any
) -> bool:
    """Meta's message_template_status_update: the stored template takes its new status (and the
    rejection reason, when there is one). False when PyTake does not know the template yet."""
    candidates = await uow.templates.list_for(change.waba_id)
    for template in candidates:
        same_id = change.template_id and template.meta_id == change.template_id
        same_name = template.name == change.name and template.language == change.language
        if same_id or same_name:
            reason = change.reason if change.reason not in (None, "NONE") else None
            status = change.event.upper()
            await uow.templates.save(
                replace(template, status=status, rejection_reason=reason, updated_at=now)
            )
            if status != template.status:
                uow.emit(
                    TemplateStatusChanged(
                        organization_id=template.organization_id,
                        template_id=template.id,
                        name=template.name,
                        language=template.language,
                        status=status,
                        reason=reason,
                    )
                )
            return True
    return False


async def _meta(call: Awaitable[T]) -> T:
    try:
        return await call
    except GraphApiFailure as failure:
        raise MetaRefused(failure.sentence, failure.code) from failure
