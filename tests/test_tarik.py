"""`masterplan tarik`: a withdrawn file counts as if it never arrived, its
bytes sent again stay withdrawn, its feedback moves to lama/, and `--batal` undoes it."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from operator_cli import (
    DISKOMINFO,
    cli,
    counted_file,
    files_of,
    kominfo_rows,
    rekap_total,
    report,
    ringkasan_text,
    run,
    status_json,
    two_versions,
)
from plans import DISHUB, good_row, make_plan


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
