"""`masterplan watch`: answer each file in the inbox as soon as its copy is complete.

One warm process (the data stack imported once, the ledger open) follows `inbox/` with
watchfiles (file events, or polling for network and USB folders where events do not
arrive). A file counts as complete when its size and modification time stay the same
across two looks STABLE_SECONDS apart: WhatsApp Desktop, USB and Explorer copies are not
atomic. Then, in two steps:

1. verdict: the inbox is ingested (only new bytes are judged; the rest is re-used from
   the ledger) and the feedback workbooks not yet written are written, so each new
   file's verdict line and feedback workbook follow within about a second;
2. refresh: after QUIET_SECONDS without new events, the same `workflow.run` as
   `masterplan run` writes the reports, rekap, CSVs and the status board; ten files
   arriving together cause one refresh, not ten.

Each step holds the workspace's run lock only while it runs, so `run`, `status`, `check`
and `tarik` keep working beside the watcher; when another process holds the lock, the
step waits and tries again. No failure ends the watcher: a step that raises is told in
one Indonesian line naming the cause and the fix (`stall_of`: disk full, a file or
folder in the way, no permission...), kept in `Watcher.stall` (the upload page and the
board say so meanwhile) and tried again after a growing pause; once it works, everything
that waited is judged. All work runs with SIGINT held back (and so do the worker
processes it starts, which inherit the mask): Ctrl-C is taken between steps, never
halfway through writing.
"""

from __future__ import annotations

import contextlib
import errno
import queue
import signal
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path

from . import workflow
from .catalogue import ConsoleLine, Stall
from .config import ConfigError
from .errors import OutputInUse
from .results import FileRecord, RunReport
from .rules.judge import start_readers
from .store.guard import ConfigWouldDrop
from .store.inbox import ignore_code
from .store.ledger import Ledger
from .store.lock import WorkspaceBusy
from .workspace import Workspace
from .write.board import mark_stalled
from .write.feedback.folder import feedback_of

STABLE_SECONDS = 0.35  # size and mtime unchanged this long: the copy is complete
QUIET_SECONDS = 1.0  # no new event this long: refresh the outputs
RETRY_SECONDS = 1.0  # the lock was busy, or a step failed: try again after this
MAX_RETRY_SECONDS = 15.0  # a step failing again and again: tried at least this often
TICK_MS = 100  # how often the loop looks at pending files when no event arrives


@dataclass
class Verdict:
    """One judged file, for the verdict line."""

    record: FileRecord  # the ledger's record of the file (path, status, reason, opd, ...)
    feedback: Path | None  # its feedback workbook, when it has one
    problems: list = field(default_factory=list)  # its problems (catalogue.Problem)


@dataclass
class Events:
    """What the watcher tells its caller (the CLI prints these)."""

    verdicts: Callable[[list[Verdict]], None]
    refreshed: Callable[[RunReport], None]
    waiting: Callable[[str], None]  # an Indonesian sentence: why a step waits


_UNSEEN = (-1, -1)


@dataclass
class _Pending:
    signature: tuple[int, int]  # (size, mtime_ns) when last looked at
    since: float  # monotonic time the signature was first seen


