"""The languages PyTake talks to customers in: ready-made flows, and the texts it writes."""

from __future__ import annotations

LANGUAGES = ("pt-BR", "en")
DEFAULT_LANGUAGE = "pt-BR"
"""Most of PyTake's organizations talk to their customers in Brazilian Portuguese."""
