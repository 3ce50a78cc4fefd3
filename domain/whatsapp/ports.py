"""What the WhatsApp channel needs from persistence: numbers and message templates."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol
from uuid import UUID

from domain.accounts.ports import AccountsUnitOfWork
from domain.whatsapp.model import WhatsAppNumber
from domain.whatsapp.templates import Template


class WhatsAppNumberRepository(Protocol):
    """Live (not deleted) numbers of the unit of work's organization."""

    async def list(self) -> list[WhatsAppNumber]: ...
    async def get(self, number_id: UUID) -> WhatsAppNumber | None: ...
    async def add(self, number: WhatsAppNumber) -> None: ...
    async def save(self, number: WhatsAppNumber) -> None: ...
    async def delete(self, number_id: UUID, at: datetime) -> None: ...


class NumberDirectory(Protocol):
    """Platform-level: the webhook routes on Meta's phone number id before any tenant is known."""

    async def find_by_phone_number_id(self, phone_number_id: str) -> WhatsAppNumber | None: ...
    async def organizations_with_waba(self, waba_id: str) -> list[UUID]:
        """Organizations with a live number on this WhatsApp Business account."""
        ...

    async def verify_tokens(self) -> list[str]:
        """The sealed per-number verify tokens of every live number."""
        ...


class TemplateRepository(Protocol):
    async def list_for(self, waba_id: str | None = None) -> list[Template]:
        """The organization's templates, of one WABA when given."""
        ...

    async def find(self, waba_id: str, name: str, language: str) -> Template | None: ...
    async def get(self, template_id: UUID) -> Template | None: ...
    async def save(self, template: Template) -> None:
        """Insert, or replace the one with the same WABA, name and language."""
        ...

    async def delete(self, waba_id: str, name: str) -> int: ...


class WhatsAppUnitOfWork(AccountsUnitOfWork, Protocol):
    @property
    def whatsapp_numbers(self) -> WhatsAppNumberRepository: ...
    @property
    def number_directory(self) -> NumberDirectory: ...
    @property
    def templates(self) -> TemplateRepository: ...
