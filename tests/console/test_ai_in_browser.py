"""A supervisor's AI pages in a real browser, in Portuguese: the starter intents imported and
trained with the model's held-out figures, a customer's texts read by it and counted in the
insights, the alert they raised resolved, and canned responses written and removed."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

from playwright.async_api import Browser, expect

from domain.accounts.model import Actor, Role
from domain.signals.insights import InsightGrouping
from tests.support import PASSWORD, Channel, add_user, eventually

from .conftest import refused_by_csp, screenshots_folder, serious_accessibility_violations, sign_in


async def texts_read(channel: Channel) -> int:
    now = datetime.now(UTC)
    insights = await channel.server.runtime.services.ai.insights(
        Actor.of(channel.tenant.owner, None),
        now - timedelta(days=1),
        now + timedelta(hours=1),
        InsightGrouping.DAY,
        None,
    )
    return insights.sentiment.read


async def test_a_supervisor_trains_intents_reads_insights_and_writes_canned_responses(
    chromium: Browser, channel: Channel, tmp_path: Path
) -> None:
    supervisor, _ = await add_user(
        channel.server, channel.client, channel.tenant, Role.SUPERVISOR, "Carla Dias"
    )
    context = await chromium.new_context(locale="pt-BR", viewport={"width": 1280, "height": 900})
    page = await context.new_page()
    refused = refused_by_csp(page)
    folder = screenshots_folder(tmp_path)
    await page.goto(channel.server.url + "/")
    await page.get_by_label("E-mail").fill(supervisor.email)
    await page.get_by_label("Senha").fill(PASSWORD)
    await page.keyboard.press("Enter")
    await expect(page.locator(".connection[data-state='live']")).to_be_visible()

    await page.get_by_role("link", name="IA").click()
    await page.get_by_role("link", name="Intenções").click()
    await expect(page.get_by_text("Ainda não treinado.")).to_be_visible()
    await page.get_by_role("button", name="Importar o conjunto inicial do PyTake").click()
    await expect(page.get_by_text("13 intenções importadas.")).to_have_attribute("role", "status")
    await expect(page.locator("tr[data-intent]")).to_have_count(13)
    await page.get_by_role("button", name="Editar saudacao").click()
    examples = page.get_by_label(re.compile("^Exemplos \\(uma mensagem"))
    await expect(examples).to_have_value(re.compile("^oi\n"))
    await examples.fill("oi\nolá\nbom dia\nboa tarde\nboa noite\ne aí, beleza?")
    await page.get_by_role("button", name="Salvar intenção").click()
    await expect(page.locator("tr[data-intent=saudacao] td").nth(1)).to_have_text("6")
    await page.get_by_role("button", name="Treinar o modelo").click()
    await expect(page.locator("[data-model-status=READY]")).to_have_text("Versão 1: pronto")
    accuracy = page.locator("[data-accuracy]")
    await expect(accuracy).to_contain_text("de 296 exemplos separados")
    assert float(await accuracy.get_attribute("data-accuracy") or 0) >= 0.74
    confusion = page.get_by_role("table", name="Exemplos separados por intenção real")
    await expect(confusion.locator("tbody tr")).to_have_count(13)
    await page.screenshot(path=folder / "intents.png", full_page=True)
    assert await serious_accessibility_violations(page) == []

    await channel.customer_says(
        "5511987650009", text="quero cancelar minha assinatura, péssimo", profile_name="Rui"
    )
    await channel.customer_says(
        "5511987650009", text="Ninguém responde, que absurdo", profile_name="Rui"
    )

    async def both_read() -> bool:
        return await texts_read(channel) == 2

    await eventually(both_read, what="the customer's texts to be read")
    await page.get_by_role("link", name="Indicadores").click()
    await expect(page.locator("[data-figure='insights.read'] dd")).to_have_text("2")
    await expect(page.locator("[data-figure='insights.negative'] dd")).to_have_text("2")
    await expect(page.locator("tr[data-intent=cancelamento] td").first).to_have_text("1")
    await expect(page.get_by_role("link", name="Rui", exact=True)).to_be_visible()
    await page.screenshot(path=folder / "insights.png", full_page=True)
    assert await serious_accessibility_violations(page) == []

    await page.get_by_role("link", name="Alertas").click()
    alert = page.locator("tr[data-alert=NEGATIVE_STREAK]")
    await expect(alert.get_by_role("rowheader")).to_have_text("Textos negativos seguidos")
    await expect(alert.get_by_role("link", name="Abrir a conversa")).to_be_visible()
    assert await serious_accessibility_violations(page) == []
    await alert.get_by_role("button", name="Resolver").click()
    await expect(page.get_by_text("Nenhum alerta aberto.")).to_be_visible()
    # The page is live: the customer's next bad turn shows without a reload.
    await channel.customer_says("5511987650009", text="Continua péssimo", profile_name="Rui")
    await channel.customer_says(
        "5511987650009", text="Horrível, vou cancelar tudo", profile_name="Rui"
    )
    await expect(page.locator("tr[data-alert=NEGATIVE_STREAK]")).to_have_count(1)

    await page.get_by_role("link", name="Respostas prontas").click()
    await expect(page.get_by_text("Nenhuma resposta pronta ainda.")).to_be_visible()
    await page.get_by_label("Atalho").fill("pix")
    await page.get_by_label("Título").fill("Pix")
    await page.get_by_label("Texto").fill("Aceitamos Pix, a chave é o nosso CNPJ.")
    await page.get_by_role("button", name="Adicionar resposta pronta").click()
    await expect(page.locator("tr[data-shortcut=pix]")).to_contain_text("Aceitamos Pix")
    await page.get_by_role("button", name="Excluir /pix").click()
    await expect(page.get_by_text("Nenhuma resposta pronta ainda.")).to_be_visible()
    assert await serious_accessibility_violations(page) == []
    assert refused == [], "the console broke its own Content-Security-Policy"
    await context.close()


async def test_an_owner_changes_the_ai_settings_and_a_bad_word_line_is_named(
    chromium: Browser, channel: Channel
) -> None:
    context = await chromium.new_context(locale="en-US")
    page = await context.new_page()
    await sign_in(page, channel.server.url, channel.tenant.owner.email, PASSWORD)
    await page.goto(channel.server.url + "/#/ai/settings")
    await expect(page.get_by_label("VIP labels (comma-separated)")).to_have_value("VIP")

    words = page.get_by_label(re.compile("^Your own words, one per line"))
    await words.fill("fila infinita: -3\nsem valor")
    await page.get_by_role("button", name="Save").click()
    await expect(page.get_by_role("alert")).to_have_text("Not “term: valence”: sem valor")
    await words.fill("fila infinita: -3\ntop demais: 2,5")
    await page.get_by_label(
        "Alert after this many negative texts in a row (2 to 4; empty: never)"
    ).fill("")
    await page.get_by_role("checkbox", name="English").uncheck()
    await page.get_by_role("button", name="Save").click()
    await expect(page.get_by_text("AI settings saved.")).to_be_visible()
    assert await serious_accessibility_violations(page) == []
    await context.close()

    settings = await channel.server.runtime.services.ai.settings(
        Actor.of(channel.tenant.owner, None)
    )
    assert settings.lexicon == {"fila infinita": -3.0, "top demais": 2.5}
    assert settings.alerts.negative_streak is None
    assert settings.languages == ("pt-BR",)
