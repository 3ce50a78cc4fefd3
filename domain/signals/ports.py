"""What the signals feature needs from persistence."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol
from uuid import UUID

from domain.flows.ports import FlowsUnitOfWork
from domain.pagination import Page, PageRequest
from domain.signals.insights import IntentHour, SentimentHour, SuggestionUsage
from domain.signals.intents import Intent, IntentModel
from domain.signals.settings import AiSettings, Alert, AlertRule


class AiSettingsRepository(Protocol):
    async def get(self) -> AiSettings:
        """The organization's settings; the defaults until it changes them."""
        ...

    async def save(self, settings: AiSettings, at: datetime, by: UUID | None) -> None: ...


class AlertRepository(Protocol):
    async def open_rules(self, conversation_ids: list[UUID]) -> set[tuple[UUID, AlertRule]]:
        """The (conversation, rule) pairs with an alert not yet resolved."""
        ...

    async def add(self, alert: Alert) -> None: ...
    async def get(self, alert_id: UUID) -> Alert | None: ...
    async def resolve(self, alert_id: UUID, at: datetime, by: UUID) -> None: ...
    async def page(self, unresolved_only: bool, size: int, request: PageRequest) -> Page[Alert]:
        """Newest first."""
        ...


class IntentRepository(Protocol):
    async def list(self) -> list[Intent]:
        """By name."""
        ...

    async def get(self, intent_id: UUID) -> Intent | None: ...
    async def by_name(self, name: str) -> Intent | None: ...
    async def save(self, intent: Intent) -> None:
        """Insert or replace."""
        ...

    async def delete(self, intent_id: UUID) -> None: ...


class IntentModelRepository(Protocol):
    async def get(self, model_id: UUID) -> IntentModel | None: ...
    async def latest(self, limit: int) -> list[IntentModel]:
        """Newest version first."""
        ...

    async def active(self) -> IntentModel | None:
        """The newest ready version: the one messages are read with."""
        ...

    async def pending(self) -> IntentModel | None:
        """A training queued or under way, if any."""
        ...

    async def add(self, model: IntentModel) -> None:
        """Queued: the intents worker claims it."""
        ...

    async def save(self, model: IntentModel, artifact: bytes | None = None) -> None:
        """Its progress or its outcome; a finished model is no longer claimed."""
        ...

    async def artifact(self, model_id: UUID) -> bytes | None: ...
    async def forget_artifacts_before(self, version: int) -> None:
        """Drops the stored models of versions older than this, keeping their figures."""
        ...


class InsightRepository(Protocol):
    async def add_sentiment(self, hours: Sequence[SentimentHour]) -> None:
        """Adds to the hours' counters (negative amounts take back an edited text's)."""
        ...

    async def add_intents(self, hours: Sequence[IntentHour]) -> None: ...
    async def add_suggestions(self, hour: datetime, offered: int, accepted: int) -> None: ...
    async def sentiment_hours(
        self, since: datetime, until: datetime, number_id: UUID | None
    ) -> list[SentimentHour]: ...
    async def intent_hours(
        self, since: datetime, until: datetime, number_id: UUID | None
    ) -> list[IntentHour]: ...
    async def suggestion_usage(self, since: datetime, until: datetime) -> SuggestionUsage: ...
    async def negative_conversations(
        self,
        since: datetime,
        until: datetime,
        number_id: UUID | None,
        threshold: float,
        limit: int,
    ) -> list[UUID]:
        """Conversations whose current sentiment is at or below the threshold and whose
        latest text was read in the period, latest first."""
        ...


class SignalsUnitOfWork(FlowsUnitOfWork, Protocol):
    @property
    def ai_settings(self) -> AiSettingsRepository: ...
    @property
    def ai_alerts(self) -> AlertRepository: ...
    @property
    def intents(self) -> IntentRepository: ...
    @property
    def intent_models(self) -> IntentModelRepository: ...
    @property
    def insights(self) -> InsightRepository: ...
