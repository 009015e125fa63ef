"""[rujukan]: plans checked against the regency's RPJMD/RPD and the official nomenclature.

The reference files are built here as people have them: a merged title above the header,
codes with spaces and in the 2019 form, names broken over lines, a few bad rows.
"""

from __future__ import annotations

import csv
import hashlib
import json
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from plans import DINKES, DISDUKCAPIL, good_row, make_plan

from pipeline import layout
from pipeline.cli import main
from pipeline.read import codes, references
from pipeline.store.ingest import config_key

TITLE = "NOMENKLATUR URUSAN PEMERINTAHAN DAERAH KABUPATEN/KOTA (KUTIPAN)"
NOMENCLATURE = [
    ("1", "URUSAN PEMERINTAHAN WAJIB YANG BERKAITAN DENGAN PELAYANAN DASAR"),
    ("1.02", "URUSAN PEMERINTAHAN BIDANG KESEHATAN"),
    ("1.02.02", "PROGRAM PEMENUHAN UPAYA KESEHATAN PERORANGAN DAN UPAYA KESEHATAN "
                "MASYARAKAT"),
    ("1.02.02.2.01", "Penyediaan Fasilitas Pelayanan Kesehatan"),
    ("2", "URUSAN PEMERINTAHAN WAJIB YANG TIDAK BERKAITAN DENGAN PELAYANAN DASAR"),
    ("2.12", "URUSAN PEMERINTAHAN BIDANG ADMINISTRASI KEPENDUDUKAN DAN PENCATATAN SIPIL"),
    ("2.12.02", "PROGRAM PENDAFTARAN PENDUDUK"),
    (" 2.12.02.2.01", "Pelayanan Pendaftaran\nPenduduk"),
    ("2.12.02.2.01.01", "Penerbitan  Dokumen Pendaftaran Penduduk"),  # 2019 form
    ("2.12.03", "PROGRAM PENCATATAN SIPIL"),
    ("2.12.03.2.01.0001", "Pelayanan Pencatatan Sipil dan Penerbitan Akta"),
    ("abc", "baris rusak"),
]
RPJMD = [
    ("1", "2.12.02", "Program Pendaftaran Penduduk", "Disdukcapil"),
    ("2", "", "Program Pencatatan Sipil", "Dinas Kependudukan dan Pencatatan Sipil"),
    ("3", "1.02.02", "Program Pemenuhan Upaya Kesehatan Perorangan dan Upaya Kesehatan "
                     "Masyarakat", "Dinkes"),
    ("4", "", "Program Yang Belum Dirujuk", "Dinkes dan Disdukcapil"),
]


def write_nomenclature(path: Path, rows=NOMENCLATURE) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet["A1"] = TITLE
    sheet.merge_cells("A1:D1")
    sheet["A2"] = "Lampiran Kepmendagri (contoh untuk pengujian)"
    sheet.merge_cells("A2:D2")
    sheet.append(["KODE", "NOMENKLATUR URUSAN KABUPATEN/KOTA", "KINERJA", "INDIKATOR"])
    for code, name in rows:
        sheet.append([code, name, None, None])
    book.save(path)
    return path


def write_rpjmd(path: Path, rows=RPJMD) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, delimiter=";")
        writer.writerow(["DAFTAR PROGRAM RPJMD 2021-2026"])
        writer.writerow([])
        writer.writerow(["No", "Kode", "Program", "Perangkat Daerah Penanggung Jawab"])
        writer.writerows(rows)
    return path


def with_lists(ws, rpjmd: str | None = "rpjmd.csv", nomenklatur: str | None = "nomen.xlsx",
               urusan: bool = True, write: bool = True) -> None:
    """Name the lists in the workspace's config (and write them when missing)."""
    if write and nomenklatur and not (ws.root / nomenklatur).exists():
        write_nomenclature(ws.root / nomenklatur)
    if write and rpjmd and not (ws.root / rpjmd).exists():
        write_rpjmd(ws.root / rpjmd)
    text = ws.config_path.read_text("utf-8")
    if urusan:
        text = text.replace('singkatan = "Disdukcapil"\n',
                            'singkatan = "Disdukcapil"\nurusan = ["2.12"]\n')
    lines = ["[rujukan]"]
    lines += [f'rpjmd = "{rpjmd}"'] if rpjmd else []
    lines += [f'nomenklatur = "{nomenklatur}"'] if nomenklatur else []
    ws.config_path.write_text(text + "\n" + "\n".join(lines) + "\n", "utf-8")


