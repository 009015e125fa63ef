"""Crashes and concurrent runs: keep working, lose nothing, never interleave."""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from plans import good_row, make_plan, quick_win_row

from pipeline.cli import main
from pipeline.store.lock import run_lock
from pipeline.workspace import Workspace

OPDS = ["2.12.01", "1.02.01", "2.15.01", "2.11.01", "3.26.01", "2.16.01"]


def fill_inbox(cfg, ws: Workspace, tmp_path: Path) -> None:
    for number, code in enumerate(OPDS):
        rows = [quick_win_row(cfg, nama_program=f"Quick Win {code}")]
        rows += [good_row(cfg, nama_program=f"Program {code} {i}",
                          **{f"anggaran_{cfg.first_year + i}": 1_000_000 * (number + i + 1)})
                 for i in range(8)]
        make_plan(cfg, tmp_path / "tpl", ws.inbox / f"opd_{number}.xlsx", code, rows)
    # One rejected file, so feedback workbooks are part of what a kill can interrupt.
    make_plan(cfg, tmp_path / "tpl", ws.inbox / "salah.xlsx", "2.19.01",
              [good_row(cfg, elemen="Wajah Kota")])


def outputs(ws: Workspace) -> dict[str, object]:
    """What a run leaves that must not depend on how many runs were killed before it."""
    data = ws.output / "data"
    report = json.loads((ws.output / "laporan_validasi.json").read_text("utf-8"))
    return {
        "program": (data / "program.csv").read_text("utf-8"),
        "anggaran": (data / "anggaran.csv").read_text("utf-8"),
        "files": sorted((f["file"], f["status"], f["sha256"]) for f in report["files"]),
        "problems": sorted((p["file"], p["cell"] or "", p["code"]) for p in report["problems"]),
        "feedback": sorted(p.name for p in (ws.output / "umpan_balik").glob("*.xlsx")),
    }


def run_cli(ws: Workspace) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "pipeline", "run", "--workspace",
                             str(ws.root)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def ledger_points_at_existing_data(ws: Workspace) -> None:
    db = sqlite3.connect(ws.ledger_path)
    for (archive,) in db.execute("SELECT archive FROM blobs"):
        assert (ws.root / archive).is_file(), archive
    orphans = db.execute("SELECT COUNT(*) FROM files f WHERE code IS NULL AND NOT EXISTS "
                         "(SELECT 1 FROM blobs b WHERE b.sha256 = f.sha256)").fetchone()[0]
    assert orphans == 0
    db.close()


@pytest.mark.slow
def test_runs_killed_at_random_moments_end_in_the_same_rekap(cfg, tmp_path):
    clean = Workspace(tmp_path / "clean")
    from pipeline.workspace import init

    init(clean.root)
    fill_inbox(cfg, clean, tmp_path)
    killed = Workspace(tmp_path / "killed")
    shutil.copytree(clean.root, killed.root)

    assert CliRunner().invoke(main, ["run", "-w", str(clean.root)]).exit_code == 0
    expected = outputs(clean)

    rng = random.Random(7)
    for _ in range(5):
        process = run_cli(killed)
        time.sleep(rng.uniform(0.3, 2.5))
        if process.poll() is None:
            os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=60)
        if killed.ledger_path.exists():
            ledger_points_at_existing_data(killed)
        for path in killed.output.rglob("*"):  # never a half-written output in place
            if path.suffix == ".xlsx" and not path.name.startswith("."):
                from openpyxl import load_workbook

                load_workbook(path, read_only=True).close()
    process = run_cli(killed)
    assert process.wait(timeout=300) == 0, process.stderr.read().decode()
    assert outputs(killed) == expected
    assert not list(killed.output.rglob(".*.tmp.*"))
    ledger_points_at_existing_data(killed)


def test_a_second_run_waits_then_refuses_while_one_is_going(cfg, workspace, tmp_path):
    make_plan(cfg, tmp_path / "tpl", workspace.inbox / "a.xlsx", OPDS[0], [good_row(cfg)])
    with run_lock(workspace.state):
        result = CliRunner().invoke(main, ["run", "-w", str(workspace.root), "--wait", "0.5"])
    assert result.exit_code == 2
    assert "Proses lain sedang berjalan" in result.output
    assert not (workspace.output / "rekap_masterplan.xlsx").exists()
    # Once the first run is done, the next one goes ahead.
    assert CliRunner().invoke(main, ["run", "-w", str(workspace.root)]).exit_code == 0


