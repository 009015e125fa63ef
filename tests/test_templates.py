"""The templates handed out at the workshop: what a participant's spreadsheet will see.

Generated through the CLI like an operator would, then opened with openpyxl (and, when
installed, LibreOffice) to check the template contract (pipeline/layout.py,
docs/reference.md "Outputs").
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import convert
from openpyxl import load_workbook
from openpyxl.utils import column_index_from_string, range_boundaries

from pipeline import layout
from pipeline.cli import main
from pipeline.config import Opd
from pipeline.demo.filling import fill_plan, program_cell
from pipeline.layout import template_filename
from pipeline.write.templates import (
    column_guide,
    example_row,
    write_plan_templates,
)
from pipeline.write.templates.parts import MAX_PROMPT_MESSAGE, MAX_PROMPT_TITLE

DISDUKCAPIL = "2.12.01"
FIRST = layout.PROGRAM_FIRST_DATA_ROW
LAST = FIRST + layout.PROGRAM_INPUT_ROWS - 1
LIST_COLUMNS = ("dimensi", "jenis_program", "sumber_dana", "quick_win")


def invoke(*args: str):
    return CliRunner().invoke(main, list(args))


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    """A workspace after `masterplan init` and `masterplan templates`."""
    ws = tmp_path_factory.mktemp("templates") / "ws"
    assert invoke("init", "--workspace", str(ws)).exit_code == 0
    result = invoke("templates", "--workspace", str(ws))
    assert result.exit_code == 0, result.output
    return ws


@pytest.fixture(scope="module")
def template(generated, cfg) -> Path:
    return generated / "templates_xlsx" / template_filename(cfg.opd_by_code[DISDUKCAPIL])


@pytest.fixture(scope="module")
def book(template):
    return load_workbook(template)


def labels_by_column(ws) -> dict[str, str]:
    """Program header label -> column letter."""
    return {c.value: c.column_letter for c in ws[layout.PROGRAM_HEADER_ROW] if c.value}


def letter(ws, key: str) -> str:
    return labels_by_column(ws)[layout.label_for_key(key)]


def validation_for(ws, column_letter: str):
    """The one data validation covering the first data cell of a column."""
    cell = f"{column_letter}{FIRST}"
    found = [dv for dv in ws.data_validations.dataValidation if cell in dv.sqref]
    assert len(found) == 1, f"{len(found)} validations on {cell}"
    return found[0]


def resolve_name(wb, name: str) -> list[str]:
    """The values a defined name points at (a column range on one sheet), as Excel would."""
    destinations = list(wb.defined_names[name].destinations)
    assert len(destinations) == 1, destinations
    sheet, ref = destinations[0]
    min_col, min_row, max_col, max_row = range_boundaries(ref.replace("$", ""))
    assert min_col == max_col, "a list is one column"
    ws = wb[sheet.strip("'")]
    return [ws.cell(row, min_col).value for row in range(min_row, max_row + 1)]


def config_list(cfg, key: str) -> list[str]:
    return list({"dimensi": list(cfg.dimensions), "jenis_program": cfg.program_types,
                 "sumber_dana": cfg.funding_sources,
                 "quick_win": layout.QUICK_WIN_CHOICES}[key])


def cell_values(ws) -> list[list[object]]:
    return [[c.value for c in row] for row in ws.iter_rows(max_col=2)]


def meta_values(wb) -> dict[str, object]:
    return {row[0].value: row[1].value for row in wb[layout.SHEET_META].iter_rows(max_col=2)}


# --- the command ------------------------------------------------------------------------

def test_one_template_per_opd(generated, cfg):
    files = sorted(p.name for p in (generated / "templates_xlsx").iterdir())
    assert files == sorted(template_filename(o) for o in cfg.opds)  # no temp files left
    assert "Template_Masterplan_2.12.01_Disdukcapil.xlsx" in files
    assert "Template_Masterplan_7.01.01_Kec._Pandan.xlsx" in files


def test_opd_option_writes_only_that_template(tmp_path):
    ws = tmp_path / "ws"
    assert invoke("init", "--workspace", str(ws)).exit_code == 0
    result = invoke("templates", "--workspace", str(ws), "--opd", DISDUKCAPIL)
    assert result.exit_code == 0, result.output
    assert [p.name for p in (ws / "templates_xlsx").iterdir()] == [
        "Template_Masterplan_2.12.01_Disdukcapil.xlsx"]


def test_unknown_opd_code_exits_2(tmp_path):
    ws = tmp_path / "ws"
    assert invoke("init", "--workspace", str(ws)).exit_code == 0
    result = invoke("templates", "--workspace", str(ws), "--opd", "9.99.99")
    assert result.exit_code == 2
    assert "9.99.99" in result.output
    assert "Traceback" not in result.output
    assert not list((ws / "templates_xlsx").iterdir())


def test_file_names_are_safe_and_readable():
    opd = Opd(kode="1.05.01", nama="Satuan Polisi Pamong Praja", singkatan="Satpol PP / Damkar")
    assert template_filename(opd) == "Template_Masterplan_1.05.01_Satpol_PP_Damkar.xlsx"
    odd = Opd(kode="X-1", nama="Dinas Ünik", singkatan="Dinas (Ünik) & Co")
    assert template_filename(odd) == "Template_Masterplan_X-1_Dinas_Unik_Co.xlsx"


def test_library_call_creates_folder_and_stamps_time(tmp_path, cfg):
    now = datetime(2024, 7, 15, 9, 30, tzinfo=timezone(timedelta(hours=7)))
    out = tmp_path / "new" / "folder"
    paths = write_plan_templates(cfg, out, ["2.16.01", DISDUKCAPIL], now=now)
    assert [p.name for p in paths] == ["Template_Masterplan_2.16.01_Diskominfo.xlsx",
                                       "Template_Masterplan_2.12.01_Disdukcapil.xlsx"]
    assert meta_values(load_workbook(paths[0], read_only=True))["dibuat"] == \
        "2024-07-15T09:30:00+07:00"


# --- workbook structure -----------------------------------------------------------------

def test_sheet_order_and_hidden_sheets(book):
    assert book.sheetnames == [layout.SHEET_GUIDE, layout.SHEET_IDENTITY, layout.SHEET_PROGRAM,
                               layout.SHEET_LISTS, layout.SHEET_META]
    states = {ws.title: ws.sheet_state for ws in book.worksheets}
    assert states[layout.SHEET_LISTS] == "hidden"
    assert states[layout.SHEET_META] == "hidden"
    assert {states[n] for n in book.sheetnames[:3]} == {"visible"}
    assert book.active.title == layout.SHEET_GUIDE


def test_meta_sheet_identifies_the_template(book, cfg):
    meta = meta_values(book)
    assert list(meta) == list(layout.META_KEYS)
    assert all(isinstance(v, str) for v in meta.values())
    assert meta["jenis_template"] == layout.KIND_PLAN
    assert meta["versi"] == layout.TEMPLATE_VERSION
    assert meta["template_id"] == layout.template_id(cfg, layout.KIND_PLAN, DISDUKCAPIL)
    assert meta["kode_opd"] == DISDUKCAPIL
    assert meta["nama_opd"] == "Dinas Kependudukan dan Pencatatan Sipil"
    assert meta["wilayah"] == cfg.region_name
    assert meta["kode_wilayah"] == "12.01"
    assert (meta["tahun_awal"], meta["jumlah_tahun"], meta["tahun_quick_win"]) == \
        ("2024", "10", "2024")
    datetime.fromisoformat(meta["dibuat"])
    assert book.properties.title.endswith("Dinas Kependudukan dan Pencatatan Sipil")


def test_program_header_and_year_columns(book, cfg):
    ws = book[layout.SHEET_PROGRAM]
    header = [c.value for c in ws[layout.PROGRAM_HEADER_ROW]]
    assert header == [c.label for c in layout.program_columns(cfg)]
    for year in cfg.years:
        assert f"Target {year}" in header and f"Anggaran {year} (Rp)" in header
    assert "Dinas Kependudukan dan Pencatatan Sipil" in ws["A1"].value
    assert cfg.period_label in ws["A1"].value
    assert ws.freeze_panes == "C4"  # header row and No + Nama Program stay in view


def test_row_numbers_and_total_formula(book):
    ws = book[layout.SHEET_PROGRAM]
    no = letter(ws, "no")
    assert [ws[f"{no}{r}"].value for r in range(FIRST, LAST + 1)] == \
        list(range(1, layout.PROGRAM_INPUT_ROWS + 1))
    first_money, last_money = letter(ws, "anggaran_2024"), letter(ws, "anggaran_2033")
    total = letter(ws, "total_anggaran")
    for row in (FIRST, FIRST + 7, LAST):
        assert ws[f"{total}{row}"].value == f"=SUM({first_money}{row}:{last_money}{row})"
    assert ws[f"{total}{LAST + 1}"].value is None


def test_list_validations_point_at_the_config_lists(book, cfg):
    ws = book[layout.SHEET_PROGRAM]
    for key in LIST_COLUMNS:
        col = letter(ws, key)
        dv = validation_for(ws, col)
        assert dv.type == "list"
        assert str(dv.sqref) == f"{col}{FIRST}:{col}{LAST}"
        assert dv.formula1 == layout.LIST_NAMES[key]
        assert resolve_name(book, dv.formula1) == config_list(cfg, key)
        assert dv.allow_blank
        assert dv.showErrorMessage and dv.error and dv.errorTitle
        assert dv.errorStyle in (None, "stop")


def test_elemen_dropdown_depends_on_dimensi(book, cfg):
    ws = book[layout.SHEET_PROGRAM]
    col, dim = letter(ws, "elemen"), letter(ws, "dimensi")
    dv = validation_for(ws, col)
    assert dv.type == "list"
    assert str(dv.sqref) == f"{col}{FIRST}:{col}{LAST}"
    assert dv.formula1 == f'INDIRECT("Elemen_"&SUBSTITUTE(${dim}{FIRST}," ","_"))'
    for dimension, elements in cfg.dimensions.items():
        name = "Elemen_" + dimension.replace(" ", "_")  # what the formula computes
        assert name == layout.elements_name(dimension)
        assert resolve_name(book, name) == list(elements)


def test_money_columns_validate_whole_rupiah(book, cfg):
    ws = book[layout.SHEET_PROGRAM]
    for year in cfg.years:
        col = letter(ws, f"anggaran_{year}")
        dv = validation_for(ws, col)
        assert (dv.type, dv.operator, dv.formula1) == ("whole", "greaterThanOrEqual", "0")
        assert dv.errorStyle == "warning"  # "Rp 1.500.000" may stay; the pipeline reads it
        assert dv.allow_blank
        assert "1500000" in dv.error
        assert str(dv.sqref) == f"{col}{FIRST}:{col}{LAST}"
        assert column_format(ws, col).number_format == "#,##0"
    assert ws[f"{letter(ws, 'total_anggaran')}{FIRST}"].number_format == "#,##0"
    assert column_format(ws, letter(ws, "kode_nomenklatur")).number_format == "@"
    assert column_format(ws, letter(ws, "target_2024")).number_format == "General"


def test_input_messages_come_from_the_layout(book, cfg):
    ws = book[layout.SHEET_PROGRAM]
    for column in layout.program_columns(cfg):
        if not column.note:
            continue
        dv = validation_for(ws, labels_by_column(ws)[column.label])
        assert dv.showInputMessage
        assert dv.promptTitle == column.label[:MAX_PROMPT_TITLE]
        assert dv.prompt == column.note
        for text, limit in ((dv.prompt, MAX_PROMPT_MESSAGE), (dv.error, MAX_PROMPT_MESSAGE),
                            (dv.promptTitle, MAX_PROMPT_TITLE),
                            (dv.errorTitle, MAX_PROMPT_TITLE)):
            assert text is None or len(text) <= limit


def column_format(ws, column: str):
    """The column's own format; adjacent columns alike are one <col min max> range."""
    index = column_index_from_string(column)
    for dimension in ws.column_dimensions.values():
        if dimension.min and dimension.min <= index <= dimension.max:
            return dimension
    return ws.column_dimensions[column]


