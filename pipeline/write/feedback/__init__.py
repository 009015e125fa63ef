"""Feedback workbooks: the participant's own file with every problem cell marked.

Each problem cell gets a red (error) or yellow (warning) fill and a comment in
Indonesian; a first sheet, `Catatan Validasi`, lists every problem with a link to its
cell. The workbook stays the participant's own, so the dropdowns still work and it can be
fixed in place and sent back: a marked cell of an input column is unlocked even when the
participant's file had it locked.

One road: the package is edited in place (`ooxml`, `cellnotes`: the marked sheets,
styles, comments, the new sheet) and the rest is kept byte for byte. A returned feedback
workbook first has our old marks and notes sheet taken back; comments of the
participant's own stay. A package the editor does not edit safely (rows or cells without
references, strict OOXML, a VML drawing that is not XML) is re-saved by openpyxl first,
which writes those plainly, then marked the same way; that fallback is logged.

A feedback workbook is written in the process that judges (watch, serve, run), after the
file was read in a capped reader process: so the editor never takes a package whose
sheets are far larger than a template's (`MAX_SHEET_XML_BYTES`; openpyxl's re-save
`MAX_RESAVE_XML_BYTES`), which would cost it gigabytes. Such a file is rejected or
accepted as judged, its problems are in the reports, and it has no feedback workbook.
"""

from __future__ import annotations

import io
import logging
import posixpath
import re
import zipfile
from collections import defaultdict
from pathlib import Path
from xml.sax.saxutils import escape

from lxml import etree

from ... import layout
from ...catalogue import Problem, Severity, has_errors
from ...common import ooxml
from ...common.atomic import atomic_path
from ...common.xlstyle import ACCENT_INPUT, a1, col_letter
from ...read.safety import harden_xml
from . import cellnotes

NOTES_SHEET = "Catatan Validasi"
# Bumped when the same file and problems give another workbook (2: flagged input cells
# unlocked), so feedback written by an older version is written again.
FEEDBACK_VERSION = 2
_FILL = {Severity.ERROR: "FFC7CE", Severity.WARNING: "FFEB9C"}
_HEAD = ["No", "Tingkat", "Lembar", "Sel", "Kolom", "Isi Sel", "Kode", "Pesan dan cara "
         "memperbaiki"]
_MARKED_COLUMN = len(_HEAD) + 2  # hidden column in the notes sheet: cells we marked
_HEADER_ROW = 4  # title and instructions above it
_WIDTHS = (5, 12, 11, 8, 20, 22, 24, 70)
AUTHOR = "Validasi Masterplan"
_CELL_REF = re.compile(r"[A-Z]{1,3}[0-9]{1,7}")
_log = logging.getLogger(__name__)
# Uncompressed sheet XML the editor (lxml trees of the marked sheets, ~10x in memory) and
# openpyxl's re-save (~50x) may take. A template's table of 5,000 filled rows is ~6 MB.
MAX_SHEET_XML_BYTES = 64 * 1024 * 1024
MAX_RESAVE_XML_BYTES = 16 * 1024 * 1024


class TooLargeToMark(Exception):
    """The package's sheets are too large to mark in this process."""


def _sheet_xml_bytes(source: Path) -> int:
    """The uncompressed size of the package's worksheet parts, from its zip directory."""
    with zipfile.ZipFile(source) as package:
        return sum(info.file_size for info in package.infolist()
                   if info.filename.lower().startswith("xl/worksheets/"))


def write_feedback(source: Path, target: Path, problems: list[Problem],
                   source_name: str | None = None) -> Path:
    """Write the marked copy of `source` to `target` (atomically)."""
    source_name = source_name or source.name
    sheet_bytes = _sheet_xml_bytes(source)
    if sheet_bytes > MAX_SHEET_XML_BYTES:
        raise TooLargeToMark(f"{source_name}: {sheet_bytes} bytes of sheet XML")
    try:
        marked = marked_package(source.read_bytes(), problems, source_name)
    except Exception as reason:  # a package the editor does not take as it is
        if sheet_bytes > MAX_RESAVE_XML_BYTES:
            raise TooLargeToMark(f"{source_name}: {sheet_bytes} bytes of sheet XML, "
                                 f"not re-saved") from reason
        _log.info("%s: %s: %s; re-saved by openpyxl, then marked", source_name,
                  type(reason).__name__, reason)
        marked = marked_package(_resaved(source), problems, source_name)
    with atomic_path(target) as tmp:
        tmp.write_bytes(marked)
    return target


