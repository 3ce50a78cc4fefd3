"""Contacts, conversations, messages and the status log, all scoped to one organization."""

from __future__ import annotations

import functools
import uuid
from collections import ChainMap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, cast

from sqlalchemy import (
    ColumnElement,
    RowMapping,
    Table,
    bindparam,
    delete,
    func,
    insert,
    or_,
    select,
    true,
    union,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.dml import Update

from domain.conversations.model import (
    CUSTOMER_SERVICE_WINDOW,
    AgentScope,
    Contact,
    Conversation,
    ConversationFilter,
    ConversationStatus,
    ConversationSummary,
    Direction,
    Message,
    Note,
    StatsSample,
)
from domain.pagination import Edge, Page, PageRequest
from domain.whatsapp.inbound import InboundContact, MessageStatus, StatusUpdate
from persistence.database import Database, outages_as_unavailable
from persistence.dialects import COMPONENTS, QueryComponents
from persistence.models.conversations import (
    ContactRow,
    ConversationNoteRow,
    ConversationRow,
    MessageRow,
    MessageStatusRow,
)
from persistence.repositories.cursors import Keyset, encode_cursor
from persistence.repositories.outbox import SqlOutbox
from persistence.repositories.scope import RepositoryScope
from persistence.repositories.signals import SIGNALS, SqlSignalRepository

CONTACTS = cast(Table, ContactRow.__table__)
CONVERSATIONS = cast(Table, ConversationRow.__table__)
MESSAGES = cast(Table, MessageRow.__table__)
STATUSES = cast(Table, MessageStatusRow.__table__)
NOTES = cast(Table, ConversationNoteRow.__table__)
OPEN_STATUSES = (ConversationStatus.OPEN.value, ConversationStatus.PENDING.value)


# Every statement of the ingestion path is built once with bind parameters: built per call,
# SQLAlchemy spent more CPU composing and cache-keying them than the database spent running them.
# INSERT ... ON CONFLICT DO NOTHING: a duplicate is a no-op, not a failed transaction.
INSERTS = {
    (components.name, table.name): components.insert(table).on_conflict_do_nothing()
    for components in COMPONENTS.values()
    for table in (CONTACTS, CONVERSATIONS, MESSAGES)
}
ADD_MESSAGES = {
    name: INSERTS[(name, MESSAGES.name)].returning(MESSAGES.c.id) for name in COMPONENTS
}
"""Run with a list of rows, these and RECORD_STATUSES are sent as multi-row INSERTs
("insertmanyvalues"), compiled once: a statement built with the rows' values is compiled
afresh for each batch, and that cost more CPU than the database spent on it."""
RECORD_STATUSES = {
    name: components.insert(STATUSES)
    .on_conflict_do_nothing()
    .returning(STATUSES.c.wamid, STATUSES.c.status)
    for name, components in COMPONENTS.items()
}
CONVERSATION_ORDER = Keyset(CONVERSATIONS.c.last_message_at, CONVERSATIONS.c.id, newest_first=True)
"""The inbox: most recently active first."""
MESSAGE_ORDER = Keyset(MESSAGES.c.sent_at, MESSAGES.c.id, newest_first=False)
"""A conversation's messages: oldest first, as a chat reads."""
UPDATE_CONTACT = (
    update(CONTACTS)
    .where(
        CONTACTS.c.id == bindparam("b_contact_id"),
        CONTACTS.c.organization_id == bindparam("b_organization_id"),
    )
    .values(
        wa_id=bindparam("b_wa_id"),
        user_id=bindparam("b_user_id"),
        profile_name=bindparam("b_profile_name"),
        username=bindparam("b_username"),
        updated_at=bindparam("b_updated_at"),
    )
)
CONVERSATIONS_AS_READ = "conversations as read"
"""The session's record of each conversation as this transaction read or last wrote it."""

SAVED_COLUMNS = (
    "status",
    "unread_count",
    "last_message_at",
    "last_inbound_at",
    "updated_at",
    "last_message_id",
    "assignee_id",
    "queue_id",
    "labels",
    "snoozed_until",
    "handed_off_at",
    "first_human_reply_at",
    "resolved_at",
)
"""What a save may change; the rest of a conversation is fixed when it opens."""


def saved_values(conversation: Conversation) -> dict[str, Any]:
    return {
        "status": conversation.status.value,
        "unread_count": conversation.unread_count,
        "last_message_at": conversation.last_message_at,
        "last_inbound_at": conversation.last_inbound_at,
        "updated_at": conversation.updated_at,
        "last_message_id": conversation.last_message_id,
        "assignee_id": conversation.assignee_id,
        "queue_id": conversation.queue_id,
        "labels": list(conversation.labels),
        "snoozed_until": conversation.snoozed_until,
        "handed_off_at": conversation.handed_off_at,
        "first_human_reply_at": conversation.first_human_reply_at,
        "resolved_at": conversation.resolved_at,
    }


@functools.cache
def save_statement(columns: tuple[str, ...]) -> Update:
    return (
        update(CONVERSATIONS)
        .where(
            CONVERSATIONS.c.id == bindparam("b_conversation_id"),
            CONVERSATIONS.c.organization_id == bindparam("b_organization_id"),
        )
        .values({column: bindparam(f"b_{column}") for column in columns})
    )


SET_STATUS = (
    update(MESSAGES)
    .where(
        MESSAGES.c.id == bindparam("b_message_id"),
        MESSAGES.c.organization_id == bindparam("b_organization_id"),
    )
    .values(status=bindparam("b_status"), error=bindparam("b_error"))
)
SET_WAMID = (
    update(MESSAGES)
    .where(
        MESSAGES.c.id == bindparam("b_message_id"),
        MESSAGES.c.organization_id == bindparam("b_organization_id"),
    )
    .values(wamid=bindparam("b_wamid"))
)
FIND_MESSAGE_BY_WAMID = select(*MESSAGES.columns).where(
    MESSAGES.c.organization_id == bindparam("organization_id"),
    MESSAGES.c.wamid == bindparam("wamid"),
)


SNOOZES_PER_ROUND = 500


async def organizations_with_snoozes_due(database: Database, now: datetime) -> list[uuid.UUID]:
    with outages_as_unavailable():
        async with database.autocommit_engine.connect() as connection:
            result = await connection.execute(
                select(CONVERSATIONS.c.organization_id)
                .where(
                    CONVERSATIONS.c.status == ConversationStatus.PENDING.value,
                    CONVERSATIONS.c.snoozed_until <= now,
                )
                .distinct()
            )
            return [row.organization_id for row in result.all()]


class _Scoped:
    def __init__(
        self, session: AsyncSession, organization_id: uuid.UUID, components: QueryComponents
    ) -> None:
        self._session = session
        self._organization_id = organization_id
        self._sql = components

    async def _insert_ignoring_duplicates(self, table: Table, values: dict[str, Any]) -> bool:
        result = await self._session.execute(
            INSERTS[(self._sql.name, table.name)],
            {"organization_id": self._organization_id, **values},
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]


_LAST = MESSAGES.alias("last_message")
_PAGE_PARTS = (CONVERSATIONS, CONTACTS, _LAST)
_PAGE_PART_NAMES = [table.columns.keys() for table in _PAGE_PARTS]
PAGE = select(*[column for table in _PAGE_PARTS for column in table.columns]).select_from(
    CONVERSATIONS.join(CONTACTS, CONTACTS.c.id == CONVERSATIONS.c.contact_id).outerjoin(
        _LAST, _LAST.c.id == CONVERSATIONS.c.last_message_id
    )
)


def _page_row_parts(row: Sequence[Any]) -> list[dict[str, Any]]:
    """A page row split into its conversation, contact and last-message columns by position:
    the page's 50 rows hold about 60 columns each, and matching names per row cost more than
    the query."""
    parts = []
    start = 0
    for names in _PAGE_PART_NAMES:
        parts.append(dict(zip(names, row[start : start + len(names)], strict=True)))
        start += len(names)
    return parts


def contact_to_domain(row: Mapping[Any, Any]) -> Contact:
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
    async def change_wa_id(self, contact_id: uuid.UUID, wa_id: str, now: datetime) -> bool:
        mine = CONTACTS.c.organization_id == self._organization_id
        taken = await self._session.scalar(
            select(CONTACTS.c.id).where(
                mine, CONTACTS.c.wa_id == wa_id, CONTACTS.c.id != contact_id
            )
        )
        if taken is not None:
            return False
        await self._session.execute(
            update(CONTACTS)
            .where(mine, CONTACTS.c.id == contact_id)
            .values(wa_id=wa_id, updated_at=now)
        )
        return True

    async def upsert_many(self, contacts: Sequence[InboundContact], now: datetime) -> list[Contact]:
        """The contact behind each inbound contact, created when unknown and brought up to
        date, in three statements for a whole batch. A batch that names a contact more than
        once leaves it with its latest details, as if each had been applied in turn."""
        known = await self._find_many(contacts)
        unknown = {
            _identity(contact): contact for contact in contacts if known.match(contact) is None
        }
        if unknown:
            await self._session.execute(
                INSERTS[(self._sql.name, CONTACTS.name)],
                [
                    {
                        "organization_id": self._organization_id,
                        "id": uuid.uuid4(),
                        "wa_id": contact.wa_id,
                        "user_id": contact.user_id,
                        "profile_name": contact.profile_name,
                        "username": contact.username,
                        "created_at": now,
                        "updated_at": now,
                    }
                    for contact in unknown.values()
                ],
            )
            known = await self._find_many(contacts)
        stored: dict[uuid.UUID, Contact] = {}
        latest: dict[uuid.UUID, Contact] = {}
        matched = []
        for inbound in contacts:
            found = known.match(inbound)
            if found is None:
                raise LookupError("a contact needs a wa_id or a user id")
            stored.setdefault(found.id, found)
            latest[found.id] = latest.get(found.id, found).with_details(inbound, now)
            matched.append(found.id)
        changed = [contact for contact in latest.values() if contact != stored[contact.id]]
        if changed:
            await self._session.execute(
                UPDATE_CONTACT,
                [
                    {
                        "b_contact_id": contact.id,
                        "b_organization_id": self._organization_id,
                        "b_wa_id": contact.wa_id,
                        "b_user_id": contact.user_id,
                        "b_profile_name": contact.profile_name,
                        "b_username": contact.username,
                        "b_updated_at": contact.updated_at,
                    }
                    for contact in changed
                ],
            )
        return [latest[contact_id] for contact_id in matched]

    async def get(self, contact_id: uuid.UUID) -> Contact | None:
        result = await self._session.execute(
            select(*CONTACTS.columns).where(
                CONTACTS.c.id == contact_id, CONTACTS.c.organization_id == self._organization_id
            )
        )
        row = result.mappings().first()
        return contact_to_domain(row) if row else None

    async def get_many(self, contact_ids: list[uuid.UUID]) -> dict[uuid.UUID, Contact]:
        if not contact_ids:
            return {}
        result = await self._session.execute(
            select(*CONTACTS.columns).where(
                CONTACTS.c.id.in_(contact_ids), CONTACTS.c.organization_id == self._organization_id
            )
        )
        return {row["id"]: contact_to_domain(row) for row in result.mappings()}

    async def _find_many(self, contacts: Sequence[InboundContact]) -> _KnownContacts:
        user_ids = sorted({c.user_id for c in contacts if c.user_id is not None})
        wa_ids = sorted({c.wa_id for c in contacts if c.wa_id is not None})
        known = _KnownContacts()
        if not user_ids and not wa_ids:
            return known
        result = await self._session.execute(
            select(*CONTACTS.columns).where(
                CONTACTS.c.organization_id == self._organization_id,
                or_(CONTACTS.c.user_id.in_(user_ids), CONTACTS.c.wa_id.in_(wa_ids)),
            )
        )
        for row in result.mappings():
            contact = contact_to_domain(row)
            if contact.user_id is not None:
                known.by_user_id[contact.user_id] = contact
            if contact.wa_id is not None:
                known.by_wa_id[contact.wa_id] = contact
        return known


@dataclass
class _KnownContacts:
    by_user_id: dict[str, Contact] = field(default_factory=dict)
    by_wa_id: dict[str, Contact] = field(default_factory=dict)

    def match(self, contact: InboundContact) -> Contact | None:
        """The business-scoped user id is the stable identity; a phone number can change."""
        if contact.user_id is not None and contact.user_id in self.by_user_id:
            return self.by_user_id[contact.user_id]
        if contact.wa_id is not None:
            return self.by_wa_id.get(contact.wa_id)
        return None


def _identity(contact: InboundContact) -> tuple[str, str | None]:
    return ("user", contact.user_id) if contact.user_id is not None else ("wa", contact.wa_id)


def visible_to(scope: AgentScope) -> ColumnElement[bool]:
    assigned = CONVERSATIONS.c.assignee_id == scope.user_id
    if not scope.queue_ids:
        return assigned
    return or_(assigned, CONVERSATIONS.c.queue_id.in_(sorted(scope.queue_ids)))


def conversation_to_domain(row: Mapping[Any, Any]) -> Conversation:
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
        last_message_id=row["last_message_id"],
        assignee_id=row["assignee_id"],
        queue_id=row["queue_id"],
        labels=tuple(row["labels"] or ()),
        snoozed_until=row["snoozed_until"],
        handed_off_at=row["handed_off_at"],
        first_human_reply_at=row["first_human_reply_at"],
        resolved_at=row["resolved_at"],
    )


