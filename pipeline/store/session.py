"""A command's hold on the workspace: the run lock taken, a killed run's temp files
cleared, the ledger open (`masterplan run`, `tarik`, `book`, `quickwin`)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from ..workspace import Workspace
from .ledger import Ledger
from .lock import run_lock


@contextlib.contextmanager
def locked_ledger(ws: Workspace, wait_seconds: float,
                  create: bool = True) -> Iterator[Ledger | None]:
    """Under the run lock: the open ledger; None when there is none yet and `create` is
    False (nothing received yet, for the commands that only read it)."""
    with run_lock(ws.state, wait_seconds):
        remove_leftovers(ws)
        if not (create or ws.ledger_path.is_file()):
            yield None
            return
        ledger = Ledger(ws.ledger_path)
        try:
            yield ledger
        finally:
            ledger.close()


def remove_leftovers(ws: Workspace) -> None:
    """Temp files of a run that was killed: never whole, never referenced. Under the lock."""
    for folder, pattern in ((ws.output, ".*.tmp.*"), (ws.archive, ".incoming-*"),
                            (ws.archive, ".*.tmp.*")):
        if folder.is_dir():
            for leftover in folder.rglob(pattern):
                leftover.unlink(missing_ok=True)
