"""The consolidation and the rekap workbook / CSV data.

The inputs are built here as the ledger would hand them over (four OPDs: two accepted,
one `perlu revisi` still counted with its older accepted file, one that sent nothing).
Every expected number is summed in the test by looping over those input rows, never
with the pandas code under test.
"""

from __future__ import annotations

import csv
import dataclasses
import re
import shutil
import subprocess
import uuid
import zipfile
from collections import defaultdict
from pathlib import Path

import openpyxl
import pytest

from pipeline import layout
from pipeline.assemble import consolidate
from pipeline.config import Opd
from pipeline.results import OpdStatus, PlanStatus
from pipeline.write import rekap, xlbook

HYPERLINK = '=HYPERLINK("http://evil","klik")'
PHONE = "+62 812"
ZERO_YEAR = 2029  # no program has budget in this year
HEADER = rekap.HEADER_ROW + 1  # 1-based Excel row of the header on titled sheets

OPDS = (
    Opd("2.16.01", "Dinas Komunikasi dan Informatika", "Diskominfo"),
    Opd("2.12.01", "Dinas Kependudukan dan Pencatatan Sipil", "Disdukcapil"),
    Opd("1.02.01", "Dinas Kesehatan", "Dinkes"),
    Opd("3.25.01", "Dinas Perikanan", "Diskan"),
)
SHA = {"2.16.01": "a" * 64, "2.12.01": "b" * 64, "1.02.01": "c" * 64}
FILES = {"2.16.01": "diskominfo.xlsx", "2.12.01": "capil/disdukcapil.xlsx",
         "1.02.01": "dinkes_lama.xlsx"}


@pytest.fixture(scope="module")
def small_cfg(cfg):
    return dataclasses.replace(cfg, opds=OPDS)


def program(cfg, name, dimension, element, *, budget, target=None, quick_win="Tidak",
            row=4, **text):
    """A program row as Ledger.programs returns it (normalised values)."""
    record = {key: None for key in consolidate.program_keys(cfg)}
    record.update(nama_program=name, dimensi=dimension, elemen=element,
                  jenis_program="Infostruktur", acuan="RPJMD", sumber_dana="APBD Kabupaten",
                  quick_win=quick_win, indikator="Persentase layanan daring", satuan="%",
                  manfaat="Warga dilayani lebih cepat" if quick_win == "Ya" else None,
                  row=row)
    record.update(text)
    for year in cfg.years:
        record[f"anggaran_{year}"] = 0 if year == ZERO_YEAR else budget(year)
        record[f"target_{year}"] = target
    record["total_anggaran"] = sum(record[f"anggaran_{y}"] for y in cfg.years)
    return record


