"""The SIPD reader (issue 26): every form a regency downloads, read to the codes, names and
amounts a person reads off it; never silently wrong.

Fixtures are real files built by tests/sipd_files.py in each form; every test states the
lines it writes and the codes, names and amounts it expects beside them.
"""

from __future__ import annotations

import openpyxl
import pytest
from hostile import make_billion_laughs, make_zip_bomb
from sipd_files import SkpdSheet, expected_names, flat_rekap, line, skpd_table, sub_kegiatan_list

from pipeline.read.codes import normalise_code
from pipeline.read.sheets import UnreadableFile
from pipeline.read.sipd import Level, Skpd, read_sipd

DISDIK = ("1.01.2.22.0.00.01.0000", "Dinas Pendidikan dan Kebudayaan")
DINKES = ("1.02.0.00.0.00.01.0000", "Dinas Kesehatan")
RSUD = ("1.02.0.00.0.00.01.0001", "RSUD Pandan")
LONG_NAME = "Penyediaan Komponen Instalasi\n\nListrik/Penerangan Bangunan Kantor"

LINES = [
    line("1.01.02.2.01.0001", 5_000_000, skpd=DISDIK, kelompok=("[#]", "Rapat koordinasi")),
    line("1.01.02.2.01.0001", 2_500_000, skpd=DISDIK, rekening=("5.1.02.01.01.0026",
                                                                  "Belanja Bahan Cetak")),
    line("1.01.02.2.01.0002", "Rp 1.500.000,00", skpd=DISDIK),
    line("X.XX.01.2.01.0001", 750_000, skpd=DISDIK,
         names={Level.SUB_KEGIATAN: LONG_NAME}),
    line("1.02.02.2.01.0003", 9_000_000, skpd=DINKES, sub_unit=RSUD, year=2025),
    line("2.16.02.2.01.01", 1_000_000, skpd=("2.16.2.20.2.21.01.0000", "Dinas Kominfo")),
]


def codes_of(document, level: Level) -> set[str]:
    return {code for code in document.names() if code.count(".") + 1 == level}


# --- the flat rekap ---------------------------------------------------------------------------

@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_a_flat_rekap_gives_every_level_of_every_line_once(tmp_path, suffix):
    path = flat_rekap(tmp_path / f"rekap{suffix}", LINES, blank_kelompok_rows=2,
                      realised=suffix == ".xlsx",
                      title_lines=("REKAP RINCIAN BELANJA", "TAHUN ANGGARAN 2025"))
    document = read_sipd(path)
    assert document.form == "rekap datar" + (" (CSV)" if suffix == ".csv" else "")
    assert document.title_lines == ("REKAP RINCIAN BELANJA", "TAHUN ANGGARAN 2025")
    assert document.names() == expected_names(LINES, normalise_code)
    assert document.names()["X.XX.01.2.01.0001"] == ("Penyediaan Komponen Instalasi "
                                                     "Listrik/Penerangan Bangunan Kantor")
    assert document.names()["2.16.02.2.01.0001"] == "Sub Kegiatan 2.16.02.2.01.01"
    assert document.codes_per_level() == {Level.URUSAN: 3, Level.BIDANG_URUSAN: 4,
                                          Level.PROGRAM: 4, Level.KEGIATAN: 4,
                                          Level.SUB_KEGIATAN: 5}
    # One entry per spending line, each counted: the rupiah sum is the download's sum.
    assert [e.row for e in document.entries] == [r + len(document.title_lines) for r in
                                                 range(2, 8)]
    assert all(e.counted and e.level == Level.SUB_KEGIATAN for e in document.entries)
    assert sum(e.amount for e in document.entries) == 19_750_000
    assert [e.amount for e in document.entries if e.code == "1.01.02.2.01.0001"] == \
        [5_000_000, 2_500_000]
    rsud = document.entries[4]
    assert (rsud.skpd, rsud.sub_unit, rsud.year) == (Skpd(*DINKES), Skpd(*RSUD), 2025)
    assert document.entries[0].sub_unit is None  # the sub unit is the SKPD itself
    assert document.has_amounts and document.has_realised == (suffix == ".xlsx")
    # The empty kelompok rows are reported, not silently dropped and not entries.
    assert [(s.row, s.why) for s in document.skipped] == [
        (row, "baris tanpa isi selain nomor urut (kelompok kosong)") for row in (10, 11)]
    assert document.warnings == ()