def test_two_runs_started_together_both_complete_without_interleaving(cfg, workspace,
                                                                      tmp_path):
    fill_inbox(cfg, workspace, tmp_path)
    first, second = run_cli(workspace), run_cli(workspace)
    assert first.wait(timeout=300) == 0, first.stderr.read().decode()
    assert second.wait(timeout=300) == 0, second.stderr.read().decode()
    ledger_points_at_existing_data(workspace)
    db = sqlite3.connect(workspace.ledger_path)
    paths = [p for (p,) in db.execute("SELECT path FROM files")]
    assert len(paths) == len(set(paths)) == len(OPDS) + 1


def tampered_plans(cfg, folder: Path, tpl: Path) -> dict[str, str]:
    """Our own template, damaged the ways files get damaged; name -> expected code."""
    from openpyxl import load_workbook

    from pipeline import layout

    def plan(name: str, rows=None) -> Path:
        return make_plan(cfg, tpl, folder / name, OPDS[2], rows or [good_row(cfg)])

    expected = {}
    book = load_workbook(plan("tanpa_program.xlsx"))
    del book[layout.SHEET_PROGRAM]
    book.save(folder / "tanpa_program.xlsx")
    expected["tanpa_program.xlsx"] = "SHEET_HILANG"

    book = load_workbook(plan("tanpa_identitas.xlsx"))
    del book[layout.SHEET_META]
    book.save(folder / "tanpa_identitas.xlsx")
    expected["tanpa_identitas.xlsx"] = "BUKAN_TEMPLATE"

    book = load_workbook(plan("identitas_palsu.xlsx"))
    for row in book[layout.SHEET_META].iter_rows(min_col=1, max_col=2):
        if row[0].value == "tahun_awal":
            row[1].value = "dua ribu"
    book.save(folder / "identitas_palsu.xlsx")
    expected["identitas_palsu.xlsx"] = "BUKAN_TEMPLATE"

    book = load_workbook(plan("lebar.xlsx"))
    book[layout.SHEET_PROGRAM]["XFD20"] = "x"  # used range 16,384 columns wide
    book.save(folder / "lebar.xlsx")
    expected["lebar.xlsx"] = "ISIAN_DI_LUAR_TABEL"

    book = load_workbook(plan("jauh.xlsx"))
    book[layout.SHEET_PROGRAM]["C1048576"] = "x"  # one stray cell at the last row
    book.save(folder / "jauh.xlsx")
    expected["jauh.xlsx"] = "ISIAN_DI_LUAR_TABEL"

    plan("sel_besar.xlsx", [good_row(cfg, nama_program="A" * 1_000_000)])
    expected["sel_besar.xlsx"] = "TEKS_TERLALU_PANJANG"

    rows = [good_row(cfg, nama_program=f"P{i}") for i in range(cfg.max_rows + 10)]
    plan("baris_banyak.xlsx", rows)
    expected["baris_banyak.xlsx"] = "TERLALU_BANYAK_BARIS"
    return expected


