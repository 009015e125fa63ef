"""`masterplan status`: who has sent what, contacts, who still owes a file and the
reminders to send; stale Quick Win outputs named."""

from __future__ import annotations

import json
import re

from operator_cli import (
    cli,
    ringkasan_text,
    run,
    status_json,
)
from plans import DINKES, DISHUB, good_row, make_plan, quick_win_row


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
    assert re.search(r"^1 OPD perlu revisi:\n  • Dishub \(Dinas Perhubungan\)$", narrow.output,
                     re.M)

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