def test_flat_rekap_headers_in_any_case_spacing_and_line_breaks(tmp_path):
    renamed = {"KODE SUB KEGIATAN": "Kode Sub\nKegiatan", "NAMA SUB KEGIATAN": "nama  sub kegiatan",
               "KODE BIDANG URUSAN": "Kode Bidang Urusan", "PAGU": "Pagu (Rp)"}
    path = flat_rekap(tmp_path / "r.xlsx", LINES[:3], kelompok=False, year=False,
                      extra_header=renamed)
    document = read_sipd(path)
    assert document.names() == expected_names(LINES[:3], normalise_code)
    assert [e.amount for e in document.entries] == [5_000_000, 2_500_000, 1_500_000]
    assert {e.year for e in document.entries} == {None}


def test_flat_rekap_with_short_codes_per_column(tmp_path):
    """Some exports write each level's own part only ("02" under bidang "1.01"), and Excel
    may have made the parts numbers (2, 1)."""
    book = openpyxl.Workbook()
    book.active.append(["KODE URUSAN", "KODE BIDANG URUSAN", "KODE PROGRAM", "NAMA PROGRAM",
                        "KODE KEGIATAN", "KODE SUB KEGIATAN", "NAMA SUB KEGIATAN", "PAGU"])
    book.active.append([1, 1.01, 2, "PROGRAM PENGELOLAAN PENDIDIKAN", "2.01", 1,
                        "Penyediaan Data", 100])  # short parts Excel made numbers
    book.active.append(["1", "1.01", "1.01.02", "PROGRAM PENGELOLAAN PENDIDIKAN", "1.01.02.2.01",
                        "1.01.02.2.01.0002", "Pengembangan Layanan", "Rp 200"])
    book.save(tmp_path / "short.xlsx")
    document = read_sipd(tmp_path / "short.xlsx")
    assert [(e.code, e.amount) for e in document.entries] == [("1.01.02.2.01.0001", 100),
                                                             ("1.01.02.2.01.0002", 200)]
    assert document.names() == {"1": "", "1.01": "", "1.01.02": "PROGRAM PENGELOLAAN "
                                "PENDIDIKAN", "1.01.02.2.01": "", "1.01.02.2.01.0001":
                                "Penyediaan Data", "1.01.02.2.01.0002": "Pengembangan Layanan"}
    assert document.derived() == {"1", "1.01", "1.01.02.2.01"}


def test_a_bad_amount_keeps_the_code_and_says_why(tmp_path):
    path = flat_rekap(tmp_path / "r.xlsx", [line("1.01.02.2.01.0001", "satu juta"),
                                            line("1.01.02.2.01.0002", "Rp 2,5 jt")])
    document = read_sipd(path)
    assert [e.amount for e in document.entries] == [None, 2_500_000]
    assert len(document.skipped) == 1 and document.skipped[0].row == 2
    assert "pagu 'satu juta' tidak terbaca" in document.skipped[0].why


# --- the per-SKPD table ------------------------------------------------------------------------

def table_sheets():
    return [SkpdSheet(DISDIK, [line("1.01.02.2.01.0001", 5_000_000),
                               line("1.01.02.2.01.0002", 2_000_000,
                                    names={Level.SUB_KEGIATAN: LONG_NAME}),
                               line("1.01.03.2.02.0001", 1_000_000)]),
            SkpdSheet(DINKES, [line("1.02.02.2.01.0003", 7_000_000),
                               line("X.XX.01.2.01.0001", 300_000)])]


