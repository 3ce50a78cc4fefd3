"""GraphiQL served from PyTake's own assets, in a real browser without internet: it loads, it
takes the console's sign-in, and it never reaches another origin."""

from __future__ import annotations

from playwright.async_api import Browser, expect

from tests.support import PASSWORD, Channel

from .conftest import refused_by_csp, sign_in


async def test_graphiql_loads_offline_and_runs_queries_with_the_console_sign_in(
    chromium: Browser, channel: Channel
) -> None:
    context = await chromium.new_context(locale="en-US", viewport={"width": 1280, "height": 800})
    page = await context.new_page()
    elsewhere: list[str] = []
    refused = refused_by_csp(page)
    page.on(
        "request",
        lambda request: (
            elsewhere.append(request.url)
            if not request.url.startswith(
                (channel.server.url, channel.server.ws_url, "data:", "blob:")
            )
            else None
        ),
    )
    await sign_in(page, channel.server.url, channel.tenant.owner.email, PASSWORD)

    await page.goto(channel.server.url + "/graphql")
    await expect(page.get_by_role("status")).to_contain_text("Requests carry your console sign-in")
    await expect(page.locator(".graphiql-query-editor")).to_contain_text("me { name email role }")
    await page.get_by_role("button", name="Execute query").click()
    response = page.locator(".result-window")
    await expect(response).to_contain_text(channel.tenant.owner.email)
    await expect(response).to_contain_text("OWNER")

    assert elsewhere == [], "GraphiQL reached beyond PyTake"
    assert refused == [], "GraphiQL broke its page's Content-Security-Policy"
    await context.close()
