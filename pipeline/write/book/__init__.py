"""`masterplan book`: the masterplan book's chapters on plans and budget, as a .docx.

The book is made from the same data as the rekap: the counted files in the ledger
(each OPD's newest accepted plan), consolidated by `assemble.consolidate.of_counted_plans`.
`workflow.make_book` reads the ledger under the run lock; this module writes the
document atomically. Beside it, a stamp holds the fingerprint of what it was made from
(the config key of the config in use, which the caller passes in, and the counted files),
so `masterplan run` can say when the plans changed after the last book (`book_outdated`).

This module stays light (no python-docx, no matplotlib): `run` imports it for the stamp.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from ... import layout
from ...common.clock import now_iso
from ...config import Config, ConfigError
from ...workspace import Workspace

STYLE_KEY = "buku.gaya"
OUTDATED_WARNING = ("Rencana yang dihitung berubah sejak buku terakhir dibuat; jalankan "
                    "`masterplan book` agar output/buku_masterplan.docx mengikuti rekap.")
NO_PLAN_WARNING = ("Belum ada rencana OPD yang diterima; buku hanya berisi halaman judul "
                   "dan daftar status pengumpulan.")
STALE_LEDGER_WARNING = ("Konfigurasi (masterplan.toml) berubah sejak `masterplan run` "
                        "terakhir; buku memakai hasil pemeriksaan lama. Jalankan `masterplan "
                        "run` lalu `masterplan book` lagi.")


@dataclass
class BookResult:
    path: Path
    programs: int
    opds: int  # OPDs whose plan is counted
    warnings: list[str] = field(default_factory=list)


def fingerprint(config_key: str, basis: list[dict]) -> str:
    """What a book depends on: the config (its key, store.config_key) and the counted
    files' bytes."""
    counted = sorted(entry["sha256"] for entry in basis)
    text = "\n".join([config_key, *counted])
    return hashlib.sha256(text.encode()).hexdigest()


def book_outdated(ws: Workspace, config_key: str, basis: list[dict]) -> bool:
    """A book exists and was made from other counted files (or another config)."""
    book, stamp = ws.output / layout.BOOK_NAME, ws.output / layout.BOOK_STAMP_NAME
    if not (book.is_file() and stamp.is_file()):
        return False
    return stamp.read_text("utf-8").strip() != fingerprint(config_key, basis)


def style_path(ws: Workspace, style: str) -> Path | None:
    """The reference document named by [buku] gaya (relative to the workspace), checked."""
    if not style:
        return None
    path = ws.root / style
    if not path.is_file():
        raise ConfigError(STYLE_KEY, f"dokumen gaya '{style}' tidak ditemukan di {ws.root}; "
                          "periksa nama berkasnya atau hapus kunci ini.", ws.config_path)
    from docx import Document

    try:
        Document(str(path))
    except Exception as exc:  # not a zip, not a Word package, broken XML: all the same
        raise ConfigError(STYLE_KEY, f"dokumen gaya '{style}' bukan dokumen Word (.docx) yang "
                          "utuh; simpan ulang sebagai .docx dari Word atau LibreOffice.",
                          ws.config_path) from exc
    return path


def write_book(ws: Workspace, cfg: Config, config_key: str, cons, statuses,
               basis: list[dict], reference: Path | None, monitoring=None) -> Path:
    """Write the book and its stamp (`workflow.make_book` gathers what it is made from;
    config_key: the key of `cfg`; monitoring: assemble.monitoring's figures, for the
    Keterlaksanaan chapter)."""
    from ...common.atomic import atomic_path, write_text
    from .document import build

    document = build(cfg, cons, statuses, basis, now_iso(), reference, monitoring)
    target = ws.output / layout.BOOK_NAME
    with atomic_path(target) as tmp:
        document.save(str(tmp))
    write_text(ws.output / layout.BOOK_STAMP_NAME, fingerprint(config_key, basis))
    return target
