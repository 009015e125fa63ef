"""The everyday slips of a workshop, replayed through the CLI as an operator would:
none of them changes the masterplan's numbers unseen, and each has a way back."""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from plans import DINKES, DISHUB, good_row, make_plan, quick_win_row

from pipeline.cli import main
from pipeline.read.references import load_config

DISKOMINFO = "2.16.01"
BAPPERIDA = "5.01.01"


def cli(*args: str, columns: int = 200):
    return CliRunner(env={"COLUMNS": str(columns)}).invoke(main, list(args),
                                                            catch_exceptions=False)


def run(ws, *extra: str):
    result = cli("run", "--workspace", str(ws.root), *extra)
    assert result.exit_code == 0, result.output
    return result


def report(ws) -> dict:
    return json.loads((ws.output / "laporan_validasi.json").read_text("utf-8"))


def status_json(ws) -> dict:
    result = cli("status", "--workspace", str(ws.root), "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def rekap_total(ws) -> int:
    sheet = load_workbook(ws.output / "rekap_masterplan.xlsx", read_only=True)["OPD per Tahun"]
    rows = list(sheet.iter_rows(values_only=True))
    total_row = next(r for r in rows if r and r[0] == "Total")
    return int(total_row[-1])


def ringkasan_text(ws) -> str:
    sheet = load_workbook(ws.output / "rekap_masterplan.xlsx", read_only=True)["Ringkasan"]
    return "\n".join(str(v) for row in sheet.iter_rows(values_only=True) for v in row if v)


def kominfo_rows(cfg) -> list[dict]:
    first = cfg.first_year
    return [good_row(cfg, nama_program=name, **{f"anggaran_{first}": amount,
                                                 f"anggaran_{first + 1}": None})
            for name, amount in (("Satu Data Tapteng", 3_000_000_000),
                                 ("Command Center", 4_000_000_000),
                                 ("Literasi Digital Desa", 250_000_000))]


def test_another_opd_on_a_copied_template_is_flagged_and_can_be_withdrawn(cfg, workspace,
                                                                          tmp_path):
    ws = workspace
    make_plan(cfg, tmp_path / "tpl", ws.inbox / "Masterplan Diskominfo.xlsx", DISKOMINFO,
              kominfo_rows(cfg), {"nama_pengisi": "Rina Simanjuntak", "kontak": "0812 1111"})
    run(ws)
    assert rekap_total(ws) == 7_250_000_000

    # Bapperida filled a copy of Diskominfo's template and named the file after itself.
    make_plan(cfg, tmp_path / "tpl", ws.inbox / "Masterplan Bapperida.xlsx", DISKOMINFO,
              [good_row(cfg, nama_program="Riset Inovasi Daerah")],
              {"nama_pengisi": "Budi Hutagalung"})
    result = run(ws)
    assert "PERIKSA" in result.output and "Bapperida" in result.output
    assert "Masterplan Diskominfo.xlsx" in result.output
    assert "Masterplan Bapperida.xlsx" in result.output
    # The replaced file is marked in the run table.
    assert re.search(r"Masterplan Diskominfo\.xlsx.*diganti", result.output)

    problems = [p for p in report(ws)["problems"] if p["file"] == "Masterplan Bapperida.xlsx"]
    loud = next(p for p in problems if p["code"] == "RENCANA_MENGGANTIKAN_CURIGA")
    assert loud["severity"] == "warning" and loud["opd"] == DISKOMINFO
    for words in ("Badan Perencanaan", "Budi Hutagalung", "Rp 7.250.000.000", "3 program",
                  "masterplan tarik"):
        assert words in loud["message"], words
    changes = report(ws)["changes"]
    changed = next(c for c in changes["opd"] if c["opd"] == DISKOMINFO)
    assert changed["before"]["total"] == 7_250_000_000
    assert changed["after"]["programs"] == 1
    assert changes["total_after"] == changed["after"]["total"]
    assert "PERIKSA" in ringkasan_text(ws)
    files = {f["file"]: f for f in status_json(ws)["files"]}
    assert files["Masterplan Diskominfo.xlsx"].get("replaced") is True

    # The way back: withdraw the wrong file, by the name the report uses.
    out = cli("tarik", "Masterplan Bapperida.xlsx", "--alasan", "berkas Bapperida",
              "--workspace", str(ws.root))
    assert out.exit_code == 0, out.output
    assert "Masterplan Diskominfo.xlsx" in out.output and "masterplan run" in out.output
    entry = {f["file"]: f for f in status_json(ws)["files"]}["Masterplan Bapperida.xlsx"]
    assert entry["status"] == "withdrawn" and entry["withdrawn_reason"] == "berkas Bapperida"
    opd = next(o for o in status_json(ws)["opd"] if o["kode"] == DISKOMINFO)
    assert opd["counted_file"] == "Masterplan Diskominfo.xlsx"
    result = run(ws)
    assert re.search(r"Masterplan Bapperida\.xlsx.*ditarik", result.output)
    assert "berkas ditarik" in result.output
    assert rekap_total(ws) == 7_250_000_000

    # Undo: the withdrawn file counts again.
    path = str(ws.inbox / "Masterplan Bapperida.xlsx")  # a path works as well as the name
    out = cli("tarik", "--batal", path, "--workspace", str(ws.root))
    assert out.exit_code == 0, out.output
    run(ws)
    assert rekap_total(ws) < 7_250_000_000
    refused = cli("tarik", "--batal", "Masterplan Bapperida.xlsx", "--workspace", str(ws.root))
    assert refused.exit_code == 2 and "tidak sedang ditarik" in refused.output
    unknown = cli("tarik", "tidak-ada.xlsx", "--workspace", str(ws.root))
    assert unknown.exit_code == 2 and "tidak ada dalam catatan" in unknown.output


def test_a_revision_is_named_quietly_when_nothing_looks_wrong(cfg, workspace, tmp_path):
    ws = workspace
    make_plan(cfg, tmp_path / "tpl", ws.inbox / "dinkes.xlsx", DINKES, [good_row(cfg)])
    run(ws)
    rows = [good_row(cfg), good_row(cfg, nama_program="Posyandu Digital")]
    make_plan(cfg, tmp_path / "tpl", ws.inbox / "dinkes_revisi.xlsx", DINKES, rows)
    result = run(ws)
    assert "PERIKSA" not in result.output
    assert "dinkes.xlsx (1 program, Rp 325.000.000) -> dinkes_revisi.xlsx (2 program, " \
           "Rp 650.000.000)" in result.output
    codes = {p["code"] for p in report(ws)["problems"] if p["file"] == "dinkes_revisi.xlsx"}
    assert "RENCANA_MENGGANTIKAN" in codes and "RENCANA_MENGGANTIKAN_CURIGA" not in codes


def test_identitas_naming_another_opd_rejects_the_file_at_that_cell(cfg, workspace, tmp_path):
    ws = workspace
    make_plan(cfg, tmp_path / "tpl", ws.inbox / "bapperida.xlsx", DISKOMINFO,
              [good_row(cfg)], {"kode_opd": BAPPERIDA, "nama_pengisi": "Budi"})
    make_plan(cfg, tmp_path / "tpl", ws.inbox / "by-name.xlsx", DISHUB,
              [good_row(cfg)], {"nama_opd": "bapperida ", "nama_pengisi": "Budi"})
    make_plan(cfg, tmp_path / "tpl", ws.inbox / "own.xlsx", DINKES,
              [good_row(cfg)], {"nama_opd": "Dinas Kesehatan", "nama_pengisi": "Ani"})
    run(ws)
    files = {f["file"]: f for f in report(ws)["files"]}
    assert files["bapperida.xlsx"]["status"] == "rejected"
    assert files["by-name.xlsx"]["status"] == "rejected"
    assert files["own.xlsx"]["status"] == "accepted"
    problem = next(p for p in report(ws)["problems"] if p["file"] == "bapperida.xlsx"
                   and p["code"] == "IDENTITAS_OPD_LAIN")
    assert (problem["sheet"], problem["cell"], problem["severity"]) == ("Identitas", "B3",
                                                                        "error")
    assert f"masterplan templates --opd {BAPPERIDA}" in problem["message"]
    by_name = next(p for p in report(ws)["problems"] if p["file"] == "by-name.xlsx"
                   and p["code"] == "IDENTITAS_OPD_LAIN")
    assert by_name["cell"] == "B4"
    # The feedback workbook marks the Identitas cell.
    book = load_workbook(ws.output / "umpan_balik" / "bapperida_umpan_balik.xlsx")
    assert "IDENTITAS_OPD_LAIN" in book["Identitas"]["B3"].comment.text


def test_a_new_period_stops_the_run_until_confirmed(cfg, workspace, tmp_path):
    ws = workspace
    make_plan(cfg, tmp_path / "tpl", ws.inbox / "dinkes.xlsx", DINKES, [good_row(cfg)])
    run(ws)
    before = {p.name: p.read_bytes() for p in ws.output.rglob("*") if p.is_file()}
    ledger = (ws.state / "ledger.sqlite3").read_bytes()
    text = ws.config_path.read_text("utf-8")
    text = text.replace(f"tahun_awal = {cfg.first_year}", f"tahun_awal = {cfg.first_year + 1}")
    text = text.replace(f"tahun_quick_win = {cfg.quick_win_year}",
                        f"tahun_quick_win = {cfg.quick_win_year + 1}")
    ws.config_path.write_text(text, "utf-8")
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


def next_period(cfg, ws) -> None:
    text = ws.config_path.read_text("utf-8")
    text = text.replace(f"tahun_awal = {cfg.first_year}", f"tahun_awal = {cfg.first_year + 1}")
    text = text.replace(f"tahun_quick_win = {cfg.quick_win_year}",
                        f"tahun_quick_win = {cfg.quick_win_year + 1}")
    ws.config_path.write_text(text, "utf-8")


def waiting_for_the_lock(process: subprocess.Popen, lock: Path) -> bool:
    """The process has the run lock file open (it waits for the lock: test holds it)."""
    fds = Path(f"/proc/{process.pid}/fd")
    with contextlib.suppress(OSError):
        return any(os.readlink(fd) == str(lock) for fd in fds.iterdir())
    return False


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


def test_identical_files_in_one_run_the_first_arrival_counts(cfg, workspace, tmp_path):
    ws = workspace
    original = make_plan(cfg, tmp_path / "tpl", ws.inbox / "dinkes.xlsx", DINKES,
                         [good_row(cfg)])
    copy = ws.inbox / "dinkes - Copy.xlsx"
    shutil.copy2(original, copy)  # Explorer keeps the time: equal times, name decides
    os.utime(original, (1_700_000_000, 1_700_000_000))
    os.utime(copy, (1_700_000_000, 1_700_000_000))
    run(ws)
    files = {f["file"]: f for f in report(ws)["files"]}
    assert files["dinkes.xlsx"]["status"] == "accepted"
    assert files["dinkes - Copy.xlsx"]["status"] == "ignored"
    assert "'dinkes.xlsx'" in files["dinkes - Copy.xlsx"]["reason"]

    # A later copy (newer time) of other bytes under a name sorting first is still later.
    other = make_plan(cfg, tmp_path / "tpl", ws.inbox / "b.xlsx", DISHUB, [good_row(cfg)])
    shutil.copy(other, ws.inbox / "a copy.xlsx")
    os.utime(other, (1_700_000_100, 1_700_000_100))
    os.utime(ws.inbox / "a copy.xlsx", (1_700_000_200, 1_700_000_200))
    run(ws)
    files = {f["file"]: f for f in report(ws)["files"]}
    assert files["b.xlsx"]["status"] == "accepted"
    assert "'b.xlsx'" in files["a copy.xlsx"]["reason"]


def test_a_counted_file_gone_from_the_inbox_is_named_every_run(cfg, workspace, tmp_path):
    ws = workspace
    make_plan(cfg, tmp_path / "tpl", ws.inbox / "sub" / "dinkes.xlsx", DINKES, [good_row(cfg)])
    run(ws)
    (ws.inbox / "sub" / "dinkes.xlsx").unlink()
    for _ in range(2):
        result = run(ws)
        assert "sub/dinkes.xlsx" in result.output
        assert 'masterplan tarik "sub/dinkes.xlsx"' in result.output
    assert rekap_total(ws) > 0  # still counted, as documented


def test_status_follow_up_contacts_owing_and_reminders(cfg, workspace, tmp_path):
    ws = workspace
    make_plan(cfg, tmp_path / "tpl", ws.inbox / "dinkes.xlsx", DINKES, [good_row(cfg)],
              {"nama_pengisi": "Rina Simanjuntak", "jabatan": "Perencana Ahli Muda",
               "kontak": "0812-3456-7890"})
    long_name = "masterplan_dinas_perhubungan_kabupaten_tapanuli_tengah_revisi_final.xlsx"
    make_plan(cfg, tmp_path / "tpl", ws.inbox / long_name, DISHUB,
              [good_row(cfg, elemen="Wajah Kota")], {"nama_pengisi": "Togar", "kontak": "0813"})
    run(ws)
    opd = {o["kode"]: o for o in status_json(ws)["opd"]}
    assert opd[DINKES]["pengisi"] == "Rina Simanjuntak"
    assert opd[DINKES]["kontak"] == "0812-3456-7890"
    assert opd[DINKES]["jabatan"] == "Perencana Ahli Muda"
    assert opd[DISHUB]["pengisi"] == "Togar"  # the latest file, though it was rejected

    narrow = cli("status", "--workspace", str(ws.root), columns=80)
    assert narrow.exit_code == 0
    lines = narrow.output.splitlines()
    assert all(len(line) <= 80 for line in lines)
    table_rows = [line for line in lines if line.startswith("│")]
    # One line per OPD: nothing wrapped, no word broken.
    assert len(table_rows) == len(cfg.opds)
    assert sum("belum mengumpulkan" in line for line in table_rows) == len(cfg.opds) - 2
    assert any("perlu revisi" in line and "…" in line for line in table_rows)
    assert "Rina Simanjuntak" in narrow.output
    assert re.search(r"1 OPD perlu revisi:.*Dishub", narrow.output)

    owing = cli("status", "--belum", "--json", "--workspace", str(ws.root))
    kodes = {o["kode"] for o in json.loads(owing.output)["opd"]}
    assert DISHUB in kodes and DINKES not in kodes and len(kodes) == len(cfg.opds) - 1

    messages = cli("status", "--pesan", "--workspace", str(ws.root)).output
    dishub = messages.split("=== Dishub")[1].split("===", 2)[1]
    assert "Wajah Kota" in dishub and "_umpan_balik.xlsx" in dishub
    assert "Togar" in messages.split("=== Dishub")[1].split("\n")[0]
    assert "Template_Masterplan_2.12.01_Disdukcapil.xlsx" in messages
    assert "=== Dinkes" not in messages


def test_stale_quick_win_outputs_are_named(cfg, workspace, tmp_path):
    ws = workspace
    make_plan(cfg, tmp_path / "tpl", ws.inbox / "dinkes.xlsx", DINKES, [quick_win_row(cfg)])
    run(ws)
    assert cli("quickwin", "--workspace", str(ws.root)).exit_code == 0
    assert "masterplan quickwin" not in run(ws).output
    rows = [quick_win_row(cfg), quick_win_row(cfg, nama_program="Posyandu Digital")]
    make_plan(cfg, tmp_path / "tpl", ws.inbox / "dinkes2.xlsx", DINKES, rows)
    result = run(ws)
    assert "Jalankan: masterplan quickwin" in result.output and "Dinkes" in result.output
    assert "masterplan quickwin" in ringkasan_text(ws)


def test_feedback_of_superseded_and_withdrawn_files_moves_to_lama(cfg, workspace, tmp_path):
    ws = workspace
    folder = ws.output / "umpan_balik"
    make_plan(cfg, tmp_path / "tpl", ws.inbox / "dishub.xlsx", DISHUB,
              [good_row(cfg, elemen="Wajah Kota")])
    run(ws)
    assert (folder / "dishub_umpan_balik.xlsx").is_file()
    make_plan(cfg, tmp_path / "tpl", ws.inbox / "dishub2.xlsx", DISHUB,
              [good_row(cfg, deskripsi=None)])  # accepted with a warning
    run(ws)
    assert not (folder / "dishub_umpan_balik.xlsx").exists()
    assert (folder / "lama" / "dishub_umpan_balik.xlsx").is_file()
    assert (folder / "dishub2_umpan_balik.xlsx").is_file()
    # The rejected first file reads "diganti" now: a newer accepted plan replaced it.
    old = {f["file"]: f for f in report(ws)["files"]}["dishub.xlsx"]
    assert (old["status"], old.get("replaced")) == ("rejected", True)
    assert cli("tarik", "dishub2.xlsx", "--workspace", str(ws.root)).exit_code == 0
    result = run(ws)
    assert re.search(r"dishub\.xlsx.*ditolak", result.output)
    assert "replaced" not in {f["file"]: f for f in report(ws)["files"]}["dishub.xlsx"]
    assert (folder / "lama" / "dishub2_umpan_balik.xlsx").is_file()
    # With the revision withdrawn the rejected file is the newest again: act on it.
    assert (folder / "dishub_umpan_balik.xlsx").is_file()
    assert sorted(p.name for p in Path(folder).glob("*.xlsx")) == ["dishub_umpan_balik.xlsx"]


def test_changes_count_files_recorded_before_the_run(cfg, workspace, tmp_path):
    """`masterplan watch` records a file (its verdict) before its refresh runs: the
    refresh still reports it as new since the previous run."""
    from pipeline.store import ingest
    from pipeline.store.ledger import Ledger

    ws = workspace
    run(ws)
    make_plan(cfg, tmp_path / "tpl", ws.inbox / "dinkes.xlsx", DINKES, [good_row(cfg)])
    ledger = Ledger(ws.ledger_path)
    try:
        ingest.ingest(ws, load_config(ws), ledger)
    finally:
        ledger.close()
    run(ws)
    changes = report(ws)["changes"]
    assert [f["file"] for f in changes["new_files"]] == ["dinkes.xlsx"]
    assert changes["opd"][0]["why"] == "rencana pertama diterima"
    assert changes["total_before"] == 0 and changes["total_after"] == 325_000_000
    run(ws)
    assert report(ws)["changes"]["new_files"] == []


# --- a replaced file sent again -------------------------------------------------------------

def files_of(ws) -> dict[str, dict]:
    return {f["file"]: f for f in report(ws)["files"]}


def counted_file(ws, kode: str) -> str:
    return next(o for o in status_json(ws)["opd"] if o["kode"] == kode)["counted_file"]


def two_versions(cfg, ws, tmp_path) -> Path:
    """Dishub's v1 (Rp 325.000.000) replaced by v2 (Rp 7.250.000.000); returns v1."""
    v1 = make_plan(cfg, tmp_path / "tpl", ws.inbox / "v1.xlsx", DISHUB, [good_row(cfg)])
    run(ws)
    make_plan(cfg, tmp_path / "tpl", ws.inbox / "v2.xlsx", DISHUB, kominfo_rows(cfg))
    run(ws)
    assert counted_file(ws, DISHUB) == "v2.xlsx"
    return v1


def test_a_replaced_file_sent_again_counts_again_and_says_so(cfg, workspace, tmp_path):
    ws = workspace
    v1 = two_versions(cfg, ws, tmp_path)
    # A copy of the file counted now is still a copy.
    shutil.copy(ws.inbox / "v2.xlsx", ws.inbox / "v2 - Copy.xlsx")
    run(ws)
    assert files_of(ws)["v2 - Copy.xlsx"]["status"] == "ignored"
    assert counted_file(ws, DISHUB) == "v2.xlsx"

    # The OPD decides v1 was right after all and sends it again (twice, in one run).
    (ws.inbox / "wa").mkdir()
    shutil.copy(v1, ws.inbox / "wa" / "v1 lagi.xlsx")
    shutil.copy(v1, ws.inbox / "wa" / "v1 lagi (1).xlsx")
    for path in (ws.inbox / "wa").iterdir():
        os.utime(path, (1_900_000_000, 1_900_000_000))
    result = run(ws)
    files = files_of(ws)
    again = files["wa/v1 lagi.xlsx"]
    assert again["status"] == "accepted" and again.get("replaced") is None
    assert "sama dengan 'v1.xlsx' yang sebelumnya diganti" in again["reason"]
    assert "dihitung lagi" in again["reason"]
    assert files["wa/v1 lagi (1).xlsx"]["status"] == "ignored"  # never counted twice
    assert "'wa/v1 lagi.xlsx'" in files["wa/v1 lagi (1).xlsx"]["reason"]
    assert files["v2.xlsx"].get("replaced") is True
    assert counted_file(ws, DISHUB) == "wa/v1 lagi.xlsx"
    assert rekap_total(ws) == 325_000_000
    # The usual replacement reporting: console, report warning, changes.
    assert "v2.xlsx (3 program, Rp 7.250.000.000) -> wa/v1 lagi.xlsx (1 program, " \
           "Rp 325.000.000)" in result.output
    codes = {p["code"] for p in report(ws)["problems"] if p["file"] == "wa/v1 lagi.xlsx"}
    assert "RENCANA_MENGGANTIKAN_CURIGA" in codes  # the total fell by more than half
    [change] = report(ws)["changes"]["opd"]
    assert (change["why"], change["after"]["file"]) == ("diganti berkas baru", "wa/v1 lagi.xlsx")
    status_files = {f["file"]: f for f in status_json(ws)["files"]}
    assert status_files["v2.xlsx"].get("replaced") is True
    assert status_files["v1.xlsx"].get("replaced") is True
    # A later run changes nothing; a copy of the file counted now is ignored.
    shutil.copy(v1, ws.inbox / "v1 sekali lagi.xlsx")
    run(ws)
    assert files_of(ws)["v1 sekali lagi.xlsx"]["status"] == "ignored"
    assert "'wa/v1 lagi.xlsx'" in files_of(ws)["v1 sekali lagi.xlsx"]["reason"]
    assert counted_file(ws, DISHUB) == "wa/v1 lagi.xlsx"


def test_a_replaced_file_moved_inside_the_inbox_is_not_sent_again(cfg, workspace, tmp_path):
    ws = workspace
    two_versions(cfg, ws, tmp_path)
    (ws.inbox / "lama").mkdir()
    (ws.inbox / "v1.xlsx").rename(ws.inbox / "lama" / "v1.xlsx")
    run(ws)
    assert files_of(ws)["lama/v1.xlsx"]["status"] == "ignored"
    assert counted_file(ws, DISHUB) == "v2.xlsx"


def test_withdrawn_bytes_sent_again_stay_withdrawn(cfg, workspace, tmp_path):
    ws = workspace
    v1 = two_versions(cfg, ws, tmp_path)
    assert cli("tarik", "v2.xlsx", "--workspace", str(ws.root)).exit_code == 0
    run(ws)
    assert counted_file(ws, DISHUB) == "v1.xlsx"
    v2_copy = ws.inbox / "v2 kirim ulang.xlsx"
    shutil.copy(ws.inbox / "v2.xlsx", v2_copy)
    run(ws)
    entry = files_of(ws)["v2 kirim ulang.xlsx"]
    assert entry["status"] == "ignored"
    assert "'v2.xlsx'" in entry["reason"] and "ditarik" in entry["reason"]
    assert 'masterplan tarik --batal "v2.xlsx"' in entry["reason"]
    assert counted_file(ws, DISHUB) == "v1.xlsx"
    assert v1.exists()


def test_an_upload_of_replaced_bytes_counts_again(cfg, workspace, tmp_path):
    """`masterplan serve` stores each upload under inbox/unggah/ with its own name."""
    from pipeline import layout

    ws = workspace
    folder = ws.inbox / layout.UPLOAD_DIR
    folder.mkdir()
    v1 = make_plan(cfg, tmp_path / "tpl", tmp_path / "Rencana.xlsx", DISHUB, [good_row(cfg)])
    v2 = make_plan(cfg, tmp_path / "tpl", tmp_path / "Rencana2.xlsx", DISHUB, kominfo_rows(cfg))
    for source, at in ((v1, "20261204-090000"), (v2, "20261204-100000"),
                       (v1, "20261204-110000")):
        shutil.copy(source, folder / layout.upload_name(DISHUB, at, source.name))
        run(ws)
    again = f"unggah/{layout.upload_name(DISHUB, '20261204-110000', 'Rencana.xlsx')}"
    entry = files_of(ws)[again]
    assert entry["status"] == "accepted" and "dihitung lagi" in entry["reason"]
    assert counted_file(ws, DISHUB) == again
    assert rekap_total(ws) == 325_000_000


# --- plans a confirmed config change dropped --------------------------------------------------

def dinkes_reminder(ws) -> str:
    messages = cli("status", "--pesan", "--workspace", str(ws.root)).output
    return messages.split("=== Dinkes")[1].split("\n===")[0]


def test_a_plan_dropped_by_a_new_period_says_why(cfg, workspace, tmp_path):
    ws = workspace
    make_plan(cfg, tmp_path / "tpl", ws.inbox / "dinkes.xlsx", DINKES, [good_row(cfg)])
    run(ws)
    text = ws.config_path.read_text("utf-8")
    text = text.replace(f"tahun_awal = {cfg.first_year}", f"tahun_awal = {cfg.first_year + 1}")
    text = text.replace(f"tahun_quick_win = {cfg.quick_win_year}",
                        f"tahun_quick_win = {cfg.quick_win_year + 1}")
    ws.config_path.write_text(text, "utf-8")
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
