"""Feedback workbooks: the participant's own file with every problem cell marked.

Each problem cell gets a red (error) or yellow (warning) fill and a comment in
Indonesian; a first sheet, `Catatan Validasi`, lists every problem with a link to its
cell. The workbook stays the participant's own, so the dropdowns still work and it can be
fixed in place and sent back.

Two roads to the same workbook. The usual one edits only the parts of the package that
change (`ooxml`: the marked sheets, styles, comments, the new sheet) and keeps the rest
byte for byte, at about 6 ms a file. A file that road does not handle (a returned
feedback workbook, whose old marks must be cleared first; a sheet that already has
comments; strict OOXML) goes through openpyxl, about 80 ms a file.
"""

from __future__ import annotations

import posixpath
from collections import defaultdict
from pathlib import Path
from xml.sax.saxutils import escape

from lxml import etree

from . import layout, ooxml
from .atomic import atomic_path
from .catalogue import ERROR, SEVERITY_LABEL, Problem
from .reading import a1, col_letter
from .safety import harden_xml

NOTES_SHEET = "Catatan Validasi"
SUFFIX = "_umpan_balik"
_FILL = {ERROR: "FFC7CE", "warning": "FFEB9C"}
_HEAD = ["No", "Tingkat", "Lembar", "Sel", "Kolom", "Isi Sel", "Kode", "Pesan dan cara "
         "memperbaiki"]
_MARKED_COLUMN = len(_HEAD) + 2  # hidden column in the notes sheet: cells we marked
_HEADER_ROW = 4  # title and instructions above it
_WIDTHS = (5, 12, 11, 8, 20, 22, 24, 70)
AUTHOR = "Validasi Masterplan"


def feedback_name(file_rel: str) -> str:
    stem = Path(file_rel).stem
    while stem.endswith(SUFFIX):
        stem = stem[: -len(SUFFIX)]
    return f"{stem}{SUFFIX}.xlsx"


def _text_cell(cell, value) -> None:
    """Participants' text stays text: never a live formula in our output."""
    cell.value = "" if value is None else str(value)
    cell.data_type = "s"


def _clear_previous_marks(book) -> None:
    if NOTES_SHEET not in book.sheetnames:
        return
    from openpyxl.styles import PatternFill

    notes = book[NOTES_SHEET]
    for (marked,) in notes.iter_rows(min_col=_MARKED_COLUMN, max_col=_MARKED_COLUMN,
                                     min_row=_HEADER_ROW + 1, values_only=True):
        if not marked or "!" not in str(marked):
            continue
        sheet_name, ref = str(marked).rsplit("!", 1)
        if sheet_name in book.sheetnames:
            cell = book[sheet_name][ref]
            cell.fill = PatternFill(fill_type=None)
            cell.comment = None
    del book[NOTES_SHEET]


def write_feedback(source: Path, target: Path, problems: list[Problem],
                   source_name: str | None = None) -> Path:
    """Write the marked copy of `source` to `target` (atomically)."""
    source_name = source_name or source.name
    try:
        marked = marked_package(source.read_bytes(), problems, source_name)
    except Exception:  # any surprise in the package: the general road below
        marked = None
    with atomic_path(target) as tmp:
        if marked is None:
            _write_with_openpyxl(source, tmp, problems, source_name)
        else:
            tmp.write_bytes(marked)
    return target


def _comment_text(found: list[Problem]) -> str:
    text = "\n\n".join(f"{SEVERITY_LABEL[p.severity]} [{p.code}]: {p.message}" for p in found)
    return text[:2000]


def _worst(found: list[Problem]) -> str:
    return ERROR if any(p.severity == ERROR for p in found) else "warning"


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


# --- the usual road: edit the package ------------------------------------------------


def marked_package(data: bytes, problems: list[Problem], source_name: str) -> bytes:
    """The participant's .xlsx bytes with the marks and the notes sheet added.

    Raises `ooxml.Unsupported` for a package this road does not handle.
    """
    package = ooxml.Package(data)
    if NOTES_SHEET in package.sheet_parts:
        raise ooxml.Unsupported("a returned feedback workbook: old marks to clear first")
    styles = package.styles()
    fills = {severity: styles.add_fill(rgb) for severity, rgb in _FILL.items()}
    for shape_block, (sheet_name, cells) in enumerate(
            _by_sheet(problems, package.sheet_parts).items(), start=1):
        part = package.sheet_parts[sheet_name]
        sheet = ooxml.SheetCells(package.tree(part, edit=True))
        if sheet.root.find(ooxml.q("legacyDrawing")) is not None or any(
                kind in ("comments", "vmlDrawing") for _, kind, _ in package.related(part)):
            raise ooxml.Unsupported("the sheet has comments or shapes of its own")
        notes = []
        for ref, found in cells.items():
            cell, style = sheet.cell(ref)
            cell.set("s", str(styles.with_fill(style, fills[_worst(found)],
                                               unlock=_editable(found))))
            notes.append((ooxml.split_ref(ref), cell.get("r"), _comment_text(found)))
        _add_comments(package, part, sheet, notes, 100 + shape_block)
    _add_notes_sheet(package, styles, fills, problems, source_name)
    return package.to_bytes()


