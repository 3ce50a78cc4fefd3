"""A supervisor's queue monitor in a real browser: a flow hands customers to a queue, an agent
comes online in their own browser and gets the first, and the supervisor abandons, transfers and
completes from the monitor, every column moving live."""

from __future__ import annotations

from pathlib import Path

from playwright.async_api import Browser, Locator, Page, expect

from domain.accounts.model import Actor, Role
from domain.flows.model import FlowKind
from domain.flows.services import FlowDraft
from domain.queues.model import QueueMessages, QueueSettings
from domain.queues.services import AgentChanges
from tests.flows import document
from tests.support import PASSWORD, Channel, add_user
from tests.web.test_queues import to_people

from .conftest import refused_by_csp, screenshots_folder, serious_accessibility_violations, sign_in

CUSTOMERS = {
    "5511987650001": "Maria Souza",
    "5521912340002": "João Pereira",
    "5531998760003": "Ana Lima",
}


def card(page: Page, column: str, name: str) -> Locator:
    return page.locator(f".queue-column--{column} .item-card", has_text=name)


async def test_a_supervisor_watches_a_flow_fill_the_queue_and_acts_on_it_live(
    chromium: Browser, channel: Channel, tmp_path: Path
) -> None:
    services = channel.server.runtime.services
    owner = Actor.of(channel.tenant.owner, None)
    support = await services.queues.create(
        owner, QueueSettings("Support", messages=QueueMessages(welcome="You are in line."))
    )
    await services.queues.create(owner, QueueSettings("Billing"))
    flow = await services.flows.create(
        owner,
        FlowDraft(
            "To people",
            FlowKind.KEYWORD,
            (channel.number.id,),
            document=document(*to_people(support.id, priority=1)),
        ),
    )
    await services.flows.publish(owner, flow.id)
    agent, _ = await add_user(
        channel.server, channel.client, channel.tenant, Role.AGENT, "Bianca Rocha"
    )
    await services.queues.update_agent(
        owner, agent.id, AgentChanges(capacity=1, queue_ids=(support.id,))
    )
    supervisor, _ = await add_user(
        channel.server, channel.client, channel.tenant, Role.SUPERVISOR, "Carlos Mendes"
    )

    watching = await chromium.new_context(locale="en-US", viewport={"width": 1440, "height": 900})
    monitor = await watching.new_page()
    refused = refused_by_csp(monitor)
    await sign_in(monitor, channel.server.url, supervisor.email, PASSWORD)
    await monitor.get_by_role("link", name="Queues").click()
    await monitor.get_by_role("link", name="Support").click()
    await expect(monitor.get_by_role("heading", name="Support", level=1)).to_be_visible()

    for wa_id, name in CUSTOMERS.items():
        await channel.customer_says(wa_id, text="humano", profile_name=name)
    waiting = monitor.locator(".queue-column--waiting .item-card")
    await expect(waiting).to_have_count(3)
    await expect(waiting.nth(0)).to_contain_text("Maria Souza")
    await expect(waiting.nth(0)).to_contain_text("#1")
    await expect(waiting.nth(0)).to_contain_text("High")
    await expect(waiting.nth(2)).to_contain_text("Ana Lima")
    await expect(monitor.locator("[data-figure='waiting']")).to_have_text("3")

    serving = await chromium.new_context(locale="en-US")
    agent_page = await serving.new_page()
    await sign_in(agent_page, channel.server.url, agent.email, PASSWORD)
    await agent_page.get_by_label("My status").select_option("ONLINE")
    await expect(
        agent_page.locator(".toast[data-notification='conversation_assigned']")
    ).to_contain_text("Maria Souza")

    maria = card(monitor, "serving", "Maria Souza")
    await expect(maria).to_contain_text(agent.name)
    await expect(waiting).to_have_count(2)
    await expect(card(monitor, "waiting", "João Pereira")).to_contain_text("#1")
    await expect(monitor.locator(".queue-agent", has_text=agent.name)).to_contain_text("1 of 1")
    await expect(monitor.locator(".history-entry[data-kind='ASSIGNED']")).to_contain_text(
        "Maria Souza"
    )
    await monitor.screenshot(path=screenshots_folder(tmp_path) / "queues.png")
    assert await serious_accessibility_violations(monitor) == []

    await card(monitor, "waiting", "Ana Lima").get_by_role("button", name="Abandon").click()
    await expect(monitor.locator(".history-entry[data-kind='ABANDONED']")).to_contain_text(
        "Ana Lima"
    )
    await expect(card(monitor, "waiting", "Ana Lima")).to_have_count(0)

    # Transfer with the keyboard alone: the button, the destination picker, Tab to confirm.
    joao = card(monitor, "waiting", "João Pereira")
    await joao.get_by_role("button", name="Transfer").focus()
    await monitor.keyboard.press("Enter")
    destination = joao.get_by_label("Transfer to")
    await expect(destination).to_be_focused()
    await destination.select_option(label="Queue Billing")
    await monitor.keyboard.press("Tab")
    await expect(joao.get_by_role("button", name="Transfer")).to_be_focused()
    await monitor.keyboard.press("Enter")
    await expect(monitor.locator(".history-entry[data-kind='TRANSFERRED']")).to_contain_text(
        "João Pereira"
    )
    await expect(waiting).to_have_count(0)

    await maria.get_by_role("button", name="Complete").click()
    await expect(monitor.locator(".history-entry[data-kind='COMPLETED']")).to_contain_text(
        "Maria Souza"
    )
    await expect(monitor.locator(".queue-column--serving .item-card")).to_have_count(0)
    await monitor.get_by_role("link", name="Billing").click()
    await expect(card(monitor, "waiting", "João Pereira")).to_contain_text("High")

    assert refused == [], "the console broke its own Content-Security-Policy"
    await watching.close()
    await serving.close()
