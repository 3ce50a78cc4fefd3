"""A serving process's collector: what exists at startup is never scanned again, and a
fan-out's short-lived objects die young."""

from __future__ import annotations

import gc

from web.collector import YOUNG_GENERATION_THRESHOLD, settle_for_serving


class Startup:
    """An object alive when the process settles, like a module or the schema."""


def test_serving_freezes_the_startup_heap_and_widens_the_young_generation() -> None:
    threshold = gc.get_threshold()
    startup_object = Startup()
    try:
        settle_for_serving()

        assert gc.get_freeze_count() > 0
        assert gc.get_threshold() == (YOUNG_GENERATION_THRESHOLD, threshold[1], threshold[2])
        assert startup_object not in gc.get_objects(), "a startup object is still scanned"
    finally:
        gc.unfreeze()
        gc.set_threshold(*threshold)