def make_inputs(cfg):
    """(statuses, programs, basis) for the four OPDs."""
    kominfo, capil, dinkes = (SHA[o.kode] for o in OPDS[:3])
    programs = [
        (kominfo, program(cfg, HYPERLINK, "Smart Governance", "Pelayanan Publik",
                          budget=lambda y: 150_000_000 + (y - 2024) * 1_000_000, target=80,
                          quick_win="Ya", row=4, deskripsi="@SUM(1)")),
        (kominfo, program(cfg, "Satu Data Tapteng", "Smart Governance", "Kebijakan Publik",
                          budget=lambda y: 2_500_000_000 if y % 2 else 0, target=-5, row=5,
                          kondisi_awal="-1", keterangan="-")),
        (kominfo, program(cfg, "Jaringan Internet Desa", "Smart Living",
                          "Sarana Transportasi", budget=lambda y: 750_000_000, row=6)),
        (kominfo, program(cfg, "Pembayaran Retribusi Non Tunai", "Smart Economy",
                          "Ekosistem Transaksi Keuangan", budget=lambda y: 12_345_678, row=7)),
        (capil, program(cfg, "Akta Lahir Dua Hari", "Smart Governance", "Pelayanan Publik",
                        budget=lambda y: 50_000_000, target=100, quick_win="Ya", row=4,
                        manfaat="Akta kelahiran terbit 2 hari setelah lahir")),
        (capil, program(cfg, PHONE, "Smart Living", "Prasarana Kesehatan",
                        budget=lambda y: 1_000_000 * (y - 2020), target=75.5, quick_win="Ya",
                        row=9)),
        (capil, program(cfg, "Kampanye Sadar Sampah", "Smart Environment",
                        "Tata Kelola Sampah dan Limbah", budget=lambda y: 20_000_000, row=10)),
        (dinkes, program(cfg, "Telemedisin Puskesmas", "Smart Living", "Prasarana Kesehatan",
                         budget=lambda y: 300_000_000, target=10, quick_win="Ya", row=4)),
        (dinkes, program(cfg, "Rekam Medis Elektronik", "Smart Society", "Ekosistem Belajar",
                         budget=lambda y: 0 if y < 2026 else 400_000_000, row=5)),
    ]
    statuses = [
        OpdStatus("2.16.01", OPDS[0].nama, "Diskominfo", PlanStatus.ACCEPTED, file=FILES["2.16.01"],
                  received_at="2024-05-01T09:00:00", counted_file=FILES["2.16.01"],
                  counted_sha256=kominfo, n_programs=4, n_warnings=1),
        OpdStatus("2.12.01", OPDS[1].nama, "Disdukcapil", PlanStatus.ACCEPTED,
                  file=FILES["2.12.01"],
                  received_at="2024-05-01T10:30:00", counted_file=FILES["2.12.01"],
                  counted_sha256=capil, n_programs=3),
        OpdStatus("1.02.01", OPDS[2].nama, "Dinkes", PlanStatus.REVISE, file="dinkes_baru.xlsx",
                  received_at="2024-05-02T08:00:00", counted_file=FILES["1.02.01"],
                  counted_sha256=dinkes, n_programs=2, n_errors=3),
        OpdStatus("3.25.01", OPDS[3].nama, "Diskan", PlanStatus.MISSING),
    ]
    basis = [{"file": FILES[k], "opd": k, "sha256": SHA[k], "received_at": "2024-05-01T09:00:00"}
             for k in SHA]
    return statuses, programs, basis


@pytest.fixture(scope="module")
def built(small_cfg, tmp_path_factory):
    """Build, write the rekap and the CSVs once; return everything the tests need."""
    statuses, programs, basis = make_inputs(small_cfg)
    cons = consolidate.build(small_cfg, statuses, programs)
    out = tmp_path_factory.mktemp("output")
    path = rekap.write_rekap(out / layout.REKAP_NAME, small_cfg, cons, statuses,
                             "2024-05-02 16:30", basis)
    csvs = rekap.write_data(out / "data", cons.years, cons.wide)
    return {"cfg": small_cfg, "statuses": statuses, "programs": programs, "cons": cons,
            "path": path, "csvs": csvs, "basis": basis}


@pytest.fixture(scope="module")
def book(built):
    return openpyxl.load_workbook(built["path"])


# --- expected values, computed from the input rows ---------------------------------------

def owner(sha):
    return next(o for o in OPDS if SHA.get(o.kode) == sha)


def expected_sums(cfg, programs, category):
    """{category: {year: Rupiah}} by looping over the input programs."""
    sums = defaultdict(lambda: defaultdict(int))
    for sha, row in programs:
        key = category(sha, row)
        for year in cfg.years:
            sums[key][year] += row[f"anggaran_{year}"]
    return sums


def read_matrix(ws, n_labels):
    """Header row and {label: {column header: value}} up to and including the Total row."""
    header = [c.value for c in ws[HEADER]]
    rows = {}
    for values in ws.iter_rows(min_row=HEADER + 1, values_only=True):
        if values[0] is None:
            break
        label = values[0] if n_labels == 1 else tuple(values[:n_labels])
        rows[label] = dict(zip(header[n_labels:], values[n_labels:], strict=True))
    return header, rows


