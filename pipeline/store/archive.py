"""The archive (`.masterplan/arsip/`): the bytes of every file received, under their sha256.

A file is copied and hashed into the archive before the ledger mentions it, so a ledger
row never points at missing data; the archive only ever holds whole, fsynced files.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from pathlib import Path

from ..common.atomic import atomic_path, place
from ..read.sniff import suffix_of


def archive_copy(source: Path, archive_dir: Path) -> tuple[str, int, Path]:
    """Copy a file into the archive under its sha256 and the suffix of its format
    (`read.sniff`: never the name's own, so nothing archived runs on a double-click);
    returns (sha256, size, archived path).

    The copy is hashed while written to a temp file, fsynced and renamed
    (`common.atomic`), so the archive
    only ever holds whole files and the bytes judged are exactly the bytes hashed. A
    file of usual size is read once into memory and hashed first: bytes the archive
    already holds (every file on every re-run) are then not written at all.
    """
    archive_dir.mkdir(parents=True, exist_ok=True)
    with source.open("rb") as src:
        suffix = suffix_of(src)
        data = src.read(IN_MEMORY_LIMIT + 1)
        if len(data) <= IN_MEMORY_LIMIT:
            sha = hashlib.sha256(data).hexdigest()
            target = _archive_target(archive_dir, sha, suffix)
            if not target.exists():
                with atomic_path(target, durable=True) as tmp:
                    tmp.write_bytes(data)
            return sha, len(data), target
        digest, size = hashlib.sha256(data), 0
        fd, tmp_name = tempfile.mkstemp(dir=archive_dir, prefix=".incoming-")
        try:
            with os.fdopen(fd, "wb") as out:
                for chunk in _chunks(src, digest, data):
                    out.write(chunk)
                    size += len(chunk)
                sha = digest.hexdigest()
                target = _archive_target(archive_dir, sha, suffix)
                if not target.exists():
                    out.flush()
                    os.fsync(out.fileno())
            if target.exists():
                os.unlink(tmp_name)
            else:
                place(tmp_name, target)
            return sha, size, target
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp_name)
            raise


IN_MEMORY_LIMIT = 32 << 20  # bytes; a returned template is about 100 KB


def _archive_target(archive_dir: Path, sha: str, suffix: str) -> Path:
    return archive_dir / sha[:2] / f"{sha}{suffix}"


def _chunks(src, digest, first: bytes):
    """The first piece, then the rest of src in 1 MB pieces, each added to digest."""
    yield first
    while chunk := src.read(1 << 20):
        digest.update(chunk)
        yield chunk
