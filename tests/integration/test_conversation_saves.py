"""A conversation's save writes what the transaction changed (decision 0023), and a savepoint
keeps that right: a change it rolled back is no longer counted as stored, one it kept is."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from domain.accounts.model import Actor
from domain.conversations.model import Conversation, ConversationStatus
from domain.whatsapp.inbound import InboundContact
from domain.whatsapp.model import WhatsAppNumber
from domain.whatsapp.numbers import NumberDetails
from tests.meta_payloads import PHONE_NUMBER_ID, WABA_ID
from tests.support import GraphQLClient, RunningServer, counting_statements, create_tenant


class Undone(Exception):
    pass


async def a_conversation(server: RunningServer, client: GraphQLClient) -> Conversation:
    tenant = await create_tenant(server, client, "Acme")
    number: WhatsAppNumber = await server.runtime.services.numbers.create(
        Actor.of(tenant.owner, None), PHONE_NUMBER_ID, WABA_ID, NumberDetails(access_token="t")
    )
    async with server.runtime.unit_of_work(number.organization_id) as uow:
        [contact] = await uow.contacts.upsert_many(
            [InboundContact("16505551234", None, None, None)], datetime.now(UTC)
        )
        opened = await uow.conversations.open_many([(number.id, contact.id)], datetime.now(UTC))
        await uow.commit()
    conversation, _ = opened[(number.id, contact.id)]
    return conversation


def conversation_updates(statements: list[str]) -> list[str]:
    return [s for s in statements if s.lstrip().upper().startswith("UPDATE CONVERSATIONS")]


@pytest.mark.parametrize("kept", [False, True], ids=["rolled back", "kept"])
async def test_a_save_after_a_savepoint_writes_only_what_is_not_stored_yet(
    server: RunningServer, client: GraphQLClient, kept: bool
) -> None:
    opened = await a_conversation(server, client)
    organization_id: uuid.UUID = opened.organization_id
    async with server.runtime.unit_of_work(organization_id) as uow:
        read = await uow.conversations.get(opened.id)
        assert read is not None
        labelled = replace(read, labels=("vip",))
        try:
            async with uow.savepoint():
                await uow.conversations.save(labelled)
                if not kept:
                    raise Undone
        except Undone:
            pass
        # As stored now: the label when the savepoint was kept, none when it was undone.
        current = labelled if kept else read
        with counting_statements(server.runtime.database) as statements:
            await uow.conversations.save(replace(current, status=ConversationStatus.RESOLVED))
        await uow.commit()

    [update] = conversation_updates(statements)
    assert "status" in update
    assert "labels" not in update
    async with server.runtime.unit_of_work(organization_id) as uow:
        stored = await uow.conversations.get(opened.id)
    assert stored is not None
    assert (stored.status, stored.labels) == (
        ConversationStatus.RESOLVED,
        ("vip",) if kept else (),
    )
