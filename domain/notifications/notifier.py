"""Turns each organization's committed events into its people's notifications.

Reads the event log from a cursor of its own, so a notification is made once per event whatever
the number of processes, and nothing is lost while PyTake is down: it catches up where it
stopped. Whether each is kept and announced is `delivery`'s decision."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from uuid import UUID

from domain.accounts.events import (
    RefreshTokenReused,
    SignInFailuresRepeated,
    UserCreated,
    UserUpdated,
)
from domain.accounts.model import MANAGER_ROLES, SUPERVISING_ROLES, Organization, Role, User
from domain.clock import Clock
from domain.conversations.events import ConversationUpdated, MessageReceived
from domain.events import StoredEvent
from domain.notifications.catalog import (
    ADMINISTRATOR_ADDED,
    AI_ALERT,
    CONVERSATION_ASSIGNED,
    CONVERSATION_TAKEN_BACK,
    HELD_BACK,
    MESSAGE_WHILE_AWAY,
    NUMBER_UNHEALTHY,
    QUEUE_FULL,
    QUEUE_OUTSIDE_HOURS,
    REFRESH_TOKEN_REUSED,
    SIGN_IN_FAILURES,
    TEMPLATE_UNUSABLE,
    TRANSFER_INTO_MY_QUEUE,
    WAITING_OVER_TARGET,
    NotificationType,
)
from domain.notifications.delivery import delivery
from domain.notifications.events import NotificationCreated
from domain.notifications.model import HeldBecause, Notification
from domain.notifications.ports import NotificationsUnitOfWork
from domain.queues.events import QueueItemChanged, QueueItemOverdue, QueueStrained
from domain.queues.model import Agent, AgentStatus, HistoryKind
from domain.signals.events import AiAlertRaised
from domain.unit_of_work import UnitOfWorkFactory
from domain.whatsapp.events import TemplateStatusChanged, WhatsAppNumberUnhealthy

logger = logging.getLogger(__name__)

EVENTS_PER_ROUND = 500
AWAY = frozenset({AgentStatus.AWAY, AgentStatus.BREAK, AgentStatus.OFFLINE})
NOTIFIED_EVENTS: dict[str, tuple[str, ...]] = {
    QueueItemChanged.type: (),
    ConversationUpdated.type: ("changedBy",),
    MessageReceived.type: ("assigneeId",),
    AiAlertRaised.type: (),
    WhatsAppNumberUnhealthy.type: (),
    UserCreated.type: (),
    UserUpdated.type: (),
    SignInFailuresRepeated.type: (),
    RefreshTokenReused.type: (),
    TemplateStatusChanged.type: (),
    QueueItemOverdue.type: (),
    QueueStrained.type: (),
}
"""The only events that can make notifications, each with the payload fields it must have set
(a customer's message only in a conversation someone holds, a conversation's change only when
a person made it); the cursor passes the others unread."""


def may_notify(event: StoredEvent) -> bool:
    """Whether a committed event can make a notification: the worker is woken for those only,
    not for every customer message of a conversation nobody holds."""
    required = NOTIFIED_EVENTS.get(event.type)
    return required is not None and all(event.payload.get(key) is not None for key in required)


ROLE_NAMES = {
    "pt-BR": {Role.OWNER: "proprietário(a)", Role.ADMIN: "administrador(a)"},
    "en": {Role.OWNER: "an owner", Role.ADMIN: "an administrator"},
}
PER_QUEUE = (QUEUE_FULL, QUEUE_OUTSIDE_HOURS)
UNUSABLE = {
    "REJECTED": {"pt-BR": "rejeitado", "en": "rejected"},
    "PAUSED": {"pt-BR": "pausado", "en": "paused"},
    "DISABLED": {"pt-BR": "desativado", "en": "disabled"},
}
"""The template statuses that stop it being sent, as the notification words them."""
NO_REASON = {"pt-BR": "sem motivo informado", "en": "no reason given"}


def _duration(seconds: int) -> str:
    return f"{seconds // 60} min" if seconds >= 60 else f"{seconds} s"


UNKNOWN_ADDRESS = {"pt-BR": "endereço desconhecido", "en": "an unknown address"}
ALERT_REASONS = {
    "pt-BR": {
        "negative_streak": "cliente insatisfeito em várias mensagens seguidas",
        "angry_waiting": "cliente insatisfeito esperando na fila",
        "vip_negative": "cliente VIP insatisfeito",
    },
    "en": {
        "negative_streak": "unhappy customer over several messages",
        "angry_waiting": "unhappy customer waiting in the queue",
        "vip_negative": "unhappy VIP customer",
    },
}


@dataclass
class _Draft:
    kind: NotificationType
    user_ids: set[UUID]
    event: StoredEvent | None
    """What it is made from: its sequence, and when it happened (the notification's time);
    None for what PyTake says of its own accord (the summary of what was held back)."""
    conversation_id: UUID | None = None
    values: dict[str, str] = field(default_factory=dict)
    made_at: datetime | None = None
    """Without an event: when it is made."""

    @property
    def occurred_at(self) -> datetime:
        at = self.event.occurred_at if self.event is not None else self.made_at
        assert at is not None, "a draft without an event carries its time"
        return at


class _Lookups:
    """What several events of one round ask about, read once per round."""

    def __init__(self, uow: NotificationsUnitOfWork) -> None:
        self._uow = uow
        self._agents: dict[UUID, Agent] | None = None
        self._holders: dict[frozenset[Role], list[User]] = {}

    async def agents(self) -> list[Agent]:
        if self._agents is None:
            self._agents = {agent.user_id: agent for agent in await self._uow.agents.all()}
        return list(self._agents.values())

    async def agent(self, user_id: UUID) -> Agent | None:
        await self.agents()
        assert self._agents is not None
        return self._agents.get(user_id)

    async def holding(self, roles: frozenset[Role]) -> list[User]:
        if roles not in self._holders:
            self._holders[roles] = await self._uow.users.active_with_roles(roles)
        return self._holders[roles]


class Notifier:
    def __init__(
        self,
        unit_of_work: UnitOfWorkFactory[NotificationsUnitOfWork],
        clock: Clock,
        email_digests: bool = False,
    ):
        self._uow = unit_of_work
        self._clock = clock
        self._email_digests = email_digests
        """Whether the installation sends e-mail: without a mail server nothing waits for one."""

    async def catch_up(self, organization_id: UUID) -> int:
        """Reads up to a round's events after the organization's cursor; 0 when there was
        nothing to read or another process is reading them."""
        async with self._uow(organization_id) as uow:
            cursor = await uow.notification_cursor.claim()
            if cursor is None:
                return 0
            # Every sequence up to the latest is committed (they are allocated at commit),
            # so the cursor may pass the events of other types without reading them.
            latest = await uow.events.latest_sequence()
            if latest <= cursor:
                return 0
            events = await uow.events.matching_after(
                cursor, latest, NOTIFIED_EVENTS, EVENTS_PER_ROUND
            )
            if events:
                organization = await uow.organization.get()
                drafts = await self._drafts(uow, events, organization.language)
                await self._deliver(uow, organization, drafts)
            full = len(events) == EVENTS_PER_ROUND
            await uow.notification_cursor.advance(events[-1].sequence if full else latest)
            await uow.commit()
            return max(len(events), 1)

    async def summarize_held_back(self, organization_id: UUID, user_id: UUID) -> int:
        """One notification saying how many the person's frequency limit held back, once the
        oldest of them is a window old; how many it counts (0 when another process is
        summarizing them, or nothing waits)."""
        now = self._clock.now()
        async with self._uow(organization_id) as uow:
            held = await uow.notifications.held_back_of(user_id)
            if not held:
                return 0
            await uow.notifications.summarized([n.id for n in held])
            organization = await uow.organization.get()
            summary = _Draft(
                HELD_BACK,
                {user_id},
                None,
                values={"count": str(len(held))},
                made_at=now,
            )
            await self._deliver(uow, organization, [summary])
            await uow.commit()
        return len(held)

    async def _drafts(
        self, uow: NotificationsUnitOfWork, events: Sequence[StoredEvent], language: str
    ) -> list[_Draft]:
        lookups = _Lookups(uow)
        drafts: list[_Draft] = []
        for event in events:
            try:
                fact = event.fact
            except (LookupError, ValueError) as unreadable:
                # Written by another version of PyTake, or damaged: no notification can come
                # of it, and it must not hold back the ones after it.
                logger.error(
                    "notifications skip event %s of organization %s: %s",
                    event.sequence,
                    event.organization_id,
                    unreadable,
                )
                continue
            if isinstance(fact, QueueItemChanged):
                drafts.extend(await self._queue_drafts(uow, lookups, fact, event))
            elif isinstance(fact, ConversationUpdated):
                assignee = fact.assignee_id
                by_someone_else = fact.changed_by is not None and fact.changed_by != assignee
                if "assignee" in fact.changed and assignee is not None and by_someone_else:
                    drafts.append(
                        _Draft(CONVERSATION_ASSIGNED, {assignee}, event, fact.conversation_id)
                    )
            elif isinstance(fact, MessageReceived) and fact.assignee_id is not None:
                agent = await lookups.agent(fact.assignee_id)
                if agent is not None and agent.status in AWAY:
                    drafts.append(
                        _Draft(
                            MESSAGE_WHILE_AWAY,
                            {agent.user_id},
                            event,
                            fact.conversation_id,
                        )
                    )
            elif isinstance(fact, AiAlertRaised):
                recipients = (
                    {fact.assignee_id}
                    if fact.assignee_id is not None
                    else {u.id for u in await lookups.holding(SUPERVISING_ROLES)}
                )
                reason = ALERT_REASONS.get(language, ALERT_REASONS["en"]).get(fact.rule, fact.rule)
                drafts.append(
                    _Draft(
                        AI_ALERT,
                        recipients,
                        event,
                        fact.conversation_id,
                        {"reason": reason},
                    )
                )
            elif isinstance(fact, WhatsAppNumberUnhealthy):
                number = await uow.whatsapp_numbers.get(fact.number_id)
                managers = {u.id for u in await lookups.holding(MANAGER_ROLES)}
                drafts.append(
                    _Draft(
                        NUMBER_UNHEALTHY,
                        managers,
                        event,
                        values={
                            "number": number.display_phone_number if number else "",
                            "reason": fact.reason,
                        },
                    )
                )
            elif isinstance(fact, UserCreated | UserUpdated):
                if isinstance(fact, UserUpdated) and "role" not in fact.changed_fields:
                    continue
                user = await uow.users.get(fact.user_id)
                if user is None or user.role not in MANAGER_ROLES:
                    continue
                managers = {u.id for u in await lookups.holding(MANAGER_ROLES)}
                role = ROLE_NAMES.get(language, ROLE_NAMES["en"])[user.role]
                drafts.append(
                    _Draft(
                        ADMINISTRATOR_ADDED,
                        managers - {user.id},
                        event,
                        values={"person": user.name or user.email, "role": role},
                    )
                )
            elif isinstance(fact, TemplateStatusChanged) and fact.status in UNUSABLE:
                managers = {u.id for u in await lookups.holding(MANAGER_ROLES)}
                words = UNUSABLE[fact.status]
                values = {
                    "template": fact.name,
                    "language": fact.language,
                    "status": words.get(language, words["en"]),
                    "reason": fact.reason or NO_REASON.get(language, NO_REASON["en"]),
                }
                drafts.append(_Draft(TEMPLATE_UNUSABLE, managers, event, values=values))
            elif isinstance(fact, QueueItemOverdue | QueueStrained):
                drafts.extend(await self._strain_drafts(uow, lookups, fact, event))
            elif isinstance(fact, SignInFailuresRepeated | RefreshTokenReused):
                drafts.extend(await self._security_drafts(uow, lookups, fact, event, language))
        return drafts

    @staticmethod
    async def _strain_drafts(
        uow: NotificationsUnitOfWork,
        lookups: _Lookups,
        fact: QueueItemOverdue | QueueStrained,
        event: StoredEvent,
    ) -> list[_Draft]:
        queue = await uow.queues.get(fact.queue_id)
        if queue is None:
            return []
        supervisors = {u.id for u in await lookups.holding(SUPERVISING_ROLES)}
        if isinstance(fact, QueueItemOverdue):
            wait = _duration(fact.target_seconds)
            return [
                _Draft(
                    WAITING_OVER_TARGET,
                    supervisors,
                    event,
                    fact.conversation_id,
                    {"queue": queue.name, "wait": wait},
                )
            ]
        kind = QUEUE_FULL if fact.reason == "full" else QUEUE_OUTSIDE_HOURS
        return [_Draft(kind, supervisors, event, values={"queue": queue.name})]

    @staticmethod
    async def _security_drafts(
        uow: NotificationsUnitOfWork,
        lookups: _Lookups,
        fact: SignInFailuresRepeated | RefreshTokenReused,
        event: StoredEvent,
        language: str,
    ) -> list[_Draft]:
        user = await uow.users.get(fact.user_id)
        if user is None:
            return []
        managers = {u.id for u in await lookups.holding(MANAGER_ROLES)}
        values = {
            "person": user.name or user.email,
            "address": fact.client_ip or UNKNOWN_ADDRESS.get(language, UNKNOWN_ADDRESS["en"]),
        }
        if isinstance(fact, SignInFailuresRepeated):
            values["failures"] = str(fact.failures)
            return [_Draft(SIGN_IN_FAILURES, managers | {user.id}, event, values=values)]
        return [_Draft(REFRESH_TOKEN_REUSED, managers | {user.id}, event, values=values)]

    @staticmethod
    async def _queue_drafts(
        uow: NotificationsUnitOfWork, lookups: _Lookups, fact: QueueItemChanged, event: StoredEvent
    ) -> list[_Draft]:
        change = fact.change
        if change in (HistoryKind.ASSIGNED, HistoryKind.REASSIGNED) and fact.agent_id:
            if fact.actor_user_id == fact.agent_id:
                return []  # They took it themselves.
            return [_Draft(CONVERSATION_ASSIGNED, {fact.agent_id}, event, fact.conversation_id)]
        if change == HistoryKind.REASSIGNED and fact.agent_id is None and fact.history_agent_id:
            return [
                _Draft(
                    CONVERSATION_TAKEN_BACK,
                    {fact.history_agent_id},
                    event,
                    fact.conversation_id,
                )
            ]
        if change == HistoryKind.TRANSFERRED and fact.to_queue_id is not None:
            queue = await uow.queues.get(fact.to_queue_id)
            if queue is None:
                return []
            members = {
                agent.user_id
                for agent in await lookups.agents()
                if fact.to_queue_id in agent.queue_ids
            }
            return [
                _Draft(
                    TRANSFER_INTO_MY_QUEUE,
                    members - {fact.actor_user_id},
                    event,
                    fact.conversation_id,
                    {"queue": queue.name},
                )
            ]
        return []

    async def _deliver(
        self,
        uow: NotificationsUnitOfWork,
        organization: Organization,
        drafts: list[_Draft],
    ) -> None:
        organization_id = organization.id
        drafts = await self._without_repeats(uow, drafts)
        drafts = await self._one_unread_per_queue(uow, drafts, organization.language)
        recipients = sorted({user_id for draft in drafts for user_id in draft.user_ids})
        if not recipients:
            return
        now = self._clock.now()
        active = await uow.users.get_many(recipients)
        preferences = await uow.notification_preferences.get_many(recipients)
        announced = await uow.notifications.announced_since(recipients, now - timedelta(minutes=1))
        contacts = await self._contact_names(uow, drafts)
        language = organization.language
        time_zone = organization.time_zone or "UTC"
        made: list[Notification] = []
        pushed: list[Notification] = []
        for draft in drafts:
            contact = contacts.get(draft.conversation_id) if draft.conversation_id else None
            subject = draft.kind.subject(
                language, {**({"contact": contact} if contact else {}), **draft.values}
            )
            for user_id in sorted(draft.user_ids):
                user = active.get(user_id)
                if user is None or not user.is_active:
                    continue
                if user.created_at > draft.occurred_at:
                    continue  # A worker catching up tells no one of what came before them.
                decided = delivery(
                    draft.kind, preferences[user_id], time_zone, now, announced.get(user_id, 0)
                )
                if not decided.kept:
                    continue
                if decided.announced:
                    announced[user_id] = announced.get(user_id, 0) + 1
                notification = Notification(
                    id=uuid.uuid4(),
                    organization_id=organization_id,
                    user_id=user_id,
                    type=draft.kind.name,
                    category=draft.kind.category,
                    severity=draft.kind.severity,
                    subject=subject,
                    created_at=draft.occurred_at,
                    announced=decided.announced,
                    sound=decided.sound,
                    held_because=decided.held_because,
                    conversation_id=draft.conversation_id,
                    event_sequence=draft.event.sequence if draft.event else None,
                    email_pending=decided.email and self._email_digests,
                    awaiting_summary=decided.held_because is HeldBecause.FREQUENCY_LIMIT,
                )
                made.append(notification)
                if decided.push:
                    pushed.append(notification)
        await uow.notifications.add_many(made)
        await self._push(uow, pushed, now)
        for notification in made:
            uow.emit(
                NotificationCreated(
                    organization_id=organization_id,
                    notification_id=notification.id,
                    user_id=notification.user_id,
                    notification_type=notification.type,
                    announced=notification.announced,
                )
            )

    @staticmethod
    async def _push(
        uow: NotificationsUnitOfWork, notifications: list[Notification], now: datetime
    ) -> None:
        """Queued for the push worker, to every browser the person subscribed."""
        if not notifications:
            return
        browsers = await uow.push_subscriptions.of_users(
            sorted({notification.user_id for notification in notifications})
        )
        await uow.push_subscriptions.deliver(
            [
                (notification.id, subscription.id)
                for notification in notifications
                for subscription in browsers.get(notification.user_id, [])
            ],
            now,
        )

    @staticmethod
    async def _without_repeats(uow: NotificationsUnitOfWork, drafts: list[_Draft]) -> list[_Draft]:
        """One unread "new message" per person and conversation: the tenth message of a
        conversation already waiting for them adds nothing to the center."""
        away = [d for d in drafts if d.kind is MESSAGE_WHILE_AWAY and d.conversation_id]
        if not away:
            return drafts
        pending = await uow.notifications.unread_about(
            sorted({u for d in away for u in d.user_ids}),
            MESSAGE_WHILE_AWAY.name,
            sorted({d.conversation_id for d in away if d.conversation_id}),
        )
        kept: list[_Draft] = []
        for draft in drafts:
            if draft.kind is MESSAGE_WHILE_AWAY and draft.conversation_id:
                draft.user_ids = {
                    u for u in draft.user_ids if (u, draft.conversation_id) not in pending
                }
                pending |= {(u, draft.conversation_id) for u in draft.user_ids}
            if draft.user_ids:
                kept.append(draft)
        return kept

    @staticmethod
    async def _one_unread_per_queue(
        uow: NotificationsUnitOfWork, drafts: list[_Draft], language: str
    ) -> list[_Draft]:
        """A full or closed queue is one unread notification per person until they read it,
        however many customers reach it meanwhile."""
        about_queues = [d for d in drafts if d.kind in PER_QUEUE]
        if not about_queues:
            return drafts
        pending = await uow.notifications.unread_subjects(
            sorted({u for d in about_queues for u in d.user_ids}),
            sorted({kind.name for kind in PER_QUEUE}),
        )
        kept: list[_Draft] = []
        for draft in drafts:
            if draft.kind in PER_QUEUE:
                subject = draft.kind.subject(language, draft.values)
                draft.user_ids = {
                    u for u in draft.user_ids if (u, draft.kind.name, subject) not in pending
                }
                pending |= {(u, draft.kind.name, subject) for u in draft.user_ids}
            if draft.user_ids:
                kept.append(draft)
        return kept

    @staticmethod
    async def _contact_names(uow: NotificationsUnitOfWork, drafts: list[_Draft]) -> dict[UUID, str]:
        conversation_ids = sorted({d.conversation_id for d in drafts if d.conversation_id})
        conversations = await uow.conversations.get_many(conversation_ids)
        contacts = await uow.contacts.get_many(
            sorted({c.contact_id for c in conversations.values()})
        )
        names: dict[UUID, str] = {}
        for conversation_id, conversation in conversations.items():
            contact = contacts.get(conversation.contact_id)
            if contact is not None:
                names[conversation_id] = contact.profile_name or contact.wa_id or ""
        return names
