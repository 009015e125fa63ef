"""Atomic output: write to a temp file beside the target, then rename over it.

A crash never leaves a half-written workbook; the previous one stays until the new one
is whole.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def atomic_path(target: Path, durable: bool = False) -> Iterator[Path]:
    """Yield a temp path to write; on success it replaces `target` in one step (durable:
    the rename itself survives a power cut too, as the archive needs)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    # Unique per call: threads of one process may write the same target at once (the
    # archive's copies of identical bytes), and must not share a temp file.
    tmp = target.with_name(f".{target.stem}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp"
                           f"{target.suffix}")
    try:
        yield tmp
        with open(tmp, "rb+") as handle:
            os.fsync(handle.fileno())
        place(tmp, target) if durable else os.replace(tmp, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def place(tmp: Path | str, target: Path) -> None:
    """Rename a whole, fsynced temp file over `target`, and make the rename durable."""
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(tmp, target)
    fsync_dir(target.parent)


def fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def write_text(target: Path, text: str) -> None:
    with atomic_path(target) as tmp:
        tmp.write_text(text, "utf-8")


def write_bytes_atomic(target: Path, data: bytes) -> None:
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)