class Watcher:
    def __init__(self, ws: Workspace, events: Events, polling: bool = False):
        self.ws = ws
        self.events = events
        self.polling = polling
        self.stop = threading.Event()
        self.pending: dict[str, _Pending] = {}
        # Files handed in by `masterplan serve` (whole when handed), and whose answer waits:
        # filled from other threads through the queue, read by this one only.
        self.handed_in: queue.SimpleQueue[tuple[str, Future]] = queue.SimpleQueue()
        self.awaited: dict[str, Future] = {}
        # Uploads about to appear whole (a hard link of a complete staged file) and be
        # handed in: their file event must not make them wait as a copy in progress
        # would (and hold back every other arrival with them). Set by the serving thread.
        self.arriving: set[str] = set()
        self.refresh_due = False
        self.last_event = 0.0
        self.retry_at = 0.0
        self.ledger: Ledger | None = None
        # Why the last step failed (read by the upload page from another thread), while
        # the steps fail; None while they work.
        self.stall: Stall | None = None
        self.stalled_step = ""  # "verdicts", "refresh" or "follow": the step that failed
        self.failures = 0

    # --- the loop -------------------------------------------------------------------------

    def run(self) -> None:
        """Refresh once (whatever arrived while nobody watched), then follow the inbox
        until stop is set (SIGINT sets it). Nothing ends it early: a step that fails is
        told (one line, `_stalled`) and tried again."""
        if hasattr(signal, "pthread_sigmask"):
            # multiprocessing starts its resource tracker with the first worker process,
            # and unblocks SIGINT in this process when it does: started here, before any
            # step holds SIGINT back, it leaves the held signal alone.
            from multiprocessing import resource_tracker

            resource_tracker.ensure_running()
        start_readers()  # warm reader processes before the first file (rules.judge)
        # The first tick (after TICK_MS, with the watcher already following the inbox, so
        # nothing copied meanwhile is missed) runs the first refresh.
        self.refresh_due, self.last_event = True, -QUIET_SECONDS
        while not self.stop.is_set():
            try:
                self._follow()
                self.stop.wait(RETRY_SECONDS)  # (the inbox's watch ended: start it again)
            except Exception as exc:  # noqa: BLE001 (told, then tried again)
                self._stalled(exc, "follow")
                self.stop.wait(self.retry_at - time.monotonic())

    def _follow(self) -> None:
        import watchfiles

        self.ws.inbox.mkdir(parents=True, exist_ok=True)
        self.ledger = Ledger(self.ws.ledger_path)
        try:
            for changes in watchfiles.watch(
                    self.ws.inbox, watch_filter=None, debounce=TICK_MS * 3, step=TICK_MS // 2,
                    rust_timeout=TICK_MS, yield_on_timeout=True, stop_event=self.stop,
                    force_polling=self.polling or None, poll_delay_ms=TICK_MS * 2,
                    raise_interrupt=False):
                now = time.monotonic()
                for _, path in changes:
                    self._changed(Path(path), now)
                if not self.stop.is_set():
                    self._step(now)
        finally:
            self.ledger.close()

    def _changed(self, path: Path, now: float) -> None:
        self.refresh_due = True
        self.last_event = now
        try:
            rel = path.resolve().relative_to(self.ws.inbox.resolve()).as_posix()
        except (ValueError, OSError):
            return
        # Lock and temp files get no verdict line; the refresh records them. A handed-in
        # file was whole before it was handed in: no need to wait for its copy.
        if rel in self.awaited or rel in self.arriving:
            return
        if ignore_code(rel) is None and path.is_file() and not path.is_symlink():
            self.pending[rel] = _Pending(_UNSEEN, now)  # (changed again: starts over)

    def expect(self, rel: str, coming: bool = True) -> None:
        """`rel` is about to appear whole and be handed in (or, coming=False, will not
        after all). Thread-safe."""
        if coming:
            self.arriving.add(rel)
        else:
            self.arriving.discard(rel)

    def hand_in(self, rel: str) -> Future:
        """A whole file just put into the inbox (`rel`: relative to it) by another thread;
        the future gets its Verdict once judged. Thread-safe."""
        answer: Future = Future()
        self.handed_in.put((rel, answer))
        return answer

    def _take_handed_in(self) -> None:
        while True:
            try:
                rel, answer = self.handed_in.get_nowait()
            except queue.Empty:
                return
            self.awaited[rel] = answer
            self.arriving.discard(rel)
            self.refresh_due = True
            try:
                info = (self.ws.inbox / rel).stat()
            except OSError as exc:
                self.awaited.pop(rel).set_exception(exc)
                continue
            self.pending[rel] = _Pending((info.st_size, info.st_mtime_ns), -STABLE_SECONDS)

    def _step(self, now: float) -> None:
        self._take_handed_in()
        if now < self.retry_at:
            return
        self._look_at_files(now)
        refreshing = False
        try:
            with _sigint_held():
                if self.pending and self._all_stable(now):
                    self._verdicts(list(self.pending))
                    self._recovered("verdicts")
                elif self.refresh_due and not self.pending and \
                        now - self.last_event >= QUIET_SECONDS:
                    refreshing = True
                    summary = workflow.run(self.ws, wait_seconds=0)
                    self.refresh_due = False
                    self._recovered("refresh")
                    self.events.refreshed(summary)
        except WorkspaceBusy:
            self.events.waiting(ConsoleLine.WORKSPACE_DIPAKAI.render())
            self.retry_at = time.monotonic() + RETRY_SECONDS
        except (ConfigError, ConfigWouldDrop) as exc:
            self.events.waiting(_message(exc))
            self.retry_at = time.monotonic() + RETRY_SECONDS
        except Exception as exc:  # noqa: BLE001 (told, then tried again)
            if refreshing and isinstance(exc, PermissionError):
                # An output open in Excel (Windows locks it): the verdicts go on meanwhile.
                self.events.waiting(_message(exc))
                self.retry_at = time.monotonic() + RETRY_SECONDS
            else:
                self._stalled(exc, "refresh" if refreshing else "verdicts")

    # --- when a step fails ------------------------------------------------------------------

    def _stalled(self, exc: Exception, step: str) -> None:
        """One line naming the cause and the fix; the page and the board say the watcher
        cannot judge; the step is tried again after a growing pause."""
        stall, line = stall_of(exc)
        self.stall, self.stalled_step = stall, step
        self.failures += 1
        self.refresh_due = True  # once it works again, the board is written anew
        self.retry_at = time.monotonic() + min(
            MAX_RETRY_SECONDS, RETRY_SECONDS * 2 ** (self.failures - 1))
        self.events.waiting(line)
        with contextlib.suppress(Exception):  # the board itself may be what is in the way
            mark_stalled(self.ws.output, stall.notice)

    def _recovered(self, step: str) -> None:
        """The step that failed (or any, after the inbox's watch itself failed) worked."""
        if self.stall is not None and self.stalled_step in (step, "follow"):
            self.stall, self.failures = None, 0
            self.events.waiting(Stall.PULIH.render())

    # --- stable files -----------------------------------------------------------------------

    def _look_at_files(self, now: float) -> None:
        """Note each pending file's size and mtime; drop the ones that vanished."""
        for rel, seen in list(self.pending.items()):
            try:
                info = (self.ws.inbox / rel).stat()
            except OSError as exc:
                del self.pending[rel]
                if rel in self.awaited:
                    self.awaited.pop(rel).set_exception(exc)
                continue
            signature = (info.st_size, info.st_mtime_ns)
            if signature != seen.signature:
                self.pending[rel] = _Pending(signature, now)

    def _all_stable(self, now: float) -> bool:
        # All at once: a file still being copied beside a complete one would otherwise
        # be archived and judged half-written.
        return all(seen.signature != _UNSEEN and now - seen.since >= STABLE_SECONDS
                   for seen in self.pending.values())

    # --- step 1: verdicts -------------------------------------------------------------------

    def _verdicts(self, rels: list[str]) -> None:
        result = workflow.judge_arrivals(self.ws, self.ledger)
        for rel in result.still_copying:
            self.pending[rel] = _Pending(_UNSEEN, time.monotonic())
        done = set(rels) - set(result.still_copying)
        for rel in done:
            self.pending.pop(rel, None)
        verdicts = [Verdict(record, feedback_of(self.ws.output, record.path),
                            result.problems.get(record.path, []))
                    for record in result.files if record.path in done]
        if verdicts:
            self.events.verdicts(verdicts)
        for verdict in verdicts:
            if verdict.record.path in self.awaited:
                self.awaited.pop(verdict.record.path).set_result(verdict)


