"""Work on untrusted files in worker processes that may die without taking this one along.

A reader fed a hostile file can do worse than raise: calamine's allocator aborts the whole
process when a grid does not fit, a parser may loop. `Pool` keeps worker processes warm
(spawned once, their imports done) and hands each one item at a time, so it always knows
which item a worker holds: when the worker dies (a signal, an exit), runs out of its
memory cap (a MemoryError) or overruns the time limit (it is killed), that item's result
is a `Crashed` and a fresh worker takes the dead one's place; every other item goes on.

Limits, per worker: `MEMORY_BUDGET` bytes of address space beyond what the warm worker
holds (RLIMIT_AS, where the platform has /proc/self/statm and RLIMIT_AS: Linux; elsewhere
the time limit alone), `TIME_LIMIT` seconds per item. The environment can set both
(`MASTERPLAN_READER_MEMORY_MB`, `MASTERPLAN_READER_SECONDS`): the tests use it to make a
real reader abort on a file within every other limit.
"""

from __future__ import annotations

import os
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from .parallel import ignore_interrupt, interrupts_held

MEMORY_BUDGET = 1 << 30  # bytes a worker may add to its warm size while reading one file
TIME_LIMIT = 45.0  # seconds for one item: an honest 5,000-row file takes ~1 s; an .xls/.ods
# identity is read by its own capped child within 30 s (read.foreign)
START_LIMIT = 120.0  # seconds for a new worker's imports, on a busy machine
RECYCLE_AFTER = 500  # items per worker, then a fresh one (a long serve's heap creep)


@dataclass(frozen=True)
class Crashed:
    """An item whose worker died, ran out of memory or time before it answered."""

    detail: str  # Indonesian, for the participant: what happened to the reader


def memory_budget() -> int:
    text = os.environ.get("MASTERPLAN_READER_MEMORY_MB")
    return int(float(text) * (1 << 20)) if text else MEMORY_BUDGET


def time_limit() -> float:
    text = os.environ.get("MASTERPLAN_READER_SECONDS")
    return float(text) if text else TIME_LIMIT


class _Worker:
    def __init__(self, context, warm: Callable[[], None] | None, budget: int) -> None:
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_serve, args=(child, warm, budget), daemon=True)
        with interrupts_held():
            self.process.start()
        child.close()
        self.done = 0
        self.ready = False  # it said so once its imports and memory cap were done
        self.task: tuple[int, float] | None = None  # (item index, deadline)

    def stop(self) -> None:
        self.conn.close()  # an idle worker ends at the end of its pipe
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)


