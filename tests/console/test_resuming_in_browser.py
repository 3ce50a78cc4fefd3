"""The console's live streams lose nothing: not across a server restart (graphql-ws reconnects
on its own and must ask for what it missed), not when the access token expires mid-stream."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from playwright.async_api import Browser, Page, expect

from tests.conftest import fresh_postgres_database
from tests.support import (
    PASSWORD,
    REDIS_URL,
    AdjustableClock,
    Channel,
    free_port,
    own_postgres_url,
    running_server,
    whatsapp_channel,
)

from .conftest import BUS_HEARTBEAT_SECONDS, sign_in

CUSTOMER = "5511987650002"
ACCESS_TOKEN = "JSON.parse(localStorage.getItem('pytake.session')).accessToken"


@pytest.fixture
async def database_url() -> str:
    return await fresh_postgres_database(own_postgres_url("console"))


@pytest.fixture
async def channel(database_url: str) -> AsyncIterator[Channel]:
    """The server Meta's webhooks reach; the console talks to a second one beside it."""
    async with whatsapp_channel(
        database_url, broadcast_url=REDIS_URL, bus_heartbeat_seconds=BUS_HEARTBEAT_SECONDS
    ) as channel:
        yield channel


async def open_conversation(page: Page, name: str) -> None:
    await page.locator(".conversation-row", has_text=name).get_by_role("link").click()
    await expect(page.get_by_role("heading", name=name)).to_be_visible()


async def test_messages_that_arrive_while_the_console_server_restarts_are_all_shown(
    chromium: Browser, channel: Channel
) -> None:
    settings = channel.server.runtime.settings
    port = free_port()
    context = await chromium.new_context(locale="en-US")
    page = await context.new_page()
    async with running_server(settings, port=port) as console_server:
        await sign_in(page, console_server.url, channel.tenant.owner.email, PASSWORD)
        await channel.customer_says(CUSTOMER, text="first question", profile_name="Rita")
        await open_conversation(page, "Rita")
        await expect(page.locator(".message--inbound .message__text")).to_have_text(
            ["first question"]
        )

    await expect(page.locator(".connection[data-state='interrupted']")).to_be_visible()
    await channel.customer_says(CUSTOMER, text="sent while you were away", profile_name="Rita")
    await channel.customer_says(CUSTOMER, text="are you there?", profile_name="Rita")

    async with running_server(settings, port=port):
        await expect(page.locator(".connection[data-state='live']")).to_be_visible(timeout=20_000)
        shown = page.locator(".message--inbound .message__text")
        await expect(shown).to_have_count(3)
        # Messages sent within the same second have no order between them (Meta's timestamps
        # are whole seconds), so the check is that none is missing.
        assert sorted(await shown.all_inner_texts()) == [
            "are you there?",
            "first question",
            "sent while you were away",
        ]
        await channel.customer_says(CUSTOMER, text="and after", profile_name="Rita")
        await expect(shown).to_have_count(4)
        assert "and after" in await shown.all_inner_texts()
    await context.close()


async def test_an_access_token_that_expires_mid_stream_is_renewed_without_losing_events(
    chromium: Browser, channel: Channel
) -> None:
    clock = AdjustableClock()
    context = await chromium.new_context(locale="en-US")
    page = await context.new_page()
    async with running_server(channel.server.runtime.settings, clock) as console_server:
        await sign_in(page, console_server.url, channel.tenant.owner.email, PASSWORD)
        await channel.customer_says(CUSTOMER, text="before expiry", profile_name="Caio")
        await open_conversation(page, "Caio")
        first_token = await page.evaluate(
            "JSON.parse(localStorage.getItem('pytake.session')).accessToken"
        )

        clock.advance(minutes=16)
        await channel.customer_says(CUSTOMER, text="after expiry", profile_name="Caio")
        shown = page.locator(".message--inbound .message__text")
        await expect(shown).to_have_count(2)
        assert sorted(await shown.all_inner_texts()) == ["after expiry", "before expiry"]
        renewed = await page.evaluate(
            "JSON.parse(localStorage.getItem('pytake.session')).accessToken"
        )
        assert renewed != first_token
        await expect(page.locator(".connection[data-state='live']")).to_be_visible()
    await context.close()