def input_locked(ws, column: str, row: int) -> bool:
    """Whether a participant can type here: an empty cell follows its column's format."""
    if (row, column_index_from_string(column)) in ws._cells:
        return ws[f"{column}{row}"].protection.locked
    return column_format(ws, column).protection.locked


def test_cell_protection(book):
    ws = book[layout.SHEET_PROGRAM]
    assert ws.protection.sheet
    assert not ws.protection.password
    assert ws["B3"].protection.locked  # header
    assert ws["A1"].protection.locked
    assert ws[f"{letter(ws, 'no')}{FIRST}"].protection.locked
    assert ws[f"{letter(ws, 'total_anggaran')}{FIRST}"].protection.locked
    for key in ("nama_program", "dimensi", "elemen", "target_2024", "anggaran_2033",
                "manfaat", "keterangan"):
        for row in (FIRST, LAST):
            assert not input_locked(ws, letter(ws, key), row), (key, row)
    for name in (layout.SHEET_IDENTITY, layout.SHEET_LISTS, layout.SHEET_META):
        assert book[name].protection.sheet and not book[name].protection.password


def test_program_sheet_prints_landscape_with_header(book):
    ws = book[layout.SHEET_PROGRAM]
    assert ws.page_setup.orientation == "landscape"
    assert ws.page_setup.paperSize == 9  # A4
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.page_setup.fitToWidth == 3  # readable on paper; No and Nama Program repeat
    assert ws.print_title_cols.replace("$", "") == "A:B"
    assert ws.page_setup.fitToHeight == 0
    assert ws.print_title_rows == f"${layout.PROGRAM_HEADER_ROW}:${layout.PROGRAM_HEADER_ROW}"