def check_matrix(ws, cfg, expected, categories, n_labels=1):
    header, rows = read_matrix(ws, n_labels)
    assert header[n_labels:] == [*cfg.years, "Total"]
    total_label = "Total" if n_labels == 1 else ("Total",) + (None,) * (n_labels - 1)
    assert list(rows) == [*categories, total_label]
    column_totals = defaultdict(int)
    for category in categories:
        row_total = 0
        for year in cfg.years:
            value = expected.get(category, {}).get(year, 0)
            assert rows[category][year] == value, (ws.title, category, year)
            row_total += value
            column_totals[year] += value
        assert rows[category]["Total"] == row_total, (ws.title, category)
    for year in cfg.years:
        assert rows[total_label][year] == column_totals[year], (ws.title, year)
    assert rows[total_label]["Total"] == sum(column_totals.values())


# --- consolidation -------------------------------------------------------------------------

def test_build_tables_match_the_input_rows(built):
    cfg, cons, programs = built["cfg"], built["cons"], built["programs"]
    assert len(cons.wide) == len(programs)
    assert list(cons.wide.columns[:5]) == consolidate.OPD_COLUMNS
    assert list(cons.wide.columns[5:]) == consolidate.program_keys(cfg)
    tidy = consolidate.tidy(cons.years, cons.wide)
    assert len(tidy) == len(programs) * len(cfg.years)
    assert list(tidy.columns) == consolidate.TIDY_COLUMNS
    assert tidy["anggaran"].sum() == sum(r["total_anggaran"] for _, r in programs)
    # The perlu-revisi OPD is counted with its older accepted file.
    dinkes = cons.wide[cons.wide["opd_kode"] == "1.02.01"]
    assert set(dinkes["file"]) == {FILES["1.02.01"]}


def test_headline_and_warnings(built):
    cfg, cons, programs = built["cfg"], built["cons"], built["programs"]
    head = cons.headline
    assert (head["opd_expected"], head["opd_submitted"], head["opd_accepted"]) == (4, 3, 3)
    assert head["programs"] == len(programs)
    assert head["quick_wins"] == sum(r["quick_win"] == "Ya" for _, r in programs)
    assert head["total_budget"] == sum(r[f"anggaran_{y}"] for _, r in programs for y in cfg.years)
    with_quick_win = {r["dimensi"] for _, r in programs if r["quick_win"] == "Ya"}
    for dimension in cfg.dimensions:
        mentioned = any(dimension in w.text and "Quick Win" in w.text for w in cons.warnings)
        assert mentioned == (dimension not in with_quick_win), dimension
    assert [w.text for w in cons.warnings if w.text.startswith("Tahun ")] == [
        f"Tahun {ZERO_YEAR} belum memiliki anggaran sama sekali (Rp 0 di semua program)."]
    missing = [w for w in cons.warnings if w.text.startswith("1 dari 4 OPD belum mengumpulkan")]
    # One OPD per item, with its full name, not a paragraph of names.
    assert [len(w.items) for w in missing] == [1]
    short, full = missing[0].items[0].removesuffix(")").split(" (", 1)
    assert (short, full) in {(o.singkatan, o.nama) for o in cfg.opds}


def test_build_with_nothing_accepted_still_writes(small_cfg, tmp_path):
    statuses = [OpdStatus(o.kode, o.nama, o.singkatan, PlanStatus.MISSING) for o in OPDS]
    cons = consolidate.build(small_cfg, statuses, [])
    assert cons.by_dimension.loc["Total", "Total"] == 0
    assert len(cons.by_dimension) == len(small_cfg.dimensions) + 1
    path = rekap.write_rekap(tmp_path / layout.REKAP_NAME, small_cfg, cons, statuses,
                             "2024-05-01 08:00", [])
    rekap.write_data(tmp_path / "data", cons.years, cons.wide)
    assert openpyxl.load_workbook(path).sheetnames[:9] == list(rekap.SHEETS)


