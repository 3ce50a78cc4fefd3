"""A customer's media streamed through PyTake from the Graph API simulator, for the customer's
organization only."""

from __future__ import annotations

import base64
import os

from sqlalchemy import select

from domain.accounts.model import Role
from domain.conversations.messaging import MediaContent
from domain.whatsapp.inbound import MessageStatus
from persistence.database import Database
from persistence.models.conversations import MessageRow
from tests.support import (
    SIMULATOR_TOKEN,
    Channel,
    add_user,
    conversation_with,
    create_tenant,
    eventually,
    reaches,
    whatsapp_channel,
)

PICTURE = os.urandom(1_500_000)


async def media_message_id(channel: Channel, database: Database) -> str:
    await channel.customer_says(
        "16505551234",
        image={
            "data_base64": base64.b64encode(PICTURE).decode(),
            "mime_type": "image/png",
            "caption": "the broken part",
        },
    )

    async def stored() -> str | None:
        async with database.engine.connect() as connection:
            found = await connection.scalar(select(MessageRow.id).where(MessageRow.type == "image"))
        return str(found) if found else None

    return await eventually(stored, what="the image message")


async def test_a_customers_image_streams_through_pytake(
    database: Database, database_url: str
) -> None:
    async with whatsapp_channel(database_url) as channel:
        message_id = await media_message_id(channel, database)
        _, agent_token = await add_user(channel.server, channel.client, channel.tenant, Role.AGENT)

        chunks = []
        async with channel.http.stream(
            "GET",
            f"{channel.server.url}/api/v1/media/{message_id}",
            headers={"authorization": f"Bearer {agent_token}"},
        ) as response:
            assert response.status_code == 200
            assert response.headers["content-type"] == "image/png"
            async for chunk in response.aiter_raw():
                chunks.append(chunk)

        assert b"".join(chunks) == PICTURE
        assert len(chunks) > 1, "the file arrived in one piece: it was not streamed"


async def test_media_is_refused_without_a_token_to_other_organizations_and_for_text(
    database: Database, database_url: str
) -> None:
    async with whatsapp_channel(database_url) as channel:
        message_id = await media_message_id(channel, database)
        other = await create_tenant(channel.server, channel.client, "Globex")
        await channel.customer_says("16505551234", text="and the receipt is lost")

        async def text_id_stored() -> object:
            async with database.engine.connect() as connection:
                return await connection.scalar(
                    select(MessageRow.id).where(MessageRow.type == "text")
                )

        text_id = await eventually(text_id_stored, what="the text message")
        url = f"{channel.server.url}/api/v1/media"

        anonymous = await channel.http.get(f"{url}/{message_id}")
        foreign = await channel.http.get(
            f"{url}/{message_id}", headers={"authorization": f"Bearer {other.token}"}
        )
        not_media = await channel.http.get(
            f"{url}/{text_id}", headers={"authorization": f"Bearer {channel.tenant.token}"}
        )

        assert anonymous.status_code == 401
        assert foreign.status_code == 404
        assert foreign.json()["error"]["code"] == "NOT_FOUND"
        assert not_media.status_code == 404
        assert channel.simulator.state.media, "the simulator holds the image"


async def test_media_uploaded_to_the_simulator_is_sent_by_id_and_downloadable(
    database: Database, database_url: str
) -> None:
    async with whatsapp_channel(database_url) as channel:
        conversation_id = await conversation_with(channel, "16505551234")
        bearer = {"authorization": f"Bearer {SIMULATOR_TOKEN}"}
        graph = f"{channel.simulator_url}/v23.0"
        uploaded = await channel.http.post(
            f"{graph}/{channel.number.phone_number_id}/media",
            data={"messaging_product": "whatsapp", "type": "application/pdf"},
            files={"file": ("invoice.pdf", b"%PDF-1.7 invoice", "application/pdf")},
            headers=bearer,
        )
        media_id = uploaded.json()["id"]

        message = await channel.server.runtime.messaging.send(
            channel.tenant.organization_id,
            conversation_id,
            MediaContent("document", media_id=media_id, filename="invoice.pdf"),
        )
        await reaches(database, message.id, MessageStatus.DELIVERED)
        described = (await channel.http.get(f"{graph}/{media_id}", headers=bearer)).json()
        downloaded = await channel.http.get(described["url"], headers=bearer)

        assert channel.simulator.state.sent[0].payload["document"] == {
            "id": media_id,
            "filename": "invoice.pdf",
        }
        assert described["mime_type"] == "application/pdf"
        assert downloaded.content == b"%PDF-1.7 invoice"