class Pool:
    """Worker processes kept warm for `map`. Thread-safe: one map at a time."""

    def __init__(self, workers: int, warm: Callable[[], None] | None = None,
                 seconds: float | None = None) -> None:
        import multiprocessing

        self._size = max(1, workers)
        self._warm = warm
        self._seconds = seconds  # per item; None: time_limit()
        self._context = multiprocessing.get_context("spawn")
        self._workers: list[_Worker] = []
        self._lock = threading.Lock()

    def start(self, count: int | None = None) -> None:
        """Have `count` workers (all by default) started, so the first map does not wait."""
        with self._lock:
            self._grow(self._size if count is None else min(count, self._size))

    def map(self, function: Callable[[Any], Any], items: Sequence[Any]) -> list[Any]:
        """function(item) for every item, in order, each in a worker; an item whose worker
        died, ran out of memory or time is a `Crashed`. Raises OSError when a worker
        process cannot be started or dies before it is ready: the machine's fault, not
        the item's."""
        with self._lock:
            try:
                return self._map(function, items)
            except BaseException:  # OSError, Ctrl-C: no worker is left holding an item
                self._stop_all()
                raise

    def map_or_here(self, function: Callable[[Any], Any], items: Sequence[Any]) -> list[Any]:
        """`map`, or, when no worker process can be started (the machine's fault, not the
        items'), function(item) for each item in this process, a MemoryError being that
        item's `Crashed`: the work is never lost."""
        try:
            return self.map(function, items)
        except OSError:
            return [_here(function, item) for item in items]

    def close(self) -> None:
        # At exit a map may still be running in another thread (a daemon watcher): its
        # workers are stopped all the same, and its wait ends with their pipes.
        locked = self._lock.acquire(timeout=5)
        try:
            self._stop_all()
        finally:
            if locked:
                self._lock.release()

    def _stop_all(self) -> None:
        for worker in self._workers:
            worker.stop()
        self._workers.clear()

    def _grow(self, count: int) -> None:
        while len(self._workers) < count:
            self._workers.append(_Worker(self._context, self._warm, memory_budget()))

    def _map(self, function: Callable[[Any], Any], items: Sequence[Any]) -> list[Any]:
        from multiprocessing.connection import wait

        results: list[Any] = [None] * len(items)
        waiting = deque(range(len(items)))
        limit = time_limit() if self._seconds is None else self._seconds
        self._grow(min(self._size, len(items)))
        while waiting or any(w.task for w in self._workers):
            for worker in list(self._workers):
                if waiting and worker.task is None:
                    self._hand(worker, function, items, waiting, limit)
            busy = [w for w in self._workers if w.task]
            deadline = min(w.task[1] for w in busy)
            ready = wait([w.conn for w in busy] + [w.process.sentinel for w in busy],
                         timeout=max(0.0, deadline - time.monotonic()))
            for worker in busy:
                index = worker.task[0]
                if worker.conn in ready or worker.process.sentinel in ready:
                    outcome = _receive(worker)
                    if outcome is _READY:  # the item's time starts now
                        worker.task = (index, time.monotonic() + limit)
                        continue
                elif time.monotonic() >= worker.task[1]:
                    if not worker.ready:
                        raise OSError("reader process did not start in time")
                    outcome = Crashed(f"melewati batas waktu {limit:g} detik")
                else:
                    continue
                results[index] = outcome
                worker.task = None
                worker.done += 1
                if isinstance(outcome, Crashed) or worker.done >= RECYCLE_AFTER:
                    self._replace(worker)
        return results

    def _hand(self, worker: _Worker, function, items, waiting: deque, limit: float) -> None:
        index = waiting.popleft()
        try:
            worker.conn.send((function, items[index]))
        except (OSError, ValueError):  # died while idle: its successor takes the item
            waiting.appendleft(index)
            self._replace(worker)
            return
        worker.task = (index, time.monotonic() + (limit if worker.ready else START_LIMIT))

    def _replace(self, worker: _Worker) -> None:
        worker.stop()
        self._workers[self._workers.index(worker)] = _Worker(self._context, self._warm,
                                                             memory_budget())


_READY = object()


def _here(function: Callable[[Any], Any], item: Any) -> Any:
    try:
        return function(item)
    except MemoryError:
        return Crashed("kehabisan memori")


def _receive(worker: _Worker) -> Any:
    """The worker's next message: its answer, _READY, or a Crashed when it died."""
    try:
        kind, value = worker.conn.recv()
    except (EOFError, OSError):  # the pipe ended: the worker died
        if not worker.ready:
            raise OSError(f"reader process did not start: {_death(worker.process)}") \
                from None
        return Crashed(_death(worker.process))
    if kind == "ready":
        worker.ready = True
        return _READY
    return Crashed(value) if kind == "crashed" else value


def _death(process) -> str:
    process.join(5)
    code = process.exitcode
    if code is not None and code < 0:
        import signal

        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = str(-code)
        return f"proses pembaca mati mendadak, {name}"
    return f"proses pembaca keluar dengan kode {code}"


def _serve(conn, warm: Callable[[], None] | None, budget: int) -> None:
    """A worker: import what the work needs, cap memory, then answer items until the
    pipe ends. A MemoryError is an answer too (the item exhausted the cap); the parent
    replaces a worker after it."""
    ignore_interrupt()
    # A dying reader's last words (a Rust allocator's backtrace) are not the operator's
    # business: the parent reports the death in one line.
    os.dup2(os.open(os.devnull, os.O_WRONLY), 2)
    if warm is not None:
        warm()
    _cap_memory(budget)
    conn.send(("ready", None))
    while True:
        try:
            function, item = conn.recv()
        except (EOFError, OSError):
            return
        try:
            answer: tuple[str, Any] = ("done", function(item))
        except MemoryError:
            answer = ("crashed", "kehabisan memori")
        except Exception as exc:  # the function's own bug: that item fails, not the pool
            answer = ("crashed", f"galat pembaca {type(exc).__name__}")
        try:
            conn.send(answer)
        except MemoryError:
            conn.send(("crashed", "kehabisan memori"))


def _cap_memory(budget: int) -> None:
    try:
        import resource

        with open("/proc/self/statm", encoding="ascii") as statm:
            held = int(statm.read().split()[0]) * resource.getpagesize()
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        cap = held + budget if hard == resource.RLIM_INFINITY else min(held + budget, hard)
        resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    except (ImportError, OSError, ValueError):  # no such limit here: the time limit only
        pass