@pytest.mark.parametrize(("skpd_cell", "money_text"), [("code", False), ("name", True),
                                                        ("split", False)])
def test_a_per_skpd_table_reads_every_sheet_and_counts_each_rupiah_once(tmp_path, skpd_cell,
                                                                       money_text):
    sheets = table_sheets()
    path = skpd_table(tmp_path / "kua.xlsx", sheets, skpd_cell=skpd_cell,
                      money_text=money_text)
    document = read_sipd(path)
    assert document.form == "tabel per SKPD"
    assert document.sheets == (DISDIK[0], DINKES[0])
    assert document.title_lines == ("Tabel IV.3", "Ringkasan KUA PPAS Tahun 2024",
                                    "KABUPATEN CONTOH")
    every = [item for sheet in sheets for item in sheet.lines]
    assert document.names() == expected_names(every, normalise_code)
    assert document.derived() == set()
    # Each level has its row (and its pagu); only the sub kegiatan rows are counted.
    counted = [e for e in document.entries if e.counted]
    assert {e.level for e in counted} == {Level.SUB_KEGIATAN}
    assert sum(e.amount for e in counted) == 15_300_000
    program = [e for e in document.entries if e.code == "1.01.02"]
    assert [(e.amount, e.counted, e.target) for e in program] == [(7_000_000, False, "100%")]
    under = sum(e.amount for e in counted if e.code.startswith("1.01.02."))
    assert under == program[0].amount
    assert {e.skpd for e in document.entries if e.sheet == DINKES[0]} == {Skpd(*DINKES)}
    # The SKPD rows are headings, the JUMLAH rows totals: neither is an entry.
    assert [s.why for s in document.skipped] == ["baris jumlah/subtotal (tidak dibaca sebagai "
                                                 "kode)"] * 2
    assert not any(e.code.count(".") > 5 for e in document.entries)


def test_a_sub_unit_heading_under_its_skpd(tmp_path):
    book = openpyxl.Workbook()
    ws = book.active
    for row in (["Tabel IV.3"], [], ["Kode", "Uraian", "Pagu Indikatif"],
                [f"{DINKES[0]} {DINKES[1]}", None, 30],
                ["1.02.02.2.01.0001", "Pelayanan Puskesmas", 10],
                [RSUD[0], RSUD[1], 20], ["1.02.02.2.01.0002", "Pelayanan RSUD", 20]):
        ws.append(row)
    book.save(tmp_path / "t.xlsx")
    document = read_sipd(tmp_path / "t.xlsx")
    assert [(e.code, e.skpd, e.sub_unit) for e in document.entries] == [
        ("1.02.02.2.01.0001", Skpd(*DINKES), None),
        ("1.02.02.2.01.0002", Skpd(*DINKES), Skpd(*RSUD))]
    assert document.skipped == ()


# --- sub kegiatan lists -------------------------------------------------------------------------

SUBS = [("2.16.03.2.02.0035", "Pengelolaan Nama Domain"),
        ("2.16.03.2.02.0036", "Penatalaksanaan dan Pengawasan E-Government"),
        ("X.XX.01.2.01.0001", "Penyusunan Dokumen Perencanaan Perangkat Daerah"),
        ("2.16.02.2.01.01", "Pengelolaan Informasi dan Komunikasi Publik")]  # 2019 form


@pytest.mark.parametrize(("suffix", "second_first"), [(".xlsx", False), (".csv", False),
                                                     (".xlsx", True)])
