"""`masterplan pantau` end to end: accepted plans in the ledger, the regency's SIPD
downloads (built in every form by tests/sipd_files.py) in `anggaran/`, the real CLI, and
the workbook, CSV and JSON it writes, opened and read back."""

from __future__ import annotations

import csv
import hashlib
import json
import os
import zipfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from plans import DINKES, good_row, make_plan
from sipd_files import SkpdSheet, flat_rekap, line, skpd_table

from pipeline import layout, workflow
from pipeline.cli import main
from pipeline.demo.sipd import SpendingLine
from pipeline.read.sipd import Level
from pipeline.workspace import Workspace

DUKCAPIL = "2.12.01"
DUKCAPIL_SKPD = ("2.12.0.00.0.00.01.0000", "Dinas Kependudukan dan Pencatatan Sipil")
DINKES_SKPD = ("1.02.0.00.0.00.01.0000", "Dinas Kesehatan")
RSUD_UNIT = ("1.02.0.00.0.00.01.0001", "RSUD Pandan")
LOST_SKPD = ("7.01.0.00.0.00.09.0000", "Kecamatan Entah")


@pytest.fixture
def planned(workspace: Workspace, cfg, tmp_path) -> Workspace:
    """Two OPDs' accepted plans: Dukcapil three programs in the first year (one without a
    code), Dinkes two (one also the year after)."""
    y = cfg.first_year
    rows = {
        DUKCAPIL: [
            good_row(cfg, nama_program="Akta Kelahiran Online", kode_nomenklatur="2.12.02",
                     **{f"anggaran_{y}": 300_000_000, f"anggaran_{y + 1}": 0}),
            good_row(cfg, nama_program="KTP Keliling", kode_nomenklatur="2.12.03",
                     **{f"anggaran_{y}": 100_000_000, f"anggaran_{y + 1}": 0}),
            good_row(cfg, nama_program="Survei Kepuasan Layanan", kode_nomenklatur=None,
                     **{f"anggaran_{y}": 20_000_000, f"anggaran_{y + 1}": 0}),
        ],
        DINKES: [
            good_row(cfg, nama_program="Telemedisin Puskesmas", kode_nomenklatur="1.02.02",
                     dimensi="Smart Living", elemen="Prasarana Kesehatan",
                     acuan="Program Pemenuhan Upaya Kesehatan",
                     **{f"anggaran_{y}": 500_000_000, f"anggaran_{y + 1}": 600_000_000}),
            good_row(cfg, nama_program="Rekam Medis Elektronik RSUD",
                     kode_nomenklatur="1.02.02.2.02", dimensi="Smart Living",
                     elemen="Prasarana Kesehatan", acuan="Program Pemenuhan Upaya Kesehatan",
                     **{f"anggaran_{y}": 200_000_000, f"anggaran_{y + 1}": 0}),
        ],
    }
    for opd, programs in rows.items():
        make_plan(cfg, tmp_path / "t", workspace.inbox / f"{opd}.xlsx", opd, programs)
    report = workflow.run(workspace)
    assert {s.kode: s.status.value for s in report.statuses if s.kode in rows} == \
        dict.fromkeys(rows, "diterima")
    workspace.budget_docs.mkdir(exist_ok=True)
    return workspace


def apbd_lines(year: int) -> list[SpendingLine]:
    return [
        line("2.12.02.2.01.0001", 150_000_000, skpd=DUKCAPIL_SKPD, year=year),
        line("2.12.02.2.01.0001", 50_000_000, skpd=DUKCAPIL_SKPD, year=year),
        line("2.12.02.2.02.0003", 25_000_000, skpd=DUKCAPIL_SKPD, year=year),
        line("2.12.03.2.01.0001", 0, skpd=DUKCAPIL_SKPD, year=year),
        line("1.02.02.2.02.0001", 120_000_000, skpd=DINKES_SKPD, sub_unit=RSUD_UNIT, year=year),
        line("1.02.02.2.01.0004", 80_000_000, skpd=DINKES_SKPD, year=year),
        line("7.01.01.2.01.0001", 9_000_000, skpd=LOST_SKPD, year=year),
    ]


def pantau(ws: Workspace, *args: str):
    return CliRunner().invoke(main, ["pantau", "--workspace", str(ws.root), *args])


def not_json(constant: str):
    raise AssertionError(f"{constant} is not JSON")


def sheet_values(ws) -> list[list]:
    return [list(row) for row in ws.iter_rows(values_only=True)]


