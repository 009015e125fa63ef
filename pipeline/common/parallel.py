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

    The yielded list holds the results, in the order of items, once the block has ended.
    Items no worker has started by then are run here (last first), so this process
    helps instead of waiting. With no workers (or nothing to do) every item runs here,
    after the block. Workers are spawned, not forked: the parent may run threads (the
    progress bar). When no worker can be had, the same work runs here: never lost. When
    the block or the waiting ends in an exception (Ctrl-C), the queued work is dropped.
    """
    results: list[Any] = []
    if workers < 1 or not items:
        yield results
        results.extend(function(item) for item in items)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    chunks = [list(items[i:i + chunksize]) for i in range(0, len(items), chunksize)]
    pool = futures = None
    finished = False
    try:
        try:
            with interrupts_held():  # the workers start here, at the first submits
                pool = ProcessPoolExecutor(workers, initializer=ignore_interrupt,
                                           mp_context=multiprocessing.get_context("spawn"))
                futures = [pool.submit(_run_chunk, function, chunk) for chunk in chunks]
        except OSError:
            futures = None
        yield results
        try:
            if futures is None:
                raise BrokenProcessPool("no worker processes")
            done: list[list[Any] | None] = [None] * len(chunks)
            for index in reversed(range(len(chunks))):
                if futures[index].cancel():  # not started: do it here
                    done[index] = _run_chunk(function, chunks[index])
            for index, future in enumerate(futures):
                if done[index] is None:
                    done[index] = future.result()
            results.extend(result for chunk in done for result in chunk)
        except (BrokenProcessPool, OSError):
            results[:] = [function(item) for item in items]
        finished = True
    finally:
        if pool is not None:
            # Stopped early (Ctrl-C, an error here): drop the queued work; the workers
            # finish the item in hand (each output is written to a temp file and
            # renamed, so never half) and exit.
            pool.shutdown(cancel_futures=not finished)


# Ctrl-C reaches every process of the terminal's group. Workers leave it to the main
# process, which stops them, so no worker prints a traceback of its own. While workers
# are started SIGINT is blocked (held, not lost: this process gets it right after): a
# worker inherits the blocked signal through exec, so Ctrl-C cannot interrupt it even
# while it starts and imports, before the initializer ignores SIGINT for good (which
# alone covers platforms without signal masks).


@contextlib.contextmanager
def interrupts_held() -> Iterator[None]:
    import signal

    if not hasattr(signal, "pthread_sigmask"):  # Windows
        yield
        return
    from multiprocessing import resource_tracker

    # Started now, not inside: starting it unblocks SIGINT (after passing on the block).
    resource_tracker.ensure_running()
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def ignore_interrupt() -> None:
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _run_chunk(function: Callable[[Any], Any], chunk: list[Any]) -> list[Any]:
    return [function(item) for item in chunk]