def test_a_sub_kegiatan_list_with_a_second_code_column(tmp_path, suffix, second_first):
    # Another classification's codes, of nomenclature shape too (7.01.02 ...).
    other = {code: f"7.0{i}.0{i}" for i, (code, _) in enumerate(SUBS, 1)}
    path = sub_kegiatan_list(tmp_path / f"sub{suffix}", SUBS, second_code=other,
                             second_first=second_first)
    document = read_sipd(path)
    assert document.form == "daftar sub kegiatan" + (" (CSV)" if suffix == ".csv" else "")
    subs = {normalise_code(code): name for code, name in SUBS}
    assert {c: n for c, n in document.names().items() if n} == subs
    # Program and kegiatan known from the sub kegiatan they hold, shown as derived.
    assert codes_of(document, Level.PROGRAM) == {"2.16.03", "X.XX.01", "2.16.02"}
    assert codes_of(document, Level.KEGIATAN) == {"2.16.03.2.02", "X.XX.01.2.01",
                                                  "2.16.02.2.01"}
    assert document.derived() == {"2", "2.16", "2.16.03", "2.16.03.2.02", "X", "X.XX",
                                  "X.XX.01", "X.XX.01.2.01", "2.16.02", "2.16.02.2.01"}
    assert not any(code.startswith("7.") for code in document.names())
    assert document.skipped == () and document.warnings == ()


@pytest.mark.parametrize("one_cell", [True, False])
def test_a_sub_kegiatan_list_with_one_sheet_per_skpd(tmp_path, one_cell):
    path = sub_kegiatan_list(tmp_path / "per_skpd.xlsx", [], skpd_in_one_cell=one_cell,
                             per_skpd=[(DISDIK, SUBS[:2]), (DINKES, SUBS[2:])])
    document = read_sipd(path)
    assert document.sheets == (DISDIK[0], DINKES[0])
    assert document.title_lines == ("SUBKEGIATAN",)
    assert [(e.code, e.skpd) for e in document.entries] == [
        ("2.16.03.2.02.0035", Skpd(*DISDIK)), ("2.16.03.2.02.0036", Skpd(*DISDIK)),
        ("X.XX.01.2.01.0001", Skpd(*DINKES)), ("2.16.02.2.01.0001", Skpd(*DINKES))]
    assert document.skipped == ()


@pytest.mark.parametrize(("code_header", "name_header"), [
    ("KODE", "URAIAN"), ("No. Kode", "NOMENKLATUR URUSAN KABUPATEN/KOTA"),
    ("Kode Rekening", "Uraian"), ("kode\nnomenklatur", "Program / Kegiatan /\nSub Kegiatan")])
def test_a_code_list_under_any_header_people_give_it(tmp_path, code_header, name_header):
    book = openpyxl.Workbook()
    book.active.append([code_header, name_header])
    for code, name in SUBS:
        book.active.append([code, name])
    book.save(tmp_path / "list.xlsx")
    document = read_sipd(tmp_path / "list.xlsx")
    assert {c: n for c, n in document.names().items() if n} == {
        normalise_code(code): name for code, name in SUBS}


def test_the_2019_and_2021_forms_are_one_code(tmp_path):
    twice = [("2.16.02.2.01.01", "Nama 2019"), ("2.16.02.2.01.0002", "Nama 2021")]
    document = read_sipd(sub_kegiatan_list(tmp_path / "s.xlsx", twice))
    assert codes_of(document, Level.SUB_KEGIATAN) == {"2.16.02.2.01.0001", "2.16.02.2.01.0002"}


# --- never silently wrong ---------------------------------------------------------------------

def test_a_list_of_only_urusan_and_bidang_is_a_warning(tmp_path):
    rows = [("1", "URUSAN WAJIB"), ("1.01", "PENDIDIKAN"), ("1.02", "KESEHATAN")]
    document = read_sipd(sub_kegiatan_list(tmp_path / "urusan.xlsx", rows,
                                           name_header="Uraian"))
    assert len(document.warnings) == 1
    assert "urusan.xlsx" in document.warnings[0]
    assert "tidak ada kode program, kegiatan atau sub kegiatan" in document.warnings[0]


