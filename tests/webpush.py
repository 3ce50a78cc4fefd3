"""The browser's side of Web Push, for tests: a subscription's keys as a browser makes them, a
local push service that records what PyTake posts to it, and the decryption a browser does
(RFC 8291), written out from the RFC with `cryptography` rather than with the library PyTake
encrypts with, so a wrong encryption cannot pass by agreeing with itself."""

from __future__ import annotations

import base64
import hmac
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import jwt
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF, HKDFExpand
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from tests.support import serving

SUBSCRIBE = (
    "mutation($input: PushSubscriptionAddInput!) { pushSubscriptionAdd(input: $input) { "
    "__typename ... on PushSubscriptionAddSuccess { subscription { id endpoint userAgent } } "
    "... on ValidationError { field message } } }"
)


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _public_bytes(key: ec.EllipticCurvePublicKey) -> bytes:
    return key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )


@dataclass
class Browser:
    """A browser's push subscription: its key pair and authentication secret."""

    endpoint: str
    private_key: ec.EllipticCurvePrivateKey = field(
        default_factory=lambda: ec.generate_private_key(ec.SECP256R1())
    )
    auth_secret: bytes = field(default_factory=lambda: os.urandom(16))

    def subscription(self) -> dict[str, Any]:
        """As PushSubscription.toJSON() gives it to the console."""
        return {
            "endpoint": self.endpoint,
            "p256dh": b64url(_public_bytes(self.private_key.public_key())),
            "auth": b64url(self.auth_secret),
            "userAgent": "Chromium test",
        }

    def decrypt(self, body: bytes) -> bytes:
        """RFC 8291 section 3.4 with RFC 8188's aes128gcm content coding, one record."""
        salt, record_size, key_id_length = body[:16], int.from_bytes(body[16:20]), body[20]
        sender_public = body[21 : 21 + key_id_length]
        ciphertext = body[21 + key_id_length :]
        assert len(ciphertext) <= record_size, "a push payload fits one record"
        sender_key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), sender_public)
        shared = self.private_key.exchange(ec.ECDH(), sender_key)
        receiver_public = _public_bytes(self.private_key.public_key())
        input_key = HKDF(
            hashes.SHA256(),
            32,
            salt=self.auth_secret,
            info=b"WebPush: info\x00" + receiver_public + sender_public,
        ).derive(shared)
        pseudo_random_key = _hkdf_extract(salt, input_key)
        content_key = HKDFExpand(hashes.SHA256(), 16, b"Content-Encoding: aes128gcm\x00").derive(
            pseudo_random_key
        )
        nonce = HKDFExpand(hashes.SHA256(), 12, b"Content-Encoding: nonce\x00").derive(
            pseudo_random_key
        )
        padded = AESGCM(content_key).decrypt(nonce, ciphertext, None)
        end = padded.rstrip(b"\x00")
        assert end.endswith(b"\x02"), "the last record ends with the delimiter 2"
        return end[:-1]


def _hkdf_extract(salt: bytes, input_key: bytes) -> bytes:
    return hmac.new(salt, input_key, "sha256").digest()


def vapid_claims(authorization: str, public_key: str) -> dict[str, Any]:
    """The VAPID token's claims (RFC 8292), checked against the key it names and that key
    against the one PyTake publishes."""
    scheme, _, parameters = authorization.partition(" ")
    assert scheme == "vapid", authorization
    values = dict(part.strip().split("=", 1) for part in parameters.split(","))
    assert values["k"] == public_key
    key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64url(values["k"]))
    return jwt.decode(values["t"], key, algorithms=["ES256"], options={"verify_aud": False})


@dataclass
class Pushed:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class PushService:
    """A push service on this machine: records every push, and answers with the statuses a
    test queues for a path (201 Created once they run out)."""

    url: str = ""
    received: list[Pushed] = field(default_factory=list)
    answers: dict[str, list[int]] = field(default_factory=dict)

    def endpoint(self, name: str) -> str:
        return f"{self.url}/push/{name}"

    def to(self, name: str) -> list[Pushed]:
        return [push for push in self.received if push.path == f"/push/{name}"]

    async def _receive(self, request: Request) -> Response:
        self.received.append(Pushed(request.url.path, dict(request.headers), await request.body()))
        queued = self.answers.get(request.path_params["name"])
        status = queued.pop(0) if queued else 201
        return Response(status_code=status)


@asynccontextmanager
async def push_service() -> AsyncIterator[PushService]:
    service = PushService()
    app = Starlette(routes=[Route("/push/{name}", service._receive, methods=["POST"])])
    async with serving(app) as url:
        service.url = url
        yield service