def cli(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def problems(ws) -> dict[str, list[dict]]:
    report = json.loads((ws.output / "laporan_validasi.json").read_text("utf-8"))
    found: dict[str, list[dict]] = {entry["file"]: [] for entry in report["files"]}
    for problem in report["problems"]:
        found[problem["file"]].append(problem)
    return found


# --- reading ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("typed", "code"), [
    ("2.16.02.2.01.01", "2.16.02.2.01.0001"),
    (" 2.16 .02.2.01.0001.", "2.16.02.2.01.0001"),
    ("2.16..02", "2.16.02"),
    (2.16, "2.16"),
    ("2.16.02.2", None),
    ("dua", None),
])
def test_codes_are_normalised(typed, code):
    assert codes.normalise_code(typed) == code


def test_the_lists_are_read_as_people_have_them(cfg, workspace):
    with_lists(workspace)
    refs = references.load_config(workspace).references
    nomenclature = refs.nomenclature
    assert nomenclature["2.12.02.2.01.0001"] == "Penerbitan Dokumen Pendaftaran Penduduk"
    assert nomenclature["2.12.02.2.01"] == "Pelayanan Pendaftaran Penduduk"
    # 11 codes listed, and the kegiatan 2.12.03.2.01 that only its sub kegiatan gives.
    assert "1.02.02" in nomenclature and len(nomenclature) == 12
    assert nomenclature["2.12.03.2.01"] == ""
    # The bad row is skipped and reported with its file and row (header on row 3).
    assert refs.skipped == (("nomenklatur", "nomen.xlsx", 15, "kode 'abc' bukan kode "
                                                              "nomenklatur"),)
    programs = {p.name: p for p in refs.rpjmd}
    assert programs["Program Pendaftaran Penduduk"].code == "2.12.02"
    assert programs["Program Pencatatan Sipil"].opds == (DISDUKCAPIL,)
    assert programs["Program Yang Belum Dirujuk"].opds == (DINKES, DISDUKCAPIL)


@pytest.mark.parametrize(("kind", "content", "says"), [
    ("missing", None, "tidak ditemukan"),
    ("unreadable", b"PK\x03\x04 not a zip at all", "tidak dapat dibaca"),
    ("no header", [("x", "y"), ("1", "2")], "judul kolom"),
    ("no rows", [], "tidak berisi"),
    ("not codes", [("satu", "A"), ("dua", "B"), ("2.12", "C")], "bukan kode nomenklatur"),
])
def test_a_bad_nomenclature_file_stops_every_command_with_one_line(cfg, workspace, tmp_path,
                                                                   kind, content, says):
    path = workspace.root / "nomen.xlsx"
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif content is not None and kind == "no header":
        book = openpyxl.Workbook()
        for row in content:
            book.active.append(row)
        book.save(path)
    elif content is not None:
        write_nomenclature(path, content)
    with_lists(workspace, rpjmd=None, write=False)
    make_plan(cfg, tmp_path / "tpl", workspace.inbox / "a.xlsx", DISDUKCAPIL, [good_row(cfg)])
    for command in (["templates"], ["run"], ["check", str(workspace.inbox / "a.xlsx")]):
        result = CliRunner().invoke(main, [*command, "--workspace", str(workspace.root)])
        assert result.exit_code == 2, (command, result.output)
        lines = result.output.strip().splitlines()
        assert len(lines) == 1, result.output
        assert "rujukan.nomenklatur" in lines[0] and "nomen.xlsx" in lines[0]
        assert says in lines[0]
    assert not (workspace.output / "rekap_masterplan.xlsx").exists()


