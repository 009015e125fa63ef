"""LibreOffice as the participants' other office program: its saves, its formats."""

from __future__ import annotations

import json
import shutil

import pytest
from click.testing import CliRunner
from conftest import convert
from plans import DINKES, good_row, make_plan, quick_win_row

from pipeline.cli import main
from pipeline.store.checking import check

pytestmark = pytest.mark.libreoffice


@pytest.fixture
def filled(cfg, tmp_path, soffice):
    y = cfg.first_year
    rows = [
        quick_win_row(cfg, nama_program="Telemedisin Puskesmas",
                      **{f"anggaran_{y + 1}": "Rp 1.250.000.000,-"}),
        good_row(cfg, nama_program="Sistem Rujukan Terpadu", dimensi="smart living",
                 elemen="Prasarana Kesehatan", **{f"anggaran_{y + 3}": "2,5 M"}),
        {},
        {"nama_program": "JUMLAH", f"anggaran_{y}": 1},
    ]
    return make_plan(cfg, tmp_path / "tpl", tmp_path / "asli" / "Renja Dinkes.xlsx", DINKES,
                     rows)


def totals(judgement) -> dict[str, int]:
    return {p["nama_program"]: p["total_anggaran"] for p in judgement.programs}


def test_a_file_saved_by_libreoffice_is_accepted_with_the_same_totals(cfg, filled, tmp_path):
    resaved = convert(filled, "xlsx", tmp_path / "lo")
    [(_, original), (_, again)] = check([filled, resaved], cfg)
    assert original.status == again.status == "accepted", again.problems
    assert totals(again) == totals(original)
    assert totals(original)["Telemedisin Puskesmas"] == 200_000_000 + 1_250_000_000
    assert [p.code for p in again.problems] == [p.code for p in original.problems]


@pytest.mark.parametrize("fmt, code", [("ods", "FORMAT_ODS"), ("xls", "FORMAT_XLS")])
def test_ods_and_xls_are_rejected_with_how_to_resave(cfg, filled, tmp_path, fmt, code):
    other = convert(filled, fmt, tmp_path / "lo")
    [(_, judgement)] = check([other], cfg)
    assert judgement.status == "rejected"
    assert [p.code for p in judgement.problems] == [code]
    assert ".xlsx" in judgement.reason and "Save As" in judgement.reason
    # Its identity sheet names the OPD, so the OPD reads "perlu revisi" in status.
    assert (judgement.opd, judgement.kind) == (DINKES, "rencana")


def test_rekap_and_feedback_workbooks_render_to_pdf(cfg, workspace, tmp_path, soffice):
    make_plan(cfg, tmp_path / "tpl", workspace.inbox / "dinkes.xlsx", DINKES,
              [good_row(cfg, elemen="Wajah Kota")])
    make_plan(cfg, tmp_path / "tpl", workspace.inbox / "dishub.xlsx", "2.15.01",
              [quick_win_row(cfg)])
    assert CliRunner().invoke(main, ["run", "-w", str(workspace.root)]).exit_code == 0
    rekap = workspace.output / "rekap_masterplan.xlsx"
    feedback = workspace.output / "umpan_balik" / "dinkes_umpan_balik.xlsx"
    for source in (rekap, feedback):
        pdf = convert(source, "pdf", tmp_path / "pdf")
        assert pdf.read_bytes()[:5] == b"%PDF-" and pdf.stat().st_size > 5_000
    # The feedback workbook, re-saved by LibreOffice and sent back, is judged again.
    fixed = convert(feedback, "xlsx", tmp_path / "lo")
    shutil.copy(fixed, workspace.inbox / "dinkes_lo.xlsx")
    assert CliRunner().invoke(main, ["run", "-w", str(workspace.root)]).exit_code == 0
    report = json.loads((workspace.output / "laporan_validasi.json").read_text("utf-8"))
    again = [p for p in report["problems"] if p["file"] == "dinkes_lo.xlsx"]
    assert [p["code"] for p in again] == ["ELEMEN_BUKAN_DIMENSI"]