def _resaved(source: Path) -> bytes:
    """The workbook as openpyxl writes it: every row and cell numbered, transitional
    SpreadsheetML, its own well-formed VML for comments."""
    harden_xml()
    from openpyxl import load_workbook

    out = io.BytesIO()
    load_workbook(source).save(out)
    return out.getvalue()


def _comment_text(found: list[Problem]) -> str:
    text = "\n\n".join(f"{Severity(p.severity).label} [{p.code}]: {p.message}" for p in found)
    return text[:2000]


def _worst(found: list[Problem]) -> str:
    return Severity.ERROR if has_errors(found) else Severity.WARNING


def _editable(found: list[Problem]) -> bool:
    """A marked cell the participant must be able to fix in place: one in an input column
    (or an identity value they fill). Unlocked in the feedback workbook even when their
    file had it locked (pasted with source formatting, an older template); headers, No,
    Total and the evaluation's copies of the plan stay locked."""
    return any(layout.is_input_cell(p.sheet, p.column, p.row) for p in found)


def _by_sheet(problems: list[Problem], sheets) -> dict[str, dict[str, list[Problem]]]:
    """Problems with a cell in an existing sheet: sheet -> cell -> problems, in order."""
    marks: dict[str, dict[str, list[Problem]]] = defaultdict(lambda: defaultdict(list))
    for problem in problems:
        if problem.sheet in sheets and problem.cell:
            marks[problem.sheet][problem.cell].append(problem)
    return marks


def marked_package(data: bytes, problems: list[Problem], source_name: str) -> bytes:
    """The participant's .xlsx bytes with the marks and the notes sheet added.

    Raises `ooxml.Unsupported` for a package this road does not edit safely.
    """
    package = ooxml.Package(data)
    styles = package.styles()
    opened: dict[str, tuple[ooxml.SheetCells, cellnotes.SheetComments]] = {}

    def sheet(name: str) -> tuple[ooxml.SheetCells, cellnotes.SheetComments]:
        if name not in opened:
            part = package.sheet_parts[name]
            cells = ooxml.SheetCells(package.tree(part, edit=True))
            block = 100 + list(package.sheet_parts).index(name)  # new VML shape ids
            opened[name] = cells, cellnotes.SheetComments(package, part, cells, block)
        return opened[name]

    if NOTES_SHEET in package.sheet_parts:
        _take_back_marks(package, styles, sheet)
    fills = {severity: styles.add_fill(rgb) for severity, rgb in _FILL.items()}
    for sheet_name, cells in _by_sheet(problems, package.sheet_parts).items():
        marked, comments = sheet(sheet_name)
        for ref, found in cells.items():
            cell, style = marked.cell(ref)
            cell.set("s", str(styles.with_fill(style, fills[_worst(found)],
                                               unlock=_editable(found))))
            comments.add(cell.get("r"), _comment_text(found), AUTHOR)
    _add_notes_sheet(package, styles, fills, problems, source_name)
    return package.to_bytes()


def _take_back_marks(package: ooxml.Package, styles: ooxml.Styles, sheet) -> None:
    """A returned feedback workbook: the cells our notes sheet lists (its hidden column)
    lose our fill and comment, and the notes sheet goes, before the new marks."""
    text = package.cell_text_reader()
    marked: dict[str, set[str]] = defaultdict(set)
    for cell in package.tree(package.sheet_parts[NOTES_SHEET]).iter(ooxml.q("c")):
        try:
            row, column = ooxml.split_ref(cell.get("r") or "")
        except ooxml.Unsupported:
            continue
        sheet_name, _, ref = text(cell).rpartition("!")
        if column == _MARKED_COLUMN and row > _HEADER_ROW and sheet_name != NOTES_SHEET \
                and sheet_name in package.sheet_parts and _CELL_REF.fullmatch(ref):
            marked[sheet_name].add(ref)
    _remove_sheet(package, NOTES_SHEET)
    for sheet_name, refs in marked.items():
        cells, comments = sheet(sheet_name)
        for ref in refs:
            cell, style = cells.cell(ref)
            cell.set("s", str(styles.with_fill(style, 0)))  # fill 0: none
        comments.take_back({ooxml.split_ref(ref) for ref in refs}, AUTHOR)


