"""An agent's day in the console, in a real browser: the customer writes through the simulator,
the message shows live, the agent replies, the customer receives it once and the ticks move."""

from __future__ import annotations

from pathlib import Path

from playwright.async_api import Browser, ConsoleMessage, Page, expect

from domain.accounts.model import Role
from tests.support import PASSWORD, Channel, add_user

from .conftest import screenshots_folder, serious_accessibility_violations, sign_in

CUSTOMER = "5511987650001"


async def sent_to_customer(channel: Channel) -> list[dict[str, object]]:
    response = await channel.http.get(f"{channel.simulator_url}/_simulator/sent")
    sent: list[dict[str, object]] = response.json()["sent"]
    return sent


async def test_an_agent_answers_a_customer_live_in_the_browser(
    chromium: Browser, channel: Channel, tmp_path: Path
) -> None:
    supervisor, _ = await add_user(
        channel.server, channel.client, channel.tenant, Role.SUPERVISOR, "Carlos Mendes"
    )
    context = await chromium.new_context(locale="en-US", viewport={"width": 1280, "height": 800})
    page = await context.new_page()
    refused: list[str] = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    await sign_in(page, channel.server.url, supervisor.email, PASSWORD)
    await expect(page.locator(".shell__organization")).to_have_text("Outbound Co")
    await expect(page.get_by_text(f"{supervisor.name} · Supervisor")).to_be_visible()

    await channel.customer_says(
        CUSTOMER,
        text="Olá! My order https://shop.example/orders/77 has not arrived",
        profile_name="Maria Souza",
    )
    await channel.customer_says(
        "5521912340002", text="Vocês abrem no sábado? 🛍️", profile_name="João"
    )
    await channel.customer_says(
        "5531998760003", text="Can I change my delivery address?", profile_name="Ana Lima"
    )
    row = page.locator(".conversation-row", has_text="Maria Souza")
    await expect(row).to_be_visible()
    await expect(row.locator(".unread")).to_have_text("1")
    await expect(page.locator(".conversation-row")).to_have_count(3)
    folder = screenshots_folder(tmp_path)
    await page.screenshot(path=folder / "inbox.png")
    await row.get_by_role("link").click()

    inbound = page.locator(".message--inbound")
    await expect(inbound).to_contain_text("has not arrived")
    await expect(
        inbound.get_by_role("link", name="https://shop.example/orders/77")
    ).to_have_attribute("rel", "noopener noreferrer nofollow")
    await expect(page.get_by_role("note")).to_contain_text("Window open until")
    await expect(row.locator(".unread")).to_have_count(0)

    await page.get_by_label("Reply").fill("Hi Maria, I am checking your order now.")
    await page.get_by_label("Reply").press("Enter")
    outbound = page.locator(".message--outbound", has_text="checking your order")
    await expect(outbound).to_have_count(1)
    await expect(outbound).to_have_attribute("data-status", "READ")
    await expect(outbound.get_by_label("Read")).to_be_visible()

    sent = await sent_to_customer(channel)
    replies = [m for m in sent if m["type"] == "text" and m["to"] == CUSTOMER]
    assert len(replies) == 1, sent
    assert replies[0]["payload"]["text"]["body"] == "Hi Maria, I am checking your order now."  # type: ignore[index]

    await channel.customer_says(CUSTOMER, text="Thank you! 🙏", profile_name="Maria Souza")
    await expect(page.locator(".message--inbound").last).to_contain_text("Thank you! 🙏")
    await expect(row).to_contain_text("Thank you! 🙏")

    await page.screenshot(path=folder / "conversation.png")
    assert await serious_accessibility_violations(page) == []
    assert refused == [], "the console broke its own Content-Security-Policy"
    await context.close()


async def test_the_console_speaks_portuguese_to_a_portuguese_browser(
    chromium: Browser, channel: Channel
) -> None:
    context = await chromium.new_context(locale="pt-BR")
    page = await context.new_page()
    await page.goto(channel.server.url + "/")
    await expect(page.get_by_role("heading", name="Entrar no PyTake")).to_be_visible()
    await page.get_by_label("E-mail").fill(channel.tenant.owner.email)
    await page.get_by_label("Senha").fill("not the password")
    await page.get_by_role("button", name="Entrar").click()
    await expect(page.get_by_role("alert")).to_have_text(
        "E-mail e senha não correspondem a uma conta."
    )
    assert await serious_accessibility_violations(page) == []

    await page.get_by_label("Idioma").select_option("en")
    await expect(page.get_by_role("heading", name="Sign in to PyTake")).to_be_visible()
    await page.reload()
    await expect(page.get_by_role("heading", name="Sign in to PyTake")).to_be_visible()
    await context.close()


def log_of(messages: list[ConsoleMessage]) -> str:
    return "\n".join(m.text for m in messages)


async def signed_in_page(chromium: Browser, channel: Channel) -> Page:
    context = await chromium.new_context(locale="en-US")
    page = await context.new_page()
    await sign_in(page, channel.server.url, channel.tenant.owner.email, PASSWORD)
    return page


async def test_a_reload_keeps_the_agent_signed_in_and_sign_out_ends_it(
    chromium: Browser, channel: Channel
) -> None:
    page = await signed_in_page(chromium, channel)
    await page.reload()
    await expect(page.locator(".connection[data-state='live']")).to_be_visible()
    await page.get_by_role("button", name="Sign out").click()
    await expect(page.get_by_role("heading", name="Sign in to PyTake")).to_be_visible()
    stored = await page.evaluate("localStorage.getItem('pytake.session')")
    assert stored is None
    await page.context.close()