def test_identity_sheet(book):
    ws = book[layout.SHEET_IDENTITY]
    rows = range(layout.IDENTITY_FIRST_ROW, layout.IDENTITY_FIRST_ROW + len(
        layout.IDENTITY_FIELDS))
    assert [ws[f"A{r}"].value for r in rows] == [label for _, label in layout.IDENTITY_FIELDS]
    values = {key: ws[f"B{r}"] for (key, _), r in zip(layout.IDENTITY_FIELDS, rows, strict=True)}
    assert values["kode_opd"].value == DISDUKCAPIL
    assert values["nama_opd"].value == "Dinas Kependudukan dan Pencatatan Sipil"
    assert values["kode_opd"].protection.locked and values["nama_opd"].protection.locked
    for key in ("nama_pengisi", "nip", "jabatan", "kontak", "tanggal"):
        assert values[key].value is None
        assert not values[key].protection.locked, key
        dv = validation_for_cell(ws, values[key].coordinate)
        assert dv.prompt, key
    assert values["nip"].number_format == "@"
    assert values["tanggal"].number_format == "dd/mm/yyyy"


def validation_for_cell(ws, coordinate: str):
    [dv] = [dv for dv in ws.data_validations.dataValidation if coordinate in dv.sqref]
    return dv


def test_lists_cover_exactly_their_items(book, cfg):
    names = set(book.defined_names)
    expected = set(layout.LIST_NAMES.values()) | {layout.elements_name(d) for d in cfg.dimensions}
    assert expected <= names
    for name in expected:
        values = resolve_name(book, name)
        assert values and all(isinstance(v, str) and v for v in values), name