@pytest.mark.slow
def test_hostile_inbox_run_rejects_each_and_merges_the_honest(cfg, workspace, tmp_path):
    from hostile import CASES, build_corpus

    build_corpus(workspace.inbox / "hostile")
    expected = {f"hostile/{c.name}": c.code or "BUKAN_TEMPLATE" for c in CASES
                if (workspace.inbox / "hostile" / c.name).exists()}
    for name, code in tampered_plans(cfg, workspace.inbox, tmp_path / "tpl").items():
        expected[name] = code
    make_plan(cfg, tmp_path / "tpl", workspace.inbox / "jujur_1.xlsx", OPDS[0],
              [good_row(cfg, nama_program="Jujur satu")])
    make_plan(cfg, tmp_path / "tpl", workspace.inbox / "jujur_2.xlsx", OPDS[1],
              [good_row(cfg, nama_program="Jujur dua")])
    outside = tmp_path / "rahasia.txt"
    outside.write_text("root:x:0:0:RAHASIA-LUAR-INBOX", "utf-8")
    (workspace.inbox / "tautan.xlsx").symlink_to(outside)
    (workspace.inbox / "folder_tautan").symlink_to(tmp_path, target_is_directory=True)

    started = time.monotonic()
    process = subprocess.run(
        [sys.executable, "-c", "import resource, runpy, sys; sys.argv = ['masterplan', 'run', "
         f"'-w', {str(workspace.root)!r}]; "
         "code = 0\ntry:\n    runpy.run_module('pipeline', run_name='__main__')\n"
         "except SystemExit as e:\n    code = e.code or 0\n"
         "print('MAXRSS', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, "
         "resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr)\n"
         "sys.exit(code)"],
        capture_output=True, text=True, timeout=300, check=False)
    elapsed = time.monotonic() - started
    assert process.returncode == 0, process.stderr[-3000:]
    assert "Traceback" not in process.stdout + process.stderr
    rss_kb = max(int(v) for v in process.stderr.split("MAXRSS", 1)[1].split())
    assert rss_kb < 1_000_000, f"peak memory {rss_kb} kB"
    assert elapsed < 60, f"run took {elapsed:.1f} s"

    report = json.loads((workspace.output / "laporan_validasi.json").read_text("utf-8"))
    files = {f["file"]: f for f in report["files"]}
    codes: dict[str, set[str]] = {}
    for problem in report["problems"]:
        codes.setdefault(problem["file"], set()).add(problem["code"])
    for name, code in expected.items():
        assert files[name]["status"] == "rejected", (name, files[name])
        assert code in codes[name], (name, codes.get(name))
        assert files[name]["reason"] and "Traceback" not in files[name]["reason"]
    assert files["jujur_1.xlsx"]["status"] == files["jujur_2.xlsx"]["status"] == "accepted"
    assert files["tautan.xlsx"]["status"] == "ignored"
    assert not any(name.startswith("folder_tautan/") for name in files)
    programs = (workspace.output / "data" / "program.csv").read_text("utf-8")
    assert "Jujur satu" in programs and "Jujur dua" in programs
    for path in workspace.output.rglob("*"):
        if path.is_file():
            assert b"RAHASIA-LUAR-INBOX" not in path.read_bytes(), path
            assert b"root:x:0:0" not in path.read_bytes(), path


def test_a_file_still_being_copied_is_left_for_the_next_run(cfg, workspace, tmp_path,
                                                            monkeypatch):
    from pipeline import workflow
    from pipeline.store import inbox

    path = make_plan(cfg, tmp_path / "tpl", workspace.inbox / "besar.xlsx", OPDS[0],
                     [good_row(cfg)])
    complete = path.read_bytes()
    path.write_bytes(complete[: len(complete) // 2])  # the copy has only got half-way
    real = inbox.archive_copy

    def copy_grows_meanwhile(source, archive_dir):
        result = real(source, archive_dir)
        source.write_bytes(complete)  # the copier writes the rest while we read
        return result

    monkeypatch.setattr(inbox, "archive_copy", copy_grows_meanwhile)
    summary = workflow.run(workspace)
    assert summary.still_copying == ["besar.xlsx"]
    assert summary.files == []  # nothing recorded for the half file
    monkeypatch.setattr(inbox, "archive_copy", real)
    summary = workflow.run(workspace)
    assert [(f.path, f.status) for f in summary.files] == [("besar.xlsx", "accepted")]


@pytest.mark.parametrize("in_memory_limit", [32 << 20, 1000])  # read whole / streamed
def test_archive_keeps_exact_bytes_once(tmp_path, monkeypatch, in_memory_limit):
    import hashlib

    from pipeline.store import archive as archive_mod

    monkeypatch.setattr(archive_mod, "IN_MEMORY_LIMIT", in_memory_limit)
    data = os.urandom(5000)
    source = tmp_path / "a.xlsx"
    source.write_bytes(data)
    archive = tmp_path / "archive"
    sha, size, stored = archive_mod.archive_copy(source, archive)
    assert (sha, size) == (hashlib.sha256(data).hexdigest(), 5000)
    # random bytes are no workbook: archived under a suffix nothing runs, whatever the name
    assert stored == archive / sha[:2] / f"{sha}.bin" and stored.read_bytes() == data
    stamp = stored.stat().st_mtime_ns
    again = archive_mod.archive_copy(source, archive)
    assert again == (sha, size, stored) and stored.stat().st_mtime_ns == stamp  # not rewritten
    assert not list(archive.glob(".incoming-*"))  # no temp file left
