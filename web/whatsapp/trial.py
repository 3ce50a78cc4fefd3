"""Trial mode's Graph API: the simulator built into each PyTake process.

PyTake calls it through an in-process transport, and it delivers its webhooks (the customer's
messages, the statuses of PyTake's answers) straight to this process's webhook handler, signed
like Meta's. So a trial needs no port, no Meta account and no network, and works in every
process of a deployment: each process's simulator answers the calls that process makes.
"""

from __future__ import annotations

import httpx
from starlette.applications import Starlette
from starlette.routing import Route

from domain.whatsapp.model import WEBHOOK_PATH
from web.whatsapp.graph_api import GraphApiClient
from web.whatsapp.simulator import Simulator, SimulatorConfig
from web.whatsapp.webhook import WhatsAppWebhook

SIMULATOR_ORIGIN = "http://trial-simulator"
PYTAKE_ORIGIN = "http://pytake"
STATUS_DELAYS = (0.3, 0.8, 1.5)
"""Sent, delivered and read, as a phone would report them, so the ticks move in the console."""


class TrialSimulator:
    def __init__(self, app_secret: str, webhook: WhatsAppWebhook, graph_version: str) -> None:
        self.simulator = Simulator(
            SimulatorConfig(
                app_secret=app_secret,
                webhook_url=PYTAKE_ORIGIN + WEBHOOK_PATH,
                status_delays=STATUS_DELAYS,
                # PyTake keeps the 24-hour window itself; this process's simulator may not have
                # seen the customer's message (another process received it).
                enforce_window=False,
                verified_name="PyTake trial",
                display_phone_number="5511900000000",
            )
        )
        webhook_app = Starlette(routes=[Route(WEBHOOK_PATH, webhook.deliver, methods=["POST"])])
        self.simulator.use_client(
            httpx.AsyncClient(
                transport=httpx.ASGITransport(app=webhook_app), base_url=PYTAKE_ORIGIN
            )
        )
        simulator_app = self.simulator.app()
        self.graph = GraphApiClient(
            SIMULATOR_ORIGIN, graph_version, transport=httpx.ASGITransport(app=simulator_app)
        )
        self._control = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=simulator_app), base_url=SIMULATOR_ORIGIN
        )

    async def says(
        self, phone_number_id: str, wa_id: str, name: str, text: str, reply_id: str | None
    ) -> str:
        spec: dict[str, object] = {"phone_number_id": phone_number_id, "profile_name": name}
        if reply_id:
            spec["button_reply"] = {"id": reply_id, "title": text}
        else:
            spec["text"] = text
        response = await self._control.post(f"/_simulator/customers/{wa_id}/messages", json=spec)
        response.raise_for_status()
        return str(response.json()["wamid"])

    async def close(self) -> None:
        await self.simulator.close()
        await self._control.aclose()
        await self.graph.close()