class SqlConversationRepository(_Scoped):
    def __init__(
        self, session: AsyncSession, organization_id: uuid.UUID, components: QueryComponents
    ) -> None:
        super().__init__(session, organization_id, components)
        # Kept with the transaction's session: each use of the unit of work's `conversations`
        # makes a new repository.
        self._as_read: ChainMap[uuid.UUID, dict[str, Any]] = session.info.setdefault(
            CONVERSATIONS_AS_READ, ChainMap()
        )

    def _read(self, row: Mapping[Any, Any]) -> Conversation:
        conversation = conversation_to_domain(row)
        self._as_read[conversation.id] = saved_values(conversation)
        return conversation

    async def open_many(
        self, pairs: Sequence[tuple[uuid.UUID, uuid.UUID]], now: datetime
    ) -> dict[tuple[uuid.UUID, uuid.UUID], tuple[Conversation, bool]]:
        """The open conversation of each (number, contact), opened when there is none, and
        whether this call opened it: three statements for a whole batch. Two processes
        opening one at once end up with the same one."""
        found = await self._open_ones(pairs)
        opening = {pair: uuid.uuid4() for pair in pairs if pair not in found}
        if opening:
            await self._session.execute(
                INSERTS[(self._sql.name, CONVERSATIONS.name)],
                [
                    {
                        "organization_id": self._organization_id,
                        "id": new_id,
                        "number_id": number_id,
                        "contact_id": contact_id,
                        "status": ConversationStatus.OPEN.value,
                        "unread_count": 0,
                        # Never null, so that the inbox orders on an index alone.
                        "last_message_at": now,
                        "last_inbound_at": None,
                        "created_at": now,
                        "updated_at": now,
                    }
                    for (number_id, contact_id), new_id in opening.items()
                ],
            )
            found |= await self._open_ones(list(opening))
        missing = [pair for pair in pairs if pair not in found]
        if missing:
            raise LookupError(f"the conversations just opened cannot be read back: {missing}")
        return {
            pair: (conversation, conversation.id == opening.get(pair))
            for pair, conversation in found.items()
        }

    async def get(self, conversation_id: uuid.UUID) -> Conversation | None:
        result = await self._session.execute(
            select(*CONVERSATIONS.columns).where(
                CONVERSATIONS.c.id == conversation_id,
                CONVERSATIONS.c.organization_id == self._organization_id,
            )
        )
        row = result.mappings().first()
        return self._read(row) if row else None

    async def page(
        self,
        conversation_filter: ConversationFilter,
        size: int,
        request: PageRequest,
        now: datetime,
    ) -> Page[ConversationSummary]:
        f = conversation_filter
        query = PAGE.where(CONVERSATIONS.c.organization_id == self._organization_id)
        if f.status is not None:
            query = query.where(CONVERSATIONS.c.status == f.status.value)
        if f.visible_to is not None:
            query = query.where(visible_to(f.visible_to))
        if f.queue_id is not None:
            query = query.where(CONVERSATIONS.c.queue_id == f.queue_id)
        if f.assignee_id is not None:
            query = query.where(CONVERSATIONS.c.assignee_id == f.assignee_id)
        if f.unassigned:
            query = query.where(CONVERSATIONS.c.assignee_id.is_(None))
        if f.number_id is not None:
            query = query.where(CONVERSATIONS.c.number_id == f.number_id)
        if f.created_after is not None:
            query = query.where(CONVERSATIONS.c.created_at >= f.created_after)
        if f.created_before is not None:
            query = query.where(CONVERSATIONS.c.created_at < f.created_before)
        if f.unread_only:
            query = query.where(CONVERSATIONS.c.unread_count > 0)
        if f.window_open is not None:
            opened = CONVERSATIONS.c.last_inbound_at > now - CUSTOMER_SERVICE_WINDOW
            query = query.where(
                opened if f.window_open else or_(~opened, CONVERSATIONS.c.last_inbound_at.is_(None))
            )
        if f.search and f.search.strip():
            query = query.where(self._matches(f.search.strip()))
        result = await self._session.execute(CONVERSATION_ORDER.select(query, request, size))
        return CONVERSATION_ORDER.page(list(result.all()), request, size, _summary_edge)

    async def stats(
        self, scope: AgentScope | None, since: datetime, until: datetime | None
    ) -> StatsSample:
        c = CONVERSATIONS
        mine = [c.c.organization_id == self._organization_id]
        if scope is not None:
            mine.append(visible_to(scope))
        active = c.c.status.in_(OPEN_STATUSES)
        counts = await self._session.execute(
            select(c.c.status, func.count(), func.coalesce(func.sum(c.c.unread_count), 0))
            .where(*mine)
            .group_by(c.c.status)
        )
        by_status: dict[ConversationStatus, int] = {}
        unread = 0
        for status, count, unread_sum in counts:
            by_status[ConversationStatus(status)] = int(count)
            if status in OPEN_STATUSES:
                unread += int(unread_sum)
        waiting = await self._session.scalar(
            select(func.count()).where(
                *mine,
                active,
                c.c.handed_off_at.is_not(None),
                c.c.first_human_reply_at.is_(None),
            )
        )
        replies = await self._session.execute(
            select(c.c.handed_off_at, c.c.first_human_reply_at).where(
                *mine,
                c.c.handed_off_at.is_not(None),
                c.c.first_human_reply_at >= since,
                c.c.first_human_reply_at < until if until else true(),
            )
        )
        resolutions = await self._session.execute(
            select(c.c.created_at, c.c.resolved_at).where(
                *mine, c.c.resolved_at >= since, c.c.resolved_at < until if until else true()
            )
        )
        return StatsSample(
            by_status=by_status,
            unread_total=unread,
            waiting_for_first_human_reply=int(waiting or 0),
            first_responses=[replied - handed for handed, replied in replies],
            resolutions=[resolved - created for created, resolved in resolutions],
        )

    def _matches(self, needle: str) -> Any:
        """Contact name or phone number, or the text of any of its messages: PostgreSQL's
        full-text and trigram indexes, a portable substring match on SQLite.

        The matching conversations are one set computed apart from the page (a union of message
        and contact matches), so that PostgreSQL reads the few matches from the indexes instead
        of testing every conversation's messages in page order."""
        contacts = CONTACTS.alias("searched_contacts")
        conversations = CONVERSATIONS.alias("searched_conversations")
        by_message = select(MESSAGES.c.conversation_id).where(
            MESSAGES.c.organization_id == self._organization_id, self._in_messages(needle)
        )
        by_contact = (
            select(conversations.c.id)
            .join(contacts, contacts.c.id == conversations.c.contact_id)
            .where(
                conversations.c.organization_id == self._organization_id,
                self._in_contact(contacts, needle),
            )
        )
        return CONVERSATIONS.c.id.in_(union(by_message, by_contact))

    def _in_messages(self, needle: str) -> Any:
        return self._sql.message_text_contains(MESSAGES.c.content, needle)

    def _in_contact(self, contacts: Any, needle: str) -> Any:
        return self._sql.contact_contains(contacts, needle)

    async def save(self, conversation: Conversation) -> None:
        await self.save_many([conversation])

    async def save_many(self, conversations: list[Conversation]) -> None:
        """Writes only what changed since this transaction read each conversation (all of it
        when it did not), so that two transactions changing different things of one
        conversation at once both keep their change: an agent's labels and another request's
        mark-read, or a status and an arriving message. Conversations changing the same
        columns share one statement."""
        batches: dict[tuple[str, ...], list[dict[str, Any]]] = {}
        for conversation in conversations:
            values = saved_values(conversation)
            read = self._as_read.get(conversation.id)
            columns = tuple(
                column
                for column in SAVED_COLUMNS
                if read is None or column == "updated_at" or read[column] != values[column]
            )
            batches.setdefault(columns, []).append(
                {
                    "b_conversation_id": conversation.id,
                    "b_organization_id": self._organization_id,
                    **{f"b_{column}": values[column] for column in columns},
                }
            )
            self._as_read[conversation.id] = values
        for columns, rows in batches.items():
            await self._session.execute(save_statement(columns), rows)

    async def get_many(self, conversation_ids: list[uuid.UUID]) -> dict[uuid.UUID, Conversation]:
        if not conversation_ids:
            return {}
        result = await self._session.execute(
            select(*CONVERSATIONS.columns).where(
                CONVERSATIONS.c.id.in_(conversation_ids),
                CONVERSATIONS.c.organization_id == self._organization_id,
            )
        )
        return {row["id"]: self._read(row) for row in result.mappings()}

    async def snoozes_due(self, now: datetime) -> list[Conversation]:
        due = (
            select(*CONVERSATIONS.columns)
            .where(
                CONVERSATIONS.c.organization_id == self._organization_id,
                CONVERSATIONS.c.status == ConversationStatus.PENDING.value,
                CONVERSATIONS.c.snoozed_until <= now,
            )
            .order_by(CONVERSATIONS.c.snoozed_until)
            .limit(SNOOZES_PER_ROUND)
            .with_for_update(skip_locked=True)
        )
        result = await self._session.execute(due)
        return [self._read(row) for row in result.mappings()]

    async def _open_ones(
        self, pairs: Sequence[tuple[uuid.UUID, uuid.UUID]]
    ) -> dict[tuple[uuid.UUID, uuid.UUID], Conversation]:
        wanted = set(pairs)
        result = await self._session.execute(
            select(*CONVERSATIONS.columns).where(
                CONVERSATIONS.c.organization_id == self._organization_id,
                CONVERSATIONS.c.number_id.in_(sorted({number for number, _ in wanted})),
                CONVERSATIONS.c.contact_id.in_(sorted({contact for _, contact in wanted})),
                CONVERSATIONS.c.status.in_(OPEN_STATUSES),
            )
        )
        found = {}
        for row in result.mappings():
            conversation = self._read(row)
            pair = (conversation.number_id, conversation.contact_id)
            if pair in wanted:
                found[pair] = conversation
        return found


