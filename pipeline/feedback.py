"""Feedback workbooks: the participant's own file with every problem cell marked.

Each problem cell gets a red (error) or yellow (warning) fill and a comment in
Indonesian; a `Catatan Validasi` sheet lists every problem with a link to its cell. The
workbook is the participant's own (loaded and saved with openpyxl, which keeps data
validations and defined names), so the dropdowns still work and it can be fixed in place
and sent back. A returned feedback workbook is cleaned of the previous marks first.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from .atomic import atomic_path
from .catalogue import ERROR, SEVERITY_LABEL, Problem
from .safety import harden_xml

NOTES_SHEET = "Catatan Validasi"
SUFFIX = "_umpan_balik"
_FILL = {ERROR: "FFC7CE", "warning": "FFEB9C"}
_HEAD = ["No", "Tingkat", "Lembar", "Sel", "Kolom", "Isi Sel", "Kode", "Pesan dan cara "
         "memperbaiki"]
_MARKED_COLUMN = len(_HEAD) + 2  # hidden column in the notes sheet: cells we marked
_HEADER_ROW = 4  # title and instructions above it
_WIDTHS = (5, 12, 11, 8, 20, 22, 24, 70)


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
    harden_xml()
    from openpyxl import load_workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import PatternFill

    book = load_workbook(source)
    _clear_previous_marks(book)

    by_cell: dict[tuple[str, str], list[Problem]] = defaultdict(list)
    for problem in problems:
        if problem.sheet in book.sheetnames and problem.cell:
            by_cell[(problem.sheet, problem.cell)].append(problem)
    for (sheet_name, ref), found in by_cell.items():
        cell = book[sheet_name][ref]
        worst = ERROR if any(p.severity == ERROR for p in found) else "warning"
        cell.fill = PatternFill("solid", start_color=_FILL[worst], end_color=_FILL[worst])
        text = "\n\n".join(f"{SEVERITY_LABEL[p.severity]} [{p.code}]: {p.message}" for p in found)
        comment = Comment(text[:2000], "Validasi Masterplan")
        comment.width, comment.height = 360, min(60 + 18 * (len(text) // 45), 400)
        cell.comment = comment

    _write_notes(book, problems, source_name or source.name)
    book.active = 0
    for sheet in book.worksheets:
        sheet.sheet_view.tabSelected = sheet.title == NOTES_SHEET

    with atomic_path(target) as tmp:
        book.save(tmp)
    return target


def _write_notes(book, problems: list[Problem], source_name: str) -> None:
    """The first sheet: what to fix, one problem a row, each linked to its cell."""
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    notes = book.create_sheet(NOTES_SHEET, 0)
    errors = sum(p.severity == ERROR for p in problems)
    _text_cell(notes["A1"], f"Catatan Validasi: {source_name}")
    notes["A1"].font = Font(bold=True, size=14, color="1F4E78")
    _text_cell(notes["A2"], (
        f"{errors} kesalahan (sel merah, wajib diperbaiki) dan {len(problems) - errors} "
        "peringatan (sel kuning, sebaiknya diperiksa). Klik alamat sel untuk menuju ke sel "
        "itu, perbaiki langsung di berkas ini, simpan sebagai .xlsx, lalu kirim kembali ke "
        "operator Diskominfo. Lembar ini boleh dibiarkan."))
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
        values = [r - _HEADER_ROW, SEVERITY_LABEL[problem.severity], problem.sheet or "-",
                  problem.cell or "-", problem.column or "", problem.value, problem.code,
                  problem.message]
        for c, value in enumerate(values, start=1):
            cell = notes.cell(row=r, column=c)
            if c == 1:
                cell.value = value
            else:
                _text_cell(cell, value)
            cell.alignment = wrap
        fill = _FILL.get(problem.severity, "FFFFFF")
        notes.cell(row=r, column=2).fill = PatternFill("solid", start_color=fill,
                                                       end_color=fill)
        # Spreadsheet programs do not grow rows for wrapped text on opening: estimate.
        lines = max(len(problem.message) // int(_WIDTHS[-1] * 1.1) + 1, 1)
        notes.row_dimensions[r].height = 15 * lines + 2
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