def test_a_bad_rpjmd_file_names_its_key(workspace):
    (workspace.root / "rpjmd.csv").write_text("Judul\nA;B\n1;2\n", "utf-8")
    with_lists(workspace, nomenklatur=None)
    result = CliRunner().invoke(main, ["templates", "--workspace", str(workspace.root)])
    assert result.exit_code == 2
    assert "rujukan.rpjmd" in result.output and "rpjmd.csv" in result.output


def test_rujukan_command_shows_what_was_read(workspace):
    with_lists(workspace)
    result = cli("rujukan", "--workspace", str(workspace.root))
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert "12 kode" in text and "3 program" in text and "4 sub kegiatan" not in text
    assert "1 di antaranya hanya diturunkan" in text and "bentuk: daftar kode" in text
    assert "Program Pencatatan Sipil" in text and "Disdukcapil" in text
    assert "baris 15" in text and "abc" in text


def test_rujukan_command_without_lists_says_so(workspace):
    result = cli("rujukan", "--workspace", str(workspace.root))
    assert result.exit_code == 0
    assert "[rujukan]" in result.output


# --- templates ----------------------------------------------------------------------------------

def test_template_offers_the_opds_rpjmd_programs_as_a_dropdown(workspace):
    with_lists(workspace)
    assert cli("templates", "--workspace", str(workspace.root), "--opd", DISDUKCAPIL,
               "--opd", DINKES).exit_code == 0
    cfg = references.load_config(workspace)
    path = workspace.templates / layout.template_filename(cfg.opd_by_code[DISDUKCAPIL])
    book = openpyxl.load_workbook(path)
    sheet = book[layout.SHEET_PROGRAM]
    column = next(i for i, c in enumerate(layout.program_columns(cfg)) if c.key == "acuan")
    letter = openpyxl.utils.get_column_letter(column + 1)
    validation = next(v for v in sheet.data_validations.dataValidation
                      if f"{letter}{layout.PROGRAM_FIRST_DATA_ROW}" in str(v.sqref))
    assert validation.type == "list" and validation.formula1 == layout.RPJMD_LIST_NAME
    assert validation.errorStyle == "warning"  # other text stays possible
    reference = book.defined_names[layout.RPJMD_LIST_NAME].attr_text
    lists = book[layout.SHEET_LISTS]
    assert lists.sheet_state == "hidden"
    cells = reference.split("!")[1].replace("$", "")
    offered = [c.value for row in lists[cells] for c in row]
    assert offered == ["Program Pendaftaran Penduduk", "Program Pencatatan Sipil",
                       "Program Yang Belum Dirujuk"]
    dinkes = openpyxl.load_workbook(
        workspace.templates / layout.template_filename(cfg.opd_by_code[DINKES]))
    cells = dinkes.defined_names[layout.RPJMD_LIST_NAME].attr_text.split("!")[1]
    assert [c.value for row in dinkes[layout.SHEET_LISTS][cells.replace("$", "")]
            for c in row][0].startswith("Program Pemenuhan")


def test_template_without_lists_has_no_rpjmd_list(workspace):
    assert cli("templates", "--workspace", str(workspace.root), "--opd",
               DISDUKCAPIL).exit_code == 0
    cfg = workspace.load_config()
    book = openpyxl.load_workbook(
        workspace.templates / layout.template_filename(cfg.opd_by_code[DISDUKCAPIL]))
    assert layout.RPJMD_LIST_NAME not in book.defined_names


# --- validation and outputs -----------------------------------------------------------------------

