"""E-mail digests through a real SMTP server (aiosmtpd): what is still unread when the digest's
wait is over goes out in one e-mail, in the organization's language and the person's time zone;
a mail server that is down loses nothing."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from zoneinfo import ZoneInfo

from aiosmtpd.controller import Controller
from sqlalchemy import func, select

from domain.accounts.model import Actor, Role
from persistence.database import Database
from persistence.models.notifications import NotificationRow
from tests.api.test_invitations import Inbox, mail_server
from tests.notifications import assign, customer_writes, notified, with_number
from tests.support import (
    PASSWORD,
    AdjustableClock,
    GraphQLClient,
    RunningServer,
    add_user,
    create_tenant,
    free_port,
    make_settings,
    running_server,
)

__all__ = ["mail_server"]

UPDATE = (
    "mutation($input: NotificationPreferencesUpdateInput!) { notificationPreferencesUpdate("
    "input: $input) { __typename } }"
)


@asynccontextmanager
async def digesting(
    database_url: str, port: int, clock: AdjustableClock
) -> AsyncIterator[RunningServer]:
    settings = make_settings(
        database_url,
        smtp_host="127.0.0.1",
        smtp_port=port,
        smtp_security="none",
        smtp_from="PyTake <pytake@acme.example>",
        public_url="https://pytake.acme.example",
        notifications_email_digest_minutes=10,
        # The test runs the digest rounds itself.
        email_digest_poll_seconds=3600,
    )
    async with running_server(settings, clock) as server:
        yield server


async def digest_round(server: RunningServer) -> None:
    worker = server.runtime.email_digests
    assert worker is not None
    await worker.round()


async def test_what_is_still_unread_after_the_wait_is_e_mailed_in_one_digest(
    database_url: str, database: Database, mail_server: tuple[Inbox, int]
) -> None:
    inbox, port = mail_server
    clock = AdjustableClock()
    async with digesting(database_url, port, clock) as server:
        client = GraphQLClient(server.url)
        tenant = await create_tenant(server, client, "Acme")
        await with_number(server, tenant)
        agent, agent_token = await add_user(server, client, tenant, Role.AGENT, "Ana")
        await client.data(
            UPDATE,
            {
                "input": {
                    "types": [{"type": "conversation_assigned", "inApp": True, "email": True}],
                    "timeZone": "Asia/Tokyo",
                }
            },
            token=agent_token,
        )
        conversations = [
            await customer_writes(server, f"wamid.D{n}", f"55119000000{n:02}") for n in range(3)
        ]
        for conversation in conversations:
            await assign(client, tenant.token, conversation, str(agent.id))
        made = await notified(client, agent_token, count=3)
        read = next(n for n in made if n["conversationId"] == conversations[1])
        await client.data(
            "mutation($ids: [ID!]) { notificationMarkRead(input: {ids: $ids}) { __typename } }",
            {"ids": [read["id"]]},
            token=agent_token,
        )
        await digest_round(server)
        waited_too_little = list(inbox.messages)
        clock.advance(minutes=11)
        await digest_round(server)
        await digest_round(server)
        await client.close()

    assert waited_too_little == []
    [mail] = inbox.messages
    body = str(mail.get_content())
    assert mail["To"] == agent.email
    assert mail["Subject"] == "2 notificação(ões) não lida(s) em Acme"
    assert body.startswith("Olá, Ana,")
    tokyo = (clock.current - timedelta(minutes=11)).astimezone(ZoneInfo("Asia/Tokyo"))
    for conversation in (conversations[0], conversations[2]):
        assert f"https://pytake.acme.example/#/conversations/{conversation}" in body
    assert f"#/conversations/{conversations[1]}" not in body
    assert body.count(f"{tokyo:%d/%m %H:%M} Conversa com") == 2


async def test_a_mail_server_that_is_down_keeps_the_digest_waiting(
    database_url: str, database: Database
) -> None:
    inbox, port = Inbox(), free_port()
    clock = AdjustableClock()
    async with digesting(database_url, port, clock) as server:
        client = GraphQLClient(server.url)
        tenant = await create_tenant(server, client, "Acme")
        await server.runtime.services.accounts.create_user(
            Actor.of(tenant.owner, None), "carla@acme.example", "Carla", Role.ADMIN, PASSWORD
        )
        await notified(client, tenant.token)
        clock.advance(minutes=11)
        await digest_round(server)
        still_waiting = await waiting_for_email(database)
        controller = Controller(inbox, hostname="127.0.0.1", port=port)
        controller.start()
        try:
            await digest_round(server)
            await asyncio.wait_for(inbox.arrived.wait(), 10)
        finally:
            controller.stop()
        await client.close()

    assert still_waiting == 1
    [mail] = inbox.messages
    assert mail["To"] == tenant.owner.email
    assert "Carla agora é administrador(a) da organização" in str(mail.get_content())
    assert await waiting_for_email(database) == 0


async def waiting_for_email(database: Database) -> int:
    async with database.engine.connect() as connection:
        return int(
            await connection.scalar(
                select(func.count())
                .select_from(NotificationRow)
                .where(NotificationRow.email_pending.is_(True))
            )
            or 0
        )
