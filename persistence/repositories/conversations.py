"""Contacts, conversations, messages and the status log, all scoped to one organization."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import datetime
from typing import Any, cast

from sqlalchemy import RowMapping, Table, and_, bindparam, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from domain.conversations.model import (
    Contact,
    Conversation,
    ConversationStatus,
    Direction,
    Message,
)
from domain.whatsapp.inbound import InboundContact, MessageStatus, StatusUpdate
from persistence.models import ContactRow, ConversationRow, MessageRow, MessageStatusRow

CONTACTS = cast(Table, ContactRow.__table__)
CONVERSATIONS = cast(Table, ConversationRow.__table__)
MESSAGES = cast(Table, MessageRow.__table__)
STATUSES = cast(Table, MessageStatusRow.__table__)
OPEN_STATUSES = (ConversationStatus.OPEN.value, ConversationStatus.PENDING.value)


def _insert_ignoring_duplicates(dialect: str, table: Table) -> Any:
    """INSERT ... ON CONFLICT DO NOTHING: a duplicate is a no-op, not a failed transaction.
    Values come as execution parameters."""
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return insert(table).on_conflict_do_nothing()


# Every statement of the ingestion path is built once with bind parameters: built per call,
# SQLAlchemy spent more CPU composing and cache-keying them than the database spent running them.
INSERTS = {
    (dialect, table.name): _insert_ignoring_duplicates(dialect, table)
    for dialect in ("postgresql", "sqlite")
    for table in (CONTACTS, CONVERSATIONS, MESSAGES, STATUSES)
}
_MINE = CONTACTS.c.organization_id == bindparam("organization_id")
FIND_CONTACT_BY_USER_ID = (
    select(*CONTACTS.columns).where(_MINE, CONTACTS.c.user_id == bindparam("user_id")).limit(1)
)
FIND_CONTACT_BY_WA_ID = (
    select(*CONTACTS.columns).where(_MINE, CONTACTS.c.wa_id == bindparam("wa_id")).limit(1)
)
FIND_OPEN_CONVERSATION = select(*CONVERSATIONS.columns).where(
    CONVERSATIONS.c.organization_id == bindparam("organization_id"),
    CONVERSATIONS.c.number_id == bindparam("number_id"),
    CONVERSATIONS.c.contact_id == bindparam("contact_id"),
    CONVERSATIONS.c.status.in_(OPEN_STATUSES),
)
SAVE_CONVERSATION = (
    update(CONVERSATIONS)
    .where(
        CONVERSATIONS.c.id == bindparam("b_conversation_id"),
        CONVERSATIONS.c.organization_id == bindparam("b_organization_id"),
    )
    .values(
        status=bindparam("b_status"),
        unread_count=bindparam("b_unread_count"),
        last_message_at=bindparam("b_last_message_at"),
        last_inbound_at=bindparam("b_last_inbound_at"),
        updated_at=bindparam("b_updated_at"),
    )
)
FIND_MESSAGE_BY_WAMID = select(*MESSAGES.columns).where(
    MESSAGES.c.organization_id == bindparam("organization_id"),
    MESSAGES.c.wamid == bindparam("wamid"),
)


class _Scoped:
    def __init__(self, session: AsyncSession, organization_id: uuid.UUID, dialect: str) -> None:
        self._session = session
        self._organization_id = organization_id
        self._dialect = dialect

    async def _insert_ignoring_duplicates(self, table: Table, values: dict[str, Any]) -> bool:
        result = await self._session.execute(
            INSERTS[(self._dialect, table.name)],
            {"organization_id": self._organization_id, **values},
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]


def contact_to_domain(row: RowMapping) -> Contact:
    return Contact(
        id=row["id"],
        organization_id=row["organization_id"],
        wa_id=row["wa_id"],
        user_id=row["user_id"],
        profile_name=row["profile_name"],
        username=row["username"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )


class SqlContactRepository(_Scoped):
    async def upsert(self, contact: InboundContact, now: datetime) -> Contact:
        found = await self._find(contact)
        if found is None:
            await self._insert_ignoring_duplicates(
                CONTACTS,
                {
                    "id": uuid.uuid4(),
                    "wa_id": contact.wa_id,
                    "user_id": contact.user_id,
                    "profile_name": contact.profile_name,
                    "username": contact.username,
                    "created_at": now,
                    "updated_at": now,
                },
            )
            found = await self._find(contact)
            if found is None:
                raise LookupError("a contact needs a wa_id or a user id")
            return found
        changes = {
            key: value
            for key, value in (
                ("profile_name", contact.profile_name),
                ("username", contact.username),
                ("wa_id", contact.wa_id),
                ("user_id", contact.user_id),
            )
            if value is not None and value != getattr(found, key)
        }
        if not changes:
            return found
        await self._session.execute(
            update(CONTACTS).where(CONTACTS.c.id == found.id).values(updated_at=now, **changes)
        )
        return replace(
            found,
            updated_at=now,
            profile_name=changes.get("profile_name", found.profile_name),
            username=changes.get("username", found.username),
            wa_id=changes.get("wa_id", found.wa_id),
            user_id=changes.get("user_id", found.user_id),
        )

    async def _find(self, contact: InboundContact) -> Contact | None:
        """The business-scoped user id is the stable identity; a phone number can change."""
        lookups = (
            (FIND_CONTACT_BY_USER_ID, "user_id", contact.user_id),
            (FIND_CONTACT_BY_WA_ID, "wa_id", contact.wa_id),
        )
        for statement, key, value in lookups:
            if value is None:
                continue
            result = await self._session.execute(
                statement, {"organization_id": self._organization_id, key: value}
            )
            row = result.mappings().first()
            if row is not None:
                return contact_to_domain(row)
        return None


def conversation_to_domain(row: RowMapping) -> Conversation:
    return Conversation(
        id=row["id"],
        organization_id=row["organization_id"],
        number_id=row["number_id"],
        contact_id=row["contact_id"],
        status=ConversationStatus(row["status"]),
        unread_count=row["unread_count"],
        last_message_at=row["last_message_at"],
        last_inbound_at=row["last_inbound_at"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )


class SqlConversationRepository(_Scoped):
    async def open_for(
        self, number_id: uuid.UUID, contact_id: uuid.UUID, now: datetime
    ) -> tuple[Conversation, bool]:
        found = await self._find_open(number_id, contact_id)
        if found is not None:
            return found, False
        new_id = uuid.uuid4()
        await self._insert_ignoring_duplicates(
            CONVERSATIONS,
            {
                "id": new_id,
                "number_id": number_id,
                "contact_id": contact_id,
                "status": ConversationStatus.OPEN.value,
                "unread_count": 0,
                "last_message_at": None,
                "last_inbound_at": None,
                "created_at": now,
                "updated_at": now,
            },
        )
        found = await self._find_open(number_id, contact_id)
        if found is None:
            raise LookupError("the conversation just opened cannot be read back")
        return found, found.id == new_id

    async def save(self, conversation: Conversation) -> None:
        await self._session.execute(
            SAVE_CONVERSATION,
            {
                "b_conversation_id": conversation.id,
                "b_organization_id": self._organization_id,
                "b_status": conversation.status.value,
                "b_unread_count": conversation.unread_count,
                "b_last_message_at": conversation.last_message_at,
                "b_last_inbound_at": conversation.last_inbound_at,
                "b_updated_at": conversation.updated_at,
            },
        )

    async def _find_open(self, number_id: uuid.UUID, contact_id: uuid.UUID) -> Conversation | None:
        result = await self._session.execute(
            FIND_OPEN_CONVERSATION,
            {
                "organization_id": self._organization_id,
                "number_id": number_id,
                "contact_id": contact_id,
            },
        )
        row = result.mappings().first()
        return conversation_to_domain(row) if row else None


def message_to_domain(row: RowMapping) -> Message:
    return Message(
        id=row["id"],
        organization_id=row["organization_id"],
        conversation_id=row["conversation_id"],
        direction=Direction(row["direction"]),
        wamid=row["wamid"],
        type=row["type"],
        content=row["content"],
        status=MessageStatus(row["status"]),
        sent_at=row["sent_at"],
        created_at=row["created_at"],
        context_wamid=row["context_wamid"],
        forwarded=row["forwarded"],
        referral=row["referral"],
        error=row["error"],
    )


class SqlMessageRepository(_Scoped):
    async def add_if_new(self, message: Message) -> bool:
        return await self._insert_ignoring_duplicates(
            MESSAGES,
            {
                "id": message.id,
                "conversation_id": message.conversation_id,
                "direction": message.direction.value,
                "wamid": message.wamid,
                "type": message.type,
                "content": message.content,
                "status": message.status.value,
                "sent_at": message.sent_at,
                "created_at": message.created_at,
                "context_wamid": message.context_wamid,
                "forwarded": message.forwarded,
                "referral": message.referral,
                "error": message.error,
            },
        )

    async def get_by_wamid(self, wamid: str) -> Message | None:
        result = await self._session.execute(
            FIND_MESSAGE_BY_WAMID, {"organization_id": self._organization_id, "wamid": wamid}
        )
        row = result.mappings().first()
        return message_to_domain(row) if row else None

    async def set_status(
        self, message_id: uuid.UUID, status: MessageStatus, error: dict[str, Any] | None
    ) -> None:
        await self._session.execute(
            update(MESSAGES)
            .where(
                and_(
                    MESSAGES.c.id == message_id, MESSAGES.c.organization_id == self._organization_id
                )
            )
            .values(status=status.value, error=error)
        )


class SqlStatusLog(_Scoped):
    async def record(self, update: StatusUpdate, received_at: datetime) -> bool:
        return await self._insert_ignoring_duplicates(
            STATUSES,
            {
                "wamid": update.wamid,
                "status": update.status.value,
                "occurred_at": update.occurred_at,
                "received_at": received_at,
                "recipient_id": update.recipient_id,
                "errors": update.errors or None,
                "pricing": update.pricing,
            },
        )

    async def for_wamid(self, wamid: str) -> list[StatusUpdate]:
        result = await self._session.execute(
            select(*STATUSES.columns).where(
                STATUSES.c.organization_id == self._organization_id, STATUSES.c.wamid == wamid
            )
        )
        return [
            StatusUpdate(
                wamid=row["wamid"],
                status=MessageStatus(row["status"]),
                occurred_at=row["occurred_at"],
                recipient_id=row["recipient_id"],
                errors=row["errors"] or [],
                pricing=row["pricing"],
            )
            for row in result.mappings()
        ]