def test_guide_explains_every_column_and_the_example(book, cfg):
    ws = book[layout.SHEET_GUIDE]
    text = [(a.value or "", b.value or "") for a, b in ws.iter_rows(max_col=2)]
    labels = {a for a, _ in text}
    for label, explanation in column_guide(layout.program_columns(cfg)):
        assert (label, explanation) in text
    for column in layout.program_columns(cfg):
        if column.year is None:
            assert column.label in labels, column.label
    everything = " ".join(a + " " + b for a, b in text)
    for dimension, elements in cfg.dimensions.items():
        assert dimension in labels
        assert all(element in everything for element in elements)
    assert str(cfg.quick_win_year) in everything and "Quick Win" in everything
    assert "1500000" in everything and "Rp 1.500.000" in everything
    assert "Layanan Akta Kelahiran Terintegrasi Puskesmas" in everything
    assert cfg.region_name in everything and ".xlsx" in everything and "Diskominfo" in everything


# --- openpyxl round trip and filling ----------------------------------------------------

def test_openpyxl_resave_keeps_validations_and_names(template, tmp_path, cfg):
    copy = tmp_path / "resaved.xlsx"
    load_workbook(template).save(copy)
    wb = load_workbook(copy)
    ws = wb[layout.SHEET_PROGRAM]
    for key in LIST_COLUMNS:
        dv = validation_for(ws, letter(ws, key))
        assert resolve_name(wb, dv.formula1) == config_list(cfg, key)
    assert validation_for(ws, letter(ws, "elemen")).formula1.startswith("INDIRECT(")
    assert meta_values(wb)["kode_opd"] == DISDUKCAPIL
    assert wb[layout.SHEET_LISTS].sheet_state == "hidden"


