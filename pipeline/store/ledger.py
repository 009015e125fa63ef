"""The ledger (`.masterplan/ledger.sqlite3`): every file received, its judgement, and the
pipeline's own state. All of the product's SQL is here.

Two ideas: a *blob* is a content (sha256) with its judgement, problems and program rows;
a *file* is a path in the inbox with the blob it held when seen. The bytes of a blob
are archived under their hash before anything else happens, so a ledger row never
points at missing data. Each file's judgement is written in one transaction.
Paths are stored relative to the workspace, so the workspace can be moved.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..catalogue import Code, Problem, render
from ..common.clock import now_iso
from ..results import FileRecord, FileState

SCHEMA = """
CREATE TABLE IF NOT EXISTS blobs (
    sha256 TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    archive TEXT NOT NULL,          -- path relative to the workspace
    status TEXT NOT NULL,           -- accepted | rejected
    reason TEXT NOT NULL,
    opd TEXT,
    kind TEXT,
    template_version TEXT,
    config_key TEXT NOT NULL,       -- judged under this config; another config re-judges
    judged_at TEXT NOT NULL,
    n_programs INTEGER NOT NULL DEFAULT 0,
    n_errors INTEGER NOT NULL DEFAULT 0,
    n_warnings INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS problems (
    sha256 TEXT NOT NULL REFERENCES blobs(sha256) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    data TEXT NOT NULL,             -- Problem as JSON
    PRIMARY KEY (sha256, seq)
);
CREATE TABLE IF NOT EXISTS programs (
    sha256 TEXT NOT NULL REFERENCES blobs(sha256) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    data TEXT NOT NULL,             -- normalised program row as JSON
    PRIMARY KEY (sha256, seq)
);
CREATE TABLE IF NOT EXISTS files (
    path TEXT NOT NULL,             -- relative to the inbox
    sha256 TEXT NOT NULL,
    size INTEGER NOT NULL,
    mtime REAL NOT NULL,
    received_at TEXT NOT NULL,      -- first time these bytes were seen at this path
    seq INTEGER NOT NULL,           -- arrival order, breaks ties between equal times
    status TEXT NOT NULL,           -- accepted | rejected | ignored
    reason TEXT NOT NULL,
    code TEXT,                      -- why it does not carry its blob's judgement
    present INTEGER NOT NULL DEFAULT 1,
    note TEXT,                      -- a catalogue code whose line the reason adds
    PRIMARY KEY (path, sha256)
);
CREATE TABLE IF NOT EXISTS contacts (
    sha256 TEXT PRIMARY KEY REFERENCES blobs(sha256) ON DELETE CASCADE,
    data TEXT NOT NULL              -- who filled the file in (Identitas) as JSON
);
CREATE TABLE IF NOT EXISTS withdrawals (
    path TEXT NOT NULL,             -- a file the operator withdrew (masterplan tarik)
    sha256 TEXT NOT NULL,
    at TEXT NOT NULL,
    reason TEXT,
    PRIMARY KEY (path, sha256)
);
CREATE TABLE IF NOT EXISTS state (
    key TEXT PRIMARY KEY,           -- e.g. what the last run counted, for its changes
    value TEXT NOT NULL
);
"""


@dataclass(frozen=True)
class BlobRecord:
    """One content (sha256) with its judgement, as the `blobs` table holds it."""

    sha256: str
    size: int
    archive: str  # relative to the workspace
    status: FileState  # ACCEPTED / REJECTED
    reason: str
    opd: str | None
    kind: str | None
    template_version: str | None
    config_key: str
    judged_at: str
    n_programs: int = 0
    n_errors: int = 0
    n_warnings: int = 0


def _blob(row: sqlite3.Row) -> BlobRecord:
    return BlobRecord(**{**dict(row), "status": FileState(row["status"])})


# A file with its blob's OPD, kind and counts and its withdrawal: what a FileRecord holds.
_FILES_JOINED = ("f.*, b.opd AS opd, b.kind AS kind, b.archive AS archive, "
                 "b.n_programs AS n_programs, b.n_errors AS n_errors, "
                 "b.n_warnings AS n_warnings, w.at AS withdrawn_at, "
                 "w.reason AS withdrawn_reason FROM files f "
                 "LEFT JOIN blobs b ON b.sha256 = f.sha256 "
                 "LEFT JOIN withdrawals w ON w.path = f.path AND w.sha256 = f.sha256")


def _file(row: sqlite3.Row) -> FileRecord:
    return FileRecord(
        path=row["path"], sha256=row["sha256"], size=row["size"], mtime=row["mtime"],
        received_at=row["received_at"], seq=row["seq"], status=FileState(row["status"]),
        reason=row["reason"], code=Code(row["code"]) if row["code"] else None,
        note=Code(row["note"]) if row["note"] else None, present=bool(row["present"]),
        opd=row["opd"], kind=row["kind"], archive=row["archive"],
        n_programs=row["n_programs"] or 0, n_errors=row["n_errors"] or 0,
        n_warnings=row["n_warnings"] or 0, withdrawn_at=row["withdrawn_at"],
        withdrawn_reason=row["withdrawn_reason"])


class Ledger:
    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.db = sqlite3.connect(path, timeout=30, isolation_level=None)
        self.db.row_factory = sqlite3.Row
        self.db.execute("PRAGMA journal_mode=WAL")
        # WAL + NORMAL: a killed process loses no committed transaction; a power cut may
        # lose the last few, whose files are then simply judged again from the inbox.
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.execute("PRAGMA foreign_keys=ON")
        self.db.executescript(SCHEMA)
        self._add_note_column()

    def close(self) -> None:
        self.db.close()

    def _add_note_column(self) -> None:
        """A ledger from before `files.note`: add it, and mark the files whose reason
        carries the re-sent line (read from their text this once)."""
        columns = {row["name"] for row in self.db.execute("PRAGMA table_info(files)")}
        if "note" in columns:
            return
        line = render(Code.BERKAS_DIHITUNG_LAGI, found="\0").split("\0")[-1]
        with self.transaction() as db:
            db.execute("ALTER TABLE files ADD COLUMN note TEXT")
            db.execute("UPDATE files SET note = ? WHERE code IS NULL AND instr(reason, ?) > 0",
                       (Code.BERKAS_DIHITUNG_LAGI.value, line))

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        else:
            self.db.execute("COMMIT")

    # --- blobs ---------------------------------------------------------------------------

    def blob(self, sha: str) -> BlobRecord | None:
        row = self.db.execute("SELECT * FROM blobs WHERE sha256 = ?", (sha,)).fetchone()
        return _blob(row) if row else None

    def save_blob(self, blob: BlobRecord, problems: list[Problem], programs: list[dict],
                  contact: dict[str, str] | None = None) -> None:
        """Store a judgement, replacing an older judgement of the same bytes."""
        with self.transaction() as db:
            db.execute("DELETE FROM blobs WHERE sha256 = ?", (blob.sha256,))
            fields = blob.__dict__
            db.execute(f"INSERT INTO blobs ({', '.join(fields)}) VALUES "
                       f"({', '.join('?' * len(fields))})", tuple(fields.values()))
            db.executemany("INSERT INTO problems VALUES (?, ?, ?)",
                           [(blob.sha256, i, json.dumps(_problem_json(p), default=str))
                            for i, p in enumerate(problems)])
            db.executemany("INSERT INTO programs VALUES (?, ?, ?)",
                           [(blob.sha256, i, json.dumps(r, default=str))
                            for i, r in enumerate(programs)])
            if contact:
                db.execute("INSERT INTO contacts VALUES (?, ?)",
                           (blob.sha256, json.dumps(contact, ensure_ascii=False)))
            # Files that held these bytes take the new judgement (and lose a note on the
            # old one; the ingest records this run's files again).
            db.execute("UPDATE files SET status = ?, reason = ?, note = NULL "
                       "WHERE sha256 = ? AND code IS NULL",
                       (blob.status, blob.reason, blob.sha256))

    def problems(self, sha: str) -> list[Problem]:
        rows = self.db.execute("SELECT data FROM problems WHERE sha256 = ? ORDER BY seq", (sha,))
        return [Problem(**json.loads(r["data"])) for r in rows]

    def contact(self, sha: str) -> dict[str, str]:
        row = self.db.execute("SELECT data FROM contacts WHERE sha256 = ?", (sha,)).fetchone()
        return json.loads(row["data"]) if row else {}

    def totals(self, shas: list[str]) -> dict[str, int]:
        """sha256 -> the total budget of its program rows (0 when it has none)."""
        out = dict.fromkeys(shas, 0)
        for sha in shas:
            row = self.db.execute("SELECT SUM(json_extract(data, '$.total_anggaran')) AS t "
                                  "FROM programs WHERE sha256 = ?", (sha,)).fetchone()
            out[sha] = int(row["t"] or 0)
        return out

    def quick_win_rows(self, sha: str) -> list[dict[str, Any]]:
        rows = self.db.execute("SELECT data FROM programs WHERE sha256 = ? AND "
                               "json_extract(data, '$.quick_win') = 'Ya' ORDER BY seq", (sha,))
        return [json.loads(row["data"]) for row in rows]

    def programs(self, shas: list[str]) -> list[tuple[str, dict[str, Any]]]:
        out: list[tuple[str, dict[str, Any]]] = []
        for sha in shas:
            rows = self.db.execute("SELECT data FROM programs WHERE sha256 = ? ORDER BY seq",
                                   (sha,))
            out.extend((sha, json.loads(r["data"])) for r in rows)
        return out

    # --- files ---------------------------------------------------------------------------

    def file(self, path: str, sha: str) -> FileRecord | None:
        row = self.db.execute(f"SELECT {_FILES_JOINED} WHERE f.path = ? AND f.sha256 = ?",
                              (path, sha)).fetchone()
        return _file(row) if row else None

    def record_file(self, path: str, sha: str, size: int, mtime: float, status: FileState,
                    reason: str, code: Code | None = None, note: Code | None = None) -> None:
        with self.transaction() as db:
            existing = db.execute("SELECT 1 FROM files WHERE path = ? AND sha256 = ?",
                                  (path, sha)).fetchone()
            if existing:
                db.execute("UPDATE files SET status = ?, reason = ?, code = ?, note = ?, "
                           "present = 1, size = ?, mtime = ? WHERE path = ? AND sha256 = ?",
                           (status, reason, code, note, size, mtime, path, sha))
            else:
                seq = db.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM files").fetchone()[0]
                db.execute("INSERT INTO files (path, sha256, size, mtime, received_at, seq, "
                           "status, reason, code, present, note) "
                           "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?)",
                           (path, sha, size, mtime, now_iso(), seq, status, reason, code, note))

    def mark_present(self, present: list[tuple[str, str]]) -> None:
        """Only these (path, sha256) pairs are in the inbox now."""
        with self.transaction() as db:
            db.execute("UPDATE files SET present = 0")
            db.executemany("UPDATE files SET present = 1 WHERE path = ? AND sha256 = ?", present)

    def files(self, present_only: bool = False) -> list[FileRecord]:
        """Every file with its blob's OPD and counts, and its withdrawal if any, in
        arrival order."""
        where = "WHERE f.present = 1" if present_only else ""
        return [_file(row) for row in self.db.execute(
            f"SELECT {_FILES_JOINED} {where} ORDER BY f.received_at, f.seq")]

    def paths(self) -> set[str]:
        """Every path a file was received at."""
        return {row[0] for row in self.db.execute("SELECT DISTINCT path FROM files")}

    def files_at(self, path: str) -> list[FileRecord]:
        """The versions a path held, newest first, with their withdrawal if any."""
        return [_file(row) for row in self.db.execute(
            f"SELECT {_FILES_JOINED} WHERE f.path = ? ORDER BY f.received_at DESC, f.seq DESC",
            (path,))]

    def withdraw(self, path: str, sha: str, reason: str | None) -> None:
        with self.transaction() as db:
            db.execute("INSERT OR REPLACE INTO withdrawals VALUES (?, ?, ?, ?)",
                       (path, sha, now_iso(), reason))

    def restore(self, path: str, sha: str) -> bool:
        """Undo a withdrawal; False when the file was not withdrawn."""
        with self.transaction() as db:
            return db.execute("DELETE FROM withdrawals WHERE path = ? AND sha256 = ?",
                              (path, sha)).rowcount > 0

    def get_state(self, name: str) -> Any:
        row = self.db.execute("SELECT value FROM state WHERE key = ?", (name,)).fetchone()
        return json.loads(row["value"]) if row else None

    def set_state(self, name: str, value: Any) -> None:
        with self.transaction() as db:
            db.execute("INSERT OR REPLACE INTO state VALUES (?, ?)",
                       (name, json.dumps(value, ensure_ascii=False, default=str)))

    def stored_blobs(self, kind: str | None = None) -> list[BlobRecord]:
        """Every judged blob (of one kind, with an OPD)."""
        where, args = ("WHERE kind = ? AND opd IS NOT NULL", (kind,)) if kind else ("", ())
        return [_blob(row) for row in self.db.execute(f"SELECT * FROM blobs {where}", args)]

    def config_keys(self) -> set[str]:
        return {row[0] for row in self.db.execute("SELECT DISTINCT config_key FROM blobs")}

    def last_seq(self) -> int:
        return self.db.execute("SELECT COALESCE(MAX(seq), 0) FROM files").fetchone()[0]

    def files_holding(self, sha: str) -> list[FileRecord]:
        """The files that held these bytes and carry their judgement, in arrival order,
        with their withdrawal if any."""
        return [_file(row) for row in self.db.execute(
            f"SELECT {_FILES_JOINED} WHERE f.sha256 = ? AND f.code IS NULL "
            "ORDER BY f.received_at, f.seq", (sha,))]

    def first_path_of(self, sha: str, other_than: str) -> str | None:
        row = self.db.execute("SELECT path FROM files WHERE sha256 = ? AND path != ? AND "
                              "code IS NULL ORDER BY seq LIMIT 1", (sha, other_than)).fetchone()
        return row["path"] if row else None


def _problem_json(problem: Problem) -> dict[str, Any]:
    data = dict(problem.__dict__)
    if data["value"] is not None and not isinstance(data["value"], (int, float, str, bool)):
        data["value"] = str(data["value"])
    return data