def test_unknown_file_is_refused(small_cfg):
    with pytest.raises(ValueError):
        consolidate.build(small_cfg, [], [("f" * 64, {"nama_program": "x"})])


# --- the workbook --------------------------------------------------------------------------

def test_sheet_names_and_order(built, book):
    roadmaps = [f"Roadmap {d}" for d in built["cfg"].dimensions]
    assert book.sheetnames == [*rekap.SHEETS, *roadmaps]


def test_matrices_equal_sums_of_the_input_rows(built, book):
    cfg, programs = built["cfg"], built["programs"]
    check_matrix(book["Dimensi per Tahun"], cfg,
                 expected_sums(cfg, programs, lambda sha, r: r["dimensi"]), list(cfg.dimensions))
    opds_with_programs = [o.singkatan for o in OPDS if o.kode in SHA]
    check_matrix(book["OPD per Tahun"], cfg,
                 expected_sums(cfg, programs, lambda sha, r: owner(sha).singkatan),
                 opds_with_programs)
    check_matrix(book["Sumber Dana per Tahun"], cfg,
                 expected_sums(cfg, programs, lambda sha, r: r["sumber_dana"]),
                 list(cfg.funding_sources))
    check_matrix(book["Jenis Program"], cfg,
                 expected_sums(cfg, programs, lambda sha, r: r["jenis_program"]),
                 list(cfg.program_types))
    pairs = [(d, e) for d, elements in cfg.dimensions.items() for e in elements]
    check_matrix(book["Elemen"], cfg,
                 expected_sums(cfg, programs, lambda sha, r: (r["dimensi"], r["elemen"])),
                 pairs, n_labels=2)


def test_matrix_cells_are_plain_numbers_with_money_format(book):
    ws = book["Dimensi per Tahun"]
    cell = ws.cell(HEADER + 1, 2)
    assert cell.data_type == "n"
    assert "#,##0" in cell.number_format


def test_no_formulas_anywhere(built):
    # Values only: a formula saved by a script has no cached value for other readers.
    with zipfile.ZipFile(built["path"]) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/sheet"):
                assert "<f>" not in archive.read(name).decode("utf-8"), name


def test_daftar_program_lists_every_program(built, book):
    cfg, programs = built["cfg"], built["programs"]
    ws = book["Daftar Program"]
    header = [c.value for c in ws[1]]
    labels = {c.key: c.label for c in layout.program_columns(cfg)}
    assert header[:3] == ["No", "Kode OPD", "OPD"]
    assert header[3:-2] == [labels[k] for k in consolidate.program_keys(cfg)]
    assert header[-2:] == ["Berkas", "Baris"]
    rows = [dict(zip(header, values, strict=True))
            for values in ws.iter_rows(min_row=2, values_only=True)]
    assert len(rows) == len(programs)
    listed = {(r["Kode OPD"], r["Nama Program"]): r for r in rows}
    for sha, program_row in programs:
        row = listed[(owner(sha).kode, program_row["nama_program"])]
        assert row["Berkas"] == FILES[owner(sha).kode]
        assert row["Baris"] == program_row["row"]
        for year in cfg.years:
            # A year without budget is left blank (read as 0 by any sum or pivot).
            budget = program_row[f"anggaran_{year}"]
            assert row[f"Anggaran {year} (Rp)"] == (budget or None)
            assert row[f"Target {year}"] == program_row[f"target_{year}"]
        assert row["Total Anggaran (Rp)"] == program_row["total_anggaran"]
    assert ws.freeze_panes == "E2"
    assert ws.auto_filter.ref is not None


def test_formula_looking_text_stays_text(book):
    found = {}
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.value in (HYPERLINK, PHONE, "@SUM(1)", "-1", "-"):
                    found.setdefault(cell.value, []).append(cell)
    assert set(found) == {HYPERLINK, PHONE, "@SUM(1)", "-1", "-"}
    for cells in found.values():
        assert all(c.data_type == "s" for c in cells)
    # The HYPERLINK name is in Daftar Program, Quick Win and its roadmap sheet.
    assert {c.parent.title for c in found[HYPERLINK]} == {
        "Daftar Program", "Quick Win", "Roadmap Smart Governance"}