def test_fill_plan_writes_where_expected(template, tmp_path, cfg):
    rows = [
        example_row(cfg),
        {"Nama Program": "=HYPERLINK(\"http://contoh\")", "anggaran_2025": "Rp 1.500.000",
         "target_2025": "80%", "quick_win": "YA", "deskripsi": None},
    ]
    identity = {"nama_pengisi": "Budi Santoso", "nip": "198501012010011001",
                "tanggal": datetime(2024, 7, 15)}
    out = fill_plan(template, tmp_path / "sub" / "isi.xlsx", rows, identity)
    wb = load_workbook(out)
    ws = wb[layout.SHEET_PROGRAM]
    assert program_cell(ws, "nama_program", 0) == f"B{FIRST}"
    assert program_cell(ws, "Anggaran 2025 (Rp)", 1) == f"{letter(ws, 'anggaran_2025')}{FIRST + 1}"
    assert ws[program_cell(ws, "nama_program", 0)].value == example_row(cfg)["nama_program"]
    assert ws[program_cell(ws, "anggaran_2024", 0)].value == 450_000_000
    hyperlink = ws[program_cell(ws, "nama_program", 1)]
    assert (hyperlink.value, hyperlink.data_type) == ("=HYPERLINK(\"http://contoh\")", "s")
    assert ws[program_cell(ws, "anggaran_2025", 1)].value == "Rp 1.500.000"
    assert ws[program_cell(ws, "quick_win", 1)].value == "YA"
    assert ws[program_cell(ws, "no", 1)].value == 2  # prefilled cells untouched
    # Typed cells keep their column's format, as in Excel: unlocked, text or money.
    name, money = ws[program_cell(ws, "nama_program", 0)], ws[program_cell(ws, "anggaran_2024", 0)]
    assert (name.protection.locked, name.number_format) == (False, "@")
    assert (money.protection.locked, money.number_format) == (False, "#,##0")
    assert ws[program_cell(ws, "no", 0)].protection.locked
    ident = wb[layout.SHEET_IDENTITY]
    assert ident["B5"].value == "Budi Santoso"
    assert ident["B6"].value == "198501012010011001"
    assert ident["B9"].value == datetime(2024, 7, 15)
    assert validation_for(ws, letter(ws, "dimensi")).formula1 == layout.LIST_NAMES["dimensi"]
    with pytest.raises(KeyError):
        program_cell(ws, "tidak_ada", 0)


def test_worked_example_is_accepted_by_the_pipeline(template, tmp_path, cfg):
    from pipeline.results import FileState
    from pipeline.rules.judge import judge_files

    identity = {"nama_pengisi": "Budi Santoso", "nip": "198501012010011001",
                "jabatan": "Perencana Ahli Muda", "kontak": "081234567890",
                "tanggal": datetime(2024, 7, 15)}
    out = fill_plan(template, tmp_path / "contoh.xlsx", [example_row(cfg)], identity)
    [judgement] = judge_files([out], cfg)
    assert judgement.status == FileState.ACCEPTED, [p.message for p in judgement.problems]
    assert judgement.problems == []
    [program] = judgement.programs
    assert program["quick_win"] == "Ya"
    assert program["total_anggaran"] == 1_150_000_000


