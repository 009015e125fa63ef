"""Plan replacements, end to end through the CLI: a newer plan replaces its OPD's counted
one (named quietly, or loudly when it looks like a mix-up), copies count once, a replaced
file sent again counts again, and each run says what it changed. The verdict rules
themselves are tested directly in tests/test_verdict.py."""

from __future__ import annotations

import os
import shutil

from openpyxl import load_workbook
from operator_cli import (
    BAPPERIDA,
    DISKOMINFO,
    counted_file,
    files_of,
    kominfo_rows,
    rekap_total,
    report,
    run,
    status_json,
    two_versions,
)
from plans import DINKES, DISHUB, good_row, make_plan

from pipeline.read.references import load_config


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
        shutil.copy(source, folder / layout.upload_name(DISHUB, at, source.name, ".xlsx"))
        run(ws)
    again = f"unggah/{layout.upload_name(DISHUB, '20261204-110000', 'Rencana.xlsx', '.xlsx')}"
    entry = files_of(ws)[again]
    assert entry["status"] == "accepted" and "dihitung lagi" in entry["reason"]
    assert counted_file(ws, DISHUB) == again
    assert rekap_total(ws) == 325_000_000
