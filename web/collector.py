"""The garbage collector's settings for a long-running PyTake process (decision 0020).

An idle subscription is a few hundred Python objects that live as long as its WebSocket: at
10,000 subscriptions a process holds over two million. CPython's default collector scans
the whole heap in its full collections, and at that size one took two seconds, during which
no event reached any dashboard. Its young collections, every 700 allocations, also promoted
the short-lived objects of a fan-out (one per subscriber) into the older generations, which
is what brought the full collections on.
"""

from __future__ import annotations

import gc

YOUNG_GENERATION_THRESHOLD = 50_000
"""Allocations between young collections: a fan-out's objects die before one comes."""


def settle_for_serving() -> None:
    """Moves what exists now (modules, the schema, the configuration: all alive until the
    process ends) out of the collector's sight, and lets the young generation grow larger.
    Cycles made later are collected as before. Called once, in the process's entry point,
    never where a test suite builds many servers in one process."""
    gc.collect()
    gc.freeze()
    _, middle, oldest = gc.get_threshold()
    gc.set_threshold(YOUNG_GENERATION_THRESHOLD, middle, oldest)