def test_plans_are_checked_against_the_lists_at_their_cells(cfg, workspace, tmp_path):
    with_lists(workspace)
    make_plan(cfg, tmp_path / "tpl", workspace.inbox / "baik.xlsx", DISDUKCAPIL, [
        good_row(cfg, acuan="RPD: Program Pendaftaran Penduduk",
                 kode_nomenklatur="2.12.02.2.01.01",
                 nama_program="Penerbitan Dokumen Pendaftaran Penduduk Daring"),
        good_row(cfg, nama_program="Akta Lahir dari Puskesmas",
                 acuan="Program Pencatatan Sipill", kode_nomenklatur="2.12.03"),
        good_row(cfg, nama_program="Posyandu Digital", acuan="Program Pencatatan Sipil",
                 kode_nomenklatur="1.02.02.2.01"),
    ])
    make_plan(cfg, tmp_path / "tpl", workspace.inbox / "salah.xlsx", DINKES, [
        good_row(cfg, nama_program="Pendaftaran Penduduk Keliling", kode_nomenklatur="2.12.09",
                 acuan="Program Pemenuhan Upaya Kesehatan"),
    ])
    ran = cli("run", "--workspace", str(workspace.root))
    assert ran.exit_code == 0
    assert "Daftar rujukan: 1 baris dilewati" in " ".join(ran.output.split())
    found = problems(workspace)
    good = {(p["code"], p["cell"]): p for p in found["baik.xlsx"]}
    assert all(p["severity"] == "warning" for p in found["baik.xlsx"])
    columns = {c.key: i for i, c in enumerate(layout.program_columns(cfg))}

    def cell(key: str, row: int) -> str:
        return f"{openpyxl.utils.get_column_letter(columns[key] + 1)}{row}"

    first = layout.PROGRAM_FIRST_DATA_ROW
    taken = good[("ACUAN_RPJMD_DIBACA", cell("acuan", first + 1))]
    assert "Program Pencatatan Sipil'" in taken["message"]
    urusan = good[("NOMENKLATUR_URUSAN_LAIN", cell("kode_nomenklatur", first + 2))]
    assert "1.02" in urusan["message"] and "2.12" in urusan["message"]
    name = good[("NAMA_BEDA_NOMENKLATUR", cell("kode_nomenklatur", first + 2))]
    assert "Penyediaan Fasilitas Pelayanan Kesehatan" in name["message"]
    assert not any(cell("kode_nomenklatur", first) == c for _, c in good)  # 2019 form: fine

    bad = {p["code"]: p for p in found["salah.xlsx"]}
    missing = bad["NOMENKLATUR_TIDAK_ADA"]
    assert missing["cell"] == cell("kode_nomenklatur", first)
    assert "2.12.02, 2.12.03" in missing["message"] or "2.12.03, 2.12.02" in missing["message"]
    assert "PROGRAM PENDAFTARAN PENDUDUK" in missing["message"]  # by the program's name
    unknown = bad["ACUAN_RPJMD_TIDAK_DIKENAL"]
    assert unknown["cell"] == cell("acuan", first) and "Program Pemenuhan" in unknown["message"]

    # The rekap: the alignment sheet and the Daftar Program columns.
    rekap = openpyxl.load_workbook(workspace.output / "rekap_masterplan.xlsx", read_only=True)
    rows = [r for r in rekap["Keselarasan RPJMD"].iter_rows(values_only=True)]
    by_name = {r[1]: r for r in rows if r and isinstance(r[0], int) and len(r) > 4
               and r[4] is not None}
    assert by_name["Program Pencatatan Sipil"][4] == 2
    assert by_name["Program Pencatatan Sipil"][5] == 2 * (150_000_000 + 175_000_000)
    assert by_name["Program Pendaftaran Penduduk"][3] == "Disdukcapil"
    assert by_name["Program Yang Belum Dirujuk"][4] == 0
    flat = [v for r in rows for v in r if v]
    below = flat.index("Program RPJMD/RPD yang belum dirujuk program masterplan mana pun")
    assert "Program Yang Belum Dirujuk" in flat[below:]
    with open(workspace.output / "data" / "program.csv", encoding="utf-8") as data:
        records = list(csv.DictReader(data))
    assert records[0]["kode_nomenklatur_baku"] == "2.12.02.2.01.0001"
    assert records[0]["nama_nomenklatur"] == "Penerbitan Dokumen Pendaftaran Penduduk"
    assert records[0]["program_rpjmd"] == "Program Pendaftaran Penduduk"
    assert records[1]["program_rpjmd"] == "Program Pencatatan Sipil"
    with open(workspace.output / "data" / "anggaran.csv", encoding="utf-8") as data:
        years = list(csv.DictReader(data))
    assert len(years) == cfg.n_years * len(records)
    assert {y["program_rpjmd"] for y in years[:cfg.n_years]} == {"Program Pendaftaran Penduduk"}
    assert years[0]["kode_nomenklatur_baku"] == "2.12.02.2.01.0001"


