"""A supervisor builds a keyword flow in the visual editor, in a real browser: nodes dragged
from the palette and connected on the canvas, PyTake's validation shown on the node it names,
a dry run with the Graph API payload, publishing; then a customer on the simulator sends the
keyword and receives the flow's answer."""

from __future__ import annotations

import json
from pathlib import Path

from playwright.async_api import Browser, Locator, Page, expect

from domain.accounts.model import Role
from tests.support import PASSWORD, Channel, add_user, eventually

from .conftest import refused_by_csp, screenshots_folder, serious_accessibility_violations, sign_in
from .test_inbox_in_browser import sent_to_customer

CUSTOMER = "5511987650001"
ANSWER = "Today's deals: 20% off every order over R$ 100."


def node(page: Page, node_id: str) -> Locator:
    return page.locator(f".react-flow__node[data-id='{node_id}']")


async def choose(page: Page, node_id: str) -> None:
    """Select a node from the keyboard: the canvas brings a focused node into view."""
    await node(page, node_id).focus()
    await page.keyboard.press("Enter")
    await expect(page.locator("#node-form-title")).to_contain_text(node_id)


async def drag_from_palette(page: Page, label: str, x: float, y: float) -> None:
    """Drag a node type by the mouse onto the canvas, `x` and `y` into it."""
    await (
        page.get_by_role("navigation", name="Node palette")
        .get_by_role("button", name=label, exact=True)
        .drag_to(page.locator(".react-flow__pane"), target_position={"x": x, "y": y})
    )


async def connect(page: Page, source: str, way: str, target: str) -> None:
    start = await page.locator(
        f".react-flow__handle.source[data-nodeid='{source}'][data-handleid='{way}']"
    ).bounding_box()
    end = await page.locator(f".react-flow__handle.target[data-nodeid='{target}']").bounding_box()
    assert start is not None
    assert end is not None
    await page.mouse.move(start["x"] + start["width"] / 2, start["y"] + start["height"] / 2)
    await page.mouse.down()
    await page.mouse.move(end["x"] + end["width"] / 2, end["y"] + end["height"] / 2, steps=12)
    await page.mouse.up()


async def test_a_supervisor_draws_tests_and_publishes_a_keyword_flow_that_answers(
    chromium: Browser, channel: Channel, tmp_path: Path
) -> None:
    supervisor, _ = await add_user(
        channel.server, channel.client, channel.tenant, Role.SUPERVISOR, "Carlos Mendes"
    )
    context = await chromium.new_context(locale="en-US", viewport={"width": 1440, "height": 900})
    page = await context.new_page()
    refused = refused_by_csp(page)
    await sign_in(page, channel.server.url, supervisor.email, PASSWORD)
    await page.get_by_role("link", name="Flows").click()
    await page.get_by_label("Name").fill("Deals")
    await page.get_by_label("Starts").select_option(label="On a keyword")
    await page.get_by_role("button", name="Create and edit").click()
    await expect(page.get_by_role("heading", name="Deals", level=1)).to_be_visible()
    await expect(node(page, "start")).to_contain_text("Keyword")

    await drag_from_palette(page, "Text message", 560, 520)
    await expect(node(page, "text_1")).to_be_visible()
    await connect(page, "start", "out", "text_1")
    await expect(page.locator(".react-flow__edge")).to_have_count(1)

    # Saved as it is: the trigger has no keyword and the message no text.
    await page.get_by_role("button", name="Save draft").click()
    await expect(node(page, "start").locator(".flow-node__problems")).to_contain_text("keywords")
    await expect(node(page, "text_1").locator(".flow-node__problems")).to_contain_text("text")
    await expect(page.get_by_role("heading", name="Problems to fix (2)")).to_be_visible()

    await node(page, "start").click()
    keywords = page.get_by_label("Keywords")
    await expect(keywords).to_have_attribute("aria-invalid", "true")
    await keywords.fill("promo\nofertas")
    await expect(keywords).not_to_have_attribute("aria-invalid", "true")
    await node(page, "text_1").click()
    await page.get_by_label("Text", exact=True).fill(ANSWER)
    await expect(node(page, "text_1")).to_contain_text(ANSWER)
    await page.keyboard.press("Control+s")
    await expect(page.locator(".flow-node__problems")).to_have_count(0)
    await expect(page.get_by_role("status").filter(has_text="draft saved")).to_be_visible()

    await page.get_by_role("tab", name="Test").click()
    await page.get_by_label("Customer's message").fill("PROMO")
    await page.get_by_role("button", name="Send", exact=True).click()
    transcript = page.get_by_role("list", name="Dry-run conversation")
    business = transcript.locator(".dry-run__entry--business")
    await expect(business).to_contain_text(ANSWER)
    await business.get_by_text("Graph API payload").click()
    payload = json.loads(await business.locator("pre").inner_text())
    assert (payload["type"], payload["text"]["body"]) == ("text", ANSWER)

    await page.screenshot(path=screenshots_folder(tmp_path) / "flow-editor.png")
    assert await serious_accessibility_violations(page) == []

    await page.get_by_role("button", name="Publish").click()
    await expect(page.get_by_text("Published as version 1")).to_be_visible()
    await page.get_by_role("tab", name="Versions").click()
    await expect(page.locator("[data-version='1']")).to_contain_text("Carlos Mendes")

    await channel.customer_says(CUSTOMER, text="Promo", profile_name="Maria Souza")

    async def answered() -> list[dict[str, object]]:
        return [
            message
            for message in await sent_to_customer(channel)
            if message["to"] == CUSTOMER and message.get("type") == "text"
        ]

    sent = await eventually(answered, what="the flow's answer")
    assert [message["payload"]["text"]["body"] for message in sent] == [ANSWER]  # type: ignore[index]

    await page.get_by_role("tab", name="Sessions").click()
    await expect(page.locator("[data-figure='started']")).to_have_text("1")
    await expect(page.locator("[data-figure='completed']")).to_have_text("1")
    assert refused == [], "the console broke its own Content-Security-Policy"
    await context.close()


