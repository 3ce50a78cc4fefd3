"""WhatsApp numbers: tenant-scoped management, and the platform-level routing lookup."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import cast

from sqlalchemy import RowMapping, Table, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from domain.errors import NotFound
from domain.whatsapp.model import WhatsAppNumber
from persistence.models.whatsapp import WhatsAppNumberRow
from persistence.repositories.scope import RepositoryScope
from persistence.repositories.templates import SqlTemplateRepository

NUMBERS = cast(Table, WhatsAppNumberRow.__table__)
LIVE_NUMBERS = select(*NUMBERS.columns).where(NUMBERS.c.deleted_at.is_(None))
FIELDS = (
    "organization_id",
    "phone_number_id",
    "waba_id",
    "display_phone_number",
    "verified_name",
    "quality_rating",
    "status",
    "messages_per_second",
    "healthy",
    "access_token_sealed",
    "app_secret_sealed",
    "verify_token_sealed",
    "created_at",
    "updated_at",
)


def number_to_domain(row: RowMapping) -> WhatsAppNumber:
    return WhatsAppNumber(id=row["id"], **{name: row[name] for name in FIELDS})


def number_values(number: WhatsAppNumber) -> dict[str, object]:
    return {name: getattr(number, name) for name in FIELDS}


class SqlWhatsAppNumberRepository:
    def __init__(self, session: AsyncSession, organization_id: uuid.UUID) -> None:
        self._session = session
        self._organization_id = organization_id

    async def list(self) -> list[WhatsAppNumber]:
        result = await self._session.execute(
            LIVE_NUMBERS.where(NUMBERS.c.organization_id == self._organization_id).order_by(
                NUMBERS.c.created_at, NUMBERS.c.id
            )
        )
        return [number_to_domain(row) for row in result.mappings()]

    async def get(self, number_id: uuid.UUID) -> WhatsAppNumber | None:
        result = await self._session.execute(
            LIVE_NUMBERS.where(
                NUMBERS.c.id == number_id, NUMBERS.c.organization_id == self._organization_id
            )
        )
        row = result.mappings().first()
        return number_to_domain(row) if row else None

    async def add(self, number: WhatsAppNumber) -> None:
        if number.organization_id != self._organization_id:
            raise NotFound("Organization", number.organization_id)
        await self._session.execute(NUMBERS.insert().values(id=number.id, **number_values(number)))

    async def save(self, number: WhatsAppNumber) -> None:
        values = number_values(number)
        values.pop("organization_id")
        result = await self._session.execute(
            update(NUMBERS)
            .where(NUMBERS.c.id == number.id, NUMBERS.c.organization_id == self._organization_id)
            .values(**values)
        )
        if not result.rowcount:  # type: ignore[attr-defined]
            raise NotFound("WhatsApp number", number.id)

    async def delete(self, number_id: uuid.UUID, at: datetime) -> None:
        await self._session.execute(
            update(NUMBERS)
            .where(NUMBERS.c.id == number_id, NUMBERS.c.organization_id == self._organization_id)
            .values(deleted_at=at, updated_at=at)
        )


class SqlNumberDirectory:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def find_by_phone_number_id(self, phone_number_id: str) -> WhatsAppNumber | None:
        result = await self._session.execute(
            LIVE_NUMBERS.where(NUMBERS.c.phone_number_id == phone_number_id)
        )
        row = result.mappings().first()
        return number_to_domain(row) if row else None

    async def organizations_with_waba(self, waba_id: str) -> list[uuid.UUID]:
        result = await self._session.scalars(
            select(NUMBERS.c.organization_id)
            .where(NUMBERS.c.deleted_at.is_(None), NUMBERS.c.waba_id == waba_id)
            .distinct()
        )
        return list(result)

    async def verify_tokens(self) -> list[str]:
        result = await self._session.scalars(
            select(NUMBERS.c.verify_token_sealed).where(
                NUMBERS.c.deleted_at.is_(None), NUMBERS.c.verify_token_sealed.is_not(None)
            )
        )
        return [token for token in result if token is not None]


class WhatsAppRepositories(RepositoryScope):
    """Numbers, the platform's number directory and message templates."""

    @property
    def whatsapp_numbers(self) -> SqlWhatsAppNumberRepository:
        return SqlWhatsAppNumberRepository(self.session, self.scope())

    @property
    def number_directory(self) -> SqlNumberDirectory:
        return SqlNumberDirectory(self.session)

    @property
    def templates(self) -> SqlTemplateRepository:
        return SqlTemplateRepository(self.session, self.scope())