def _remove_sheet(package: ooxml.Package, name: str) -> None:
    """Drop a worksheet: its entry, its sheet-local names (later ones move one place
    down), its relationship and its part."""
    book = package.workbook
    sheets = book.find(ooxml.q("sheets"))
    entries = list(sheets.iterchildren(ooxml.q("sheet")))
    position = [entry.get("name") for entry in entries].index(name)
    sheets.remove(entries[position])
    names = book.find(ooxml.q("definedNames"))
    for defined in [] if names is None else list(names):
        local = defined.get("localSheetId")
        if local is None or not local.isdigit():
            continue
        if int(local) == position:
            names.remove(defined)
        elif int(local) > position:
            defined.set("localSheetId", str(int(local) - 1))
    if names is not None and not len(names):
        book.remove(names)
    package.unrelate(package.workbook_part, entries[position].get(f"{{{ooxml.R}}}id"))
    package.remove_part(package.sheet_parts.pop(name))


def _add_notes_sheet(package: ooxml.Package, styles: ooxml.Styles, fills: dict[str, int],
                     problems: list[Problem], source_name: str) -> None:
    """The `Catatan Validasi` sheet, first and selected, built as XML."""
    wrap = styles.add_xf(wrap=True)
    looks = {
        "title": styles.add_xf(font=styles.add_font(bold=True, size=14, rgb=ACCENT_INPUT[1:])),
        "head": styles.add_xf(font=styles.add_font(bold=True, rgb="FFFFFF"),
                              fill=styles.add_fill(ACCENT_INPUT[1:])),
        "link": styles.add_xf(font=styles.add_font(rgb="0563C1", underline=True), wrap=True),
    }
    severity_look = {severity: styles.add_xf(fill=fill, wrap=True)
                     for severity, fill in fills.items()}

    def text(ref: str, value, style: int | None = None) -> str:
        s = f' s="{style}"' if style is not None else ""
        return (f'<c r="{ref}"{s} t="inlineStr"><is><t xml:space="preserve">'
                f'{escape(ooxml.xml_text(value))}</t></is></c>')

    rows = [f'<row r="1">{text("A1", _notes_title(source_name), looks["title"])}</row>',
            f'<row r="2" ht="32" customHeight="1">{text("A2", _notes_intro(problems), wrap)}'
            '</row>',
            f'<row r="{_HEADER_ROW}">' + "".join(
                text(a1(c - 1, _HEADER_ROW), label, looks["head"])
                for c, label in enumerate(_HEAD, start=1)) + "</row>"]
    links = []
    for r, problem in enumerate(problems, start=_HEADER_ROW + 1):
        values = _notes_values(r - _HEADER_ROW, problem)
        cells = [f'<c r="A{r}" s="{wrap}"><v>{values[0]}</v></c>']
        linked = problem.sheet in package.sheet_parts and problem.cell
        for c, value in enumerate(values[1:], start=2):
            style = severity_look.get(problem.severity, wrap) if c == 2 else \
                looks["link"] if c == 4 and linked else wrap
            cells.append(text(a1(c - 1, r), value, style))
        if linked:
            cells.append(text(a1(_MARKED_COLUMN - 1, r), f"{problem.sheet}!{problem.cell}"))
            location = escape(f"{_quoted(problem.sheet)}!{problem.cell}", {'"': "&quot;"})
            links.append(f'<hyperlink ref="D{r}" location="{location}" '
                         f'display="{escape(problem.cell)}"/>')
        rows.append(f'<row r="{r}" ht="{_notes_row_height(problem)}" customHeight="1">'
                    + "".join(cells) + "</row>")
    last = _HEADER_ROW + len(problems)
    hidden = ' hidden="1"'
    cols = "".join(f'<col min="{c}" max="{c}" width="{w}" customWidth="1"'
                   f'{hidden if c == _MARKED_COLUMN else ""}/>'
                   for c, w in enumerate([*_WIDTHS, 9, 9], start=1))
    xml = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns='
           f'"{ooxml.MAIN}" xmlns:r="{ooxml.R}"><sheetPr><pageSetUpPr fitToPage="1"/>'
           f'</sheetPr><dimension ref="A1:{a1(_MARKED_COLUMN - 1, last)}"/><sheetViews>'
           f'<sheetView tabSelected="1" workbookViewId="0"><pane ySplit="{_HEADER_ROW}" '
           f'topLeftCell="A{_HEADER_ROW + 1}" activePane="bottomLeft" state="frozen"/>'
           f'<selection pane="bottomLeft" activeCell="A{_HEADER_ROW + 1}" '
           f'sqref="A{_HEADER_ROW + 1}"/></sheetView></sheetViews><sheetFormatPr '
           f'defaultRowHeight="15"/><cols>{cols}</cols><sheetData>{"".join(rows)}'
           f'</sheetData><mergeCells count="1"><mergeCell ref="A2:{a1(len(_HEAD) - 1, 2)}"/>'
           f'</mergeCells>{"<hyperlinks>" + "".join(links) + "</hyperlinks>" if links else ""}'
           '<pageMargins left="0.4" right="0.4" top="0.6" bottom="0.6" header="0.3" '
           'footer="0.3"/><pageSetup paperSize="9" orientation="landscape" fitToWidth="1" '
           'fitToHeight="0"/></worksheet>')
    part = package.free_name(posixpath.join(posixpath.dirname(package.workbook_part),
                                            "worksheets/sheet{}.xml"))
    package.add_part(part, xml.encode(), ooxml.WORKSHEET_TYPE)
    rid = package.relate(package.workbook_part, "worksheet", part)
    _put_first(package, rid, last)


