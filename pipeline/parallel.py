"""Use both cores for work that is the same for many independent files."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator, Sequence
from typing import Any


def cores() -> int:
    return min(os.cpu_count() or 1, 4)


@contextlib.contextmanager
def meanwhile(function: Callable[[Any], Any], items: Sequence[Any], workers: int,
              chunksize: int = 4) -> Iterator[list[Any]]:
    """Run function over items in `workers` worker processes while the caller's block runs.

    The yielded list holds the results once the block has ended. With no workers (or
    nothing to do) the items run here, after the block. Workers are spawned, not forked:
    the parent may run threads (the progress bar). When no worker can be had, the same
    work runs here, serially: never lost.
    """
    results: list[Any] = []
    if workers < 1 or not items:
        yield results
        results.extend(function(item) for item in items)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    try:
        pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"))
        pending = pool.map(function, items, chunksize=chunksize)
    except OSError:
        pool, pending = None, None
    try:
        yield results
    finally:
        try:
            if pending is None:
                raise BrokenProcessPool("no worker processes")
            results.extend(pending)
        except (BrokenProcessPool, OSError):
            results[:] = [function(item) for item in items]
        finally:
            if pool is not None:
                pool.shutdown()

