"""The settings pages in a real browser: the owner tests a number's connection and reads each
check's sentence, synchronizes templates from the simulator and submits a new one with an
example for each placeholder."""

from __future__ import annotations

from pathlib import Path

from playwright.async_api import Browser, expect

from tests.support import PASSWORD, Channel

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