# --- LibreOffice as a participant's spreadsheet ------------------------------------------

@pytest.mark.libreoffice
def test_libreoffice_prints_the_template(template, tmp_path, soffice):
    pdf = convert(template, "pdf", tmp_path, soffice)
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 10_000


@pytest.mark.libreoffice
def test_libreoffice_round_trip_keeps_identity_and_dropdowns(template, tmp_path, soffice, cfg):
    original = load_workbook(template)
    saved = load_workbook(convert(template, "xlsx", tmp_path / "lo", soffice))

    assert saved.sheetnames == original.sheetnames
    assert saved[layout.SHEET_META].sheet_state == "hidden"
    assert meta_values(saved) == meta_values(original)
    assert cell_values(saved[layout.SHEET_IDENTITY]) == \
        cell_values(original[layout.SHEET_IDENTITY])

    ws = saved[layout.SHEET_PROGRAM]
    assert [c.value for c in ws[layout.PROGRAM_HEADER_ROW]] == \
        [c.label for c in layout.program_columns(cfg)]
    for key in LIST_COLUMNS:
        col = letter(ws, key)
        dv = validation_for(ws, col)
        assert dv.type == "list" and str(dv.sqref) == f"{col}{FIRST}:{col}{LAST}"
        assert resolve_name(saved, dv.formula1) == config_list(cfg, key)
    elemen = validation_for(ws, letter(ws, "elemen"))
    assert elemen.type == "list"
    # LibreOffice 7.4 keeps the dependent-dropdown formula as written.
    assert elemen.formula1 == f'INDIRECT("Elemen_"&SUBSTITUTE(${letter(ws, "dimensi")}{FIRST},' \
                              '" ","_"))'
    for dimension, elements in cfg.dimensions.items():
        assert resolve_name(saved, layout.elements_name(dimension)) == list(elements)
    money = validation_for(ws, letter(ws, "anggaran_2024"))
    assert (money.type, money.errorStyle) == ("whole", "warning")
    assert ws.protection.sheet and not ws.protection.password
    assert not input_locked(ws, "B", FIRST)
    assert ws[f"{letter(ws, 'total_anggaran')}{FIRST}"].value.upper() == \
        f"=SUM({letter(ws, 'anggaran_2024')}{FIRST}:{letter(ws, 'anggaran_2033')}{FIRST})"


@pytest.mark.libreoffice
def test_libreoffice_resolves_the_dependent_list(template, tmp_path, soffice, cfg):
    """LibreOffice computes the Elemen dropdown's own expression to the right list.

    The dropdown itself cannot be clicked headless, so the same INDIRECT expression (and a
    plain list name) go into probe formulas; LibreOffice calculates them on conversion.
    """
    wb = load_workbook(template)
    ws = wb[layout.SHEET_PROGRAM]
    dim = letter(ws, "dimensi")
    probe = wb.create_sheet("Probe")
    for i, dimension in enumerate(cfg.dimensions):
        row = FIRST + i
        ws[f"{dim}{row}"] = dimension
        source = f'INDIRECT("Elemen_"&SUBSTITUTE(Program!${dim}{row}," ","_"))'
        probe.append([f"=ROWS({source})", f"=INDEX({source},1)", f"=INDEX({source},3)"])
    probe.append([f"=COUNTA({layout.LIST_NAMES['sumber_dana']})"])
    filled = tmp_path / "probe.xlsx"
    wb.save(filled)

    computed = load_workbook(convert(filled, "xlsx", tmp_path / "lo", soffice), data_only=True)
    rows = [[c.value for c in row] for row in computed["Probe"].iter_rows()]
    for (count, first, last), elements in zip(rows, cfg.dimensions.values(), strict=False):
        assert (count, first, last) == (len(elements), elements[0], elements[-1])
    assert rows[-1][0] == len(cfg.funding_sources)