def test_far_fewer_codes_than_rows_is_a_warning(tmp_path):
    rows = [(f"Baris {i}", f"Uraian {i}") for i in range(14)] + SUBS[:2]
    book = openpyxl.Workbook()
    book.active.append(["Kode", "Uraian", "Kode"])
    for code, name in rows:
        book.active.append([code if code[0].isdigit() else None, name, "2.16"])
    book.save(tmp_path / "few.xlsx")
    document = read_sipd(tmp_path / "few.xlsx")
    assert any("hanya 2 dari 16 baris" in w and "few.xlsx" in w for w in document.warnings)
    assert len(document.skipped) == 14


@pytest.mark.parametrize("make", [make_billion_laughs, make_zip_bomb])
def test_a_hostile_workbook_is_refused_with_a_clear_message(tmp_path, make):
    path = make(tmp_path / "unduhan.xlsx")
    with pytest.raises(UnreadableFile, match="ditolak pemeriksaan berkas"):
        read_sipd(path)


def test_a_file_without_a_header_is_refused(tmp_path):
    book = openpyxl.Workbook()
    book.active.append(["apa", "ini"])
    book.save(tmp_path / "x.xlsx")
    with pytest.raises(UnreadableFile, match="judul kolom"):
        read_sipd(tmp_path / "x.xlsx")


# --- [rujukan] nomenklatur through the reader ---------------------------------------------------

KOMINFO = ("2.16.2.20.2.21.01.0000", "Dinas Komunikasi dan Informatika")


def with_nomenclature(ws, *files: str) -> None:
    listed = ", ".join(f'"{name}"' for name in files)
    text = ws.config_path.read_text("utf-8").replace(
        'singkatan = "Disdukcapil"\n', 'singkatan = "Disdukcapil"\nurusan = ["2.12", "2.16"]\n')
    ws.config_path.write_text(f"{text}\n[rujukan]\nnomenklatur = [{listed}]\n", "utf-8")


def rujukan(ws, *args: str):
    from click.testing import CliRunner

    from pipeline.cli import main
    return CliRunner().invoke(main, ["rujukan", "--workspace", str(ws.root), *args])


def test_rujukan_reads_a_list_of_files_and_judges_program_and_kegiatan_codes(cfg, workspace,
                                                                           tmp_path):
    import json

    from click.testing import CliRunner
    from plans import DISDUKCAPIL, good_row, make_plan
    from test_references import problems

    from pipeline.cli import main
    from pipeline.store.ingest import config_key

    sub_kegiatan_list(workspace.root / "sub.xlsx", [], second_code={},
                      per_skpd=[(KOMINFO, SUBS[:2])])
    flat_rekap(workspace.root / "rekap.csv", [
        line("2.12.02.2.01.0001", 10_000_000, names={Level.PROGRAM: "PROGRAM PENDAFTARAN "
                                                                     "PENDUDUK"}),
        line("2.12.02.2.01.0001", 2_000_000)], blank_kelompok_rows=1)
    with_nomenclature(workspace, "sub.xlsx", "rekap.csv")

    shown = rujukan(workspace, "--json")
    assert shown.exit_code == 0, shown.output
    assert json.loads(shown.output) == {"nomenklatur": [
        {"berkas": "sub.xlsx", "bentuk": "daftar sub kegiatan", "lembar": [KOMINFO[0]],
         "kode": {"urusan": 1, "bidang_urusan": 1, "program": 1, "kegiatan": 1,
                  "sub_kegiatan": 2}, "dilewati": [], "peringatan": []},
        {"berkas": "rekap.csv", "bentuk": "rekap datar (CSV)", "lembar": ["rekap"],
         "kode": {"urusan": 1, "bidang_urusan": 1, "program": 1, "kegiatan": 1,
                  "sub_kegiatan": 1},
         "dilewati": [{"lembar": "rekap", "baris": 4, "alasan": "baris tanpa isi selain "
                                                                 "nomor urut (kelompok kosong)"}],
         "peringatan": []}], "rpjmd": []}
    text = " ".join(rujukan(workspace).output.split())
    assert "bentuk: daftar sub kegiatan; lembar dibaca (1): " + KOMINFO[0] in text
    assert "6 kode: 1 urusan, 1 bidang urusan, 1 program, 1 kegiatan, 2 sub kegiatan" in text
    assert "Gabungan 2 berkas: 10 kode." in text

    make_plan(cfg, tmp_path / "tpl", workspace.inbox / "a.xlsx", DISDUKCAPIL, [
        good_row(cfg, nama_program="Tata Kelola Nama Domain", kode_nomenklatur="2.16.03"),
        good_row(cfg, nama_program="E-Government Terpadu", kode_nomenklatur="2.16.03.2.02"),
        good_row(cfg, nama_program="Pendaftaran Penduduk Daring", kode_nomenklatur="2.12.02"),
        good_row(cfg, nama_program="Yang Tidak Ada", kode_nomenklatur="2.16.09")])
    ran = CliRunner().invoke(main, ["run", "--workspace", str(workspace.root)])
    assert ran.exit_code == 0, ran.output
    missing = [p for p in problems(workspace)["a.xlsx"] if p["code"] == "NOMENKLATUR_TIDAK_ADA"]
    assert [p["value"] for p in missing] == ["2.16.09"]

    before = config_key(workspace)
    flat_rekap(workspace.root / "rekap.csv", [line("2.12.03.2.01.0001", 1)])
    assert config_key(workspace) != before  # the second file is in the key too