def _message(exc: Exception) -> str:
    if isinstance(exc, PermissionError):
        return str(OutputInUse(exc.filename, "Tutup berkas itu; pemantauan mencoba lagi."))
    return f"{exc} Pemantauan mencoba lagi setelah masterplan.toml diperbaiki."


def stall_of(exc: Exception) -> tuple[Stall, str]:
    """Why a step failed, as a catalogue.Stall, and its one line for the console."""
    # A rename's target (filename2) is what stands in the way, not the temp file.
    path = getattr(exc, "filename2", None) or getattr(exc, "filename", None) or "-"
    number = getattr(exc, "errno", None)
    if number in (errno.ENOSPC, errno.EDQUOT):
        stall = Stall.DISK_PENUH
    elif number in (errno.EMFILE, errno.ENFILE):
        stall = Stall.BERKAS_TERBUKA_HABIS
    elif number in (errno.EACCES, errno.EPERM, errno.EROFS):
        stall = Stall.TANPA_IZIN
    elif number in (errno.EISDIR, errno.ENOTDIR, errno.EEXIST, errno.ENOTEMPTY):
        stall = Stall.TERHALANG
    else:
        detail = f"{type(exc).__name__}: {exc}"[:200]
        return Stall.TAK_TERDUGA, Stall.TAK_TERDUGA.render(detail=detail)
    return stall, stall.render(path=path)


@contextlib.contextmanager
def _sigint_held() -> Iterator[None]:
    """Hold SIGINT back while a step writes; it is delivered (and stops the watcher)
    when the step is done. Worker processes started meanwhile inherit the held signal,
    so Ctrl-C in the terminal does not interrupt them either."""
    if not hasattr(signal, "pthread_sigmask"):  # Windows: Ctrl-C arrives between steps
        yield
        return
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def watch(ws: Workspace, events: Events, polling: bool = False) -> None:
    """Follow the inbox until Ctrl-C (SIGINT) or SIGTERM; returns normally then."""
    watcher = Watcher(ws, events, polling)

    def stop(signum, frame) -> None:
        watcher.stop.set()

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        watcher.run()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)