def folder_state(folder: Path) -> dict[str, tuple[str, int]]:
    return {str(p.relative_to(folder)): (hashlib.sha256(p.read_bytes()).hexdigest(),
                                         p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_flat_rekap_apbd_gives_each_program_its_money(planned, cfg):
    y = cfg.first_year
    flat_rekap(planned.budget_docs / f"APBD {y}.xlsx", apbd_lines(y))
    before = folder_state(planned.budget_docs)
    result = pantau(planned, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout, parse_constant=not_json)  # no NaN, no Infinity
    (doc,) = data["dokumen"]
    assert (doc["berkas"], doc["tahun"], doc["tahap"], doc["baris"]) == \
        (f"APBD {y}.xlsx", y, "apbd", 7)
    assert doc["skpd_tanpa_opd"] == ["7.01.0.00.0.00.09.0000 Kecamatan Entah"]
    got = {p["nama"]: (p["anggaran"], p["status"]) for p in data["program"]}
    assert got == {
        "Akta Kelahiran Online": (225_000_000, "dianggarkan"),
        "KTP Keliling": (0, "tercantum tanpa pagu"),
        "Survei Kepuasan Layanan": (None, "tanpa kode"),
        # 1.02.02 holds both Dinkes lines; the RSUD line counts for Dinkes by its code
        "Telemedisin Puskesmas": (200_000_000, "dianggarkan"),
        "Rekam Medis Elektronik RSUD": (120_000_000, "dianggarkan"),
    }
    assert [p["kode"] for p in data["program"] if p["nama"] == "Survei Kepuasan Layanan"] == \
        [None]
    (summary,) = data["ringkasan"]
    assert summary == {"tahun": y, "tahap": "apbd", "program_rencana": 5,
                       "program_dianggarkan": 3, "persen_program": 60.0,
                       "anggaran_rencana": 1_120_000_000, "anggaran_dokumen": 425_000_000,
                       "persen_anggaran": 37.9}
    assert folder_state(planned.budget_docs) == before  # anggaran/ is never changed

    book = openpyxl.load_workbook(planned.output / layout.MONITORING_NAME)
    assert book.sheetnames[:3] == ["Ringkasan", "Per OPD", "Per Dimensi"]
    text = [c for row in sheet_values(book["Ringkasan"]) for c in row if isinstance(c, str)]
    assert f"3 dari 5 program masterplan {y} dianggarkan dalam APBD {y} (60%)" in text
    detail = sheet_values(book["Rincian Program"])
    header = detail[3]
    akta = dict(zip(header, next(r for r in detail if r[2] == "Akta Kelahiran Online"),
                    strict=True))
    assert akta["Anggaran Dokumen (Rp)"] == 225_000_000 and akta["Status"] == "dianggarkan"
    assert akta["Letak Baris"] == "Sheet1!2-4"  # the rows summed, traceable
    dims = sheet_values(book["Per Dimensi"])
    matrix = dims[next(i for i, r in enumerate(dims) if r[1] == "Dokumen"):]
    assert matrix[0][2:4] == ["Smart Governance", "Smart Branding"]
    # Dukcapil's three programs are Smart Governance: one of three with money.
    assert matrix[1][1] == f"APBD {y}" and matrix[1][2] == pytest.approx(33.3)
    with zipfile.ZipFile(planned.output / layout.MONITORING_NAME) as package:
        chart = package.read("xl/charts/chart1.xml").decode()
    assert "Per Dimensi" in chart and "Ringkasan" not in chart  # the matrix it shows
    mapping = sheet_values(book["Pemetaan SKPD"])
    assert any(r[4] == "7.01.0.00.0.00.09.0000 Kecamatan Entah" and r[5] is None
               for r in mapping)
    with (planned.output / layout.DATA_DIR / layout.MONITORING_CSV).open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert {r["nama"]: r["status"] for r in rows}["KTP Keliling"] == "tercantum tanpa pagu"


def test_a_claimed_sub_unit_counts_for_its_own_opd(planned, cfg):
    """[[opd]] sipd: RSUD Pandan claims its sub unit; its rows leave Dinkes."""
    y = cfg.first_year
    text = planned.config_path.read_text("utf-8").replace(
        'nama = "RSUD Pandan"', f'nama = "RSUD Pandan"\nsipd = ["{RSUD_UNIT[0]}"]')
    planned.config_path.write_text(text, "utf-8")
    flat_rekap(planned.budget_docs / f"APBD {y}.xlsx", apbd_lines(y))
    result = pantau(planned, "--json")
    assert result.exit_code == 0, result.output
    got = {p["nama"]: p["anggaran"] for p in json.loads(result.stdout)["program"]}
    assert got["Rekam Medis Elektronik RSUD"] == 0  # its money is RSUD Pandan's now
    assert got["Telemedisin Puskesmas"] == 80_000_000


def test_per_skpd_tables_of_two_stages_side_by_side(planned, cfg):
    y = cfg.first_year
    sheets = [SkpdSheet(DUKCAPIL_SKPD, [line("2.12.02.2.01.0001", 300_000_000),
                                        line("2.12.03.2.01.0001", 90_000_000)]),
              SkpdSheet(DINKES_SKPD, [line("1.02.02.2.02.0001", 150_000_000)])]
    (planned.budget_docs / "kua").mkdir()
    skpd_table(planned.budget_docs / "kua" / "ringkasan.xlsx", sheets, year=y)
    flat_rekap(planned.budget_docs / f"APBD {y}.xlsx", apbd_lines(y))
    result = pantau(planned, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [(d["tahap"], d["tahun"]) for d in data["dokumen"]] == [("kua-ppas", y), ("apbd", y)]
    ktp = {p["tahap"]: (p["anggaran"], p["status"]) for p in data["program"]
           if p["nama"] == "KTP Keliling"}
    assert ktp == {"kua-ppas": (90_000_000, "dianggarkan"),
                   "apbd": (0, "tercantum tanpa pagu")}
    # The table gives every level its amount: the program sums its sub kegiatan once.
    telemed = {p["tahap"]: p["anggaran"] for p in data["program"]
               if p["nama"] == "Telemedisin Puskesmas"}
    assert telemed["kua-ppas"] == 150_000_000
    book = openpyxl.load_workbook(planned.output / layout.MONITORING_NAME)
    stages = sheet_values(book["Antar Tahap"])
    header = stages[3]
    assert header[7:] == ["KUA-PPAS (Rp)", "Status KUA-PPAS", "APBD (Rp)", "Status APBD"]
    ktp_row = next(r for r in stages if r[2] == "KTP Keliling")
    assert ktp_row[7:] == [90_000_000, "dianggarkan", 0, "tercantum tanpa pagu"]


def test_bad_documents_are_refused_with_one_line_and_the_others_read(planned, cfg):
    y = cfg.first_year
    docs = planned.budget_docs
    flat_rekap(docs / f"APBD {y}.xlsx", apbd_lines(y))
    flat_rekap(docs / "tanpa tahun.xlsx", apbd_lines(None), year=False)
    flat_rekap(docs / "APBD 1999.xlsx", apbd_lines(1999))
    (docs / "rusak.xlsx").write_bytes(b"PK\x03\x04 not really a zip")
    (docs / f"~$APBD {y}.xlsx").write_bytes(b"lock")
    (docs / "salinan").mkdir()
    (docs / "salinan" / f"APBD {y} (1).xlsx").write_bytes((docs / f"APBD {y}.xlsx").read_bytes())
    before = folder_state(docs)
    result = pantau(planned)
    assert result.exit_code == 0, result.output
    out = " ".join(result.output.split())
    assert "Dokumen 'tanpa tahun.xlsx' tidak dibaca: tahunnya tidak ditemukan" in out
    assert ("Dokumen 'APBD 1999.xlsx' tidak dibaca: tahun 1999 di luar periode masterplan "
            f"{cfg.period_label}") in out
    assert "Dokumen 'rusak.xlsx' tidak dibaca" in out
    assert f"salinan/APBD {y} (1).xlsx: Isi berkas ini sama persis dengan 'APBD {y}.xlsx'" in out
    assert f"Dibaca: APBD {y}.xlsx (APBD {y}, 7 baris" in out
    assert folder_state(docs) == before
    book = openpyxl.load_workbook(planned.output / layout.MONITORING_NAME)
    states = {r[1]: r[2] for r in sheet_values(book["Dokumen"])[4:]}
    assert states[f"APBD {y}.xlsx"] == "dibaca" and states["rusak.xlsx"] == "ditolak"


def test_a_newer_document_of_the_same_year_and_stage_replaces_the_older(planned, cfg):
    y = cfg.first_year
    older = flat_rekap(planned.budget_docs / f"apbd {y} lama.xlsx", apbd_lines(y)[:1])
    newer = flat_rekap(planned.budget_docs / f"apbd {y} baru.xlsx", apbd_lines(y))
    os.utime(older, (1_700_000_000, 1_700_000_000))
    os.utime(newer, (1_800_000_000, 1_800_000_000))
    result = pantau(planned)
    assert result.exit_code == 0, result.output
    out = " ".join(result.output.split())
    assert (f"Dokumen 'apbd {y} lama.xlsx' (APBD {y}) diganti oleh 'apbd {y} baru.xlsx'") in out
    data = json.loads(pantau(planned, "--json").stdout)
    assert [d["berkas"] for d in data["dokumen"]] == [f"apbd {y} baru.xlsx"]


def test_no_readable_document_exits_2(planned, cfg):
    result = pantau(planned)
    assert result.exit_code == 2
    assert "Tidak ada dokumen anggaran yang dapat dibaca" in " ".join(result.output.split())
    flat_rekap(planned.budget_docs / "APBD 1999.xlsx", apbd_lines(1999))
    result = pantau(planned, "--json")
    assert result.exit_code == 2
    assert json.loads(result.stdout) == {"dokumen": [], "program": [], "ringkasan": []}
    assert not (planned.output / layout.MONITORING_NAME).exists()


def test_amounts_typed_as_indonesian_money_text_and_realisation(planned, cfg):
    y = cfg.first_year
    lines = [line("2.12.02.2.01.0001", "Rp 1.500.000,00", skpd=DUKCAPIL_SKPD, year=y,
                  realised="1.000.000"),
             line("2.12.02.2.01.0002", "2.000.000", skpd=DUKCAPIL_SKPD, year=y, realised=0)]
    flat_rekap(planned.budget_docs / f"Realisasi APBD {y}.xlsx", lines, realised=True)
    result = pantau(planned, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    akta = next(p for p in data["program"] if p["nama"] == "Akta Kelahiran Online")
    assert (akta["tahap"], akta["anggaran"], akta["realisasi"]) == \
        ("realisasi", 3_500_000, 1_000_000)


def test_init_makes_the_anggaran_folder(tmp_path):
    result = CliRunner().invoke(main, ["init", "--workspace", str(tmp_path / "w")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "w" / "anggaran").is_dir()


def test_names_of_a_level_are_not_needed(planned, cfg):
    """A rekap whose name columns are blank still gives the codes (names are optional)."""
    y = cfg.first_year
    lines = [SpendingLine("2.12.02.2.01.0001", {Level.SUB_KEGIATAN: "Pelayanan"}, 7_000_000,
                          skpd=DUKCAPIL_SKPD, year=y)]
    flat_rekap(planned.budget_docs / f"APBD {y}.xlsx", lines)
    data = json.loads(pantau(planned, "--json").stdout)
    assert next(p for p in data["program"] if p["nama"] == "Akta Kelahiran Online")[
        "anggaran"] == 7_000_000


def test_the_book_has_its_chapter_only_when_documents_exist(planned, cfg):
    from docx import Document

    def headings() -> list[str]:
        result = CliRunner().invoke(main, ["book", "--workspace", str(planned.root)])
        assert result.exit_code == 0, result.output
        doc = Document(str(planned.output / layout.BOOK_NAME))
        return [p.text for p in doc.paragraphs]

    assert "Keterlaksanaan Masterplan" not in headings()
    y = cfg.first_year
    flat_rekap(planned.budget_docs / f"APBD {y}.xlsx", apbd_lines(y))
    text = headings()
    assert "Keterlaksanaan Masterplan" in text
    assert f"3 dari 5 program masterplan {y} dianggarkan dalam APBD {y} (60%)." in text


def test_documents_read_here_when_no_reader_process_can_start_give_the_same_figures(
        planned, cfg, monkeypatch):
    """Documents are read in reader processes (common.isolation); when none can be
    started (the machine's fault, not the documents'), they are read in pantau's own
    process: the figures and the order of the documents do not change."""
    from pipeline.common.isolation import Pool

    y = cfg.first_year
    flat_rekap(planned.budget_docs / f"RKPD {y}.xlsx", apbd_lines(y)[:3])
    flat_rekap(planned.budget_docs / f"APBD {y}.xlsx", apbd_lines(y))
    readers = pantau(planned, "--json")

    def no_process(self, function, items):
        raise OSError("no process to be had")

    monkeypatch.setattr(Pool, "map", no_process)
    here = pantau(planned, "--json")
    assert readers.exit_code == here.exit_code == 0
    assert json.loads(readers.stdout) == json.loads(here.stdout)
    assert [d["tahap"] for d in json.loads(here.stdout)["dokumen"]] == ["rkpd", "apbd"]


def test_a_document_that_kills_its_reader_is_set_aside_and_the_others_read(
        planned, cfg, tmp_path, monkeypatch):
    """As for a returned template (issue 25): a workbook within every extent limit whose
    grid still exhausts its reader (a real calamine abort under a lowered memory cap)
    costs only itself; pantau goes on, the next document is read by a fresh reader."""
    from extent_bombs import make_grid

    y = cfg.first_year
    docs = planned.budget_docs
    make_grid(tmp_path / "grid.xlsx").rename(docs / f"RKPD {y}.xlsx")
    flat_rekap(docs / f"APBD {y}.xlsx", apbd_lines(y))
    os.utime(docs / f"RKPD {y}.xlsx", (1_700_000_000, 1_700_000_000))  # read first
    monkeypatch.setenv("MASTERPLAN_READER_MEMORY_MB", "60")  # the grid needs ~120 MB
    result = pantau(planned)
    assert result.exit_code == 0, result.output
    out = " ".join(result.output.split())
    assert f"Dokumen 'RKPD {y}.xlsx' tidak dibaca: pembacanya berhenti" in out
    assert f"Dibaca: APBD {y}.xlsx (APBD {y}, 7 baris" in out
    book = openpyxl.load_workbook(planned.output / layout.MONITORING_NAME)
    states = {r[1]: r[2] for r in sheet_values(book["Dokumen"])[4:]}
    assert states == {f"RKPD {y}.xlsx": "ditolak", f"APBD {y}.xlsx": "dibaca"}


def test_hostile_and_locked_files_get_the_inbox_treatment(planned, cfg, monkeypatch):
    """A zip bomb, an entity attack, a password-protected workbook and a file that cannot
    be opened (Excel on Windows locks a workbook it has open) are refused, one line each;
    the good document is read."""
    import pathlib

    import hostile

    y = cfg.first_year
    docs = planned.budget_docs
    flat_rekap(docs / f"APBD {y}.xlsx", apbd_lines(y))
    hostile.make_zip_bomb(docs / "bom.xlsx", gib=1)
    hostile.make_billion_laughs(docs / "tawa.xlsx")
    hostile.make_password_protected(docs / "sandi.xlsx")
    flat_rekap(docs / f"RKPD {y}.xlsx", apbd_lines(y)[:2])
    opened = pathlib.Path.open

    def locked_open(self, *args, **kwargs):
        if self.name == f"RKPD {y}.xlsx":
            raise PermissionError(13, "The process cannot access the file", str(self))
        return opened(self, *args, **kwargs)

    monkeypatch.setattr(pathlib.Path, "open", locked_open)
    result = pantau(planned)
    assert result.exit_code == 0, result.output
    out = " ".join(result.output.split())
    for name in ("bom.xlsx", "tawa.xlsx", "sandi.xlsx"):
        assert f"Dokumen '{name}' tidak dibaca:" in out
    assert f"Dokumen 'RKPD {y}.xlsx' tidak dibaca: berkas tidak dapat dibuka. Tutup berkas " \
        "ini bila sedang dibuka di Excel" in out
    assert f"Dibaca: APBD {y}.xlsx" in out


def test_a_csv_export_is_read_and_a_list_without_amounts_refused(planned, cfg):
    from sipd_files import sub_kegiatan_list

    y = cfg.first_year
    flat_rekap(planned.budget_docs / f"APBD {y}.csv", apbd_lines(y))
    sub_kegiatan_list(planned.budget_docs / f"daftar sub kegiatan {y}.xlsx",
                      [("2.12.02.2.01.0001", "Pelayanan Akta")])
    result = pantau(planned, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [(d["berkas"], d["tahap"], d["baris"]) for d in data["dokumen"]] == \
        [(f"APBD {y}.csv", "apbd", 7)]
    assert f"Dokumen 'daftar sub kegiatan {y}.xlsx' tidak dibaca: tidak ada kolom pagu" in \
        " ".join(result.stderr.split())


def test_rows_of_another_year_in_a_document_are_skipped_with_why(planned, cfg):
    y = cfg.first_year
    lines = [*apbd_lines(y), line("2.12.02.2.01.0001", 999_000_000, skpd=DUKCAPIL_SKPD,
                                  year=y + 1)]
    flat_rekap(planned.budget_docs / "APBD.xlsx", lines)
    result = pantau(planned, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert (data["dokumen"][0]["tahun"], data["dokumen"][0]["baris"]) == (y, 7)
    akta = next(p for p in data["program"] if p["nama"] == "Akta Kelahiran Online")
    assert akta["anggaran"] == 225_000_000
    book = openpyxl.load_workbook(planned.output / layout.MONITORING_NAME)
    skipped = sheet_values(book["Baris Dilewati"])[4:]
    assert [(r[1], r[3], r[4]) for r in skipped] == [
        ("APBD.xlsx", 9, f"TAHUN {y + 1}, bukan {y} (tahun dokumen ini); tidak dihitung")]
