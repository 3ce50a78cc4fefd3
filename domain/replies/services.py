"""Canned responses, and what an agent might answer next."""

from __future__ import annotations

import uuid
from dataclasses import replace
from uuid import UUID

from domain.accounts.model import SUPERVISING_ROLES, Actor
from domain.audit import AuditEntry
from domain.clock import Clock
from domain.conversations.services import visible_conversation
from domain.errors import Conflict, InvalidInput, NotFound
from domain.replies.model import CannedDraft, CannedResponse, checked_draft
from domain.replies.ports import RepliesUnitOfWork
from domain.replies.suggestions import Candidate, Suggestion, SuggestionSource, ranked
from domain.unit_of_work import UnitOfWorkFactory

PAST_REPLIES_READ = 500
"""How many of the latest agent texts past-reply suggestions are drawn from."""
MAX_SUGGESTIONS = 10


class RepliesService:
    def __init__(self, unit_of_work: UnitOfWorkFactory[RepliesUnitOfWork], clock: Clock) -> None:
        self._uow = unit_of_work
        self._clock = clock

    async def canned_responses(self, actor: Actor) -> list[CannedResponse]:
        _, organization_id, _ = actor.require_user()
        async with self._uow(organization_id, read_only=True) as uow:
            return await uow.canned_responses.list()

    async def create(self, actor: Actor, draft: CannedDraft) -> CannedResponse:
        """Supervisors and up; a shortcut is the organization's once."""
        _, organization_id, _ = actor.require_role(SUPERVISING_ROLES)
        checked = checked_draft(draft)
        now = self._clock.now()
        canned = CannedResponse(
            uuid.uuid4(), organization_id, checked.shortcut, checked.title, checked.body, now, now
        )
        async with self._uow(organization_id) as uow:
            await _shortcut_free(uow, checked.shortcut, None)
            await uow.canned_responses.save(canned)
            uow.audit(self._audit(actor, "canned_response.create", canned, _facts(canned)))
            await uow.commit()
        return canned

    async def update(self, actor: Actor, canned_id: UUID, draft: CannedDraft) -> CannedResponse:
        _, organization_id, _ = actor.require_role(SUPERVISING_ROLES)
        checked = checked_draft(draft)
        async with self._uow(organization_id) as uow:
            current = await uow.canned_responses.get(canned_id)
            if current is None:
                raise NotFound("CannedResponse", canned_id)
            await _shortcut_free(uow, checked.shortcut, canned_id)
            updated = replace(
                current,
                shortcut=checked.shortcut,
                title=checked.title,
                body=checked.body,
                updated_at=self._clock.now(),
            )
            await uow.canned_responses.save(updated)
            changes = {k: v for k, v in _facts(updated).items() if _facts(current)[k] != v}
            uow.audit(self._audit(actor, "canned_response.update", updated, changes))
            await uow.commit()
        return updated

    async def delete(self, actor: Actor, canned_id: UUID) -> CannedResponse:
        _, organization_id, _ = actor.require_role(SUPERVISING_ROLES)
        async with self._uow(organization_id) as uow:
            current = await uow.canned_responses.get(canned_id)
            if current is None:
                raise NotFound("CannedResponse", canned_id)
            await uow.canned_responses.delete(canned_id)
            changes = {"shortcut": current.shortcut}
            uow.audit(self._audit(actor, "canned_response.delete", current, changes))
            await uow.commit()
        return current

    async def suggestions(
        self, actor: Actor, conversation_id: UUID, first: int
    ) -> list[Suggestion]:
        """For the customer's latest text: inside the 24-hour window, canned responses and past
        replies; outside it, approved templates, the only messages Meta will deliver then."""
        if not 1 <= first <= MAX_SUGGESTIONS:
            raise InvalidInput(f"first is between 1 and {MAX_SUGGESTIONS}", field="first")
        _, organization_id, _ = actor.require_user()
        async with self._uow(organization_id, read_only=True) as uow:
            conversation = await visible_conversation(uow, actor, conversation_id)
            text = await uow.reply_history.latest_customer_text(conversation_id)
            if not text:
                return []
            candidates: list[Candidate] = []
            if conversation.window_open(self._clock.now()):
                candidates += [
                    Candidate(
                        SuggestionSource.CANNED,
                        f"{c.title} {c.shortcut} {c.body}",
                        c.body,
                        str(c.id),
                    )
                    for c in await uow.canned_responses.list()
                ]
                candidates += [
                    Candidate(SuggestionSource.PAST_REPLY, p.customer_text, p.reply)
                    for p in await uow.reply_history.past_replies(PAST_REPLIES_READ)
                ]
            else:
                number = await uow.whatsapp_numbers.get(conversation.number_id)
                templates = await uow.templates.list_for(number.waba_id if number else None)
                candidates += [
                    Candidate(
                        SuggestionSource.TEMPLATE,
                        f"{t.name.replace('_', ' ')} {t.body_text}",
                        t.body_text,
                        f"{t.name}:{t.language}",
                    )
                    for t in templates
                    if t.approved
                ]
        suggestions = ranked(text, candidates, first)
        if suggestions:
            await self._count(organization_id, offered=1)
        return suggestions

    async def accepted(self, actor: Actor) -> None:
        """An agent sent a text taken from a suggestion (edited or not), for insights'
        acceptance rate."""
        _, organization_id, _ = actor.require_user()
        await self._count(organization_id, accepted=1)

    async def _count(self, organization_id: UUID, offered: int = 0, accepted: int = 0) -> None:
        hour = self._clock.now().replace(minute=0, second=0, microsecond=0)
        async with self._uow(organization_id) as uow:
            await uow.insights.add_suggestions(hour, offered, accepted)
            await uow.commit()

    def _audit(
        self, actor: Actor, action: str, canned: CannedResponse, changes: dict[str, str]
    ) -> AuditEntry:
        user_id, organization_id, _ = actor.require_user()
        return AuditEntry(
            organization_id=organization_id,
            action=action,
            target_type="canned_response",
            target_id=str(canned.id),
            occurred_at=self._clock.now(),
            actor_user_id=user_id,
            client_ip=actor.client_ip,
            changes=changes,
        )


async def _shortcut_free(uow: RepliesUnitOfWork, shortcut: str, other_than: UUID | None) -> None:
    taken = await uow.canned_responses.by_shortcut(shortcut)
    if taken is not None and taken.id != other_than:
        raise Conflict(f"the shortcut /{shortcut} is taken", field="shortcut")


def _facts(canned: CannedResponse) -> dict[str, str]:
    return {"shortcut": canned.shortcut, "title": canned.title, "body": canned.body}
