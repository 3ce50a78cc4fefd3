"""An agent's notifications in a real browser, in Portuguese: an assignment arrives as a toast
and on the bell, is read in the center, and once the agent turns that type off the next
assignment is not shown while a message that arrives during their absence is."""

from __future__ import annotations

import json
import re
from pathlib import Path

from playwright.async_api import Browser, expect
from sqlalchemy import select

from domain.accounts.model import Role
from persistence.models.conversations import ContactRow, ConversationRow
from tests.notifications import assign
from tests.support import PASSWORD, Channel, add_user, eventually

from .conftest import refused_by_csp, screenshots_folder, serious_accessibility_violations


async def conversation_of(channel: Channel, wa_id: str) -> str:
    """The customer's conversation, once PyTake has applied their first message."""

    async def stored() -> str | None:
        async with channel.server.runtime.database.engine.connect() as connection:
            found = await connection.scalar(
                select(ConversationRow.id)
                .join(ContactRow, ContactRow.id == ConversationRow.contact_id)
                .where(ContactRow.wa_id == wa_id)
            )
        return str(found) if found else None

    return await eventually(stored, what=f"{wa_id}'s conversation")


async def test_an_agent_is_notified_reads_it_and_turns_a_type_off(
    chromium: Browser, channel: Channel, tmp_path: Path
) -> None:
    agent, _ = await add_user(channel.server, channel.client, channel.tenant, Role.AGENT, "Ana")
    context = await chromium.new_context(locale="pt-BR", viewport={"width": 1280, "height": 900})
    page = await context.new_page()
    refused = refused_by_csp(page)
    await page.goto(channel.server.url + "/")
    await page.get_by_label("E-mail").fill(agent.email)
    await page.get_by_label("Senha").fill(PASSWORD)
    await page.keyboard.press("Enter")
    await expect(page.locator(".connection[data-state='live']")).to_be_visible()

    await channel.customer_says("5511987650101", text="Oi, preciso de ajuda", profile_name="Rui")
    rui = await conversation_of(channel, "5511987650101")
    await assign(channel.client, channel.tenant.token, rui, str(agent.id))
    toast = page.locator(".toast[data-notification='conversation_assigned']")
    await expect(toast).to_contain_text("Conversa com Rui atribuída a você")
    await expect(page.get_by_role("button", name="Notificações, 1 não lidas")).to_be_visible()
    await toast.get_by_role("button", name="Dispensar").click()
    await expect(toast).to_have_count(0)

    await page.get_by_role("button", name="Notificações, 1 não lidas").click()
    center = page.get_by_role("region", name="Notificações")
    entry = center.locator("li[data-notification='conversation_assigned']")
    await expect(entry).to_have_attribute("data-read", "no")
    await expect(entry).to_contain_text("Conversas · Informação")
    await page.screenshot(path=screenshots_folder(tmp_path) / "notifications.png")
    assert await serious_accessibility_violations(page) == []
    await entry.get_by_role("button", name="Marcar como lida").click()
    await expect(entry).to_have_attribute("data-read", "yes")
    await expect(page.get_by_role("button", name="Notificações, 0 não lidas")).to_be_visible()

    await center.get_by_role("link", name="Preferências").click()
    await expect(page.get_by_role("heading", name="Preferências de notificação")).to_be_visible()
    await page.get_by_label("Mostrar: Uma conversa é atribuída a mim").uncheck()
    await page.get_by_role("button", name="Salvar preferências").click()
    await expect(page.get_by_text("Preferências salvas.")).to_be_visible()

    await channel.customer_says("5511987650102", text="Boa tarde", profile_name="Bia")
    bia = await conversation_of(channel, "5511987650102")
    await assign(channel.client, channel.tenant.token, bia, str(agent.id))
    await page.get_by_label("Meu status").select_option("AWAY")
    await channel.customer_says("5511987650101", text="Alguém aí?", profile_name="Rui")

    away = page.locator(".toast[data-notification='message_while_away']")
    await expect(away).to_contain_text("Nova mensagem de Rui")
    await expect(page.get_by_role("button", name="Notificações, 1 não lidas")).to_be_visible()
    # Bia's assignment came first: by the time Rui's message is shown, it was passed over.
    await expect(page.locator(".toast[data-notification='conversation_assigned']")).to_have_count(0)
    assert refused == []