def test_quick_win_sheet_lists_exactly_the_ya_rows(built, book):
    cfg, programs = built["cfg"], built["programs"]
    year = cfg.quick_win_year
    ws = book["Quick Win"]
    header = [c.value for c in ws[HEADER]]
    assert header[:5] == ["No", "OPD", "Dimensi", "Elemen", "Nama Program"]
    assert header[5:] == [f"Anggaran {year} (Rp)", f"Target {year}", "Satuan",
                          "Indikator Kinerja", "Manfaat bagi Masyarakat"]
    listed, headings = [], []
    for values in ws.iter_rows(min_row=HEADER + 1, values_only=True):
        if isinstance(values[0], (int, float)):
            listed.append(dict(zip(header, values, strict=True)))
        elif values[0]:
            headings.append(values[0])
    expected = [(owner(sha).singkatan, r["dimensi"], r["nama_program"],
                 r[f"anggaran_{year}"], r[f"target_{year}"], r["manfaat"])
                for sha, r in programs if r["quick_win"] == "Ya"]
    got = [(r["OPD"], r["Dimensi"], r["Nama Program"], r[f"Anggaran {year} (Rp)"],
            r[f"Target {year}"], r["Manfaat bagi Masyarakat"]) for r in listed]
    assert sorted(got, key=str) == sorted(expected, key=str)
    # Grouped by dimension in config order, one heading per dimension.
    order = list(cfg.dimensions)
    assert [order.index(r["Dimensi"]) for r in listed] == sorted(
        order.index(r["Dimensi"]) for r in listed)
    assert [h.split(":")[0] for h in headings] == order
    with_quick_win = {r["dimensi"] for _, r in programs if r["quick_win"] == "Ya"}
    for heading in headings:
        dimension = heading.split(":")[0]
        assert heading.endswith("belum ada Quick Win") == (dimension not in with_quick_win)


def test_status_lists_every_configured_opd(built, book):
    ws = book["Status Pengumpulan"]
    header = [c.value for c in ws[HEADER]]
    rows = [dict(zip(header, values, strict=True))
            for values in ws.iter_rows(min_row=HEADER + 1, values_only=True) if values[0]]
    assert [r["Kode OPD"] for r in rows] == [o.kode for o in OPDS]
    assert [r["Status"] for r in rows] == [PlanStatus.ACCEPTED, PlanStatus.ACCEPTED,
                                           PlanStatus.REVISE, PlanStatus.MISSING]
    dinkes = rows[2]
    assert (dinkes["Berkas Terakhir"], dinkes["Berkas dalam Rekap"]) == (
        "dinkes_baru.xlsx", FILES["1.02.01"])
    assert dinkes["Jumlah Kesalahan"] == 3
    assert rows[3]["Berkas Terakhir"] is None
    rules = [rule.formula[0] for ranges in ws.conditional_formatting for rule in ranges.rules]
    assert {re.search(r'"(.+)"', f).group(1) for f in rules} == set(PlanStatus)


