"""The regular expressions flows match customers' words against, run by RE2.

Python's `re` backtracks: a pattern such as `^(a+)+$` takes exponential time on a text it almost
matches, and a flow matches every inbound message of its number inside the server's event loop,
so one organization's pattern could freeze every organization the process serves. RE2 runs in
time linear in the text whatever the pattern; it refuses the few constructs that need
backtracking (backreferences, lookaround), which validation reports when the flow is saved.
"""

from __future__ import annotations

import functools
from typing import Any

import re2

MAX_PATTERN_LENGTH = 500
# RE2 compiles within this memory budget or refuses the pattern as too large.
MAX_PROGRAM_BYTES = 1 << 20


class InvalidPattern(ValueError):
    pass


@functools.lru_cache(maxsize=1024)
def compiled(pattern: str) -> Any:
    """Case-insensitive, as keyword matching is; InvalidPattern says why RE2 refused it."""
    if len(pattern) > MAX_PATTERN_LENGTH:
        raise InvalidPattern(f"longer than {MAX_PATTERN_LENGTH} characters")
    options = re2.Options()
    options.case_sensitive = False
    options.log_errors = False
    options.max_mem = MAX_PROGRAM_BYTES
    try:
        return re2.compile(pattern, options)
    except re2.error as error:
        reason = error.args[0] if error.args else error
        if isinstance(reason, bytes):
            reason = reason.decode(errors="replace")
        raise InvalidPattern(str(reason)) from error


def pattern_problem(pattern: str) -> str | None:
    try:
        compiled(pattern)
    except InvalidPattern as problem:
        return f"'{pattern[:80]}' is not a valid regex: {problem}"
    return None


def found(pattern: str, text: str) -> bool:
    """Whether the pattern occurs in the text; a pattern RE2 refuses matches nothing."""
    try:
        return compiled(pattern).search(text) is not None
    except InvalidPattern:
        return False
