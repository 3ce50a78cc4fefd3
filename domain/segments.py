"""Kinds of business PyTake has ready-made flows for; an organization says which it is."""

from __future__ import annotations

from domain.errors import InvalidInput

SEGMENTS = ("retail", "services", "health", "education", "restaurants")


def checked_segment(segment: str) -> str:
    if segment not in SEGMENTS:
        raise InvalidInput(f"segment is one of {', '.join(SEGMENTS)}", field="segment")
    return segment