def test_without_lists_outputs_and_key_are_as_before(cfg, workspace, tmp_path):
    make_plan(cfg, tmp_path / "tpl", workspace.inbox / "a.xlsx", DISDUKCAPIL,
              [good_row(cfg, kode_nomenklatur="2.12.09", acuan="apa saja")])
    assert config_key(workspace) == hashlib.sha256(
        workspace.config_path.read_bytes()).hexdigest()[:16]
    assert cli("run", "--workspace", str(workspace.root)).exit_code == 0
    assert problems(workspace)["a.xlsx"] == []
    rekap = openpyxl.load_workbook(workspace.output / "rekap_masterplan.xlsx", read_only=True)
    assert "Keselarasan RPJMD" not in rekap.sheetnames
    for name in ("program.csv", "anggaran.csv"):
        header = (workspace.output / "data" / name).read_text("utf-8").splitlines()[0]
        assert "program_rpjmd" not in header and "nama_nomenklatur" not in header


def test_a_changed_list_rejudges_and_the_guard_stops_a_drop(cfg, workspace, tmp_path):
    with_lists(workspace)
    make_plan(cfg, tmp_path / "tpl", workspace.inbox / "a.xlsx", DISDUKCAPIL,
              [good_row(cfg, acuan="Program Pencatatan Sipil", kode_nomenklatur="2.12.03",
                        nama_program="Pencatatan Sipil di Puskesmas")])
    assert cli("run", "--workspace", str(workspace.root)).exit_code == 0
    assert problems(workspace)["a.xlsx"] == []
    before = config_key(workspace)
    # The Bappeda's new list drops the program the plan refers to.
    write_rpjmd(workspace.root / "rpjmd.csv", RPJMD[:1])
    assert config_key(workspace) != before
    refused = cli("run", "--workspace", str(workspace.root))
    assert refused.exit_code == 2 and "a.xlsx" in refused.output
    assert cli("run", "--workspace", str(workspace.root), "--terima-konfigurasi").exit_code == 0
    # The dropped plan says first that it was accepted under the old list.
    assert [p["code"] for p in problems(workspace)["a.xlsx"]] == ["KONFIGURASI_BERUBAH",
                                                                  "ACUAN_RPJMD_TIDAK_DIKENAL"]


def test_book_board_and_demo_use_the_lists(cfg, workspace, tmp_path):
    import docx

    with_lists(workspace)
    make_plan(cfg, tmp_path / "tpl", workspace.inbox / "a.xlsx", DISDUKCAPIL,
              [good_row(cfg, acuan="Program Pencatatan Sipil", kode_nomenklatur="2.12.03",
                        nama_program="Pencatatan Sipil di Puskesmas")])
    make_plan(cfg, tmp_path / "tpl", workspace.inbox / "b.xlsx", DINKES,
              [good_row(cfg, acuan="Program Pemenuhan Upaya Kesehatan Perorangan dan Upaya "
                                   "Kesehatan Masyarakat", kode_nomenklatur="1.02.02"),
               good_row(cfg, nama_program="Kedua", acuan="Program Entah", kode_nomenklatur=None)])
    assert cli("run", "--workspace", str(workspace.root)).exit_code == 0
    board = (workspace.output / "papan_status.html").read_text("utf-8")
    assert 'id="rujukan">67% program' in board and "(2 dari 3)" in board
    assert cli("book", "--workspace", str(workspace.root)).exit_code == 0
    document = docx.Document(str(workspace.output / "buku_masterplan.docx"))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert "Keselarasan dengan RPJMD/RPD" in headings
    table = next(t for t in document.tables
                 if t.rows[0].cells[1].text == "Program RPJMD/RPD")
    rows = {r.cells[1].text: [c.text for c in r.cells] for r in table.rows[1:]}
    assert rows["Program Pencatatan Sipil"][4] == "1"
    assert rows["Program Pencatatan Sipil"][5] == "Rp 325.000.000"
    assert rows["Program Pendaftaran Penduduk"][4] == "0"
    bullets = [p.text for p in document.paragraphs]
    assert any(t.startswith("Program Yang Belum Dirujuk") for t in bullets)


