"""The ledger's records: typed, frozen, and a ledger from before `files.note` upgraded in
place (the re-sent line read from its reason text this once, then kept as a code)."""

from __future__ import annotations

import dataclasses
import sqlite3

import pytest

from pipeline.catalogue import Code, render
from pipeline.results import FileState
from pipeline.store.ledger import SCHEMA, BlobRecord, Ledger

JUDGED = "Diterima; 3 program."


def old_ledger(path) -> None:
    """The ledger as b67e3a1 wrote it: no `files.note`; a re-sent file's line in its reason."""
    db = sqlite3.connect(path)
    db.executescript(SCHEMA.replace("    note TEXT,                      -- a catalogue code "
                                    "whose line the reason adds\n", ""))
    resent = f"{JUDGED} {render(Code.BERKAS_DIHITUNG_LAGI, found='v1.xlsx')}"
    db.execute("INSERT INTO blobs (sha256, size, archive, status, reason, opd, kind, "
               "config_key, judged_at) VALUES ('a', 1, 'x', 'accepted', ?, '1.02.01', "
               "'rencana', 'k', 't')", (JUDGED,))
    db.executemany("INSERT INTO files VALUES (?, 'a', 1, 0, 't', ?, 'accepted', ?, NULL, 1)",
                   [("v1.xlsx", 1, JUDGED), ("v1 (1).xlsx", 3, resent)])
    db.commit()
    db.close()


def test_an_old_ledger_gets_the_note_column_and_its_re_sent_files_marked(tmp_path):
    path = tmp_path / "ledger.sqlite3"
    old_ledger(path)
    assert "note" not in {row[1] for row in sqlite3.connect(path).execute(
        "PRAGMA table_info(files)")}
    ledger = Ledger(path)
    notes = {r.path: r.note for r in ledger.files()}
    assert notes == {"v1.xlsx": None, "v1 (1).xlsx": Code.BERKAS_DIHITUNG_LAGI}
    ledger.close()
    assert {r.path: r.note for r in Ledger(path).files()} == notes  # upgraded once


def test_records_are_frozen_and_typed(tmp_path):
    ledger = Ledger(tmp_path / "ledger.sqlite3")
    blob = BlobRecord("a", 1, "x", FileState.ACCEPTED, JUDGED, "1.02.01", "rencana", None,
                      "k", "t")
    ledger.save_blob(blob, [], [])
    ledger.record_file("copy.xlsx", "a", 1, 0.0, FileState.IGNORED, "salinan",
                       Code.BERKAS_SAMA)
    ledger.withdraw("copy.xlsx", "a", "salah kirim")
    [record] = ledger.files()
    assert record.status is FileState.IGNORED and record.code is Code.BERKAS_SAMA
    assert not record.carries_judgement and record.withdrawn
    assert record.standing is FileState.WITHDRAWN  # a withdrawal reads over the verdict
    assert ledger.blob("a") == blob and ledger.blob("a").status is FileState.ACCEPTED
    with pytest.raises(dataclasses.FrozenInstanceError):
        record.status = FileState.ACCEPTED