def _add_comments(package: ooxml.Package, part: str, sheet: ooxml.SheetCells,
                  notes: list[tuple[tuple[int, int], str, str]], shape_block: int) -> None:
    """Excel comments: the text in a comments part, the pop-up box in a VML drawing."""
    items, shapes = [], []
    for n, ((row, column), ref, text) in enumerate(notes, start=1):
        items.append(f'<comment ref="{ref}" authorId="0"><text><r><rPr><sz val="9"/>'
                     f'<rFont val="Tahoma"/></rPr><t xml:space="preserve">'
                     f'{escape(ooxml.xml_text(text))}</t></r></text></comment>')
        lines = min(4 + len(text) // 45, 22)  # rows the box covers, as the old road sized it
        anchor = f"{column}, 15, {max(row - 2, 0)}, 2, {column + 4}, 15, {row - 2 + lines}, 4"
        shapes.append(
            f'<v:shape id="_x0000_s{shape_block * 1024 + n}" type="#_x0000_t202" '
            'style="position:absolute;margin-left:59.25pt;margin-top:1.5pt;width:270pt;'
            f'height:{15 * lines}pt;z-index:{n};visibility:hidden" fillcolor="#ffffe1" '
            'o:insetmode="auto"><v:fill color2="#ffffe1"/><v:shadow on="t" color="black" '
            'obscured="t"/><v:path o:connecttype="none"/><v:textbox style="mso-direction-alt:'
            'auto"><div style="text-align:left"></div></v:textbox><x:ClientData '
            'ObjectType="Note"><x:MoveWithCells/><x:SizeWithCells/>'
            f'<x:Anchor>{anchor}</x:Anchor><x:AutoFill>False</x:AutoFill>'
            f'<x:Row>{row - 1}</x:Row><x:Column>{column - 1}</x:Column></x:ClientData>'
            '</v:shape>')
    comments = package.free_name("xl/comments{}.xml")
    package.add_part(comments, (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<comments xmlns='
        f'"{ooxml.MAIN}"><authors><author>{AUTHOR}</author></authors><commentList>'
        f'{"".join(items)}</commentList></comments>').encode(), ooxml.COMMENTS_TYPE)
    vml = package.free_name("xl/drawings/vmlDrawing{}.vml")
    package.add_part(vml, (
        '<xml xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:'
        'office:office" xmlns:x="urn:schemas-microsoft-com:office:excel"><o:shapelayout '
        f'v:ext="edit"><o:idmap v:ext="edit" data="{shape_block}"/></o:shapelayout>'
        '<v:shapetype id="_x0000_t202" coordsize="21600,21600" o:spt="202" '
        'path="m,l,21600r21600,l21600,xe"><v:stroke joinstyle="miter"/><v:path '
        'gradientshapeok="t" o:connecttype="rect"/></v:shapetype>'
        f'{"".join(shapes)}</xml>').encode(), None)
    package.ensure_default_type("vml", ooxml.VML_TYPE)
    package.relate(part, "comments", comments)
    sheet.add_legacy_drawing(package.relate(part, "vmlDrawing", vml))


def _add_notes_sheet(package: ooxml.Package, styles: ooxml.Styles, fills: dict[str, int],
                     problems: list[Problem], source_name: str) -> None:
    """The `Catatan Validasi` sheet, first and selected, built as XML."""
    wrap = styles.add_xf(wrap=True)
    looks = {
        "title": styles.add_xf(font=styles.add_font(bold=True, size=14, rgb="1F4E78")),
        "head": styles.add_xf(font=styles.add_font(bold=True, rgb="FFFFFF"),
                              fill=styles.add_fill("1F4E78")),
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
    errors = sum(p.severity == ERROR for p in problems)
    return (f"{errors} kesalahan (sel merah, wajib diperbaiki) dan {len(problems) - errors} "
            "peringatan (sel kuning, sebaiknya diperiksa). Klik alamat sel untuk menuju ke sel "
            "itu, perbaiki langsung di berkas ini, simpan sebagai .xlsx, lalu kirim kembali ke "
            "operator Diskominfo. Lembar ini boleh dibiarkan.")


def _notes_values(number: int, problem: Problem) -> list:
    return [number, SEVERITY_LABEL[problem.severity], problem.sheet or "-", problem.cell or "-",
            problem.column or "", problem.value, problem.code, problem.message]


def _notes_row_height(problem: Problem) -> int:
    # Spreadsheet programs do not grow rows for wrapped text on opening: estimate.
    lines = max(len(problem.message) // int(_WIDTHS[-1] * 1.1) + 1, 1)
    return 15 * lines + 2


# --- the general road: openpyxl --------------------------------------------------------


def _write_with_openpyxl(source: Path, target: Path, problems: list[Problem],
                         source_name: str) -> None:
    harden_xml()
    from openpyxl import load_workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import PatternFill, Protection

    book = load_workbook(source)
    _clear_previous_marks(book)
    for sheet_name, cells in _by_sheet(problems, book.sheetnames).items():
        for ref, found in cells.items():
            cell = book[sheet_name][ref]
            rgb = _FILL[_worst(found)]
            cell.fill = PatternFill("solid", start_color=rgb, end_color=rgb)
            if _editable(found):
                cell.protection = Protection(locked=False, hidden=cell.protection.hidden)
            text = _comment_text(found)
            comment = Comment(text, AUTHOR)
            comment.width, comment.height = 360, min(60 + 18 * (len(text) // 45), 400)
            cell.comment = comment

    _write_notes(book, problems, source_name)
    book.active = 0
    for sheet in book.worksheets:
        sheet.sheet_view.tabSelected = sheet.title == NOTES_SHEET
    book.save(target)


def _write_notes(book, problems: list[Problem], source_name: str) -> None:
    """The first sheet: what to fix, one problem a row, each linked to its cell."""
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    notes = book.create_sheet(NOTES_SHEET, 0)
    _text_cell(notes["A1"], _notes_title(source_name))
    notes["A1"].font = Font(bold=True, size=14, color="1F4E78")
    _text_cell(notes["A2"], _notes_intro(problems))
    notes["A2"].alignment = Alignment(wrap_text=True, vertical="top")
    notes.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(_HEAD))
    notes.row_dimensions[2].height = 32
    head_fill = PatternFill("solid", start_color="1F4E78", end_color="1F4E78")
    for c, label in enumerate(_HEAD, start=1):
        cell = notes.cell(row=_HEADER_ROW, column=c, value=label)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = head_fill
    for c, width in enumerate(_WIDTHS, start=1):
        notes.column_dimensions[get_column_letter(c)].width = width
    wrap = Alignment(wrap_text=True, vertical="top")
    for r, problem in enumerate(problems, start=_HEADER_ROW + 1):
        for c, value in enumerate(_notes_values(r - _HEADER_ROW, problem), start=1):
            cell = notes.cell(row=r, column=c)
            if c == 1:
                cell.value = value
            else:
                _text_cell(cell, value)
            cell.alignment = wrap
        fill = _FILL.get(problem.severity, "FFFFFF")
        notes.cell(row=r, column=2).fill = PatternFill("solid", start_color=fill,
                                                       end_color=fill)
        notes.row_dimensions[r].height = _notes_row_height(problem)
        if problem.sheet in book.sheetnames and problem.cell:
            link = notes.cell(row=r, column=4)
            link.hyperlink = f"#'{problem.sheet}'!{problem.cell}"
            link.font = Font(color="0563C1", underline="single")
            _text_cell(notes.cell(row=r, column=_MARKED_COLUMN),
                       f"{problem.sheet}!{problem.cell}")
    notes.column_dimensions[get_column_letter(_MARKED_COLUMN)].hidden = True
    notes.freeze_panes = f"A{_HEADER_ROW + 1}"
    notes.page_setup.orientation = "landscape"
    notes.page_setup.paperSize = notes.PAPERSIZE_A4
    notes.page_setup.fitToWidth, notes.page_setup.fitToHeight = 1, 0
    notes.sheet_properties.pageSetUpPr.fitToPage = True
    notes.print_title_rows = f"{_HEADER_ROW}:{_HEADER_ROW}"
    notes.print_area = f"A1:{get_column_letter(len(_HEAD))}{_HEADER_ROW + len(problems)}"
