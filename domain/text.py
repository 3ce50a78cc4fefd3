"""Text as the databases can store it: neither PostgreSQL nor SQLite (through Python's UTF-8
encoding) holds a NUL or a lone surrogate, and JSON lets a sender write both."""

from __future__ import annotations

import re
from typing import Any

REPLACEMENT = "\ufffd"
"""U+FFFD, what an unstorable character becomes when the text must be kept."""

UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
"""What neither database can store in text: NUL, and the lone surrogates that JSON's \\u
escapes can produce (a valid pair is decoded into one character)."""


def storable(value: Any) -> tuple[Any, int]:
    """The value with every unstorable character in its strings (keys too) replaced, and how
    many were."""
    if not isinstance(value, str):
        text = repr(value)
        # repr walks the value in C and escapes both as \x00 and \udXXX: almost no payload
        # holds either, and those are walked below.
        if "\\x00" not in text and "\\ud" not in text:
            return value, 0
    if isinstance(value, str):
        return UNSTORABLE.subn(REPLACEMENT, value)
    if isinstance(value, dict):
        cleaned: dict[Any, Any] = {}
        total = 0
        for key, item in value.items():
            clean_key, in_key = storable(key)
            clean_item, in_item = storable(item)
            cleaned[clean_key] = clean_item
            total += in_key + in_item
        return cleaned, total
    if isinstance(value, list):
        items = [storable(item) for item in value]
        return [item for item, _ in items], sum(count for _, count in items)
    return value, 0
