"""One run at a time per workspace: the run lock (`.masterplan/run.lock`)."""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from ..errors import OperatorError


class WorkspaceBusy(OperatorError):
    def __str__(self) -> str:
        return ("Proses lain sedang berjalan pada workspace ini (masterplan run). Tunggu sampai "
                "selesai lalu jalankan lagi.")


@contextlib.contextmanager
def run_lock(state_dir: Path, wait_seconds: float = 10.0) -> Iterator[None]:
    """One run per workspace: wait a little for another run, then refuse."""
    state_dir.mkdir(parents=True, exist_ok=True)
    with (state_dir / "run.lock").open("a+") as handle:
        deadline = time.monotonic() + wait_seconds
        while not _try_lock(handle.fileno()):
            if time.monotonic() >= deadline:
                raise WorkspaceBusy()
            time.sleep(0.2)
        try:
            yield
        finally:
            _unlock(handle.fileno())


# The operator's laptop may run Windows: msvcrt there, fcntl elsewhere. Both locks are
# released by the operating system when a killed run's process ends.
if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _try_lock(fd: int) -> bool:
        try:
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
            return True
        except OSError:
            return False

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            return False

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)