async def test_a_push_is_shown_by_the_service_worker_and_its_click_opens_the_conversation(
    chromium: Browser, channel: Channel, tmp_path: Path
) -> None:
    """Chromium's own push service is out of reach on this machine (no internet), so the push
    is handed to the installed Service Worker through the DevTools protocol, as DevTools' own
    "Push" button does; PyTake's encryption is proved against a local push service in
    tests/api/test_web_push.py."""
    agent, _ = await add_user(channel.server, channel.client, channel.tenant, Role.AGENT, "Ana")
    await channel.customer_says("5511987650111", text="Oi", profile_name="Rui")
    rui = await conversation_of(channel, "5511987650111")
    await assign(channel.client, channel.tenant.token, rui, str(agent.id))
    context = await chromium.new_context(locale="pt-BR", viewport={"width": 1280, "height": 900})
    await context.grant_permissions(["notifications"], origin=channel.server.url)
    page = await context.new_page()
    refused = refused_by_csp(page)
    await page.goto(channel.server.url + "/")
    await page.get_by_label("E-mail").fill(agent.email)
    await page.get_by_label("Senha").fill(PASSWORD)
    await page.keyboard.press("Enter")
    await expect(page.locator(".connection[data-state='live']")).to_be_visible()
    await page.goto(channel.server.url + "/#/notifications")
    section = page.get_by_role("region", name="Notificações neste navegador")
    await expect(section).to_contain_text("Este navegador não recebe suas notificações.")
    # An agent is offered only what an agent can receive.
    await expect(page.locator("tr[data-type='conversation_assigned']")).to_have_count(1)
    await expect(page.locator("tr[data-type='queue_full']")).to_have_count(0)
    await expect(page.locator("tr[data-type='administrator_added']")).to_have_count(0)

    await page.screenshot(
        path=screenshots_folder(tmp_path) / "notification-preferences.png", full_page=True
    )
    assert await serious_accessibility_violations(page) == []
    await section.get_by_role("button", name="Ativar neste navegador").click()
    # The subscription needs Chromium's push service: the console says why it failed.
    await expect(section.get_by_role("alert")).to_be_visible()
    worker = context.service_workers[0] if context.service_workers else None
    worker = worker or await context.wait_for_event("serviceworker")
    assert worker.url == channel.server.url + "/service-worker.js"

    devtools = await context.new_cdp_session(page)
    registrations: list[str] = []
    devtools.on(
        "ServiceWorker.workerRegistrationUpdated",
        lambda update: registrations.extend(r["registrationId"] for r in update["registrations"]),
    )
    await devtools.send("ServiceWorker.enable")

    async def registered() -> str | None:
        return registrations[0] if registrations else None

    registration = await eventually(registered, what="the Service Worker's registration")
    pushed = {
        "id": "a1b2",
        "type": "conversation_assigned",
        "severity": "info",
        "title": "Outbound Co",
        "body": "Conversa com Rui atribuída a você",
        "conversationId": rui,
        "url": f"/#/conversations/{rui}",
    }
    await devtools.send(
        "ServiceWorker.deliverPushMessage",
        {"origin": channel.server.url, "registrationId": registration, "data": json.dumps(pushed)},
    )

    async def shown() -> list[list[str]] | None:
        found: list[list[str]] = await page.evaluate(
            "navigator.serviceWorker.getRegistration('/service-worker.js')"
            ".then(r => r.getNotifications())"
            ".then(all => all.map(n => [n.title, n.body, n.tag]))"
        )
        return found or None

    assert await eventually(shown, what="the pushed notification") == [
        ["Outbound Co", "Conversa com Rui atribuída a você", "a1b2"]
    ]
    # A click, as the browser hands it to the worker.
    await worker.evaluate(
        "self.registration.getNotifications().then(([shown]) => self.dispatchEvent("
        "new NotificationEvent('notificationclick', {notification: shown})))"
    )
    await expect(page).to_have_url(re.compile(f"#/conversations/{rui}$"))
    await expect(page.get_by_role("heading", name="Rui")).to_be_visible()
    assert refused == []