def test_run_and_rujukan_warn_of_a_list_that_gives_no_template_level(workspace):
    from click.testing import CliRunner

    from pipeline.cli import main

    sub_kegiatan_list(workspace.root / "urusan.xlsx", [("1", "URUSAN WAJIB"),
                                                      ("1.01", "PENDIDIKAN")],
                      name_header="Uraian")
    with_nomenclature(workspace, "urusan.xlsx")
    text = " ".join(rujukan(workspace).output.split())
    assert "PERINGATAN: urusan.xlsx: tidak ada kode program, kegiatan atau sub kegiatan" in text
    ran = CliRunner().invoke(main, ["run", "--workspace", str(workspace.root)])
    assert ran.exit_code in (0, 1), ran.output
    assert "Daftar nomenklatur: urusan.xlsx: tidak ada kode program" in " ".join(
        ran.output.split())


def test_the_demo_ships_its_nomenclature_as_a_flat_rekap(tmp_path):
    import csv
    import io
    from importlib import resources

    from pipeline import config
    from pipeline.demo import references as demo

    demo.copy_lists(tmp_path, config.default_text())
    document = read_sipd(tmp_path / demo.NOMENCLATURE_REKAP)
    listed = list(csv.reader(io.StringIO((resources.files("pipeline.demo") /
                                          demo.NOMENCLATURE_FILE).read_text("utf-8")),
                             delimiter=";"))[3:]
    assert document.form == "rekap datar" and len(listed) == 643
    assert document.names() == {normalise_code(code): " ".join(name.split())
                                for code, name, *_ in listed}
    assert document.derived() == set() and document.warnings == ()
    assert all(e.amount and e.skpd and e.year == 2024 for e in document.entries)


def test_a_chart_sheet_is_passed_over(tmp_path):
    path = skpd_table(tmp_path / "kua.xlsx", table_sheets()[:1])
    book = openpyxl.load_workbook(path)
    book.create_chartsheet("Grafik")
    book.save(path)
    assert read_sipd(path).sheets == (DISDIK[0],)


@pytest.mark.parametrize("fmt", ["xls", "ods"])
def test_an_xls_or_ods_download_reads_as_its_xlsx(tmp_path, soffice, fmt):
    from conftest import convert

    sheets = table_sheets()
    source = skpd_table(tmp_path / "kua.xlsx", sheets)
    document = read_sipd(convert(source, fmt, tmp_path / fmt, soffice))
    assert document.form == "tabel per SKPD" and document.sheets == (DISDIK[0], DINKES[0])
    every = [item for sheet in sheets for item in sheet.lines]
    assert document.names() == expected_names(every, normalise_code)
    assert sum(e.amount for e in document.entries if e.counted) == 15_300_000
