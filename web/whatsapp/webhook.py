"""The WhatsApp webhook, PyTake's only REST route: Meta's handshake and signed deliveries.

A delivery is acknowledged only once its raw body is committed to the inbox; the processor
applies it from there, so a crash after the 200 loses nothing and a failure before it makes
Meta retry.
"""

from __future__ import annotations

import asyncio
import hmac
import json
from collections.abc import Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response

from domain.errors import ServiceUnavailable
from domain.ports import Clock
from domain.whatsapp.inbound import parse_delivery
from domain.whatsapp.webhook_credentials import WebhookCredentials
from persistence.database import Database
from persistence.repositories.webhooks import store_delivery
from web.whatsapp.signature import PREFIX, signed_by_any

WEBHOOK_PATH = "/api/v1/whatsapp/webhook"
ENVELOPE_OBJECT = "whatsapp_business_account"


def refusal(status_code: int, reason: str) -> JSONResponse:
    return JSONResponse({"error": reason}, status_code=status_code)


def phone_number_ids(payload: Any) -> list[str]:
    """The numbers a body names, read with the same defensive parser that applies it."""
    if not isinstance(payload, dict):
        return []
    return [change.phone_number_id for change in parse_delivery(payload).number_changes]


class WhatsAppWebhook:
    def __init__(
        self,
        database: Database,
        credentials: WebhookCredentials,
        clock: Clock,
        on_stored: Callable[[], None] = lambda: None,
    ) -> None:
        self._database = database
        self._credentials = credentials
        self._clock = clock
        self._on_stored = on_stored

    async def handshake(self, request: Request) -> Response:
        params = request.query_params
        token = params.get("hub.verify_token", "")
        challenge = params.get("hub.challenge", "")
        if params.get("hub.mode") != "subscribe" or not token or not challenge:
            return PlainTextResponse("Forbidden", status_code=403)
        try:
            accepted = await self._credentials.verify_tokens()
        except ServiceUnavailable:
            return PlainTextResponse("Service unavailable", status_code=503)
        matches = [hmac.compare_digest(token.encode(), known.encode()) for known in accepted]
        if not any(matches):
            return PlainTextResponse("Forbidden", status_code=403)
        return PlainTextResponse(challenge)

    async def deliver(self, request: Request) -> Response:
        signature = request.headers.get("x-hub-signature-256", "")
        if not signature.startswith(PREFIX) or len(signature) == len(PREFIX):
            return refusal(401, "missing X-Hub-Signature-256: the body must be signed by Meta")
        body = await request.body()
        payload = _parse(body)
        try:
            verified = await self._verify(signature, body, payload)
        except ServiceUnavailable as outage:
            return refusal(503, outage.message)
        if not verified:
            return refusal(401, "X-Hub-Signature-256 does not match the body: nothing was stored")
        if payload is None:
            return refusal(400, "the body is not valid JSON")
        if not isinstance(payload, dict) or payload.get("object") != ENVELOPE_OBJECT:
            return refusal(400, f"the envelope's object is not '{ENVELOPE_OBJECT}'")
        if not isinstance(payload.get("entry"), list):
            return refusal(400, "the envelope has no 'entry' list")
        try:
            await store_delivery(self._database, body.decode(), self._clock.now())
        except ServiceUnavailable as outage:
            return refusal(503, outage.message)
        self._on_stored()
        return PlainTextResponse("OK")

    async def _verify(self, signature: str, body: bytes, payload: Any) -> bool:
        configured = self._credentials.app_secret
        if configured and signed_by_any(signature, body, [configured]):
            return True
        if payload is None:
            return False
        own_secrets = await self._credentials.number_app_secrets(phone_number_ids(payload))
        # HMAC over megabytes is real work: keep it off the event loop when there are several.
        return await asyncio.to_thread(signed_by_any, signature, body, own_secrets)


def _parse(body: bytes) -> Any:
    try:
        return json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return None