def test_charts_are_attached_to_ringkasan(built):
    with zipfile.ZipFile(built["path"]) as archive:
        names = set(archive.namelist())
        charts = sorted(n for n in names if re.fullmatch(r"xl/charts/chart\d+\.xml", n))
        assert charts == ["xl/charts/chart1.xml", "xl/charts/chart2.xml",
                          "xl/charts/chart3.xml"]
        workbook = archive.read("xl/workbook.xml").decode()
        assert workbook.index('name="Ringkasan"') < workbook.index('name="Dimensi per Tahun"')
        sheet1_rels = archive.read("xl/worksheets/_rels/sheet1.xml.rels").decode()
        assert "../drawings/drawing1.xml" in sheet1_rels
        assert "<drawing " in archive.read("xl/worksheets/sheet1.xml").decode()
        drawing_rels = archive.read("xl/drawings/_rels/drawing1.xml.rels").decode()
        for chart in charts:
            assert f"../charts/{Path(chart).name}" in drawing_rels
        # Other sheets carry no drawing: the charts are on Ringkasan only.
        assert not any(n.startswith("xl/worksheets/_rels/sheet") and n != (
            "xl/worksheets/_rels/sheet1.xml.rels") for n in names)
        per_year = archive.read("xl/charts/chart1.xml").decode()
        # Data comes from the matrix sheet's cells, with cached values for viewers.
        assert "'Dimensi per Tahun'!$B$5:$K$5" in per_year
        first_value = sum(r["anggaran_2024"] for _, r in built["programs"]
                          if r["dimensi"] == "Smart Governance")
        assert f"<c:numCache><c:formatCode>General</c:formatCode><c:ptCount val=\"10\"/>" \
               f"<c:pt idx=\"0\"><c:v>{first_value}</c:v>" in per_year


def test_ringkasan_shows_figures_warnings_and_basis(built, book):
    ws = book["Ringkasan"]
    texts = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    values = {row[0].value: row[1].value for row in ws.iter_rows() if row[0].value}
    cons = built["cons"]
    assert "Rekapitulasi Rencana Program Masterplan Smart City" in texts
    assert values["OPD diharapkan"] == 4
    assert values["OPD sudah mengumpulkan"] == 3
    assert values["Jumlah program"] == len(built["programs"])
    assert values["Total anggaran 2024-2033"] == cons.headline["total_budget"]
    for warning in cons.warnings:
        assert all(line in texts for line in warning.lines())
    for item in built["basis"]:
        assert item["file"] in texts and item["sha256"] in texts
    assert ws.page_setup.orientation == "landscape"


def test_print_setup_of_matrix_sheets(book):
    for name in ("Dimensi per Tahun", "OPD per Tahun", "Sumber Dana per Tahun", "Elemen",
                 "Jenis Program", "Quick Win", "Status Pengumpulan"):
        ws = book[name]
        assert ws.page_setup.orientation == "landscape", name
        assert ws.page_setup.paperSize == 9, name
        assert ws.sheet_properties.pageSetUpPr.fitToPage, name
        # fitToWidth="1" is the OOXML default, so xlsxwriter leaves it out (None here).
        assert (ws.page_setup.fitToWidth or 1) == 1, name
        assert ws.page_setup.fitToHeight == 0, name
        assert ws.print_title_rows == f"${HEADER}:${HEADER}", name
        assert ws.freeze_panes is not None, name
    for name in ("Dimensi per Tahun", "Elemen", "Status Pengumpulan"):
        assert book[name].auto_filter.ref, name


def test_roadmap_sheets(built, book):
    cfg, programs = built["cfg"], built["programs"]
    for dimension, name in rekap.roadmap_sheet_names(cfg).items():
        ws = book[name]
        header = [c.value for c in ws[HEADER]]
        assert header == ["No", "OPD", "Elemen", "Program", "Jenis Program", *cfg.years,
                          "Total"]
        rows = [dict(zip(header, v, strict=True))
                for v in ws.iter_rows(min_row=HEADER + 1, values_only=True)]
        listed = [r for r in rows if isinstance(r["No"], int)]
        mine = [(sha, r) for sha, r in programs if r["dimensi"] == dimension]
        assert sorted(r["Program"] for r in listed) == sorted(r["nama_program"] for _, r in mine)
        for _, program_row in mine:
            row = next(r for r in listed if r["Program"] == program_row["nama_program"])
            for year in cfg.years:
                budget = program_row[f"anggaran_{year}"]
                if budget:
                    assert row[year] == pytest.approx(budget / 1e6)
                else:
                    assert row[year] is None  # blank, not 0,00: easier to read in the book
        total = rows[-1]
        assert total["No"] == "Total"
        for year in cfg.years:
            assert total[year] == pytest.approx(
                sum(r[f"anggaran_{year}"] for _, r in mine) / 1e6)
        assert "0.00" in ws.cell(ws.max_row, 6).number_format  # juta Rupiah, 2 decimals