def test_without_lists_the_board_and_book_say_nothing_of_them(cfg, workspace, tmp_path):
    import docx

    make_plan(cfg, tmp_path / "tpl", workspace.inbox / "a.xlsx", DISDUKCAPIL, [good_row(cfg)])
    assert cli("run", "--workspace", str(workspace.root)).exit_code == 0
    assert 'id="rujukan"' not in (workspace.output / "papan_status.html").read_text("utf-8")
    assert cli("book", "--workspace", str(workspace.root)).exit_code == 0
    document = docx.Document(str(workspace.output / "buku_masterplan.docx"))
    assert not any("RPJMD/RPD" in p.text and p.style.name.startswith("Heading")
                   for p in document.paragraphs)


def test_rpjmd_list_with_a_two_cell_title_column_numbers_and_repeated_headers(workspace):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Daftar Program RPJMD", None, None, "Tahun 2021-2026"])
    sheet.append([])
    sheet.append(["No", "Program", "Kode", "OPD Pelaksana"])
    sheet.append([1, 2, 3, 4])  # the column numbers under the header
    sheet.append([1, "Program Pencatatan\nSipil", "2.12.03", "Disdukcapil"])
    sheet.append(["No", "Program", "Kode", "OPD Pelaksana"])  # repeated on page 2
    sheet.append([2, "Program Pencatatan Sipil", None, "Dinkes"])  # again: OPDs merged
    sheet.append([3, None, "9.99", None])
    book.save(workspace.root / "rpjmd.xlsx")
    with_lists(workspace, rpjmd="rpjmd.xlsx", nomenklatur=None)
    refs = references.load_config(workspace).references
    assert [(p.name, p.code, p.opds) for p in refs.rpjmd] == [
        ("Program Pencatatan Sipil", "2.12.03", (DISDUKCAPIL, DINKES))]
    assert [(row, why) for _, _, row, why in refs.skipped] == [
        (7, "program 'Program Pencatatan Sipil' tercantum lagi; OPD-nya digabung"),
        (8, "nama program kosong")]


@pytest.mark.parametrize(("typed", "taken", "exact"), [
    ("RPJMD: Program Pencatatan Sipil", "Program Pencatatan Sipil", True),
    ("pencatatan  sipil", "Program Pencatatan Sipil", True),
    ("2.12.02", "Program Pendaftaran Penduduk", True),
    ("Program Pendaftaran Penduduk (Dafduk)", "Program Pendaftaran Penduduk", True),
    ("Program Pendaftran Penduduk", "Program Pendaftaran Penduduk", False),
    ("Program Lain Sama Sekali", None, False),
])
def test_rpjmd_references_are_matched_as_typed(workspace, typed, taken, exact):
    from pipeline.read.matching import match_rpjmd

    with_lists(workspace)
    found = match_rpjmd(references.load_config(workspace).references, typed, DISDUKCAPIL)
    assert (found.program.name if found.program else None, found.exact) == (taken, exact)


def test_the_lists_are_read_once_until_a_file_changes(workspace):
    import os

    with_lists(workspace)
    first = references.load_config(workspace).references
    assert references.load_config(workspace).references is first
    path = workspace.root / "rpjmd.csv"
    write_rpjmd(path, RPJMD[:2])
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    again = references.load_config(workspace).references
    assert again is not first and len(again.rpjmd) == 2


def test_opd_urusan_must_be_bidang_codes(workspace):
    text = workspace.config_path.read_text("utf-8").replace(
        'singkatan = "Disdukcapil"\n', 'singkatan = "Disdukcapil"\nurusan = ["kependudukan"]\n')
    workspace.config_path.write_text(text, "utf-8")
    result = CliRunner().invoke(main, ["templates", "--workspace", str(workspace.root)])
    assert result.exit_code == 2
    assert ".urusan'" in result.output and "kependudukan" in result.output
    text = text.replace('urusan = ["kependudukan"]', 'urusan = ["2.12", " 2 . 13"]')
    workspace.config_path.write_text(text, "utf-8")
    cfg = workspace.load_config()
    assert cfg.opd_by_code[DISDUKCAPIL].urusan == ("2.12", "2.13")
