"""No workbook can crash, exhaust or hang the process that judges it (issue 25).

The extent bombs (tiny files whose sheets reach absurdly far) are refused by the safety
pass before any reader builds a grid, through the library and through `check`, `run`,
`watch` and `serve`, each with the process alive and the Indonesian message. A file that
kills its reader (a real abort: calamine's allocator failing under a lowered memory cap)
is rejected and recorded, the reader replaced, the next file answered, and the file is
never read again by a later run or a restarted server.
"""

from __future__ import annotations

import dataclasses
import json
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from extent_bombs import BOMBS, build_bombs, make_grid, sheet_of, write_package
from plans import DINKES, DISHUB, good_row, make_plan
from test_safety import HANG, stored_with_sheet, timed, traced_peak

from pipeline import layout
from pipeline.common.isolation import Crashed, Pool
from pipeline.read import extent, safety
from pipeline.rules.judge import judge_files

ROOT = Path(__file__).resolve().parent.parent
TINY_MEMORY = {"MASTERPLAN_READER_MEMORY_MB": "60"}  # calamine's grid of make_grid: ~120 MB


@pytest.fixture(scope="module")
def bombs(tmp_path_factory) -> dict[str, Path]:
    return build_bombs(tmp_path_factory.mktemp("bombs"))


def masterplan(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    import os

    return subprocess.run([sys.executable, "-m", "pipeline", *args], capture_output=True,
                          text=True, cwd=ROOT, timeout=300,
                          env={**os.environ, "COLUMNS": "250", **(env or {})})


# --- the extent check --------------------------------------------------------------------------

@pytest.mark.parametrize("name", list(BOMBS))
def test_each_bomb_is_refused_naming_its_sheet_and_farthest_cell_fast(bombs, name):
    path = bombs[name]
    assert path.stat().st_size < 5_000  # a tiny file...
    verdict, took = timed(path)
    peak = traced_peak(path)
    assert verdict.code == "ISIAN_DI_LUAR_TABEL"
    message = verdict.message()
    assert f"Lembar '{sheet_of(name)}'" in message and BOMBS[name]["found"] in message
    assert "Ctrl+End" in message and "kirim lagi" in message
    # ...decided at once (speed: benchmarks/safety.py), in little memory
    assert took < HANG and peak < 4_000_000


def test_an_honest_template_and_a_full_plan_are_within_the_limits(cfg, tmp_path):
    limits = extent.limits_for(cfg)
    assert limits == extent.Limits(256, 50_000, 4_000_000)  # the default config's
    rows = [good_row(cfg, nama_program=f"Program {i}") for i in range(300)]
    plan = make_plan(cfg, tmp_path / "t", tmp_path / "penuh.xlsx", DISHUB, rows)
    assert safety.inspect_file(plan, extent=limits).ok
    [judged] = judge_files([plan], cfg)
    assert judged.status == "accepted" and len(judged.programs) == 300
    # A longer table in the config gives the sheets room in proportion.
    wide = extent.limits_for(dataclasses.replace(cfg, max_rows=40_000))
    assert wide.rows > 80_000 and wide.cells >= 4_000_000


@pytest.mark.parametrize("shift", [0, 3, 9, 40])
def test_a_cell_reference_cut_between_two_pieces_still_counts(tmp_path, shift):
    head = ('<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<worksheet xmlns="{extent_ns()}" xmlns:x="{extent_ns()}"><sheetData>'
            '<row r="1"><c r="A1"><v>1</v></c></row>')
    far = '<x:row r="7"><x:c s="1" r="XFD7"><x:v>2</x:v></x:c></x:row>'
    filler = "<!--" + "x" * (safety.READ_CHUNK - len(head) - 7 - 18 - shift) + "-->"
    path = stored_with_sheet(tmp_path, head + filler + far + "</sheetData></worksheet>")
    verdict = safety.inspect_file(path)
    assert verdict.code == "ISIAN_DI_LUAR_TABEL" and "XFD7" in verdict.message()


def extent_ns() -> str:
    from extent_bombs import MAIN

    return MAIN


def test_a_doctype_in_a_part_of_any_name_is_refused(tmp_path):
    sheet = ('<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY a "b">]>'
             f'<worksheet xmlns="{extent_ns()}"><sheetData/></worksheet>')
    path = write_package(tmp_path / "dtd.xlsx", [("Program", "xl/lembar.bin", sheet)])
    assert safety.inspect_file(path).code == "BERKAS_BERBAHAYA"


def test_a_sheet_at_the_limits_passes_and_one_cell_further_does_not(tmp_path):
    limits = extent.Limits(columns=10, rows=20, cells=150)
    def verdict(cells: str) -> str | None:
        sheet = f'<worksheet xmlns="{extent_ns()}"><sheetData>{cells}</sheetData></worksheet>'
        path = write_package(tmp_path / "x.xlsx", [("Program", "xl/worksheets/s.xml", sheet)])
        return safety.inspect_file(path, extent=limits).code
    assert verdict('<row r="1"><c r="J1"/></row><row r="15"><c r="A15"/></row>') is None
    assert verdict('<row r="1"><c r="K1"/></row>') == "ISIAN_DI_LUAR_TABEL"
    assert verdict('<row r="21"><c r="A21"/></row>') == "ISIAN_DI_LUAR_TABEL"
    assert verdict('<row r="1"><c r="J1"/></row><row r="16"><c r="A16"/></row>') \
        == "ISIAN_DI_LUAR_TABEL"  # 10 x 16 = 160 cells of grid
    assert verdict('<row r="2">' + "<c/>" * 10 + "</row>") is None
    assert verdict('<row r="2">' + "<c/>" * 11 + "</row>") == "ISIAN_DI_LUAR_TABEL"
    assert verdict('<row r="1"><c r="A1"/>' + '<c r="B1"/>' * 150 + "</row>") \
        == "ISIAN_DI_LUAR_TABEL"  # more cells than any grid may hold, all at one place


def _sheet_part(tmp_path: Path, data: bytes) -> Path:
    return write_package(tmp_path / "x.xlsx", [("Program", "xl/worksheets/s.xml", data)])


@pytest.mark.parametrize(("cells", "code"), [
    ('<row r="1"><c r="A1" s="2"/></row><row r="9"><c s="1" r="XFD9"/></row>',
     "ISIAN_DI_LUAR_TABEL"),  # r= after another attribute: measured exactly
    ('<row r="1"><c t=\'s\' r="A1"/><c r = "XFD1"/></row>', "ISIAN_DI_LUAR_TABEL"),
    ('<row r="1"><c r="A1"/></row><!-- <c r="B2"/> --><row r="2"><c/><c/></row>', None),
    ('<row r="1"><c r="A1"/></row><row r="2"><c r="A2"/>&bad;<c r="XFD2"/></row>',
     "ISIAN_DI_LUAR_TABEL"),  # the quick measure reads on past a fault, as calamine does
    ('<row r="1"><c r="A1"/></row><row r="2"><c/>&bad;<c r="XFD2"/></row>',
     "BERKAS_RUSAK"),  # expat stops at the fault: a part it cannot measure is refused
    ('<row r="1"><c r="a1"/><c r="xfd1"/></row>', "ISIAN_DI_LUAR_TABEL"),
], ids=["r-not-first", "spaced-r", "comment", "fault-quick", "fault-exact", "lowercase"])
def test_cells_written_unusually_are_measured_exactly(tmp_path, cells, code):
    sheet = f'<worksheet xmlns="{extent_ns()}"><sheetData>{cells}</sheetData></worksheet>'
    assert safety.inspect_file(_sheet_part(tmp_path, sheet.encode())).code == code


def test_a_sheet_in_utf16_is_measured_too(tmp_path):
    sheet = (f'<?xml version="1.0" encoding="UTF-16"?><worksheet xmlns="{extent_ns()}">'
             '<sheetData><row r="1"><c r="XFD1"/></row></sheetData></worksheet>')
    verdict = safety.inspect_file(_sheet_part(tmp_path, sheet.encode("utf-16")))
    assert verdict.code == "ISIAN_DI_LUAR_TABEL" and "XFD1" in verdict.message()


# --- the reader processes -------------------------------------------------------------------

def test_a_worker_that_dies_or_hangs_is_one_crashed_item_and_is_replaced(monkeypatch):
    pool = Pool(2)
    try:
        answers = pool.map(signal.raise_signal, [signal.SIGABRT])
        assert answers == [Crashed("proses pembaca mati mendadak, SIGABRT")]
        assert pool.map(abs, [-3, 4, -5]) == [3, 4, 5]  # a fresh worker took its place
        monkeypatch.setenv("MASTERPLAN_READER_SECONDS", "1")
        started = time.monotonic()
        answers = pool.map(time.sleep, [30, 0])
        assert answers == [Crashed("melewati batas waktu 1 detik"), None]
        assert time.monotonic() - started < 10
        assert pool.map(abs, [-1]) == [1]
    finally:
        pool.close()


def test_a_worker_that_cannot_start_blames_the_machine_not_the_item():
    import os

    pool = Pool(1, warm=os.abort)  # dies before it is ready
    try:
        with pytest.raises(OSError, match="did not start"):
            pool.map(abs, [-1])
    finally:
        pool.close()


def test_a_reader_that_aborts_is_a_rejection_and_the_other_files_are_judged(
        cfg, workspace, tmp_path, monkeypatch):
    """Run in a fresh process, so its readers start with the lowered memory cap."""
    grid = make_grid(tmp_path / "grid.xlsx")
    good = make_plan(cfg, tmp_path / "t", tmp_path / "baik.xlsx", DINKES, [good_row(cfg)])
    result = masterplan("check", "--workspace", str(workspace.root), "--json", str(grid),
                        str(good), env=TINY_MEMORY)
    assert result.returncode == 1, result.stderr
    data = json.loads(result.stdout)
    files = {Path(f["file"]).name: f for f in data["files"]}
    assert files["baik.xlsx"]["status"] == "accepted"
    [problem] = [p for p in data["problems"] if p["file"] == "grid.xlsx"]
    assert problem["code"] == "BERKAS_MERUSAK_PEMBACA"
    assert "(proses pembaca mati mendadak, SIGABRT)" in problem["message"]
    assert "template asli" in problem["message"]


# --- through the commands -------------------------------------------------------------------

def test_check_refuses_every_bomb_and_lives(workspace, bombs):
    result = masterplan("check", "--workspace", str(workspace.root), "--json",
                        *map(str, bombs.values()))
    assert result.returncode == 1, result.stderr  # not 134: nothing aborted
    data = json.loads(result.stdout)
    codes = {p["file"]: p["code"] for p in data["problems"]}
    assert codes == dict.fromkeys(BOMBS, "ISIAN_DI_LUAR_TABEL")


def blob_rows(ws) -> dict[str, tuple[str, str]]:
    """Inbox path -> (code, judged_at) of its bytes, from the ledger."""
    with sqlite3.connect(ws.ledger_path) as db:
        return {path: (code, judged) for path, code, judged in db.execute(
            "SELECT f.path, COALESCE(f.code, ''), b.judged_at FROM files f "
            "JOIN blobs b ON b.sha256 = f.sha256")}


def first_problem(ws, path: str) -> str:
    with sqlite3.connect(ws.ledger_path) as db:
        [data] = db.execute("SELECT p.data FROM problems p JOIN files f ON f.sha256 = p.sha256 "
                            "WHERE f.path = ? AND p.seq = 0", (path,)).fetchone()
    return json.loads(data)["code"]


def test_run_rejects_bombs_and_a_crashing_file_and_counts_the_rest_once(
        cfg, workspace, bombs, tmp_path):
    for name, path in bombs.items():
        (workspace.inbox / name).write_bytes(path.read_bytes())
    make_grid(workspace.inbox / "grid.xlsx")
    make_plan(cfg, tmp_path / "t", workspace.inbox / "dinkes.xlsx", DINKES, [good_row(cfg)])
    result = masterplan("run", "--workspace", str(workspace.root), env=TINY_MEMORY)
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads((workspace.output / "laporan_validasi.json").read_text("utf-8"))
    states = {f["file"]: f["status"] for f in report["files"]}
    assert states["dinkes.xlsx"] == "accepted"
    assert all(states[name] == "rejected" for name in [*BOMBS, "grid.xlsx"])
    for name in BOMBS:
        assert first_problem(workspace, name) == "ISIAN_DI_LUAR_TABEL"
    assert first_problem(workspace, "grid.xlsx") == "BERKAS_MERUSAK_PEMBACA"
    before = blob_rows(workspace)
    # A later run (with the usual memory) reads none of them again: the ledger knows
    # their bytes and their judgement.
    again = masterplan("run", "--workspace", str(workspace.root))
    assert again.returncode == 0, again.stdout + again.stderr
    assert blob_rows(workspace) == before


def test_watch_answers_a_bomb_and_the_next_file(cfg, workspace, tmp_path, bombs):
    from test_watch import Watch

    watch = Watch(workspace)
    try:
        watch.wait_for("Tekan Ctrl-C")
        bomb = "bom_lebar_tinggi.xlsx"
        (workspace.inbox / bomb).write_bytes(bombs[bomb].read_bytes())
        line = watch.wait_for(bomb)
        assert f"DITOLAK {bomb}" in line and "XFD50000" in line, line
        good = make_plan(cfg, tmp_path / "t", tmp_path / "dinkes.xlsx", DINKES,
                         [good_row(cfg)])
        (workspace.inbox / "dinkes.xlsx").write_bytes(good.read_bytes())
        assert "DITERIMA dinkes.xlsx" in watch.wait_for("dinkes.xlsx")
        code, stderr = watch.stop()
        assert code == 0 and "Traceback" not in stderr, stderr
    finally:
        watch.kill()


def test_serve_answers_bombs_and_a_crash_and_a_restart_reads_nothing_again(
        cfg, tmp_path, bombs, monkeypatch):
    from serving import Server, workspace_with

    ws = workspace_with(tmp_path / "ws")
    monkeypatch.setenv("MASTERPLAN_READER_MEMORY_MB", TINY_MEMORY["MASTERPLAN_READER_MEMORY_MB"])
    server = Server(ws)
    try:
        codes = server.codes()
        for name in ("bom_lebar_tinggi.xlsx", "bom_lebar.xlsx", "bom_tinggi.xlsx"):
            answer = server.upload(bombs[name], codes[DISHUB]).json()
            assert answer["status"] == "ditolak"
            [problem] = answer["masalah"]
            assert problem["kode"] == "ISIAN_DI_LUAR_TABEL"
            assert BOMBS[name]["found"] in problem["pesan"] and "Ctrl+End" in problem["pesan"]
        grid = make_grid(tmp_path / "grid.xlsx")
        answer = server.upload(grid, codes[DINKES]).json()
        assert answer["status"] == "ditolak"
        assert [p["kode"] for p in answer["masalah"]] == ["BERKAS_MERUSAK_PEMBACA"]
        crashed = answer["berkas"]
        good = make_plan(cfg, tmp_path / "t", tmp_path / "dinkes.xlsx", DINKES, [good_row(cfg)])
        answer = server.upload(good, codes[DINKES]).json()
        assert answer["status"] == "diterima", answer  # a fresh reader answered it
        assert server.process.poll() is None
    finally:
        server.stop()
    before = blob_rows(ws)
    assert before[crashed][0] == ""  # recorded with its judgement (code on the problem)
    assert first_problem(ws, crashed) == "BERKAS_MERUSAK_PEMBACA"
    monkeypatch.delenv("MASTERPLAN_READER_MEMORY_MB")
    again = Server(ws)  # the files are still in inbox/unggah/
    try:
        assert again.process.poll() is None
        assert again.client.get("/").status_code == 200
    finally:
        again.stop()
    assert blob_rows(ws) == before  # nothing judged again
    assert (ws.inbox / crashed).is_file() and crashed.startswith(layout.UPLOAD_DIR)