def test_roadmap_names_are_short_and_unique(cfg):
    long = dataclasses.replace(cfg, dimensions={
        "Smart Environment and Sustainability A": ("X1",),
        "Smart Environment and Sustainability B": ("X2",),
        "Smart Environment and Sustainability C": ("X3",),
        "Smart Living": ("X4",),
    })
    names = list(rekap.roadmap_sheet_names(long).values())
    assert all(len(n) <= 31 for n in names)
    assert len({n.casefold() for n in names}) == len(names)
    assert names[-1] == "Roadmap Smart Living"
    default_names = list(rekap.roadmap_sheet_names(cfg).values())
    assert all(len(n) <= 31 for n in default_names)
    assert len(set(default_names)) == len(default_names)


def test_rows_writer_refuses_to_go_back(tmp_path):
    import xlsxwriter

    workbook = xlsxwriter.Workbook(str(tmp_path / "x.xlsx"), {"constant_memory": True})
    rows = xlbook.Rows(workbook.add_worksheet())
    rows.put(["a"])
    rows.put(["b"])
    with pytest.raises(ValueError):
        rows.skip_to(0)
    workbook.close()


# --- CSV -----------------------------------------------------------------------------------

def read_csv(path):
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_csv_files_are_escaped_utf8(built):
    program_csv, budget_csv = built["csvs"]
    assert program_csv.name == "program.csv" and budget_csv.name == "anggaran.csv"
    assert not program_csv.read_bytes().startswith(b"\xef\xbb\xbf")  # plain UTF-8, no BOM
    wide = read_csv(program_csv)
    assert len(wide) == len(built["programs"])
    names = [r["nama_program"] for r in wide]
    assert "'" + HYPERLINK in names and "'" + PHONE in names
    data = next(r for r in wide if r["nama_program"] == "Satu Data Tapteng")
    assert (data["kondisi_awal"], data["keterangan"]) == ("'-1", "'-")
    assert data["target_2024"] == "-5"  # a number is never escaped
    assert next(r for r in wide if r["nama_program"].endswith("klik\")"))["deskripsi"] == \
        "'@SUM(1)"

    tidy = read_csv(budget_csv)
    assert list(tidy[0]) == consolidate.TIDY_COLUMNS
    assert len(tidy) == len(built["programs"]) * len(built["cfg"].years)
    assert sum(int(r["anggaran"]) for r in tidy) == built["cons"].headline["total_budget"]
    assert {r["target"] for r in tidy if r["nama_program"] == "Satu Data Tapteng"} == {"-5"}
    assert all(not r["nama_program"].startswith(("=", "+", "-", "@")) for r in tidy)


def test_tidy_csv_written_in_slices_is_the_same_file(built, tmp_path, monkeypatch):
    monkeypatch.setattr(rekap, "TIDY_SLICE", 2)  # several slices, a short last one
    _, sliced = rekap.write_data(tmp_path, built["cons"].years, built["cons"].wide)
    assert len(built["cons"].wide) % 2 == 1
    assert sliced.read_bytes() == built["csvs"][1].read_bytes()


# --- LibreOffice as a real client ----------------------------------------------------------

def lo_convert(source: Path, fmt: str, outdir: Path) -> Path:
    """Convert with headless LibreOffice, a fresh profile per call (no profile locks)."""
    profile = outdir.parent / f"lo_profile_{uuid.uuid4().hex}"
    outdir.mkdir(parents=True, exist_ok=True)
    try:
        result = subprocess.run(
            [shutil.which("soffice"), "--headless", "--norestore",
             f"-env:UserInstallation={profile.as_uri()}", "--convert-to", fmt,
             "--outdir", str(outdir), str(source)],
            capture_output=True, text=True, timeout=180, check=False)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    out = outdir / f"{source.stem}.{fmt.split(':')[0]}"
    assert result.returncode == 0 and out.exists(), result.stderr
    return out


