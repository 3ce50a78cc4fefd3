"""Message templates of one organization, as last synchronized from Meta."""

from __future__ import annotations

import uuid
from typing import cast

from sqlalchemy import RowMapping, Table, delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from domain.whatsapp.templates import Template
from persistence.models.whatsapp import WhatsAppTemplateRow

TEMPLATES = cast(Table, WhatsAppTemplateRow.__table__)
FIELDS = (
    "organization_id",
    "waba_id",
    "meta_id",
    "name",
    "language",
    "category",
    "status",
    "parameter_format",
    "components",
    "rejection_reason",
    "created_at",
    "updated_at",
)


def template_to_domain(row: RowMapping) -> Template:
    return Template(id=row["id"], **{name: row[name] for name in FIELDS})


class SqlTemplateRepository:
    def __init__(self, session: AsyncSession, organization_id: uuid.UUID) -> None:
        self._session = session
        self._organization_id = organization_id
        self._mine = TEMPLATES.c.organization_id == organization_id

    async def list_for(self, waba_id: str | None = None) -> list[Template]:
        statement = select(*TEMPLATES.columns).where(self._mine)
        if waba_id is not None:
            statement = statement.where(TEMPLATES.c.waba_id == waba_id)
        result = await self._session.execute(
            statement.order_by(TEMPLATES.c.name, TEMPLATES.c.language)
        )
        return [template_to_domain(row) for row in result.mappings()]

    async def find(self, waba_id: str, name: str, language: str) -> Template | None:
        result = await self._session.execute(
            select(*TEMPLATES.columns).where(
                self._mine,
                TEMPLATES.c.waba_id == waba_id,
                TEMPLATES.c.name == name,
                TEMPLATES.c.language == language,
            )
        )
        row = result.mappings().first()
        return template_to_domain(row) if row else None

    async def get(self, template_id: uuid.UUID) -> Template | None:
        result = await self._session.execute(
            select(*TEMPLATES.columns).where(self._mine, TEMPLATES.c.id == template_id)
        )
        row = result.mappings().first()
        return template_to_domain(row) if row else None

    async def save(self, template: Template) -> None:
        if template.organization_id != self._organization_id:
            raise LookupError("a template belongs to the unit of work's organization")
        existing = await self.find(template.waba_id, template.name, template.language)
        values = {name: getattr(template, name) for name in FIELDS}
        if existing is None:
            await self._session.execute(TEMPLATES.insert().values(id=template.id, **values))
            return
        values.pop("created_at")
        await self._session.execute(
            update(TEMPLATES).where(self._mine, TEMPLATES.c.id == existing.id).values(**values)
        )

    async def delete(self, waba_id: str, name: str) -> int:
        result = await self._session.execute(
            delete(TEMPLATES).where(
                self._mine, TEMPLATES.c.waba_id == waba_id, TEMPLATES.c.name == name
            )
        )
        return int(result.rowcount)  # type: ignore[attr-defined]
