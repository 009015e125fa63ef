"""The config guard: a changed config (period, OPDs, [rujukan] lists) that would drop
accepted plans stops the run (exit 2) until confirmed, also when it was edited while the
run waited for the lock; a confirmed drop says why."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from openpyxl import load_workbook
from operator_cli import (
    cli,
    counted_file,
    dinkes_reminder,
    files_of,
    kominfo_rows,
    next_period,
    rekap_total,
    report,
    run,
    two_versions,
    waiting_for_the_lock,
)
from plans import DINKES, DISHUB, good_row, make_plan


def test_a_new_period_stops_the_run_until_confirmed(cfg, workspace, tmp_path):
    ws = workspace
    make_plan(cfg, tmp_path / "tpl", ws.inbox / "dinkes.xlsx", DINKES, [good_row(cfg)])
    run(ws)
    before = {p.name: p.read_bytes() for p in ws.output.rglob("*") if p.is_file()}
    ledger = (ws.state / "ledger.sqlite3").read_bytes()
    next_period(cfg, ws)
    refused = cli("run", "--workspace", str(ws.root))
    assert refused.exit_code == 2
    assert DINKES in refused.output and "dinkes.xlsx" in refused.output
    assert "periode" in refused.output and "--terima-konfigurasi" in refused.output
    assert "Traceback" not in refused.output
    after = {p.name: p.read_bytes() for p in ws.output.rglob("*") if p.is_file()}
    assert after == before
    assert (ws.state / "ledger.sqlite3").read_bytes() == ledger
    result = run(ws, "--terima-konfigurasi")
    assert "tidak lagi diterima" in result.output


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc")
def test_a_config_edited_while_the_run_waits_for_the_lock_is_guarded(cfg, workspace, tmp_path):
    """The run reads the config once it holds the lock: the guard checks, and the ingest
    stamps, the config the operator left, not the one on disk when the run started."""
    from pipeline.store.lock import run_lock

    ws = workspace
    make_plan(cfg, tmp_path / "tpl", ws.inbox / "dinkes.xlsx", DINKES, [good_row(cfg)])
    run(ws)
    ledger = (ws.state / "ledger.sqlite3").read_bytes()
    with run_lock(ws.state, wait_seconds=0):
        waiting = subprocess.Popen(
            [sys.executable, "-m", "pipeline", "run", "--workspace", str(ws.root),
             "--wait", "120"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            env={**os.environ, "COLUMNS": "200"})
        deadline = time.monotonic() + 60
        while not waiting_for_the_lock(waiting, (ws.state / "run.lock").resolve()):
            assert waiting.poll() is None and time.monotonic() < deadline
            time.sleep(0.05)
        next_period(cfg, ws)
    output, _ = waiting.communicate(timeout=120)
    assert waiting.returncode == 2, output
    assert "dinkes.xlsx" in output and "--terima-konfigurasi" in output
    assert (ws.state / "ledger.sqlite3").read_bytes() == ledger  # nothing judged or stamped
    assert cli("run", "--workspace", str(ws.root)).exit_code == 2  # and still guarded
    assert "tidak lagi diterima" in run(ws, "--terima-konfigurasi").output


def test_an_opd_removed_from_the_config_is_named(cfg, workspace, tmp_path):
    ws = workspace
    make_plan(cfg, tmp_path / "tpl", ws.inbox / "dishub.xlsx", DISHUB, [good_row(cfg)])
    run(ws)
    text = ws.config_path.read_text("utf-8")
    text = text.replace(f'kode = "{DISHUB}"', 'kode = "2.15.99"')
    ws.config_path.write_text(text, "utf-8")
    refused = cli("run", "--workspace", str(ws.root))
    assert refused.exit_code == 2
    assert f"kode OPD {DISHUB} tidak ada lagi" in refused.output


def test_a_plan_dropped_by_a_new_period_says_why(cfg, workspace, tmp_path):
    ws = workspace
    make_plan(cfg, tmp_path / "tpl", ws.inbox / "dinkes.xlsx", DINKES, [good_row(cfg)])
    run(ws)
    next_period(cfg, ws)
    run(ws, "--terima-konfigurasi")
    entry = files_of(ws)["dinkes.xlsx"]
    assert entry["status"] == "rejected"
    old, new = cfg.period_label, f"{cfg.first_year + 1}-{cfg.years[-1] + 1}"
    for words in ("sudah diterima sebelumnya", "konfigurasi masterplan kemudian diubah",
                  f"berkas: {old}", f"konfigurasi: {new}", "template baru",
                  f"periode {old}"):
        assert words in entry["reason"], words
    [first, *_] = [p for p in report(ws)["problems"] if p["file"] == "dinkes.xlsx"]
    assert first["code"] == "KONFIGURASI_BERUBAH"
    # A template of another period cannot be fixed in place: no feedback workbook, and
    # the reminder does not promise one; it says why the plan no longer counts.
    assert not list((ws.output / "umpan_balik").glob("dinkes*.xlsx"))
    reminder = dinkes_reminder(ws)
    assert '"dinkes.xlsx" tidak lagi dihitung' in reminder
    assert "sudah diterima sebelumnya" in reminder and "template baru" in reminder
    assert f"periode {old}" in reminder and "_umpan_balik" not in reminder
    # A later run (same config) keeps saying so.
    run(ws)
    assert "sudah diterima sebelumnya" in files_of(ws)["dinkes.xlsx"]["reason"]


def test_a_plan_dropped_by_a_shorter_list_gets_feedback_saying_why(cfg, workspace, tmp_path):
    ws = workspace
    make_plan(cfg, tmp_path / "tpl", ws.inbox / "dinkes.xlsx", DINKES,
              [good_row(cfg, sumber_dana="Lainnya")])
    run(ws)
    text = ws.config_path.read_text("utf-8").replace('"KPBU", "Lainnya"]', '"KPBU"]')
    ws.config_path.write_text(text, "utf-8")
    run(ws, "--terima-konfigurasi")
    entry = files_of(ws)["dinkes.xlsx"]
    assert entry["status"] == "rejected" and "sudah diterima sebelumnya" in entry["reason"]
    book = load_workbook(ws.output / "umpan_balik" / "dinkes_umpan_balik.xlsx")
    notes = [str(v) for row in book["Catatan Validasi"].iter_rows(values_only=True)
             for v in row if v]
    assert any("sudah diterima sebelumnya" in v and "template baru" in v for v in notes)
    assert "PILIHAN_TIDAK_DIKENAL" in notes
    reminder = dinkes_reminder(ws)
    assert "sudah diterima sebelumnya" in reminder and "dinkes_umpan_balik.xlsx" in reminder
    assert "Lainnya" in reminder


def test_a_file_sent_again_stays_counted_when_the_config_changes(cfg, workspace, tmp_path):
    ws = workspace
    v1 = two_versions(cfg, ws, tmp_path)
    shutil.copy(v1, ws.inbox / "v1 lagi.xlsx")
    os.utime(ws.inbox / "v1 lagi.xlsx", (1_900_000_000, 1_900_000_000))
    run(ws)
    assert counted_file(ws, DISHUB) == "v1 lagi.xlsx"
    # A config change that drops nothing judges every stored file again: the file sent
    # again stays the counted one, the original stays replaced.
    text = ws.config_path.read_text("utf-8")
    ws.config_path.write_text(text.replace("anggaran_kecil = 1000000",
                                           "anggaran_kecil = 2000000"), "utf-8")
    run(ws)
    files = files_of(ws)
    assert (files["v1 lagi.xlsx"]["status"], files["v1.xlsx"]["status"]) == ("accepted",
                                                                              "accepted")
    assert counted_file(ws, DISHUB) == "v1 lagi.xlsx"
    assert "dihitung lagi" in files["v1 lagi.xlsx"]["reason"]
    assert rekap_total(ws) == 325_000_000

    # Sent again in the run that follows a config change: counted again as well.
    make_plan(cfg, tmp_path / "tpl", ws.inbox / "v3.xlsx", DISHUB, kominfo_rows(cfg)[:2])
    os.utime(ws.inbox / "v3.xlsx", (1_900_000_100, 1_900_000_100))
    run(ws)
    assert counted_file(ws, DISHUB) == "v3.xlsx"
    ws.config_path.write_text(text, "utf-8")
    shutil.copy(v1, ws.inbox / "v1 ketiga.xlsx")
    os.utime(ws.inbox / "v1 ketiga.xlsx", (1_900_000_200, 1_900_000_200))
    run(ws)
    files = files_of(ws)
    assert files["v1 ketiga.xlsx"]["status"] == "accepted"
    assert "dihitung lagi" in files["v1 ketiga.xlsx"]["reason"]
    assert counted_file(ws, DISHUB) == "v1 ketiga.xlsx"