@pytest.mark.libreoffice
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_prints_and_reads_the_same_numbers(built, tmp_path):
    pdf = lo_convert(built["path"], "pdf", tmp_path / "pdf")
    assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 10_000

    resaved = lo_convert(built["path"], "xlsx", tmp_path / "xlsx")
    ours, theirs = openpyxl.load_workbook(built["path"]), openpyxl.load_workbook(resaved)
    assert theirs.sheetnames == ours.sheetnames
    for name, n_labels in (("Dimensi per Tahun", 1), ("OPD per Tahun", 1),
                           ("Sumber Dana per Tahun", 1), ("Elemen", 2), ("Jenis Program", 1)):
        assert read_matrix(theirs[name], n_labels) == read_matrix(ours[name], n_labels), name
    # Formula-looking text is still text after LibreOffice saved it.
    names = [c.value for c in theirs["Daftar Program"]["D"]]
    assert HYPERLINK in names and PHONE in names


def test_fast_worksheet_writes_what_xlsxwriter_writes(small_cfg, tmp_path, monkeypatch):
    """The rekap's shortcuts for plain cells and whole rows (xlsheet.FastWorksheet) must
    write exactly xlsxwriter's own XML, also for text that needs escaping or preserved
    spaces, rows with a height, and NaN."""
    import copy

    import xlsxwriter

    from pipeline.write import xlsheet

    statuses, programs, basis = make_inputs(small_cfg)
    programs = copy.deepcopy(programs)
    nasty = [" spasi di depan", "spasi di belakang ", "A & B <C> \"D\"", "baris\nkedua",
             "tab\tdan\x01kontrol", "_x0041_ bukan escape", "\ufffe", "biasa saja"]
    for (_, row), text in zip(programs, nasty, strict=False):
        row["deskripsi"] = row["keterangan"] = text
    programs[-1][1]["nama_program"] = "Program dengan nama panjang " * 4  # a taller row
    cons = consolidate.build(small_cfg, statuses, programs)
    general_rows = []
    monkeypatch.setattr(xlsheet.FastWorksheet, "_put_cells",
                        lambda self, row, cells, original=xlsheet.FastWorksheet._put_cells:
                        general_rows.append(row) or original(self, row, cells))

    probe = xlsheet.FastWorkbook(str(tmp_path / "probe.xlsx"))
    assert type(probe.add_worksheet()) is xlsheet.FastWorksheet
    probe.close()
    fast = rekap.write_rekap(tmp_path / "fast.xlsx", small_cfg, cons, statuses,
                             "2024-05-02 16:30", basis)
    # Rows with text that needs escaping took xlsxwriter's road, most rows of the two
    # lists (Daftar Program and the roadmaps: twice the programs) the short way.
    assert 0 < len(general_rows) < 2 * len(programs)

    class PlainWorksheet(xlsheet.FastWorksheet):
        """xlsxwriter's own road for every cell: one public call each, its own XML."""

        _write_cell = xlsxwriter.worksheet.Worksheet._write_cell

        def put_row(self, row, values, formats):
            self._put_cells(row, [(c, v, f) for c, (v, f) in enumerate(zip(values, formats,
                                                                            strict=True))
                                  if v is not None])

    monkeypatch.setattr(xlsheet.FastWorkbook, "worksheet_class", PlainWorksheet)
    plain = rekap.write_rekap(tmp_path / "plain.xlsx", small_cfg, cons, statuses,
                              "2024-05-02 16:30", basis)
    with zipfile.ZipFile(fast) as a, zipfile.ZipFile(plain) as b:
        assert a.namelist() == b.namelist()
        for name in a.namelist():
            if name != "docProps/core.xml":  # carries the time of writing
                assert a.read(name) == b.read(name), name
    texts = [c.value for c in openpyxl.load_workbook(fast)["Daftar Program"]["E"]]
    assert set(nasty[:4]) <= set(texts)
