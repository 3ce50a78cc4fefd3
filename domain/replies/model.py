"""Canned responses: a team's ready answers, each with a shortcut an agent types."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from domain.errors import InvalidInput

SHORTCUT = re.compile(r"[a-z0-9][a-z0-9_-]{0,31}")
MAX_TITLE = 100
MAX_BODY = 4096
"""Meta's limit on a text message's body."""


@dataclass(frozen=True)
class CannedResponse:
    id: UUID
    organization_id: UUID
    shortcut: str
    """Typed after "/" in the composer: lower case letters, digits, "-" and "_"."""
    title: str
    body: str
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class CannedDraft:
    shortcut: str
    title: str
    body: str


def checked_draft(draft: CannedDraft) -> CannedDraft:
    shortcut = draft.shortcut.strip().lstrip("/").lower()
    if not SHORTCUT.fullmatch(shortcut):
        raise InvalidInput(
            "shortcut has 1 to 32 lower-case letters, digits, '-' or '_', starting with a "
            "letter or digit",
            field="shortcut",
        )
    title = " ".join(draft.title.split())
    if not 1 <= len(title) <= MAX_TITLE:
        raise InvalidInput(f"title has 1 to {MAX_TITLE} characters", field="title")
    body = draft.body.strip()
    if not 1 <= len(body) <= MAX_BODY:
        raise InvalidInput(f"body has 1 to {MAX_BODY} characters", field="body")
    return CannedDraft(shortcut, title, body)
