"""The typed per-request (or per-connection) context every resolver receives."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket

from domain.accounts.model import AUTHENTICATION_REQUIRED, Actor, User
from domain.accounts.services import AccountService, Authentication, ends_access_of
from domain.clock import Clock
from domain.conversations.messaging import MessagingService
from domain.conversations.services import ConversationService
from domain.errors import AccessChanged, TokenExpired, Unauthenticated
from domain.event_stream import EventStream
from domain.events import StoredEvent
from domain.flows.activity import FlowActivity
from domain.flows.services import FlowService
from domain.inbox.reading import ConversationReader
from domain.notifications.services import NotificationService
from domain.onboarding.steps import OnboardingService
from domain.queues.services import QueueService
from domain.replies.services import RepliesService
from domain.signals.intent_service import IntentService
from domain.signals.services import AiService
from domain.team.invitations import InvitationService
from domain.whatsapp.numbers import NumberService
from domain.whatsapp.template_catalog import TemplateService
from domain.whatsapp.trial import TrialService
from graphql_api.shared_events import SharedEventViews
from persistence.unit_of_work import SqlUnitOfWork


@dataclass(frozen=True)
class Services:
    """Built once by the app; resolvers call these, never the database directly."""

    accounts: AccountService
    numbers: NumberService
    templates: TemplateService
    messaging: MessagingService[SqlUnitOfWork]
    conversations: ConversationReader
    conversation_actions: ConversationService[SqlUnitOfWork]
    event_stream: EventStream
    clock: Clock
    flows: FlowService
    flow_activity: FlowActivity
    queues: QueueService
    invitations: InvitationService
    onboarding: OnboardingService
    ai: AiService
    intents: IntentService
    replies: RepliesService
    notifications: NotificationService
    trial: TrialService
    public_url: str | None = None
    """PYTAKE_PUBLIC_URL: where people and Meta reach PyTake, when it is not where a request
    arrived."""
    event_views: SharedEventViews = field(default_factory=SharedEventViews)


@dataclass
class Context:
    services: Services
    actor: Actor
    request: Request | WebSocket
    response: Response | WebSocket | None = None
    connection_params: dict[str, Any] | None = field(default=None)
    user: User | None = None
    """The authenticated user as loaded when the token was checked, for this request."""
    token_expires_at: datetime | None = None
    loaders: dict[str, object] = field(default_factory=dict)
    """DataLoaders made for this request (or connection), by name."""

    def require_user(self) -> User:
        if self.user is None:
            raise Unauthenticated(AUTHENTICATION_REQUIRED)
        return self.user

    def ensure_still_allowed(
        self, now: datetime, event: StoredEvent, resume_after: str | None
    ) -> None:
        """A WebSocket outlives the moment it was authenticated: nothing is delivered after its
        access token expires, or once the user's role or password changed or the user was
        deactivated (the change arrives as an event before this one is delivered)."""
        resume = f' and resubscribe with after: "{resume_after}"' if resume_after else ""
        if self.user is not None and ends_access_of(self.user.id, event):
            raise AccessChanged(
                "Your access changed (role, password or deactivation): sign in again"
                f"{resume} to continue with what you may now see"
            )
        if self.token_expires_at is not None and now >= self.token_expires_at:
            raise TokenExpired(
                f"The access token expired: reconnect with a fresh token{resume} to continue"
            )

    def authenticate(self, authentication: Authentication) -> None:
        self.user = authentication.user
        self.token_expires_at = authentication.expires_at
        self.actor = Actor.of(authentication.user, self.actor.client_ip)