def _summary_edge(row: Sequence[Any]) -> Edge[ConversationSummary]:
    conversation_columns, contact_columns, last = _page_row_parts(row)
    conversation = conversation_to_domain(conversation_columns)
    return Edge(
        encode_cursor(conversation.last_message_at or conversation.created_at, conversation.id),
        ConversationSummary(
            conversation,
            contact_to_domain(contact_columns),
            message_to_domain(last) if last["id"] is not None else None,
        ),
    )


def message_to_domain(row: Mapping[Any, Any]) -> Message:
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
        sender_user_id=row["sender_user_id"],
        client_message_id=row["client_message_id"],
    )


class SqlMessageRepository(_Scoped):
    async def add_if_new(self, message: Message) -> bool:
        return bool(await self.add_new([message]))

    async def add_new(self, messages: Sequence[Message]) -> set[uuid.UUID]:
        """Stores the messages that are new (by wamid, and by the client's id for a message
        an agent sent), in multi-row statements; returns the ids of those it stored."""
        if not messages:
            return set()
        result = await self._session.execute(
            ADD_MESSAGES[self._sql.name],
            [
                {
                    "organization_id": self._organization_id,
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
                    "sender_user_id": message.sender_user_id,
                    "client_message_id": message.client_message_id,
                    "signals_due_at": message.created_at if message.scored else None,
                }
                for message in messages
            ],
        )
        return {message_id for (message_id,) in result}

    async def revise(
        self,
        message_id: uuid.UUID,
        message_type: str,
        content: dict[str, Any],
        score_again_at: datetime | None,
    ) -> None:
        deleted = "deletedAt" in content
        await self._session.execute(
            update(MESSAGES)
            .where(MESSAGES.c.id == message_id, MESSAGES.c.organization_id == self._organization_id)
            .values(
                type=message_type,
                content=content,
                signals_due_at=score_again_at,
            )
        )
        if deleted:
            await self._session.execute(
                delete(SIGNALS).where(
                    SIGNALS.c.message_id == message_id,
                    SIGNALS.c.organization_id == self._organization_id,
                )
            )

    async def by_wamids(self, wamids: list[str]) -> dict[str, Message]:
        if not wamids:
            return {}
        result = await self._session.execute(
            select(*MESSAGES.columns).where(
                MESSAGES.c.organization_id == self._organization_id, MESSAGES.c.wamid.in_(wamids)
            )
        )
        return {row["wamid"]: message_to_domain(row) for row in result.mappings()}

    async def get_by_wamid(self, wamid: str) -> Message | None:
        result = await self._session.execute(
            FIND_MESSAGE_BY_WAMID, {"organization_id": self._organization_id, "wamid": wamid}
        )
        row = result.mappings().first()
        return message_to_domain(row) if row else None

    async def get(self, message_id: uuid.UUID) -> Message | None:
        result = await self._session.execute(
            select(*MESSAGES.columns).where(
                MESSAGES.c.id == message_id, MESSAGES.c.organization_id == self._organization_id
            )
        )
        row = result.mappings().first()
        return message_to_domain(row) if row else None

    async def latest_inbound(self, conversation_id: uuid.UUID) -> Message | None:
        result = await self._session.execute(
            select(*MESSAGES.columns)
            .where(
                MESSAGES.c.organization_id == self._organization_id,
                MESSAGES.c.conversation_id == conversation_id,
                MESSAGES.c.direction == Direction.INBOUND.value,
            )
            .order_by(MESSAGES.c.sent_at.desc(), MESSAGES.c.created_at.desc())
            .limit(1)
        )
        row = result.mappings().first()
        return message_to_domain(row) if row else None

    async def page(
        self, conversation_id: uuid.UUID, size: int, request: PageRequest
    ) -> Page[Message]:
        query = select(*MESSAGES.columns).where(
            MESSAGES.c.organization_id == self._organization_id,
            MESSAGES.c.conversation_id == conversation_id,
            MESSAGES.c.type != "reaction",
        )
        result = await self._session.execute(MESSAGE_ORDER.select(query, request, size))
        return MESSAGE_ORDER.page(
            list(result.mappings()),
            request,
            size,
            lambda r: Edge(encode_cursor(r["sent_at"], r["id"]), message_to_domain(r)),
        )

    async def reactions_to(self, wamids: list[str]) -> list[Message]:
        if not wamids:
            return []
        result = await self._session.execute(
            select(*MESSAGES.columns).where(
                MESSAGES.c.organization_id == self._organization_id,
                MESSAGES.c.type == "reaction",
                MESSAGES.c.context_wamid.in_(wamids),
            )
        )
        return [message_to_domain(row) for row in result.mappings()]

    async def ids_by_wamid(self, wamids: list[str]) -> dict[str, uuid.UUID]:
        if not wamids:
            return {}
        result = await self._session.execute(
            select(MESSAGES.c.wamid, MESSAGES.c.id).where(
                MESSAGES.c.organization_id == self._organization_id,
                MESSAGES.c.wamid.in_(wamids),
            )
        )
        return {str(wamid): message_id for wamid, message_id in result}

    async def by_client_message_id(self, client_message_id: str) -> Message | None:
        result = await self._session.execute(
            select(*MESSAGES.columns).where(
                MESSAGES.c.organization_id == self._organization_id,
                MESSAGES.c.client_message_id == client_message_id,
            )
        )
        row = result.mappings().first()
        return message_to_domain(row) if row else None

    async def get_many(self, message_ids: list[uuid.UUID]) -> dict[uuid.UUID, Message]:
        if not message_ids:
            return {}
        result = await self._session.execute(
            select(*MESSAGES.columns).where(
                MESSAGES.c.organization_id == self._organization_id,
                MESSAGES.c.id.in_(message_ids),
            )
        )
        return {row["id"]: message_to_domain(row) for row in result.mappings()}

    async def set_wamids(self, wamids: dict[uuid.UUID, str]) -> None:
        if not wamids:
            return
        await self._session.execute(
            SET_WAMID,
            [
                {
                    "b_message_id": message_id,
                    "b_organization_id": self._organization_id,
                    "b_wamid": wamid,
                }
                for message_id, wamid in wamids.items()
            ],
        )

    async def lock_wamids(self, wamids: list[str]) -> None:
        """Two deliveries never apply statuses of one wamid at once."""
        await self._sql.lock_names(self._session, wamids)

    async def set_status(
        self, message_id: uuid.UUID, status: MessageStatus, error: dict[str, Any] | None
    ) -> None:
        await self.set_statuses({message_id: (status, error)})

    async def set_statuses(
        self, statuses: Mapping[uuid.UUID, tuple[MessageStatus, dict[str, Any] | None]]
    ) -> None:
        if not statuses:
            return
        await self._session.execute(
            SET_STATUS,
            [
                {
                    "b_message_id": message_id,
                    "b_organization_id": self._organization_id,
                    "b_status": status.value,
                    "b_error": error,
                }
                for message_id, (status, error) in statuses.items()
            ],
        )


