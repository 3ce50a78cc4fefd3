"""The WhatsApp webhook, PyTake's only REST route: Meta's handshake and signed deliveries.

A delivery is acknowledged only once its raw body is committed to the inbox; the processor
applies it from there, so a crash after the 200 loses nothing and a failure before it makes
Meta retry.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import re
from collections.abc import Callable

from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response

from domain.clock import Clock
from domain.errors import ServiceUnavailable
from domain.whatsapp.inbound import INSTALLATION, Signer, conversation_keys
from domain.whatsapp.webhook_credentials import WebhookCredentials
from persistence.database import Database
from persistence.repositories.webhooks import store_delivery
from web.whatsapp.signature import PREFIX, signed_by_any, signing_keys

ENVELOPE_OBJECT = "whatsapp_business_account"


def refusal(status_code: int, reason: str) -> JSONResponse:
    return JSONResponse({"error": reason}, status_code=status_code)


# Bounded, without nested quantifiers: linear in the body's length.
PHONE_NUMBER_ID = re.compile(rb'"phone_number_id"\s{0,16}:\s{0,16}"([0-9A-Za-z_.-]{1,64})"')
# Each candidate may cost a lookup before the signature is known, so an unsigned body buys few.
# One delivery carries one business account's numbers, and an account has a handful.
MAX_NAMED_NUMBERS = 25


def named_phone_number_ids(body: bytes) -> set[str]:
    """The numbers a raw body names: candidates whose secrets to try, never an authority."""
    found = set()
    for match in PHONE_NUMBER_ID.finditer(body):
        found.add(match.group(1).decode())
        if len(found) >= MAX_NAMED_NUMBERS:
            break
    return found


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
        try:
            signer = await self._verify(signature, body)
        except ServiceUnavailable as outage:
            return refusal(503, outage.message)
        if signer is None:
            return refusal(401, "X-Hub-Signature-256 does not match the body: nothing was stored")
        try:
            text = body.decode()
            payload = json.loads(text)
        except RecursionError:
            return refusal(400, "the body is nested too deeply to be a webhook")
        except ValueError:
            return refusal(400, "the body is not valid JSON in UTF-8")
        if not isinstance(payload, dict) or payload.get("object") != ENVELOPE_OBJECT:
            return refusal(400, f"the envelope's object is not '{ENVELOPE_OBJECT}'")
        if not isinstance(payload.get("entry"), list):
            return refusal(400, "the envelope has no 'entry' list")
        try:
            await store_delivery(
                self._database,
                text,
                self._clock.now(),
                signer.phone_number_ids,
                conversation_keys(payload),
            )
        except ServiceUnavailable as outage:
            return refusal(503, outage.message)
        self._on_stored()
        return PlainTextResponse("OK")

    async def _verify(self, signature: str, body: bytes) -> Signer | None:
        """Who signed the body, or None when nobody PyTake knows did. Nothing parses the body
        before its signature is checked: the numbers whose own secrets are tried are found by
        a linear scan of the raw bytes, and each speaks only for itself once verified."""
        configured = self._credentials.app_secret
        if configured and signed_by_any(signature, body, [configured]):
            return INSTALLATION
        own_secrets = await self._credentials.number_app_secrets(named_phone_number_ids(body))
        # HMAC over megabytes is real work: keep it off the event loop when there are several.
        signed = await asyncio.to_thread(signing_keys, signature, body, own_secrets)
        return Signer(signed) if signed else None
