"""Signature blocks and notes typed under the Program table are one warning, never a
program and never an error; programs whose text looks like a signature stay programs."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from plans import DINKES, DISDUKCAPIL, good_row, make_plan, quick_win_row

from pipeline import layout
from pipeline.cli import main
from pipeline.demo.filling import program_cell
from pipeline.read.reading import RawRow
from pipeline.read.signature import find_block
from pipeline.store.checking import check

CODE = "TANDA_TANGAN_DIABAIKAN"


def judged(cfg, tmp_path: Path, rows: list[dict]):
    path = make_plan(cfg, tmp_path / "tpl", tmp_path / "f.xlsx", DISDUKCAPIL, rows)
    [(_, judgement)] = check([path], cfg)
    return path, judgement


def at(path: Path, key: str, index: int) -> str:
    return program_cell(load_workbook(path)[layout.SHEET_PROGRAM], key, index)


def programs(cfg, count: int) -> list[dict]:
    return [good_row(cfg, nama_program=f"Program Layanan Digital {i}") for i in range(count)]


def test_signature_block_with_blank_rows_is_one_warning_and_not_counted(cfg, tmp_path):
    block = [{}, {"nama_program": "Pandan, 12 Maret 2024"},
             {"nama_program": "KEPALA DINAS KEPENDUDUKAN DAN PENCATATAN SIPIL"},
             {}, {}, {"nama_program": "Drs. AHMAD NASUTION, M.Si"},
             {"nama_program": "Pembina Tk. I (IV/b)"},
             {"nama_program": "NIP. 19680101 199003 1 002"}]
    path, judgement = judged(cfg, tmp_path, programs(cfg, 2) + block)
    assert judgement.status == "accepted", [p.message for p in judgement.problems]
    assert len(judgement.programs) == 2
    assert [(p.code, p.cell, p.severity) for p in judgement.problems] == \
        [(CODE, at(path, "nama_program", 3), "warning")]
    first, last = (layout.PROGRAM_FIRST_DATA_ROW + i for i in (3, 9))
    message = judgement.problems[0].message
    assert f"Baris {first} sampai {last}" in message and "Pandan, 12 Maret 2024" in message


def test_block_on_the_right_in_the_year_columns_with_two_signatories(cfg, tmp_path):
    years = cfg.years
    right, far_right = f"anggaran_{years[-3]}", f"anggaran_{years[-1]}"
    block = [{},
             {"nama_program": "Mengetahui,", right: "Pandan, 5 Agustus 2024"},
             {"nama_program": "Sekretaris Daerah", right: "Plt. KEPALA DINAS"},
             {}, {"nama_program": "Ir. Sahat Simatupang", far_right: "Rina Hutagalung, S.Kom"},
             {"nama_program": "NIP 196501011990031001", far_right: 198501012010012001}]
    path, judgement = judged(cfg, tmp_path, programs(cfg, 1) + block)
    assert judgement.status == "accepted", [p.message for p in judgement.problems]
    assert [p.code for p in judgement.problems] == [CODE]
    assert judgement.problems[0].cell == at(path, "nama_program", 2)
    assert len(judgement.programs) == 1


@pytest.mark.parametrize("lines", [
    [{"nama_program": "Catatan: anggaran 2026 masih perkiraan"}],
    [{"deskripsi": "Catatan :"}, {"deskripsi": "1. Anggaran tahun 2027 menunggu RPJMD baru"}],
    [{"nama_program": "a.n. Kepala Dinas"}, {"nama_program": "Kabid Aplikasi Informatika"},
     {"nama_program": "Budi Santoso, S.T."}],
    [{"deskripsi": dt.datetime(2024, 3, 12)}, {"deskripsi": "Kasubbag Perencanaan"},
     {"deskripsi": "Lamhot Sitompul"}],
    [{"nama_program": "Kepala Bidang Statistik"}, {"nama_program": "Tiurma Pasaribu"}],
    [{"manfaat": "Disetujui oleh"}, {"manfaat": "KEPALA BAPPERIDA"}, {"manfaat": "ttd"}],
    [{"keterangan": "Pangkat/Gol : Penata Tk. I / III d"}],
])
def test_notes_and_signature_forms(cfg, tmp_path, lines):
    _, judgement = judged(cfg, tmp_path, programs(cfg, 2) + [{}] + lines)
    assert judgement.status == "accepted", [p.message for p in judgement.problems]
    assert [p.code for p in judgement.problems] == [CODE]
    assert len(judgement.programs) == 2


def test_total_row_and_signature_block_each_warn_once(cfg, tmp_path):
    first = cfg.first_year
    total = {"nama_program": "JUMLAH", f"anggaran_{first}": 300_000_000}
    block = [{"nama_program": "Pandan, 12 Maret 2024"}, {"nama_program": "Kepala Dinas"},
             {"nama_program": "Maruli Tambunan"}]
    _, judgement = judged(cfg, tmp_path, programs(cfg, 2) + [total, {}] + block)
    assert judgement.status == "accepted"
    assert sorted(p.code for p in judgement.problems) == ["BARIS_JUMLAH_DIABAIKAN", CODE]
    assert len(judgement.programs) == 2


@pytest.mark.parametrize("name", ["Penguatan Kapasitas Kepala Desa", "Kepala Desa Melek Digital",
                                  "Catatan Sipil Keliling", "Mengetahui Kebutuhan Warga",
                                  "Pembina Posyandu Digital", "Penata Ruang Daring"])
def test_programs_named_like_signature_lines_stay_programs(cfg, tmp_path, name):
    rows = programs(cfg, 1) + [good_row(cfg, nama_program=name)]
    _, judgement = judged(cfg, tmp_path, rows)
    assert judgement.status == "accepted"
    assert CODE not in {p.code for p in judgement.problems}
    assert [r["nama_program"] for r in judgement.programs][-1] == name


def test_half_typed_program_or_lone_title_is_not_hidden_as_a_signature(cfg, tmp_path):
    first = cfg.first_year
    # A name and an amount: programme content, so its missing columns are errors.
    rows = programs(cfg, 1) + [{"nama_program": "Kepala Desa Digital",
                                f"anggaran_{first}": 50_000_000},
                               {"nama_program": "Kepala Seksi Data"}]
    path, judgement = judged(cfg, tmp_path, rows)
    assert judgement.status == "rejected"
    assert CODE not in {p.code for p in judgement.problems}
    assert {p.row for p in judgement.problems if p.severity == "error"} >= \
        {layout.PROGRAM_FIRST_DATA_ROW + 1, layout.PROGRAM_FIRST_DATA_ROW + 2}


def test_signature_lines_above_a_program_are_not_a_block(cfg, tmp_path):
    rows = [{"nama_program": "Pandan, 12 Maret 2024"}] + programs(cfg, 1)
    _, judgement = judged(cfg, tmp_path, rows)
    assert judgement.status == "rejected"
    assert CODE not in {p.code for p in judgement.problems}


@pytest.mark.parametrize(("lines", "start"), [
    (["Pandan, 12 Maret 2024", "KEPALA DINAS", "Nama"], 0),
    (["Sibolga, Maret 2024"], 0),
    (["12-03-2024", "Kepala"], 0),
    (["NIP. 19850101 201001 2 001"], 0),
    (["198501012010012001"], 0),
    (["Pembina Utama Muda (IV/c)"], 0),
    (["Tanggal: 12 Maret 2024"], 0),
    (["Plh. Sekretaris", "Nama"], 0),
    (["Kegiatan tambahan", "Kepala Bidang", "Nama"], 1),
    (["Kepala Bidang"], None),
    (["Keterangan tambahan"], None),
    (["Pengembangan Aplikasi"], None),
])
def test_which_lines_start_a_block(cfg, lines, start):
    rows = [RawRow(10, {"nama_program": "Program", "dimensi": "Smart Governance"})] + \
        [RawRow(11 + i, {"nama_program": text}) for i, text in enumerate(lines)]
    block = find_block(rows, cfg)
    assert (block.start - 1 if block else None) == start


def test_run_counts_only_the_programs(cfg, workspace, tmp_path):
    block = [{}, {"nama_program": "Pandan, 12 Maret 2024"}, {"nama_program": "KEPALA DINAS"},
             {"nama_program": "Drs. Ahmad"}, {"nama_program": "NIP. 19680101 199003 1 002"}]
    make_plan(cfg, tmp_path / "tpl", workspace.inbox / "disdukcapil.xlsx", DISDUKCAPIL,
              programs(cfg, 3) + block)
    result = CliRunner().invoke(main, ["run", "--workspace", str(workspace.root)])
    assert result.exit_code == 0, result.output
    with open(workspace.output / "data" / "program.csv", encoding="utf-8") as handle:
        names = [row["nama_program"] for row in csv.DictReader(handle)]
    assert names == [f"Program Layanan Digital {i}" for i in range(3)]


# --- no feedback workbook for a signature block alone; the Evaluasi sheet too -----------------

def report(ws) -> dict:
    import json

    return json.loads((ws.output / "laporan_validasi.json").read_text("utf-8"))


def test_a_signature_block_alone_gets_no_feedback_workbook(cfg, workspace, tmp_path):
    block = [{}, {"nama_program": "Pandan, 12 Maret 2024"}, {"nama_program": "KEPALA DINAS"},
             {"nama_program": "Drs. Ahmad"}, {"nama_program": "NIP. 19680101 199003 1 002"}]
    make_plan(cfg, tmp_path / "tpl", workspace.inbox / "disdukcapil.xlsx", DISDUKCAPIL,
              programs(cfg, 2) + block)
    make_plan(cfg, tmp_path / "tpl", workspace.inbox / "dinkes.xlsx", DINKES,
              [good_row(cfg, deskripsi=None)] + block)  # a real warning besides
    result = CliRunner().invoke(main, ["run", "--workspace", str(workspace.root)])
    assert result.exit_code == 0, result.output
    data = report(workspace)
    files = {f["file"]: f for f in data["files"]}
    assert files["disdukcapil.xlsx"]["status"] == "accepted"
    # The report still lists the warning...
    assert [p["code"] for p in data["problems"] if p["file"] == "disdukcapil.xlsx"] == [CODE]
    # ...but there is nothing to hand back; a file with another warning still gets one.
    folder = workspace.output / "umpan_balik"
    assert sorted(p.name for p in folder.glob("*.xlsx")) == ["dinkes_umpan_balik.xlsx"]


def test_a_signature_block_under_the_evaluasi_table_is_one_warning(cfg, workspace, tmp_path):
    from openpyxl.utils import get_column_letter
    from test_quickwin import evaluation, fill_evaluation, header_map

    ws = workspace
    qw_name = "Layanan Akta Kelahiran Terintegrasi Puskesmas"
    make_plan(cfg, tmp_path / "tpl", ws.inbox / "rencana.xlsx", DISDUKCAPIL,
              [quick_win_row(cfg, nama_program=qw_name)])
    runner = CliRunner()
    assert runner.invoke(main, ["run", "--workspace", str(ws.root)]).exit_code == 0
    assert runner.invoke(main, ["quickwin", "--workspace", str(ws.root)]).exit_code == 0
    [template] = (ws.templates / "evaluasi").glob("*.xlsx")
    filled = tmp_path / "evaluasi.xlsx"
    fill_evaluation(template, filled, {qw_name: evaluation(81, 150_000_000, 120, 87.5)})
    # The OPD types place, date, title, name and NIP under the table, on the right (in
    # Bukti Dukung and Kendala) and on the left (Nama Program), as on a printed form.
    book = load_workbook(filled)
    sheet = book[layout.SHEET_EVALUATION]
    header, columns = header_map(sheet)
    last = header + 1
    block = [("Mengetahui,", "Pandan, 12 Maret 2025"),
             ("Sekretaris Daerah", "KEPALA DINAS KEPENDUDUKAN"),
             (None, None),
             ("Ir. Sahat Simatupang", "Drs. AHMAD NASUTION, M.Si"),
             ("NIP 196501011990031001", "NIP. 19680101 199003 1 002")]
    for offset, (left, right) in enumerate(block, start=2):
        sheet.cell(last + offset, columns["Nama Program"]).value = left
        sheet.cell(last + offset, columns["Kendala"]).value = right
    book.save(ws.inbox / "evaluasi.xlsx")

    result = runner.invoke(main, ["run", "--workspace", str(ws.root)])
    assert result.exit_code == 0, result.output
    data = report(ws)
    entry = {f["file"]: f for f in data["files"]}["evaluasi.xlsx"]
    problems = [p for p in data["problems"] if p["file"] == "evaluasi.xlsx"]
    assert entry["status"] == "accepted", problems
    assert [(p["code"], p["sheet"], p["severity"]) for p in problems] == \
        [(CODE, layout.SHEET_EVALUATION, "warning")]
    first_row = last + 2
    assert problems[0]["cell"] == f"{get_column_letter(columns['Nama Program'])}{first_row}"
    assert f"Baris {first_row} sampai {last + 6}" in problems[0]["message"]
    assert "'Mengetahui,'" in problems[0]["message"]
    # One Quick Win evaluated; nothing to hand back for the signature alone.
    assert "1 Quick Win dievaluasi" in entry["reason"]
    assert not (ws.output / "umpan_balik" / "evaluasi_umpan_balik.xlsx").exists()
