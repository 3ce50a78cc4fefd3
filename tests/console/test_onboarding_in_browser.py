"""A new organization's owner goes through the seven onboarding steps in a real browser, in
trial mode: profile, a trial number, its connection test, templates, the ready-made flow for
a restaurant, a queue and an invitation, and a test conversation in which the flow answers and
hands the customer to the queue; the conversation is then in the inbox."""

from __future__ import annotations

from pathlib import Path

from playwright.async_api import Browser, Locator, Page, expect

from tests.support import PASSWORD, Channel, create_tenant

from .conftest import refused_by_csp, screenshots_folder, serious_accessibility_violations, sign_in


def step(page: Page, name: str) -> Locator:
    return page.locator(f".onboarding__steps li[data-step='{name}']")


async def test_a_new_organization_completes_the_seven_steps_in_trial_mode(
    chromium: Browser, channel: Channel, tmp_path: Path
) -> None:
    tenant = await create_tenant(channel.server, channel.client, "Padaria Sol")
    folder = screenshots_folder(tmp_path)
    context = await chromium.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
    page = await context.new_page()
    refused = refused_by_csp(page)
    await sign_in(page, channel.server.url, tenant.owner.email, PASSWORD)
    progress = page.get_by_role("complementary", name="Set up PyTake")
    await expect(progress).to_contain_text("0 of 7 steps done")
    await progress.get_by_role("link", name="Continue: Your business").click()
    heading = page.locator("#onboarding-step-title")

    await expect(heading).to_have_text("Your business")
    await page.get_by_label("Time zone").fill("America/Sao_Paulo")
    await page.get_by_label("Kind of business").select_option(label="Restaurants")
    await page.get_by_label("Saturday").fill("10:00-14:00")
    await page.screenshot(path=folder / "onboarding-1-profile.png")
    assert await serious_accessibility_violations(page) == []
    await page.get_by_role("button", name="Save").click()
    await expect(step(page, "PROFILE")).to_have_attribute("data-status", "DONE")

    await expect(heading).to_have_text("WhatsApp number")
    await page.screenshot(path=folder / "onboarding-2-number.png")
    await page.get_by_role("button", name="Start in trial mode").click()
    await expect(step(page, "NUMBER")).to_have_attribute("data-status", "DONE")

    await expect(heading).to_have_text("Connection test")
    await page.screenshot(path=folder / "onboarding-3-connectivity.png")
    await page.get_by_role("button", name="Run the connection test").click()
    await expect(step(page, "CONNECTIVITY")).to_have_attribute("data-status", "DONE")

    await expect(heading).to_have_text("Message templates")
    await page.screenshot(path=folder / "onboarding-4-templates.png")
    await page.get_by_role("button", name="Synchronize templates").click()
    await expect(step(page, "TEMPLATES")).to_have_attribute("data-status", "DONE")

    await expect(heading).to_have_text("Automatic answers")
    await page.screenshot(path=folder / "onboarding-5-flow.png")
    await page.get_by_role(
        "button", name="Publish Restaurante: cardápio, entrega e horário"
    ).click()
    await expect(step(page, "FLOW")).to_have_attribute("data-status", "DONE")

    await expect(heading).to_have_text("Queue and team")
    await expect(page.get_by_text("Your queues: Support.")).to_be_visible()
    await page.get_by_label("Email").fill("bia@padariasol.example")
    await page.get_by_role("button", name="Send invitation").click()
    await expect(page.get_by_label("Invitation link")).to_be_visible()
    link = await page.get_by_label("Invitation link").input_value()
    assert link.startswith(channel.server.url + "/#/invitations/")
    await expect(step(page, "TEAM")).to_have_attribute("data-status", "DONE")
    await page.screenshot(path=folder / "onboarding-6-team.png")

    await expect(heading).to_have_text("Test conversation")
    await page.get_by_label("Write as the customer").fill("oi")
    await page.get_by_role("button", name="Send", exact=True).click()
    chat = page.get_by_role("list", name="Test conversation")
    await expect(chat).to_contain_text("Bateu a fome?")
    await (
        page.get_by_role("group", name="Tap as the customer")
        .get_by_role("button", name="Pedir para entrega")
        .click()
    )
    await expect(chat).to_contain_text("Qual é o endereço de entrega?")
    await page.get_by_label("Write as the customer").fill("Rua das Flores, 10")
    await page.screenshot(path=folder / "onboarding-7-test.png")
    await page.get_by_role("button", name="Send", exact=True).click()
    # The hand-off completes the last step: the onboarding says it is finished.
    await expect(heading).to_have_text("All set: PyTake is answering your customers.")
    await expect(step(page, "TEST_CONVERSATION")).to_have_attribute("data-status", "DONE")
    await expect(progress).to_have_count(0)
    assert await serious_accessibility_violations(page) == []

    await page.get_by_role("link", name="Open the inbox").click()
    row = page.locator(".conversation-row", has_text="Cliente de teste")
    await expect(row).to_be_visible()
    await expect(row).to_contain_text("Obrigado! Um atendente vai continuar daqui.")
    assert refused == []
    await context.close()