async def test_a_flow_is_built_from_the_keyboard_undone_copied_tidied_and_rolled_back(
    chromium: Browser, channel: Channel
) -> None:
    supervisor, _ = await add_user(
        channel.server, channel.client, channel.tenant, Role.SUPERVISOR, "Carlos Mendes"
    )
    context = await chromium.new_context(locale="en-US", viewport={"width": 1440, "height": 900})
    page = await context.new_page()
    refused = refused_by_csp(page)
    await sign_in(page, channel.server.url, supervisor.email, PASSWORD)
    await page.goto(channel.server.url + "/#/flows")
    await page.get_by_label("Name").fill("Opening hours")
    await page.get_by_label("Starts").select_option(label="On any message")
    await page.get_by_label("Name").press("Enter")
    await expect(page.get_by_role("heading", name="Opening hours", level=1)).to_be_visible()

    async def add(label: str) -> None:
        await (
            page.get_by_role("navigation", name="Node palette")
            .get_by_role("button", name=label, exact=True)
            .focus()
        )
        await page.keyboard.press("Enter")

    await add("Business hours")
    await expect(node(page, "business_hours_1")).to_be_visible()
    await expect(page.get_by_label("Time zone")).to_have_value("America/Sao_Paulo")
    await add("Text message")
    await page.get_by_label("Text", exact=True).fill("We are open: how can we help?")
    await add("Text message")
    await page.get_by_label("Text", exact=True).fill("We are closed now.")
    await choose(page, "start")
    await page.get_by_label("“next” leads to").select_option("business_hours_1")
    await choose(page, "business_hours_1")
    await page.get_by_label("“open” leads to").select_option("text_1")
    await page.get_by_label("“closed” leads to").select_option("text_2")
    await expect(page.locator(".react-flow__edge")).to_have_count(3)

    # Undo and redo from the keyboard, with the focus on the canvas.
    await page.locator(".react-flow__pane").click(position={"x": 20, "y": 20})
    await page.keyboard.press("Control+z")
    await expect(page.locator(".react-flow__edge")).to_have_count(2)
    await page.keyboard.press("Control+y")
    await expect(page.locator(".react-flow__edge")).to_have_count(3)

    await choose(page, "text_2")
    await page.keyboard.press("Control+c")
    await page.keyboard.press("Control+v")
    await expect(node(page, "text_3")).to_contain_text("We are closed now.")
    await page.keyboard.press("Delete")
    await expect(node(page, "text_3")).to_have_count(0)

    await page.get_by_role("button", name="Tidy up").click()
    # Where each node's middle stands on the flow's own plane, whatever the zoom.
    middles = {
        node_id: await node(page, node_id).evaluate(
            "n => new DOMMatrix(n.style.transform).f + n.offsetHeight / 2"
        )
        for node_id in ("start", "business_hours_1", "text_1", "text_2")
    }
    assert middles["start"] < middles["business_hours_1"] < middles["text_1"]
    assert abs(middles["text_1"] - middles["text_2"]) <= 1

    await page.get_by_role("button", name="Publish").click()
    await expect(page.get_by_text("Published as version 1")).to_be_visible()
    await choose(page, "text_1")
    await page.get_by_label("Text", exact=True).fill("Open! Tell us what you need.")
    await page.get_by_role("button", name="Publish").click()
    await expect(page.get_by_text("Published as version 2")).to_be_visible()

    await page.get_by_role("tab", name="Node").focus()
    await page.keyboard.press("ArrowRight")
    await page.keyboard.press("ArrowRight")
    versions = page.get_by_role("tab", name="Versions")
    await expect(versions).to_be_focused()
    await expect(versions).to_have_attribute("aria-selected", "true")
    page.once("dialog", lambda dialog: dialog.accept())
    await page.get_by_role("button", name="Roll back to v1").click()
    await expect(page.get_by_text("Version 1 is published again as version 3")).to_be_visible()
    await expect(node(page, "text_1")).to_contain_text("We are open: how can we help?")
    await expect(page.locator("[data-version='3']")).to_contain_text("live")
    assert refused == []
    await context.close()