def _put_first(package: ooxml.Package, rid: str, last_row: int) -> None:
    """List the notes sheet first and open the workbook on it: sheet-local names move
    one place, and no other sheet stays selected (two selected tabs group the sheets)."""
    book = package.workbook
    sheets = book.find(ooxml.q("sheets"))
    ids = [int(s.get("sheetId", 0)) for s in sheets]
    sheets.insert(0, etree.Element(ooxml.q("sheet"), {
        "name": NOTES_SHEET, "sheetId": str(max(ids, default=0) + 1),
        f"{{{ooxml.R}}}id": rid}))
    names = ooxml.insert_defined_names(book)
    for name in names:
        if name.get("localSheetId") is not None:
            name.set("localSheetId", str(int(name.get("localSheetId")) + 1))
    quoted, last_col = _quoted(NOTES_SHEET), col_letter(len(_HEAD) - 1)
    for name, ref in (("_xlnm.Print_Titles", f"{quoted}!${_HEADER_ROW}:${_HEADER_ROW}"),
                      ("_xlnm.Print_Area", f"{quoted}!$A$1:${last_col}${last_row}")):
        element = etree.SubElement(names, ooxml.q("definedName"), name=name,
                                   localSheetId="0")
        element.text = ref
    views = book.find(ooxml.q("bookViews"))
    if views is None:
        views = etree.Element(ooxml.q("bookViews"))
        sheets.addprevious(views)
        etree.SubElement(views, ooxml.q("workbookView"))
    for view in views:
        view.set("activeTab", "0")
        if view.get("firstSheet") is not None:
            view.set("firstSheet", "0")
    for part in package.sheet_parts.values():
        if b"tabSelected" in package.members.get(part, b""):
            for view in package.tree(part, edit=True).iter(ooxml.q("sheetView")):
                view.attrib.pop("tabSelected", None)


def _quoted(sheet: str) -> str:
    return "'" + sheet.replace("'", "''") + "'"


def _notes_title(source_name: str) -> str:
    return f"Catatan Validasi: {source_name}"


def _notes_intro(problems: list[Problem]) -> str:
    errors = sum(p.severity == Severity.ERROR for p in problems)
    return (f"{errors} kesalahan (sel merah, wajib diperbaiki) dan {len(problems) - errors} "
            "peringatan (sel kuning, sebaiknya diperiksa). Klik alamat sel untuk menuju ke sel "
            "itu, perbaiki langsung di berkas ini, simpan sebagai .xlsx, lalu kirim kembali ke "
            "operator Diskominfo. Lembar ini boleh dibiarkan.")


def _notes_values(number: int, problem: Problem) -> list:
    return [number, Severity(problem.severity).label, problem.sheet or "-", problem.cell or "-",
            problem.column or "", problem.value, problem.code, problem.message]


def _notes_row_height(problem: Problem) -> int:
    # Spreadsheet programs do not grow rows for wrapped text on opening: estimate.
    lines = max(len(problem.message) // int(_WIDTHS[-1] * 1.1) + 1, 1)
    return 15 * lines + 2
