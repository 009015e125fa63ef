"""Tiny workbooks whose sheets reach absurdly far: raw OOXML zips, a few hundred bytes each.

A reader that builds a sheet as a dense grid from A1 to its farthest cell (calamine) is
asked for gigabytes by two cells: issue 25's bomb holds one cell at XFD1 and one at
A50000 on its hidden `_Template` sheet (819 million cells, 26 GB; the process aborted).
``BOMBS`` lists each variant with the cell its message must name; ``make_grid`` makes a
file within every extent limit whose grid still costs a reader ~120 MB, for the tests
that make a capped reader die on it.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from pipeline import layout

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
SHEET_TYPE = REL + "/worksheet"
DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


def _sheet_xml(cells: str = "", dimension: str | None = None) -> str:
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return f'{DECL}<worksheet xmlns="{MAIN}">{dim}<sheetData>{cells}</sheetData></worksheet>'


def _cell(ref: str, text: str = "x") -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def _rows(*refs: str) -> str:
    """One <row> per cell, each cell at its own reference."""
    out = []
    for ref in refs:
        row = "".join(ch for ch in ref if ch.isdigit())
        out.append(f'<row r="{row}">{_cell(ref)}</row>')
    return "".join(out)


def _meta_rows() -> str:
    pairs = (("jenis_template", layout.KIND_PLAN), ("kode_opd", "1.01"))
    return "".join(f'<row r="{i}">{_cell(f"A{i}", k)}{_cell(f"B{i}", v)}</row>'
                   for i, (k, v) in enumerate(pairs, start=1))


def write_package(path: Path, sheets: list[tuple[str, str, str]]) -> Path:
    """An .xlsx of (sheet name, part path, sheet XML); a name starting with '_' is
    hidden, like the template's identity sheet."""
    overrides = "".join(
        f'<Override PartName="/{part}" ContentType="application/vnd.openxmlformats-'
        f'officedocument.spreadsheetml.worksheet+xml"/>' for _, part, _ in sheets)
    content_types = (
        f'{DECL}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
        f'officedocument.spreadsheetml.sheet.main+xml"/>{overrides}</Types>')
    hidden = ' state="hidden"'
    book_sheets = "".join(
        f'<sheet name="{name}" sheetId="{i}" r:id="rId{i}"'
        f'{hidden if name.startswith("_") else ""}/>'
        for i, (name, _, _) in enumerate(sheets, start=1))
    workbook = (f'{DECL}<workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets>{book_sheets}'
                '</sheets></workbook>')
    book_rels = "".join(
        f'<Relationship Id="rId{i}" Type="{SHEET_TYPE}" Target="/{part}"/>'
        for i, (_, part, _) in enumerate(sheets, start=1))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", content_types)
        z.writestr("_rels/.rels", f'{DECL}<Relationships xmlns="{PKG}"><Relationship '
                   f'Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/>'
                   '</Relationships>')
        z.writestr("xl/workbook.xml", workbook)
        z.writestr("xl/_rels/workbook.xml.rels",
                   f'{DECL}<Relationships xmlns="{PKG}">{book_rels}</Relationships>')
        for _, part, xml in sheets:
            z.writestr(part, xml)
    return path


def make_bomb(path: Path, cells: str, *, sheet: str = layout.SHEET_META,
              part: str = "xl/worksheets/sheet2.xml", dimension: str | None = None) -> Path:
    """A plan-looking workbook whose `sheet` (at `part`) also holds `cells`."""
    program = _sheet_xml(_rows("A1"))
    bomb = _sheet_xml(_meta_rows() + cells, dimension)
    sheets = [(layout.SHEET_PROGRAM, "xl/worksheets/sheet1.xml", program), (sheet, part, bomb)]
    if sheet == layout.SHEET_PROGRAM:
        sheets = [(sheet, part, bomb)]
    return write_package(path, sheets)


def _implicit_row(row: int, count: int) -> str:
    """One row of `count` cells without r=: a reader places each after the previous."""
    return f'<row r="{row}">' + '<c t="inlineStr"><is><t>x</t></is></c>' * count + "</row>"


# name -> its cells (beside the identity rows in A1:B2), the sheet holding them when not
# `_Template`, and the farthest corner the message names (what Ctrl+End shows in Excel)
BOMBS: dict[str, dict] = {
    # issue 25's bomb: 16,384 columns x 50,000 rows on the hidden identity sheet
    "bom_lebar_tinggi.xlsx": {"cells": _rows("XFD1", "A50000"), "found": "XFD50000"},
    "bom_lebar.xlsx": {"cells": _rows("XFD1"), "found": "XFD2"},
    "bom_tinggi.xlsx": {"cells": _rows("A1048576"), "found": "B1048576"},
    "bom_999_kolom.xlsx": {"cells": _rows("ALK1", "A50000"), "found": "ALK50000"},
    # cells without r= in one row: the place is counted, not read from an attribute
    "bom_tanpa_alamat.xlsx": {"cells": _implicit_row(3, 20_000), "found": "ACOF3"},
    # only the declared <dimension> reaches far (openpyxl's read-only mode trusts it)
    "bom_dimensi.xlsx": {"cells": "", "dimension": "A1:XFD1048576", "found": "XFD1048576"},
    # the Identitas sheet, stored at a part outside xl/worksheets/
    "bom_identitas.xlsx": {"cells": _rows("XFD60000"), "sheet": layout.SHEET_IDENTITY,
                           "part": "xl/lain/isi.xml", "found": "XFD60000"},
}


def build_bombs(folder: Path) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    made = {}
    for name, spec in BOMBS.items():
        options = {k: spec[k] for k in ("sheet", "part", "dimension") if k in spec}
        made[name] = make_bomb(folder / name, spec["cells"], **options)
    return made


def sheet_of(name: str) -> str:
    return BOMBS[name].get("sheet", layout.SHEET_META)


def make_grid(path: Path) -> Path:
    """Within every extent limit (256 columns x 15,000 rows, 3.84 million cells), yet a
    reader's grid of it costs ~120 MB: a reader capped below that dies on it."""
    return make_bomb(path, _rows("IV4", "A15000"))
