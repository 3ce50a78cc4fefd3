"""The TLS settings of PyTake's outbound HTTPS clients (Meta's Graph API, flows' HTTP calls)."""

from __future__ import annotations

import functools
import ssl

import certifi


@functools.cache
def client_tls_context() -> ssl.SSLContext:
    """Certificate checking against certifi's bundle, as httpx does by default; made once per
    process, because reading the bundle costs tens of milliseconds per client."""
    return ssl.create_default_context(cafile=certifi.where())
