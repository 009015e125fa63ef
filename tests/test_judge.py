"""Planted mistakes are flagged at their exact cells; messy but valid input is accepted."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from openpyxl import load_workbook
from plans import DISDUKCAPIL, good_row, make_plan, quick_win_row

from pipeline import layout
from pipeline.demo.filling import program_cell
from pipeline.store.checking import check


def judged(cfg, tmp_path: Path, rows: list[dict], identity: dict | None = None, name="f.xlsx"):
    path = make_plan(cfg, tmp_path / "tpl", tmp_path / name, DISDUKCAPIL, rows, identity)
    [(_, judgement)] = check([path], cfg)
    return path, judgement


def cell(path: Path, key: str, index: int) -> str:
    return program_cell(load_workbook(path)[layout.SHEET_PROGRAM], key, index)


def codes_at(judgement) -> set[tuple[str, str | None]]:
    return {(p.code, p.cell) for p in judgement.problems}


def test_planted_mistakes_are_flagged_at_their_cells(cfg, tmp_path):
    qw = cfg.quick_win_year
    rows = [
        good_row(cfg, nama_program="Elemen salah", dimensi="Smart Living",
                 elemen="Pelayanan Publik"),
        good_row(cfg, nama_program="Anggaran negatif", **{f"anggaran_{qw + 2}": -5_000_000}),
        good_row(cfg, nama_program="Anggaran ambigu", **{f"anggaran_{qw + 3}": "1.5"}),
        {f"anggaran_{qw + 4}": 2_000_000},  # money on a row without a program name
        quick_win_row(cfg, nama_program="QW tanpa target", **{f"target_{qw}": None}),
        good_row(cfg, nama_program="Sumber dana salah", sumber_dana="APBD Kab"),
        good_row(cfg, nama_program="Kode salah", kode_nomenklatur="2.16.3"),
    ]
    path, judgement = judged(cfg, tmp_path, rows)
    assert judgement.status == "rejected"
    found = codes_at(judgement)
    assert ("ELEMEN_BUKAN_DIMENSI", cell(path, "elemen", 0)) in found
    assert ("UANG_NEGATIF", cell(path, f"anggaran_{qw + 2}", 1)) in found
    assert ("UANG_AMBIGU", cell(path, f"anggaran_{qw + 3}", 2)) in found
    assert ("ISIAN_TANPA_NAMA_PROGRAM", cell(path, "nama_program", 3)) in found
    assert ("QW_TANPA_TARGET", cell(path, f"target_{qw}", 4)) in found
    assert ("PILIHAN_TIDAK_DIKENAL", cell(path, "sumber_dana", 5)) in found
    assert ("KODE_NOMENKLATUR_SALAH", cell(path, "kode_nomenklatur", 6)) in found
    # The nameless row gets one problem, not one per empty required column.
    nameless_row = layout.PROGRAM_FIRST_DATA_ROW + 3
    assert [p.code for p in judgement.problems if p.row == nameless_row] == \
        ["ISIAN_TANPA_NAMA_PROGRAM"]
    by_code = {p.code: p for p in judgement.problems}
    assert by_code["PILIHAN_TIDAK_DIKENAL"].value == "APBD Kab"
    assert "APBD Kabupaten" in by_code["PILIHAN_TIDAK_DIKENAL"].message
    assert "Smart Governance" in by_code["ELEMEN_BUKAN_DIMENSI"].message
    for problem in judgement.problems:
        assert problem.sheet == layout.SHEET_PROGRAM and problem.column
        assert "Traceback" not in problem.message and "pandera" not in problem.message


def test_messy_but_valid_input_is_accepted_with_normalised_amounts(cfg, tmp_path):
    y = cfg.first_year
    rows = [
        good_row(cfg, nama_program="  Layanan\u00a0Akta  ", dimensi="smart governance ",
                 elemen="PELAYANAN PUBLIK", jenis_program="infostruktur",
                 sumber_dana="apbd  kabupaten", quick_win="",
                 **{f"anggaran_{y}": "Rp 1.500.000,-", f"anggaran_{y + 1}": "250 juta",
                    f"anggaran_{y + 2}": "1,5 M", f"anggaran_{y + 3}": "-",
                    f"target_{y + 2}": "12,5%"}),
        {},  # a blank row between programs
        quick_win_row(cfg, nama_program="Telemedisin Puskesmas", sumber_dana="Swasta/CSR",
                      **{f"anggaran_{cfg.quick_win_year}": None}),
        {"nama_program": "JUMLAH", f"anggaran_{y}": 999_999_999},
    ]
    path, judgement = judged(cfg, tmp_path, rows)
    assert judgement.status == "accepted", [p.message for p in judgement.problems]
    assert len(judgement.programs) == 2
    first = judgement.programs[0]
    assert first["nama_program"] == "Layanan Akta"
    assert (first["dimensi"], first["elemen"]) == ("Smart Governance", "Pelayanan Publik")
    assert first["sumber_dana"] == "APBD Kabupaten" and first["quick_win"] == "Tidak"
    assert first[f"anggaran_{y}"] == 1_500_000
    assert first[f"anggaran_{y + 1}"] == 250_000_000
    assert first[f"anggaran_{y + 2}"] == 1_500_000_000
    assert first[f"anggaran_{y + 3}"] == 0
    assert first[f"target_{y + 2}"] == 12.5
    assert first["total_anggaran"] == 1_751_500_000
    assert first["row"] == layout.PROGRAM_FIRST_DATA_ROW
    assert judgement.programs[1]["row"] == layout.PROGRAM_FIRST_DATA_ROW + 2
    warnings = codes_at(judgement)
    assert ("BARIS_JUMLAH_DIABAIKAN", cell(path, "nama_program", 3)) in warnings
    assert ("QW_TANPA_ANGGARAN_NONAPBD", cell(path, f"anggaran_{cfg.quick_win_year}", 2)) \
        in warnings


def test_renamed_header_is_reported_with_a_suggestion(cfg, tmp_path):
    path = make_plan(cfg, tmp_path / "tpl", tmp_path / "f.xlsx", DISDUKCAPIL, [good_row(cfg)])
    book = load_workbook(path)
    sheet = book[layout.SHEET_PROGRAM]
    header = {c.value: c for c in sheet[layout.PROGRAM_HEADER_ROW]}
    header["Sumber Dana"].value = "Sumber Dana "  # trailing space: tolerated
    header["Indikator Kinerja"].value = "Indikator Kinerj"  # near miss
    header["Keterangan"].value = None  # deleted
    sheet.cell(layout.PROGRAM_HEADER_ROW, sheet.max_column + 1, "Catatan Saya")
    book.save(path)
    [(_, judgement)] = check([path], cfg)
    found = {p.code: p for p in judgement.problems}
    assert judgement.status == "rejected"
    assert found["KOLOM_BERUBAH"].cell == header["Indikator Kinerja"].coordinate
    assert "Indikator Kinerja" in found["KOLOM_BERUBAH"].message
    # Every header problem names its sheet, so the feedback workbook marks and links it.
    assert {p.sheet for p in judgement.problems if p.code.startswith("KOLOM_")} == \
        {layout.SHEET_PROGRAM}
    assert found["KOLOM_OPSIONAL_HILANG"].column == "Keterangan"
    assert found["KOLOM_OPSIONAL_HILANG"].severity == "warning"
    assert found["KOLOM_TAMBAHAN"].severity == "warning"
    assert "Sumber Dana" not in {p.column for p in judgement.problems if p.code.startswith("KOL")}


def test_quick_win_rules_and_warnings(cfg, tmp_path):
    qw = cfg.quick_win_year
    rows = [
        quick_win_row(cfg, nama_program="QW tanpa anggaran", **{f"anggaran_{qw}": 0}),
        quick_win_row(cfg, nama_program="QW tanpa manfaat", manfaat=None),
        good_row(cfg, nama_program="Tanpa rencana",
                 **{f"target_{y}": None for y in cfg.years},
                 **{f"anggaran_{y}": None for y in cfg.years}),
        good_row(cfg, nama_program="Dobel", deskripsi=None, **{f"anggaran_{qw}": 500}),
        good_row(cfg, nama_program="dobel "),
    ]
    path, judgement = judged(cfg, tmp_path, rows, identity={"nama_pengisi": None})
    found = codes_at(judgement)
    assert ("QW_TANPA_ANGGARAN", cell(path, f"anggaran_{qw}", 0)) in found
    assert ("MANFAAT_WAJIB_QW", cell(path, "manfaat", 1)) in found
    assert ("TIDAK_ADA_RENCANA", cell(path, "nama_program", 2)) in found
    assert ("DESKRIPSI_KOSONG", cell(path, "deskripsi", 3)) in found
    assert ("UANG_KECIL", cell(path, f"anggaran_{qw}", 3)) in found
    assert ("NAMA_PROGRAM_GANDA", cell(path, "nama_program", 4)) in found
    ganda = next(p for p in judgement.problems if p.code == "NAMA_PROGRAM_GANDA")
    assert str(layout.PROGRAM_FIRST_DATA_ROW + 3) in ganda.message
    identity = next(p for p in judgement.problems if p.code == "NAMA_PENGISI_KOSONG")
    assert identity.sheet == layout.SHEET_IDENTITY and identity.severity == "warning"


def test_warnings_alone_do_not_reject(cfg, tmp_path):
    _, judgement = judged(cfg, tmp_path, [good_row(cfg, deskripsi=None)])
    assert judgement.status == "accepted"
    assert [p.code for p in judgement.problems] == ["DESKRIPSI_KOSONG"]


@pytest.mark.parametrize("meta_key, value, code", [
    ("tahun_awal", "2025", "PERIODE_LAIN"),
    ("kode_opd", "9.99.99", "OPD_TIDAK_DIKENAL"),
    ("jenis_template", "laporan", "JENIS_TEMPLATE_LAIN"),
    ("kode_wilayah", "12.02", "WILAYAH_LAIN"),
])
def test_identity_decides_whether_a_file_is_ours(cfg, tmp_path, meta_key, value, code):
    path = make_plan(cfg, tmp_path / "tpl", tmp_path / "f.xlsx", DISDUKCAPIL, [good_row(cfg)])
    book = load_workbook(path)
    meta = book[layout.SHEET_META]
    for row in meta.iter_rows(min_col=1, max_col=2):
        if row[0].value == meta_key:
            row[1].value = value
    book.save(path)
    [(_, judgement)] = check([path], cfg)
    assert judgement.status == "rejected"
    assert [p.code for p in judgement.problems] == [code]
    assert judgement.problems[0].cell is None


def test_a_workbook_that_is_not_our_template_is_rejected(cfg, tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["Nama Program", "Anggaran"])
    book.save(tmp_path / "lain.xlsx")
    [(_, judgement)] = check([tmp_path / "lain.xlsx"], cfg)
    assert [p.code for p in judgement.problems] == ["BUKAN_TEMPLATE"]
    assert "template" in judgement.reason


def test_empty_template_is_rejected(cfg, tmp_path):
    _, judgement = judged(cfg, tmp_path, [])
    assert [p.code for p in judgement.problems] == ["TIDAK_ADA_PROGRAM"]


def test_formula_cells_are_read_by_value_and_totals_recomputed(cfg, tmp_path):
    y = cfg.first_year
    path = make_plan(cfg, tmp_path / "tpl", tmp_path / "f.xlsx", DISDUKCAPIL,
                     [good_row(cfg, **{f"anggaran_{y}": 100, f"anggaran_{y + 1}": 200})])
    # A participant's own (wrong) total typed over the formula is not trusted.
    book = load_workbook(path)
    sheet = book[layout.SHEET_PROGRAM]
    sheet[program_cell(sheet, "total_anggaran", 0)] = 999
    book.save(path)
    [(_, judgement)] = check([path], cfg)
    assert judgement.programs[0]["total_anggaran"] == 300


@pytest.mark.parametrize("label, code, status", [
    ("Keterangan", "KOLOM_OPSIONAL_HILANG", "accepted"),
    ("Kode Nomenklatur", "KOLOM_OPSIONAL_HILANG", "accepted"),
    ("Sumber Dana", "KOLOM_HILANG", "rejected"),
    ("Manfaat bagi Masyarakat", "KOLOM_HILANG", "rejected"),
])
def test_a_deleted_column_rejects_only_when_something_depends_on_it(cfg, tmp_path, label,
                                                                    code, status):
    path = make_plan(cfg, tmp_path / "tpl", tmp_path / "f.xlsx", DISDUKCAPIL,
                     [quick_win_row(cfg)])
    book = load_workbook(path)
    sheet = book[layout.SHEET_PROGRAM]
    column = next(c.column for c in sheet[layout.PROGRAM_HEADER_ROW] if c.value == label)
    sheet.delete_cols(column)
    book.save(path)
    [(_, judgement)] = check([path], cfg)
    assert judgement.status == status
    assert [(p.code, p.column) for p in judgement.problems if p.code.startswith("KOLOM")] == \
        [(code, label)]
    if status == "accepted":
        assert judgement.programs[0]["total_anggaran"] == \
            sum(v for k, v in quick_win_row(cfg).items() if k.startswith("anggaran_") and v)


def test_budget_below_one_million_is_a_warning_by_default_and_configurable(cfg, tmp_path):
    first = cfg.first_year
    rows = [good_row(cfg, nama_program="Ditulis dalam ribu", **{f"anggaran_{first}": 1_500}),
            good_row(cfg, nama_program="Ditulis dalam juta", **{f"anggaran_{first}": 999_999}),
            good_row(cfg, nama_program="Satu juta", **{f"anggaran_{first}": 1_000_000})]
    path, judgement = judged(cfg, tmp_path, rows)
    assert judgement.status == "accepted"
    small = [p for p in judgement.problems if p.code == "UANG_KECIL"]
    assert [p.cell for p in small] == [cell(path, f"anggaran_{first}", 0),
                                       cell(path, f"anggaran_{first}", 1)]
    assert "1500" in small[0].message and small[0].severity == "warning"

    lenient = dataclasses.replace(cfg, small_money=1_000)
    [(_, judgement)] = check([path], lenient)
    assert not [p for p in judgement.problems if p.code == "UANG_KECIL"]
