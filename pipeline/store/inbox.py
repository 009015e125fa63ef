"""The inbox as the ingest sees it: its files in arrival order, the links found in it
(never followed), the names that are never a submission, and each file's bytes archived.
The inbox is never modified."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .. import layout
from ..catalogue import Code
from ..workspace import Workspace
from .archive import archive_copy

# Names participants' machines leave behind; never a submission.
_TEMP_SUFFIXES = (*layout.TEMP_SUFFIXES, "~")
_TEMP_NAMES = {"thumbs.db", "desktop.ini", ".ds_store"}


@dataclass
class Seen:
    rel: str  # path relative to the inbox, with forward slashes
    path: Path
    size: int = 0
    mtime: float = 0.0
    sha256: str = ""
    archived: Path | None = None
    known: bool = False  # its bytes were judged before (another config, another name)


def ignore_code(rel: str) -> Code | None:
    parts = rel.split("/")
    name = parts[-1]
    if name.startswith("~$"):
        return Code.BERKAS_KUNCI
    lowered = name.lower()
    if (any(p.startswith(".") for p in parts) or lowered in _TEMP_NAMES
            or lowered.endswith(_TEMP_SUFFIXES) or name.startswith("~")
            or "__macosx" in (p.lower() for p in parts)):
        return Code.BERKAS_SEMENTARA
    return None


def scan(inbox: Path) -> tuple[list[Seen], list[tuple[str, str]]]:
    """Files under the inbox, and links found (not followed): (rel, target)."""
    files: list[Seen] = []
    links: list[tuple[str, str]] = []
    for dirpath, dirnames, filenames in os.walk(inbox, followlinks=False):
        base = Path(dirpath)
        for name in sorted(dirnames):
            if (base / name).is_symlink():
                links.append((_rel(inbox, base / name), os.readlink(base / name)))
        dirnames.sort()
        for name in sorted(filenames):
            path = base / name
            rel = _rel(inbox, path)
            if path.is_symlink():
                links.append((rel, os.readlink(path)))
            elif path.is_file():
                files.append(Seen(rel, path, mtime=path.stat().st_mtime))
    # Arrival order: file time, then name (shortest stem first, so 'X.xlsx' comes before
    # its copies 'X - Copy.xlsx' and 'X (1).xlsx', which keep its time on Windows). The
    # ledger numbers files in this order: of identical bytes the first one counts, and of
    # two plans of one OPD the later one is the newer.
    files.sort(key=lambda seen: (seen.mtime, Path(seen.rel).stem, seen.rel))
    return files, links


def _rel(inbox: Path, path: Path) -> str:
    return path.relative_to(inbox).as_posix()


def archive(ws: Workspace, seen: Seen) -> bool:
    """Archive a file's bytes; False when it changed while being copied (or vanished)."""
    try:
        before = seen.path.stat()
        sha, size, archived = archive_copy(seen.path, ws.archive)
        after = seen.path.stat()
    except OSError:
        return False
    if (before.st_size, before.st_mtime_ns) != (after.st_size, after.st_mtime_ns):
        return False
    seen.sha256, seen.size, seen.mtime, seen.archived = sha, size, after.st_mtime, archived
    return True