class SqlStatusLog(_Scoped):
    async def record_many(
        self, updates: list[StatusUpdate], received_at: datetime
    ) -> set[tuple[str, str]]:
        if not updates:
            return set()
        result = await self._session.execute(
            RECORD_STATUSES[self._sql.name],
            [
                {
                    "organization_id": self._organization_id,
                    "wamid": update.wamid,
                    "status": update.status.value,
                    "occurred_at": update.occurred_at,
                    "received_at": received_at,
                    "recipient_id": update.recipient_id,
                    "errors": update.errors or None,
                    "pricing": update.pricing,
                    "conversation": update.conversation,
                }
                for update in updates
            ],
        )
        return {(wamid, status) for wamid, status in result}

    async def for_wamids(self, wamids: list[str]) -> dict[str, list[StatusUpdate]]:
        if not wamids:
            return {}
        result = await self._session.execute(
            select(*STATUSES.columns)
            .where(
                STATUSES.c.organization_id == self._organization_id, STATUSES.c.wamid.in_(wamids)
            )
            .order_by(STATUSES.c.id)
        )
        found: dict[str, list[StatusUpdate]] = {}
        for row in result.mappings():
            found.setdefault(row["wamid"], []).append(status_to_domain(row))
        return found

    async def for_wamid(self, wamid: str) -> list[StatusUpdate]:
        result = await self._session.execute(
            select(*STATUSES.columns)
            .where(STATUSES.c.organization_id == self._organization_id, STATUSES.c.wamid == wamid)
            .order_by(STATUSES.c.id)
        )
        return [status_to_domain(row) for row in result.mappings()]


