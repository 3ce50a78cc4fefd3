"""Inviting the team in a real browser: the owner invites an agent to a queue from the Team
page (no mail server: the link is shown to copy), the agent opens the link in a browser of
their own, chooses a name and a password and lands in the console signed in; the link then
says it was used, and the owner sees the invitation accepted and the new member."""

from __future__ import annotations

from pathlib import Path

from playwright.async_api import Browser, expect

from domain.accounts.model import Actor
from domain.queues.model import QueueSettings
from tests.support import PASSWORD, Channel

from .conftest import refused_by_csp, screenshots_folder, serious_accessibility_violations, sign_in

NEW_PASSWORD = "a long and private passphrase"


async def test_an_invited_agent_accepts_the_link_and_is_signed_in(
    chromium: Browser, channel: Channel, tmp_path: Path
) -> None:
    owner = Actor.of(channel.tenant.owner, None)
    await channel.server.runtime.services.queues.create(owner, QueueSettings("Support"))
    folder = screenshots_folder(tmp_path)

    inviting = await chromium.new_context(locale="en-US", viewport={"width": 1280, "height": 800})
    page = await inviting.new_page()
    refused = refused_by_csp(page)
    await sign_in(page, channel.server.url, channel.tenant.owner.email, PASSWORD)
    await page.get_by_role("link", name="Team").click()
    await page.get_by_label("Email").fill("bianca@outbound.example")
    await page.get_by_label("Role").select_option(label="Agent")
    await page.get_by_label("Support").check()
    await page.get_by_role("button", name="Send invitation").click()
    issued = page.get_by_role("status").filter(has_text="Not e-mailed")
    await expect(issued).to_contain_text("no mail server is configured")
    link = await page.get_by_label("Invitation link").input_value()
    assert link.startswith(channel.server.url + "/#/invitations/")
    invitation = page.locator("[data-invitation='bianca@outbound.example']")
    await expect(invitation).to_contain_text("Pending")
    await expect(invitation).to_contain_text("Support")
    await page.screenshot(path=folder / "team.png")
    assert await serious_accessibility_violations(page) == []

    joining = await chromium.new_context(locale="en-US", viewport={"width": 1280, "height": 800})
    invitee = await joining.new_page()
    invitee_refused = refused_by_csp(invitee)
    await invitee.goto(link)
    await expect(invitee.get_by_role("heading", name="Join Outbound Co on PyTake")).to_be_visible()
    await expect(invitee.get_by_text("You are invited as Agent.")).to_be_visible()
    await expect(invitee.get_by_label("Email")).to_have_value("bianca@outbound.example")
    await invitee.get_by_label("Your name").fill("Bianca Rocha")
    await invitee.get_by_label("Choose a password").fill(NEW_PASSWORD)
    await invitee.screenshot(path=folder / "invitation.png")
    assert await serious_accessibility_violations(invitee) == []
    await invitee.get_by_role("button", name="Join").click()
    await expect(invitee.get_by_text("Bianca Rocha · Agent")).to_be_visible()
    await expect(invitee.locator(".connection[data-state='live']")).to_be_visible()
    assert invitee.url.endswith("/#/")

    used = await chromium.new_context(locale="en-US")
    again = await used.new_page()
    await again.goto(link)
    await expect(again.get_by_role("alert")).to_have_text(
        "It was already accepted: sign in with its email and your password."
    )
    await again.get_by_role("link", name="Go to sign in").click()
    await sign_in(again, channel.server.url, "bianca@outbound.example", NEW_PASSWORD)

    await page.reload()
    await expect(invitation).to_contain_text("Accepted")
    await expect(page.locator("[data-member='bianca@outbound.example']")).to_contain_text(
        "Bianca Rocha"
    )
    assert refused == []
    assert invitee_refused == []
    for context in (inviting, joining, used):
        await context.close()
