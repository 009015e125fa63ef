"""`masterplan serve`'s notice in the workspace (`.masterplan/layanan.json`): the upload
page's address while a server runs, so the board of every run, a `masterplan run` from
another terminal too, shows where to hand in files."""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path

from ..common.atomic import write_text

SERVICE_FILE = "layanan.json"


def announce(state_dir: Path, url: str) -> None:
    state_dir.mkdir(parents=True, exist_ok=True)
    write_text(state_dir / SERVICE_FILE, json.dumps({"alamat": url, "pid": os.getpid()}))


def withdraw(state_dir: Path) -> None:
    """The server stopped: its notice goes (only its own)."""
    path = state_dir / SERVICE_FILE
    with contextlib.suppress(OSError, ValueError):
        if json.loads(path.read_text("utf-8")).get("pid") == os.getpid():
            path.unlink()


def upload_url(state_dir: Path) -> str | None:
    """The address of the server running on this workspace now, if one is (a notice left
    by a server that was killed names a process that is gone, and is ignored)."""
    try:
        notice = json.loads((state_dir / SERVICE_FILE).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    import psutil

    pid, url = notice.get("pid"), notice.get("alamat")
    return url if isinstance(pid, int) and isinstance(url, str) and psutil.pid_exists(pid) \
        else None