def status_to_domain(row: RowMapping) -> StatusUpdate:
    return StatusUpdate(
        wamid=row["wamid"],
        status=MessageStatus(row["status"]),
        occurred_at=row["occurred_at"],
        recipient_id=row["recipient_id"],
        errors=row["errors"] or [],
        pricing=row["pricing"],
        conversation=row["conversation"],
    )


class SqlNoteRepository(_Scoped):
    async def add(self, note: Note) -> None:
        if note.organization_id != self._organization_id:
            raise LookupError("a note belongs to the unit of work's organization")
        await self._session.execute(
            insert(NOTES).values(
                id=note.id,
                organization_id=note.organization_id,
                conversation_id=note.conversation_id,
                author_id=note.author_id,
                body=note.body,
                created_at=note.created_at,
            )
        )

    async def for_conversation(self, conversation_id: uuid.UUID) -> list[Note]:
        result = await self._session.execute(
            select(*NOTES.columns)
            .where(
                NOTES.c.organization_id == self._organization_id,
                NOTES.c.conversation_id == conversation_id,
            )
            .order_by(NOTES.c.created_at, NOTES.c.id)
        )
        return [
            Note(
                id=row["id"],
                organization_id=row["organization_id"],
                conversation_id=row["conversation_id"],
                author_id=row["author_id"],
                body=row["body"],
                created_at=row["created_at"],
            )
            for row in result.mappings()
        ]


class ConversationsRepositories(RepositoryScope):
    """Contacts, conversations, messages with their statuses and notes, and the outbox."""

    @property
    def contacts(self) -> SqlContactRepository:
        return SqlContactRepository(self.session, self.scope(), self.components)

    @property
    def conversations(self) -> SqlConversationRepository:
        return SqlConversationRepository(self.session, self.scope(), self.components)

    @property
    def messages(self) -> SqlMessageRepository:
        return SqlMessageRepository(self.session, self.scope(), self.components)

    @property
    def statuses(self) -> SqlStatusLog:
        return SqlStatusLog(self.session, self.scope(), self.components)

    @property
    def notes(self) -> SqlNoteRepository:
        return SqlNoteRepository(self.session, self.scope(), self.components)

    @property
    def outbox(self) -> SqlOutbox:
        return SqlOutbox(self.session, self.scope())

    @property
    def signals(self) -> SqlSignalRepository:
        return SqlSignalRepository(self.session, self.scope(), self.components)
