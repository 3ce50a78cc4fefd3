"""An agent's day in the console, in a real browser: the customer writes through the simulator,
the message shows live, the agent replies, the customer receives it once and the ticks move."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

from playwright.async_api import Browser, ConsoleMessage, Page, expect

from domain.accounts.model import Actor, Role
from domain.signals.insights import InsightGrouping
from tests.support import PASSWORD, Channel, add_user

from .conftest import refused_by_csp, screenshots_folder, serious_accessibility_violations, sign_in

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
    refused = refused_by_csp(page)
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
    # Read by the signals worker a moment after it arrived, and shown live.
    await expect(row.get_by_label("Customer feels negative, steady")).to_be_visible()
    folder = screenshots_folder(tmp_path)
    await page.screenshot(path=folder / "inbox.png")
    await row.get_by_role("link").click()

    inbound = page.locator(".message--inbound")
    await expect(inbound).to_contain_text("has not arrived")
    await expect(inbound.locator(".message__sentiment")).to_have_text("negative")
    await expect(
        inbound.get_by_role("link", name="https://shop.example/orders/77")
    ).to_have_attribute("rel", "noopener noreferrer nofollow")
    await expect(page.get_by_role("note")).to_contain_text("Window open until")
    await expect(row.locator(".unread")).to_have_count(0)

    await page.get_by_role("textbox", name="Reply").fill("Hi Maria, I am checking your order now.")
    await page.get_by_role("textbox", name="Reply").press("Enter")
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
    await expect(
        page.locator(".message--inbound").last.locator(".message__sentiment")
    ).to_have_text("positive")
    await expect(row.get_by_label("Customer feels positive, improving")).to_be_visible()

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


async def test_from_the_keyboard_an_agent_quotes_a_message_labels_notes_and_resolves(
    chromium: Browser, channel: Channel
) -> None:
    asked = await channel.customer_says(
        CUSTOMER, text="Where is my order 77?", profile_name="Maria Souza"
    )
    await channel.customer_says(
        CUSTOMER, text="Also, can I pay by pix?", profile_name="Maria Souza"
    )
    page = await signed_in_page(chromium, channel)
    await (
        page.locator(".conversation-row", has_text="Maria Souza").get_by_role("link").press("Enter")
    )
    conversation = page.locator(".conversation")

    question = page.locator(".message--inbound", has_text="order 77")
    await question.get_by_role("button", name="Reply to this message").press("Enter")
    await expect(page.get_by_role("textbox", name="Reply")).to_be_focused()
    await expect(page.locator(".composer__replying")).to_contain_text("Where is my order 77?")
    await page.keyboard.type("It leaves the warehouse today.")
    await page.keyboard.press("Enter")
    answer = page.locator(".message--outbound", has_text="leaves the warehouse")
    await expect(answer.locator(".message__quote")).to_have_text("Where is my order 77?")
    await expect(page.locator(".composer__replying")).to_have_count(0)
    await expect(answer).to_have_attribute("data-status", re.compile("SENT|DELIVERED|READ"))
    sent = [m for m in await sent_to_customer(channel) if m["to"] == CUSTOMER]
    assert [m["payload"]["context"] for m in sent] == [{"message_id": asked}]  # type: ignore[index]

    labels = conversation.locator(".label__name")
    await conversation.get_by_label("Add a label").fill("delivery")
    await conversation.get_by_label("Add a label").press("Enter")
    await expect(labels).to_have_text(["delivery"])
    await conversation.get_by_label("Add a label").fill("vip")
    await conversation.get_by_label("Add a label").press("Enter")
    await expect(labels).to_have_text(["delivery", "vip"])
    await conversation.get_by_role("button", name="Remove label vip").press("Enter")
    await expect(labels).to_have_text(["delivery"])
    await expect(conversation.get_by_role("list", name="Labels")).to_have_attribute(
        "aria-busy", "false"
    )

    await conversation.get_by_text("Internal notes (0)").press("Enter")
    await conversation.get_by_label("New note").fill("Carrier says Friday at the latest.")
    await conversation.get_by_role("button", name="Add note").press("Enter")
    note = conversation.locator(".note")
    await expect(note).to_contain_text("Carrier says Friday at the latest.")
    await expect(note).to_contain_text(channel.tenant.owner.name)
    await expect(conversation.get_by_text("Internal notes (1)")).to_be_visible()
    supervisor, token = await add_user(
        channel.server, channel.client, channel.tenant, Role.SUPERVISOR, "Carlos Mendes"
    )
    await channel.client.data(
        """mutation ($input: ConversationNoteAddInput!) {
             conversationNoteAdd(input: $input) { __typename } }""",
        {"input": {"id": await conversation_id_of(page), "body": "Offer free shipping."}},
        token,
    )
    await expect(note.last).to_contain_text("Offer free shipping.")
    await expect(note.last).to_contain_text(supervisor.name)

    await conversation.get_by_label("Status").select_option("RESOLVED")
    await expect(conversation.get_by_label("Status")).to_have_value("RESOLVED")
    await expect(conversation.get_by_label("Status")).to_have_attribute("aria-busy", "false")

    stored = await channel.client.data(
        """query ($id: ID!) { conversation(id: $id) { status labels }
           conversationNotes(conversationId: $id) { body } }""",
        {"id": await conversation_id_of(page)},
        channel.tenant.token,
    )
    assert stored["conversation"] == {"status": "RESOLVED", "labels": ["delivery"]}
    assert stored["conversationNotes"] == [
        {"body": "Carrier says Friday at the latest."},
        {"body": "Offer free shipping."},
    ]
    assert await serious_accessibility_violations(page) == []
    await page.context.close()


FOCUSED = """() => {
  const focused = document.activeElement;
  if (!focused || focused === document.body) return '';
  const name = focused.getAttribute('aria-label') || focused.labels?.[0]?.innerText
    || focused.innerText || '';
  return `${focused.tagName.toLowerCase()} ${name.trim().replace(/\\s+/g, ' ')}`;
}"""


async def tab_until(page: Page, wanted: str, presses: int = 30) -> list[str]:
    """Presses Tab until the focused element's tag and name start with `wanted`; answers what
    each press focused."""
    walked: list[str] = []
    for _ in range(presses):
        await page.keyboard.press("Tab")
        walked.append(await page.evaluate(FOCUSED))
        if walked[-1].startswith(wanted):
            return walked
    raise AssertionError(f"Tab never reached {wanted!r}; it went through {walked}")


def in_order(walked: list[str], expected: list[str]) -> bool:
    return len(walked) == len(expected) and all(
        step.startswith(name) for step, name in zip(walked, expected, strict=True)
    )


async def test_tab_alone_reaches_every_control_in_reading_order_and_answers_a_customer(
    chromium: Browser, channel: Channel
) -> None:
    await channel.customer_says(CUSTOMER, text="Where is my order 77?", profile_name="Maria Souza")
    page = await signed_in_page(chromium, channel)
    await expect(page.locator(".connection[data-state='live']")).to_be_visible()
    await expect(page.locator(".conversation-row", has_text="Maria Souza")).to_be_visible()

    walked = await tab_until(page, "a Maria Souza")
    assert in_order(
        walked,
        [
            "a Inbox",
            "a Queues",
            "a Flows",
            "a AI",
            "a Team",
            "a Settings",
            "select My status",
            "select Do not disturb",
            "button Notifications, 0 unread",
            "select Language",
            "button Sign out",
            "a Continue:",
            "input Search",
            "select Status",
            "select Assigned",
            "input Unread only",
            "a Maria Souza",
        ],
    ), walked
    await page.keyboard.press("Enter")
    await expect(page.locator(".message--inbound", has_text="order 77")).to_be_visible()
    await expect(page.locator(".conversation").get_by_label("Status")).to_be_visible()

    walked = await tab_until(page, "button Reply to this message")
    assert in_order(
        walked,
        [
            "select Status",
            "input Add a label",
            "summary Internal notes (0)",
            "ol Messages",
            "button Reply to this message",
        ],
    ), walked
    await page.keyboard.press("Enter")
    await expect(page.get_by_role("textbox", name="Reply")).to_be_focused()
    await page.keyboard.type("It leaves today ")

    # The emoji palette is one Tab stop; the arrows move within it and Enter inserts one.
    await page.keyboard.press("Shift+Tab")
    assert await page.evaluate(FOCUSED) == "button Cancel the reply"
    await page.keyboard.press("Shift+Tab")
    assert await page.evaluate(FOCUSED) == "button 😀"
    await page.keyboard.press("ArrowRight")
    assert await page.evaluate(FOCUSED) == "button 🙂"
    await page.keyboard.press("Enter")
    await expect(page.get_by_role("textbox", name="Reply")).to_be_focused()
    await expect(page.get_by_role("textbox", name="Reply")).to_have_value("It leaves today 🙂")
    await page.keyboard.press("Enter")

    answer = page.locator(".message--outbound", has_text="It leaves today")
    await expect(answer.locator(".message__quote")).to_have_text("Where is my order 77?")
    await page.context.close()


async def conversation_id_of(page: Page) -> str:
    """The open conversation's id, from the console's address (#/conversations/<id>)."""
    return page.url.rsplit("/", 1)[-1]


async def test_a_suggested_reply_goes_in_with_one_key_and_a_shortcut_expands(
    chromium: Browser, channel: Channel
) -> None:
    for shortcut, title, body in (
        ("pix", "Pix", "Aceitamos Pix, a chave é o nosso CNPJ."),
        ("prazo", "Prazo de entrega", "O prazo de entrega é de 5 dias úteis."),
    ):
        await channel.client.data(
            "mutation($s: String!, $t: String!, $b: String!) { cannedResponseCreate(input: "
            "{shortcut: $s, title: $t, body: $b}) { __typename } }",
            {"s": shortcut, "t": title, "b": body},
            token=channel.tenant.token,
        )
    supervisor, _ = await add_user(
        channel.server, channel.client, channel.tenant, Role.SUPERVISOR, "Carlos Mendes"
    )
    context = await chromium.new_context(locale="en-US", viewport={"width": 1280, "height": 800})
    page = await context.new_page()
    await sign_in(page, channel.server.url, supervisor.email, PASSWORD)
    await channel.customer_says(CUSTOMER, text="Vocês aceitam pix?", profile_name="Maria Souza")
    await page.locator(".conversation-row", has_text="Maria Souza").get_by_role("link").click()

    suggestions = page.get_by_role("group", name="Suggested replies")
    await expect(suggestions.get_by_role("button").first).to_contain_text("Aceitamos Pix")
    reply = page.get_by_role("textbox", name="Reply")
    await reply.focus()
    await reply.press("Tab")
    await expect(reply).to_have_value("Aceitamos Pix, a chave é o nosso CNPJ.")
    await reply.press("Enter")
    await expect(page.locator(".message--outbound", has_text="Aceitamos Pix")).to_have_count(1)

    await reply.fill("/pra")
    listed = page.get_by_role("listbox", name="Canned responses")
    await expect(listed.get_by_role("option")).to_have_text(["/prazo Prazo de entrega"])
    await reply.press("Enter")
    await expect(reply).to_have_value("O prazo de entrega é de 5 dias úteis.")
    await reply.press("Enter")
    await expect(page.locator(".message--outbound", has_text="5 dias úteis")).to_have_count(1)
    assert await serious_accessibility_violations(page) == []
    await context.close()

    bodies = [
        m["payload"]["text"]["body"]  # type: ignore[index]
        for m in await sent_to_customer(channel)
        if m["type"] == "text" and m["to"] == CUSTOMER
    ]
    now = datetime.now(UTC)
    insights = await channel.server.runtime.services.ai.insights(
        Actor.of(channel.tenant.owner, None),
        now - timedelta(hours=1),
        now + timedelta(hours=1),
        InsightGrouping.HOUR,
        None,
    )
    assert bodies == [
        "Aceitamos Pix, a chave é o nosso CNPJ.",
        "O prazo de entrega é de 5 dias úteis.",
    ]
    assert insights.suggestions.accepted == 1, (
        "a canned response typed by shortcut is no suggestion"
    )
    assert insights.suggestions.offered >= 1
