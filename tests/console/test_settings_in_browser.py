"""The settings pages in a real browser: the owner tests a number's connection and reads each
check's sentence, synchronizes templates from the simulator and submits a new one with an
example for each placeholder."""

from __future__ import annotations

from pathlib import Path

from playwright.async_api import Browser, expect

from domain.accounts.model import Actor, Role
from tests.support import PASSWORD, Channel, add_user

from .conftest import refused_by_csp, screenshots_folder, serious_accessibility_violations, sign_in


async def test_an_owner_tests_a_number_and_submits_a_template(
    chromium: Browser, channel: Channel, tmp_path: Path
) -> None:
    folder = screenshots_folder(tmp_path)
    context = await chromium.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
    page = await context.new_page()
    refused = refused_by_csp(page)
    await sign_in(page, channel.server.url, channel.tenant.owner.email, PASSWORD)
    await page.get_by_role("link", name="Settings").click()

    card = page.locator(f"[data-number='{channel.number.phone_number_id}']")
    await expect(card).to_contain_text(channel.number.waba_id)
    await card.get_by_role("button", name="Run the connection test").click()
    results = card.get_by_role("list", name="Connection test results")
    await expect(results.locator("li")).to_have_count(4)
    await expect(results.locator("li[data-ok='true']")).to_have_count(4)
    await expect(results).to_contain_text("The access token works")
    await expect(card).not_to_contain_text(channel.number.phone_number_id + "secret")
    await page.screenshot(path=folder / "settings-numbers.png")
    assert await serious_accessibility_violations(page) == []

    await (
        page.get_by_role("navigation", name="Settings")
        .get_by_role("link", name="Message templates")
        .click()
    )
    await page.get_by_role("button", name="Synchronize templates").click()
    await expect(
        page.get_by_role("status").filter(has_text="Templates synchronized from Meta.")
    ).to_be_visible()
    await page.get_by_label("Name (lowercase letters, digits and _)").fill("order_ready")
    await page.get_by_label("Body").fill("Olá {{1}}, seu pedido {{2}} está pronto.")
    await page.get_by_label("Example for {{1}}").fill("Maria")
    await page.get_by_label("Example for {{2}}").fill("77")
    await page.get_by_role("button", name="Submit for review").click()
    await expect(
        page.get_by_role("status").filter(has_text="order_ready was submitted to Meta for review.")
    ).to_be_visible()
    row = page.locator("[data-template='order_ready']")
    await expect(row).to_contain_text("Olá {{1}}, seu pedido {{2}} está pronto.")
    await page.screenshot(path=folder / "settings-templates.png")
    assert await serious_accessibility_violations(page) == []
    assert refused == []
    await context.close()


async def test_an_owner_sets_up_a_queue_an_agent_and_a_role(
    chromium: Browser, channel: Channel, tmp_path: Path
) -> None:
    agent, _ = await add_user(
        channel.server, channel.client, channel.tenant, Role.AGENT, "Bianca Rocha"
    )
    folder = screenshots_folder(tmp_path)
    context = await chromium.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
    page = await context.new_page()
    refused = refused_by_csp(page)
    await sign_in(page, channel.server.url, channel.tenant.owner.email, PASSWORD)
    settings = page.get_by_role("navigation", name="Settings")

    await page.goto(channel.server.url + "/#/settings/queues")
    await page.get_by_label("Queue name").last.fill("Billing")
    await page.get_by_role("button", name="Create the queue").click()
    queue = page.locator("[data-queue='Billing']")
    await queue.get_by_label("Most customers waiting").fill("25")
    await queue.get_by_label("Message on entering").fill("You are in line for billing.")
    await queue.get_by_label("Open at all hours").uncheck()
    await queue.get_by_label("Monday").fill("08:00-12:00, 13:00-17:00")
    await queue.get_by_label("Who gets the next conversation").select_option(
        label="each agent in turn"
    )
    await queue.get_by_role("button", name="Save").click()
    await expect(queue.get_by_role("status")).to_have_text("Saved.")
    await page.screenshot(path=folder / "settings-queues.png")
    assert await serious_accessibility_violations(page) == []

    await settings.get_by_role("link", name="Agents").click()
    card = page.locator(f"[data-agent='{agent.email}']")
    await card.get_by_label("Conversations at once").fill("4")
    await card.get_by_label("Billing").check()
    await card.get_by_label("Skills").fill("boletos, pix")
    await card.get_by_role("button", name="Save").click()
    await expect(card.get_by_role("status")).to_have_text("Saved.")

    await settings.get_by_role("link", name="Users and roles").click()
    await page.get_by_label("Role of Bianca Rocha").select_option(label="Supervisor")
    await expect(page.get_by_label("Role of Bianca Rocha")).to_have_value("SUPERVISOR")
    assert await serious_accessibility_violations(page) == []

    services = channel.server.runtime.services
    owner = Actor.of(channel.tenant.owner, None)
    billing = next(q for q in await services.queues.queues(owner) if q.name == "Billing")
    assert billing.max_size == 25
    assert billing.messages.welcome == "You are in line for billing."
    assert billing.strategy.value == "round_robin"
    assert billing.hours is not None
    assert [
        (o.isoformat("minutes"), c.isoformat("minutes")) for o, c in billing.hours.weekly[0]
    ] == [
        ("08:00", "12:00"),
        ("13:00", "17:00"),
    ]
    profile = next(a for a in await services.queues.agents(owner) if a.agent.user_id == agent.id)
    assert profile.agent.capacity == 4
    assert profile.agent.skills == frozenset({"boletos", "pix"})
    assert profile.agent.queue_ids == frozenset({billing.id})
    assert (await services.accounts.get_user(owner, agent.id)).role is Role.SUPERVISOR
    assert refused == []
    await context.close()
