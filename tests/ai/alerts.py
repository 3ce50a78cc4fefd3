"""An organization whose customer is angry enough for an AI alert, for the API's tests."""

from __future__ import annotations

import time
import uuid

from domain.accounts.model import Actor, User
from domain.ingestion.ingest import InboundService
from domain.pagination import PageRequest
from tests.support import RunningServer
from tests.web.test_webhook_ingestion import text_message

ANGRY = ("Péssimo atendimento, ninguém resolve nada", "Que absurdo, estou indignado")


async def customer_says(
    server: RunningServer,
    texts: tuple[str, ...],
    sender: str = "5511999990000",
    hours_ago: float = 0,
) -> None:
    """The organization's number (phone number id 106540352242922) receives these texts, sent
    `hours_ago` by Meta's clock."""
    inbound = InboundService(server.runtime.unit_of_work, server.runtime.clock)
    sent = int(time.time() - hours_ago * 3600)
    for index, text in enumerate(texts):
        payload = text_message(f"wamid.{uuid.uuid4().hex}", sender=sender, at=sent + index)
        message = payload["entry"][0]["changes"][0]["value"]["messages"][0]
        message["text"] = {"body": text}
        await inbound.apply(payload)


async def scored(server: RunningServer) -> None:
    """Whatever the process's own signals worker has not scored yet is scored now."""
    while await server.runtime.signals.run_once():
        pass


async def angry_customer_alert(server: RunningServer, owner: User) -> str:
    """Two negative texts in a row: the negative-streak alert's id."""
    await customer_says(server, ANGRY)
    await scored(server)
    page = await server.runtime.services.ai.alerts(
        Actor.of(owner, None), False, PageRequest(10, None, None, None)
    )
    assert page.edges, "no alert was raised"
    return str(page.edges[0].node.id)
