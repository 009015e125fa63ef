"""Use both cores for work that is the same for many independent files."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import Any


def map_on_cores(function: Callable[[Any], Any], items: Sequence[Any], min_items: int,
                 chunksize: int = 4) -> list[Any]:
    """function over items, in worker processes when there are at least min_items.

    Workers are spawned, not forked: the parent may run threads (the progress bar).
    When no worker can be had, the same work runs here, serially: never lost.
    """
    workers = min(os.cpu_count() or 1, 4)
    if len(items) < min_items or workers < 2:
        return [function(item) for item in items]
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    try:
        with ProcessPoolExecutor(workers,
                                 mp_context=multiprocessing.get_context("spawn")) as pool:
            return list(pool.map(function, items, chunksize=chunksize))
    except (BrokenProcessPool, OSError):
        return [function(item) for item in items]
