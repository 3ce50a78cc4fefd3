"""The languages PyTake talks to customers in: ready-made flows, and the texts it writes."""

from __future__ import annotations

from domain.errors import InvalidInput

LANGUAGES = ("pt-BR", "en")
DEFAULT_LANGUAGE = "pt-BR"
"""Most of PyTake's organizations talk to their customers in Brazilian Portuguese."""


def checked_language(language: str) -> str:
    if language not in LANGUAGES:
        raise InvalidInput(f"language is one of {', '.join(LANGUAGES)}", field="language")
    return language
