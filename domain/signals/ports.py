"""What the signals feature needs from persistence."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol
from uuid import UUID

from domain.flows.ports import FlowsUnitOfWork
from domain.pagination import Page, PageRequest
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


class SignalsUnitOfWork(FlowsUnitOfWork, Protocol):
    @property
    def ai_settings(self) -> AiSettingsRepository: ...
    @property
    def ai_alerts(self) -> AlertRepository: ...
