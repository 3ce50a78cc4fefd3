"""A fake of Meta's WhatsApp Cloud API that speaks real HTTP: `pytake simulator`.

It answers the Graph API calls PyTake makes (send, mark-as-read, phone number, templates,
media) with Meta's response and error shapes (reference §5, §6, §9, §10), enforces the 24-hour
window (131047), the per-number throughput (130429) and the interactive limits, posts signed
status webhooks back, and lets a test or a person play the customer under `/_simulator/`.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import itertools
import json
import logging
import secrets
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any

import httpx
from starlette.applications import Starlette
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from domain.whatsapp.outbound import placeholders
from web.tls import client_tls_context
from web.whatsapp.signature import sign

logger = logging.getLogger(__name__)

WINDOW_SECONDS = 24 * 3600
WEBHOOK_RETRY_DELAYS = (0.2, 0.5, 1.0, 2.0, 4.0, 8.0, 15.0, 30.0)
MAX_REPLY_BUTTONS = 3
MAX_BUTTON_TITLE = 20
MAX_LIST_ROWS = 10
MAX_INTERACTIVE_BODY = 1024
TITLES = {
    100: "Invalid parameter",
    130429: "Rate limit hit",
    131000: "Something went wrong",
    131009: "Parameter value is not valid",
    131026: "Message Undeliverable",
    131047: "Re-engagement message",
    131056: "(Business Account, Consumer Account) pair rate limit hit",
    132000: "Number of parameters does not match the expected number of params",
    132001: "Template name does not exist in the translation",
    190: "Access token has expired",
    2: "Service temporarily unavailable",
}
HTTP_STATUS = {190: 401, 132001: 404, 131000: 500, 2: 503}


@dataclass
class SimulatorConfig:
    webhook_url: str | None = None
    app_secret: str | None = None
    access_token: str | None = None
    """When set, every call must carry it; otherwise any bearer token is accepted."""
    status_delays: tuple[float | None, float | None, float | None] = (0.05, 0.1, None)
    """Seconds after acceptance to post sent, delivered and read; None posts none."""
    messages_per_second: int = 80
    enforce_window: bool = True
    auto_approve_templates: bool = True
    waba_id: str = "100000000000001"
    display_phone_number: str = "15550001111"
    verified_name: str = "PyTake Simulator"


@dataclass
class Fault:
    code: int | None
    http_status: int
    times: int
    delay_seconds: float = 0.0
    phone_number_id: str | None = None
    details: str = ""


@dataclass
class SentMessage:
    wamid: str
    phone_number_id: str
    to: str
    type: str
    payload: dict[str, Any]
    received_at: float
    user_agent: str = ""


@dataclass
class SimulatorState:
    sent: list[SentMessage] = field(default_factory=list)
    read_receipts: list[dict[str, Any]] = field(default_factory=list)
    rejected: list[dict[str, Any]] = field(default_factory=list)
    inbound: dict[str, dict[str, Any]] = field(default_factory=dict)
    last_inbound_at: dict[tuple[str, str], float] = field(default_factory=dict)
    recent_sends: dict[str, deque[float]] = field(default_factory=dict)
    faults: list[Fault] = field(default_factory=list)
    templates: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    media: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    webhooks_posted: int = 0
    webhooks_failed: int = 0


class GraphError(Exception):
    def __init__(self, code: int, details: str, http_status: int | None = None) -> None:
        super().__init__(details)
        self.code = code
        self.details = details
        self.http_status = http_status or HTTP_STATUS.get(code, 400)

    def response(self) -> JSONResponse:
        return graph_error(self.code, self.details, self.http_status)


def graph_error(code: int | None, details: str, http_status: int) -> JSONResponse:
    title = TITLES.get(code or 0, "Service error")
    error: dict[str, Any] = {
        "message": f"(#{code}) {title}",
        "type": "OAuthException",
        "code": code,
        "error_data": {"messaging_product": "whatsapp", "details": details},
        "fbtrace_id": secrets.token_urlsafe(12),
    }
    if http_status >= 500 or code in {130429, 131056}:
        error["is_transient"] = True
    return JSONResponse({"error": error}, status_code=http_status)


def busiest_second(arrivals: list[float]) -> int:
    """The most sends that arrived within any one-second window."""
    ordered = sorted(arrivals)
    busiest = 0
    start = 0
    for end, arrived in enumerate(ordered):
        while arrived - ordered[start] >= 1.0:
            start += 1
        busiest = max(busiest, end - start + 1)
    return busiest


def digits(value: str) -> str:
    return "".join(ch for ch in value if ch.isdigit())


class Simulator:
    def __init__(self, config: SimulatorConfig) -> None:
        self.config = config
        self.state = SimulatorState()
        self._ids = itertools.count(1)
        self._http: httpx.AsyncClient | None = None
        self._background: set[asyncio.Task[None]] = set()
        self.base_url = ""

    # -- lifecycle --------------------------------------------------------------------------

    def use_client(self, http: httpx.AsyncClient) -> None:
        """Post webhooks with this client: when the simulator is called in-process rather than
        served, its app's lifespan (which makes one) does not run."""
        self._http = http

    async def close(self) -> None:
        """Stop what it is still doing (status ladders, webhook retries) and its client."""
        for task in list(self._background):
            task.cancel()
        if self._http is not None:
            await self._http.aclose()

    def app(self) -> Starlette:
        @contextlib.asynccontextmanager
        async def lifespan(_: Starlette) -> Any:
            self._http = httpx.AsyncClient(timeout=10.0, verify=client_tls_context())
            try:
                yield
            finally:
                await self.close()

        return Starlette(
            routes=[
                Route(
                    "/_simulator/customers/{wa_id}/messages",
                    self.customer_message,
                    methods=["POST"],
                ),
                Route("/_simulator/faults", self.add_fault, methods=["POST"]),
                Route("/_simulator/statuses/{wamid}", self.post_status, methods=["POST"]),
                Route("/_simulator/sent", self.list_sent, methods=["GET"]),
                Route("/_simulator/stats", self.stats, methods=["GET"]),
                Route("/_simulator/reset", self.reset, methods=["POST"]),
                Route("/_media/{media_id}", self.download_media, methods=["GET"]),
                Route("/{version}/{node}/messages", self.messages, methods=["POST"]),
                Route("/{version}/{node}/media", self.upload_media, methods=["POST"]),
                Route(
                    "/{version}/{waba_id}/subscribed_apps",
                    self.subscribed_apps,
                    methods=["GET"],
                ),
                Route(
                    "/{version}/{waba_id}/message_templates",
                    self.templates,
                    methods=["GET", "POST", "DELETE"],
                ),
                Route("/{version}/{node}", self.node, methods=["GET"]),
            ],
            lifespan=lifespan,
        )

    def _new_wamid(self) -> str:
        raw = f"sim-{next(self._ids)}-{secrets.token_hex(6)}".encode()
        return "wamid." + base64.b64encode(raw).decode()

    def _spawn(self, coroutine: Any) -> None:
        task = asyncio.create_task(coroutine)
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    # -- Graph API --------------------------------------------------------------------------

    def _authorize(self, request: Request, phone_number_id: str | None = None) -> None:
        header = request.headers.get("authorization", "")
        token = header.removeprefix("Bearer ").strip()
        if not token or (self.config.access_token and token != self.config.access_token):
            raise GraphError(190, "Error validating access token: the session is invalid.")
        self._injected(phone_number_id, only_codes={0, 190})

    def _injected(
        self, phone_number_id: str | None, only_codes: set[int] | None = None
    ) -> Fault | None:
        for fault in self.state.faults:
            if fault.phone_number_id not in (None, phone_number_id):
                continue
            if only_codes is not None and fault.code not in only_codes:
                continue
            fault.times -= 1
            if fault.times <= 0:
                self.state.faults.remove(fault)
            return fault
        return None

    async def messages(self, request: Request) -> Response:
        phone_number_id = request.path_params["node"]
        try:
            self._authorize(request, phone_number_id)
            fault = self._injected(phone_number_id)
            if fault is not None:
                if fault.delay_seconds:
                    await asyncio.sleep(fault.delay_seconds)
                if fault.http_status >= 500 and fault.code is None:
                    return JSONResponse(
                        {"error": {"message": "upstream"}}, status_code=fault.http_status
                    )
                if fault.code is not None:
                    raise GraphError(fault.code, fault.details or "injected", fault.http_status)
            payload = await request.json()
            if payload.get("status") == "read":
                return self._read_receipt(phone_number_id, payload)
            return self._accept(phone_number_id, payload, request.headers.get("user-agent", ""))
        except GraphError as error:
            self.state.rejected.append(
                {"phone_number_id": phone_number_id, "code": error.code, "at": time.time()}
            )
            return error.response()

    def _read_receipt(self, phone_number_id: str, payload: dict[str, Any]) -> Response:
        message_id = payload.get("message_id")
        if not isinstance(message_id, str) or message_id not in self.state.inbound:
            raise GraphError(100, f"Invalid parameter: unknown message_id {message_id!r}")
        self.state.read_receipts.append(
            {
                "phone_number_id": phone_number_id,
                "message_id": message_id,
                "typing_indicator": payload.get("typing_indicator"),
            }
        )
        return JSONResponse({"success": True})

    def _accept(self, phone_number_id: str, payload: dict[str, Any], user_agent: str) -> Response:
        if payload.get("messaging_product") != "whatsapp":
            raise GraphError(100, "messaging_product must be whatsapp")
        to = digits(str(payload.get("to", "")))
        kind = payload.get("type")
        if not to or not isinstance(kind, str) or not isinstance(payload.get(kind), dict):
            raise GraphError(131008, "to, type and the type's object are required")
        now = time.time()
        recent = self.state.recent_sends.setdefault(phone_number_id, deque())
        while recent and recent[0] <= now - 1.0:
            recent.popleft()
        if len(recent) >= self.config.messages_per_second:
            raise GraphError(130429, "Cloud API message throughput has been reached.")
        if kind != "template" and self.config.enforce_window:
            last = self.state.last_inbound_at.get((phone_number_id, to))
            if last is None or now - last > WINDOW_SECONDS:
                raise GraphError(
                    131047,
                    "Message failed to send because more than 24 hours have passed since the "
                    "customer last replied to this number.",
                )
        self._check_limits(kind, payload[kind])
        if kind == "template":
            self._check_template(payload["template"])
        recent.append(now)
        wamid = self._new_wamid()
        self.state.sent.append(
            SentMessage(wamid, phone_number_id, to, kind, payload, now, user_agent)
        )
        self._spawn(self._status_ladder(phone_number_id, wamid, to))
        return JSONResponse(
            {
                "messaging_product": "whatsapp",
                "contacts": [{"input": str(payload["to"]), "wa_id": to}],
                "messages": [{"id": wamid}],
            }
        )

    @staticmethod
    def _check_limits(kind: str, body: dict[str, Any]) -> None:
        if kind != "interactive":
            return
        text = str((body.get("body") or {}).get("text", ""))
        action = body.get("action") or {}
        if body.get("type") == "button":
            buttons = action.get("buttons") or []
            if not 1 <= len(buttons) <= MAX_REPLY_BUTTONS:
                raise GraphError(131009, "buttons: a reply-button message has 1 to 3 buttons")
            if any(len(b.get("reply", {}).get("title", "")) > MAX_BUTTON_TITLE for b in buttons):
                raise GraphError(131009, "button title length is more than 20 characters")
            if len(text) > MAX_INTERACTIVE_BODY:
                raise GraphError(131009, "body text is longer than 1024 characters")
        if body.get("type") == "list":
            rows = sum(len(s.get("rows", [])) for s in action.get("sections", []))
            if rows > MAX_LIST_ROWS:
                raise GraphError(131009, "a list has at most 10 rows")

    def _check_template(self, template: dict[str, Any]) -> None:
        name = template.get("name")
        language = (template.get("language") or {}).get("code")
        known = [
            t
            for waba in self.state.templates.values()
            for t in waba
            if t["name"] == name and t["language"] == language
        ]
        if not known:
            if name == "hello_world":
                return
            raise GraphError(132001, f"template name ({name}) does not exist in {language}")
        stored = known[0]
        if stored["status"] != "APPROVED":
            raise GraphError(132001, f"template {name} is {stored['status']}")
        body: dict[str, Any] = next(
            (c for c in stored["components"] if c.get("type") == "BODY"), {}
        )
        expected = len(placeholders(str(body.get("text", ""))).names)
        given = sum(
            len(c.get("parameters", []))
            for c in template.get("components", [])
            if str(c.get("type")).lower() == "body"
        )
        if expected != given:
            raise GraphError(
                132000,
                f"body: number of localizable_params ({given}) does not match the "
                f"expected number of params ({expected})",
            )

    async def subscribed_apps(self, request: Request) -> Response:
        """As Meta: the simulator's app is subscribed while it has a webhook to deliver to."""
        try:
            self._authorize(request)
        except GraphError as error:
            return error.response()
        app = {"id": "100000000000002", "name": "PyTake Simulator app"}
        subscribed = [{"whatsapp_business_api_data": app}] if self.config.webhook_url else []
        return JSONResponse({"data": subscribed})

    async def node(self, request: Request) -> Response:
        node = request.path_params["node"]
        if node in self.state.media:
            try:
                self._authorize(request)
            except GraphError as error:
                return error.response()
            mime_type, content = self.state.media[node]
            return JSONResponse(
                {
                    "messaging_product": "whatsapp",
                    "url": f"{self._base(request)}/_media/{node}",
                    "mime_type": mime_type,
                    "sha256": hashlib.sha256(content).hexdigest(),
                    "file_size": len(content),
                    "id": node,
                }
            )
        try:
            self._authorize(request, node)
        except GraphError as error:
            return error.response()
        return JSONResponse(
            {
                "verified_name": self.config.verified_name,
                "code_verification_status": "VERIFIED",
                "display_phone_number": self.config.display_phone_number,
                "quality_rating": "GREEN",
                "status": "CONNECTED",
                "platform_type": "CLOUD_API",
                "throughput": {"level": "STANDARD"},
                "id": node,
            }
        )

    @staticmethod
    def _base(request: Request) -> str:
        return f"{request.url.scheme}://{request.url.netloc}"

    async def upload_media(self, request: Request) -> Response:
        """Meta's upload: multipart with `file`, `type` and `messaging_product`; answers the
        media id to send by."""
        try:
            self._authorize(request, request.path_params["node"])
            form = await request.form()
            upload = form.get("file")
            if form.get("messaging_product") != "whatsapp" or not isinstance(upload, UploadFile):
                raise GraphError(100, "file and messaging_product=whatsapp are required")
            content = await upload.read()
        except GraphError as error:
            return error.response()
        media_id = str(10**14 + next(self._ids))
        mime_type = str(form.get("type") or upload.content_type or "application/octet-stream")
        self.state.media[media_id] = (mime_type, content)
        return JSONResponse({"id": media_id})

    async def download_media(self, request: Request) -> Response:
        try:
            self._authorize(request)
        except GraphError as error:
            return error.response()
        found = self.state.media.get(request.path_params["media_id"])
        if found is None:
            return graph_error(100, "unknown media", 404)
        return Response(found[1], media_type=found[0])

    async def templates(self, request: Request) -> Response:
        waba_id = request.path_params["waba_id"]
        try:
            self._authorize(request)
            stored = self.state.templates.setdefault(waba_id, [])
            if request.method == "GET":
                return self._template_page(request, stored)
            if request.method == "DELETE":
                name = request.query_params.get("name", "")
                remaining = [t for t in stored if t["name"] != name]
                if len(remaining) == len(stored):
                    raise GraphError(100, f"template {name} was not found")
                self.state.templates[waba_id] = remaining
                return JSONResponse({"success": True})
            return await self._create_template(request, waba_id, stored)
        except GraphError as error:
            return error.response()

    @staticmethod
    def _template_page(request: Request, stored: list[dict[str, Any]]) -> Response:
        limit = int(request.query_params.get("limit", "25"))
        after = request.query_params.get("after")
        start = int(base64.b64decode(after).decode()) if after else 0
        page = stored[start : start + limit]
        body: dict[str, Any] = {"data": page, "paging": {"cursors": {}}}
        if page:
            body["paging"]["cursors"] = {
                "before": base64.b64encode(str(start).encode()).decode(),
                "after": base64.b64encode(str(start + len(page)).encode()).decode(),
            }
        if start + limit < len(stored):
            body["paging"]["next"] = f"{request.url}&after={body['paging']['cursors']['after']}"
        return JSONResponse(body)

    async def _create_template(
        self, request: Request, waba_id: str, stored: list[dict[str, Any]]
    ) -> Response:
        definition = await request.json()
        for required in ("name", "category", "language", "components"):
            if not definition.get(required):
                raise GraphError(100, f"Param {required} is required")
        if any(
            t["name"] == definition["name"] and t["language"] == definition["language"]
            for t in stored
        ):
            raise GraphError(100, "Content in this language already exists")
        template = {
            "id": str(10**15 + next(self._ids)),
            "name": definition["name"],
            "language": definition["language"],
            "status": "PENDING",
            "category": str(definition["category"]).upper(),
            "parameter_format": definition.get("parameter_format", "positional"),
            "components": definition["components"],
        }
        stored.append(template)
        if self.config.auto_approve_templates:
            self._spawn(self._approve(waba_id, template))
        return JSONResponse(
            {"id": template["id"], "status": "PENDING", "category": template["category"]}
        )

    async def _approve(self, waba_id: str, template: dict[str, Any]) -> None:
        await asyncio.sleep(0.05)
        template["status"] = "APPROVED"
        await self.post_webhook(
            {
                "object": "whatsapp_business_account",
                "entry": [
                    {
                        "id": waba_id,
                        "time": int(time.time()),
                        "changes": [
                            {
                                "value": {
                                    "event": "APPROVED",
                                    "message_template_id": int(template["id"]),
                                    "message_template_name": template["name"],
                                    "message_template_language": template["language"],
                                    "reason": "NONE",
                                    "message_template_category": template["category"],
                                },
                                "field": "message_template_status_update",
                            }
                        ],
                    }
                ],
            }
        )

    # -- webhooks ---------------------------------------------------------------------------

    def _envelope(self, phone_number_id: str, value: dict[str, Any]) -> dict[str, Any]:
        return {
            "object": "whatsapp_business_account",
            "entry": [
                {
                    "id": self.config.waba_id,
                    "changes": [
                        {
                            "value": {
                                "messaging_product": "whatsapp",
                                "metadata": {
                                    "display_phone_number": self.config.display_phone_number,
                                    "phone_number_id": phone_number_id,
                                },
                                **value,
                            },
                            "field": "messages",
                        }
                    ],
                }
            ],
        }

    async def _status_ladder(self, phone_number_id: str, wamid: str, to: str) -> None:
        elapsed = 0.0
        for status, delay in zip(
            ("sent", "delivered", "read"), self.config.status_delays, strict=True
        ):
            if delay is None:
                return
            await asyncio.sleep(max(0.0, delay - elapsed))
            elapsed = delay
            await self.post_status_webhook(phone_number_id, wamid, to, status)

    async def post_status_webhook(
        self,
        phone_number_id: str,
        wamid: str,
        to: str,
        status: str,
        errors: list[dict[str, Any]] | None = None,
    ) -> None:
        entry: dict[str, Any] = {
            "id": wamid,
            "status": status,
            "timestamp": str(int(time.time())),
            "recipient_id": to,
        }
        if errors:
            entry["errors"] = errors
        elif status in ("sent", "delivered"):
            # As Meta: the conversation and pricing come with `sent` and one later status, the
            # expiry only with `sent` (reference §2.3). The simulator prices everything as
            # free service inside the customer's window.
            conversation: dict[str, Any] = {
                "id": f"conversation-{to}",
                "origin": {"type": "service"},
            }
            if status == "sent":
                conversation["expiration_timestamp"] = str(int(time.time()) + 24 * 3600)
            entry["conversation"] = conversation
            entry["pricing"] = {
                "billable": False,
                "pricing_model": "PMP",
                "type": "free_customer_service",
                "category": "service",
            }
        await self.post_webhook(self._envelope(phone_number_id, {"statuses": [entry]}))

    async def post_webhook(self, payload: dict[str, Any]) -> bool:
        """Signed like Meta's. The first attempt is awaited, so its caller learns whether
        PyTake acknowledged it; retries (as Meta's, but over a minute rather than 7 days) go
        on in the background."""
        if not self.config.webhook_url or self._http is None:
            return False
        body = json.dumps(payload).encode()
        headers = {"content-type": "application/json"}
        if self.config.app_secret:
            headers["x-hub-signature-256"] = sign(self.config.app_secret, body)
        outcome = await self._attempt_webhook(body, headers)
        if outcome is None:
            self._spawn(self._retry_webhook(body, headers))
        return outcome is True

    async def _attempt_webhook(self, body: bytes, headers: dict[str, str]) -> bool | None:
        """True when acknowledged, False when refused for good (4xx), None to retry."""
        assert self._http is not None
        try:
            response = await self._http.post(
                self.config.webhook_url or "", content=body, headers=headers
            )
        except httpx.HTTPError as error:
            logger.info("webhook post failed (%s); retrying", error)
            return None
        if response.status_code < 300:
            self.state.webhooks_posted += 1
            return True
        if response.status_code < 500:
            self.state.webhooks_failed += 1
            return False
        return None

    async def _retry_webhook(self, body: bytes, headers: dict[str, str]) -> None:
        for delay in WEBHOOK_RETRY_DELAYS:
            await asyncio.sleep(delay)
            if await self._attempt_webhook(body, headers) is not None:
                return
        self.state.webhooks_failed += 1

    # -- control plane ----------------------------------------------------------------------

    async def customer_message(self, request: Request) -> Response:
        """Play the customer: `{"phone_number_id": "...", "text": "hi"}`, or `button`,
        `button_reply`, `list_reply`, `image` (with `data_base64`), `reaction`, with optional
        `profile_name` and `context` (the wamid replied to)."""
        wa_id = digits(request.path_params["wa_id"])
        spec = await request.json()
        phone_number_id = str(spec.get("phone_number_id", ""))
        if not phone_number_id:
            return JSONResponse({"error": "phone_number_id is required"}, status_code=400)
        message = self._inbound_message(wa_id, spec)
        if message is None:
            return JSONResponse(
                {"error": "give one of text, button, button_reply, list_reply, image, reaction"},
                status_code=400,
            )
        now = time.time()
        message.update({"from": wa_id, "id": self._new_wamid(), "timestamp": str(int(now))})
        if spec.get("context"):
            message["context"] = {"from": self.config.display_phone_number, "id": spec["context"]}
        self.state.inbound[message["id"]] = message
        self.state.last_inbound_at[(phone_number_id, wa_id)] = now
        contact = {
            "profile": {"name": spec.get("profile_name") or f"Customer {wa_id[-4:]}"},
            "wa_id": wa_id,
        }
        delivered = await self.post_webhook(
            self._envelope(phone_number_id, {"contacts": [contact], "messages": [message]})
        )
        return JSONResponse({"wamid": message["id"], "delivered": delivered})

    def _inbound_message(self, wa_id: str, spec: dict[str, Any]) -> dict[str, Any] | None:
        if "text" in spec:
            return {"type": "text", "text": {"body": str(spec["text"])}}
        if "button" in spec:
            button = spec["button"]
            return {
                "type": "button",
                "button": {"payload": button["payload"], "text": button["text"]},
            }
        for reply in ("button_reply", "list_reply"):
            if reply in spec:
                return {"type": "interactive", "interactive": {"type": reply, reply: spec[reply]}}
        if "image" in spec:
            image = spec["image"]
            content = base64.b64decode(image.get("data_base64", ""))
            media_id = str(10**14 + next(self._ids))
            mime_type = image.get("mime_type", "image/jpeg")
            self.state.media[media_id] = (mime_type, content)
            body = {
                "id": media_id,
                "mime_type": mime_type,
                "sha256": hashlib.sha256(content).hexdigest(),
            }
            if image.get("caption"):
                body["caption"] = image["caption"]
            return {"type": "image", "image": body}
        if "reaction" in spec:
            return {"type": "reaction", "reaction": spec["reaction"]}
        return None

    async def add_fault(self, request: Request) -> Response:
        """`{"code": 130429, "times": 2}`; `{"http_status": 500}` for a bare server error;
        `{"delay_seconds": 30}` for a call that does not answer in time."""
        spec = await request.json()
        code = spec.get("code")
        fault = Fault(
            code=int(code) if code is not None else None,
            http_status=int(
                spec.get("http_status") or HTTP_STATUS.get(int(code or 0), 400 if code else 500)
            ),
            times=int(spec.get("times", 1)),
            delay_seconds=float(spec.get("delay_seconds", 0)),
            phone_number_id=spec.get("phone_number_id"),
            details=str(spec.get("details", "")),
        )
        self.state.faults.append(fault)
        return JSONResponse({"queued": len(self.state.faults)})

    async def post_status(self, request: Request) -> Response:
        """Report a status for a sent message, e.g. `{"status": "failed", "code": 131026}`."""
        wamid = request.path_params["wamid"]
        spec = await request.json()
        sent = next((m for m in self.state.sent if m.wamid == wamid), None)
        if sent is None:
            return JSONResponse({"error": f"no sent message {wamid}"}, status_code=404)
        errors = None
        if spec.get("code"):
            code = int(spec["code"])
            errors = [
                {
                    "code": code,
                    "title": TITLES.get(code, "Error"),
                    "error_data": {"details": spec.get("details", "")},
                }
            ]
        await self.post_status_webhook(
            sent.phone_number_id, wamid, sent.to, spec.get("status", "failed"), errors
        )
        return JSONResponse({"posted": True})

    async def list_sent(self, _: Request) -> Response:
        return JSONResponse(
            {
                "sent": [
                    {
                        "wamid": m.wamid,
                        "phone_number_id": m.phone_number_id,
                        "to": m.to,
                        "type": m.type,
                        "payload": m.payload,
                        "received_at": m.received_at,
                        "user_agent": m.user_agent,
                    }
                    for m in self.state.sent
                ],
                "read_receipts": self.state.read_receipts,
                "rejected": self.state.rejected,
                "webhooks_posted": self.state.webhooks_posted,
                "webhooks_failed": self.state.webhooks_failed,
            }
        )

    async def stats(self, _: Request) -> Response:
        """Counts only, cheap enough to poll while a load runs."""
        arrivals = [m.received_at for m in self.state.sent]
        return JSONResponse(
            {
                "sent": len(arrivals),
                "rejected": len(self.state.rejected),
                "read_receipts": len(self.state.read_receipts),
                "busiest_second": busiest_second(arrivals),
                "first_at": min(arrivals, default=None),
                "last_at": max(arrivals, default=None),
            }
        )

    async def reset(self, _: Request) -> Response:
        self.state = SimulatorState()
        return JSONResponse({"reset": True})
