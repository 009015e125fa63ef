"""Write the consolidated workbook (`output/rekap_masterplan.xlsx`) and the CSV data.

One function per sheet. Decisions, and why:

- constant_memory mode. `Daftar Program` reaches 60,000 rows x 40 columns; xlsxwriter's
  constant_memory mode writes each finished row to disk, which keeps memory flat and is
  the fastest writer measured (FINDINGS). Its price: a row is final once a later row is
  written, and anything written above it afterwards is dropped *silently*. So every
  sheet (the charts' data sheets too) is written strictly top to bottom, each row left
  to right, through `_Rows`, which refuses to go back. add_table() is unavailable in this
  mode, so lists get an autofilter instead. xlsxwriter cannot read back flushed cells
  to cache chart data, so the charts are given their data explicitly (`*_data`).
- Every value is written with an explicit type: participant text with write_string
  (never write(), so `=HYPERLINK(...)`, `+62 812`, `@SUM(1)` stay text) and numbers
  with write_number, as plain values (no formulas: every reader sees the numbers).
- Money format `[$-421]#,##0;-#,##0;"-"`: whole Rupiah, zero as "-"; the Indonesian
  locale tag makes LibreOffice show `1.500.000` everywhere, and Excel follows the
  reader's regional settings (Indonesian Windows: `1.500.000`). Cell values stay plain
  numbers. Roadmap sheets show juta Rupiah with two decimals.
"""

from __future__ import annotations

import contextlib
import math
import numbers
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import xlsxwriter
from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.worksheet import Worksheet

from .. import layout
from ..build.consolidate import TOTAL, Consolidated, budget_keys, program_keys, target_keys, tidy
from ..common import xlstyle
from ..common.atomic import atomic_path
from ..config import Config
from ..store.ingest import BELUM, DITERIMA, PERLU_REVISI, OpdStatus
from .xlsheet import FastWorkbook

REKAP_NAME = "rekap_masterplan.xlsx"
PROGRAM_CSV = "program.csv"
BUDGET_CSV = "anggaran.csv"

SHEET_SUMMARY = "Ringkasan"
SHEET_DIMENSION = "Dimensi per Tahun"
SHEET_OPD = "OPD per Tahun"
SHEET_FUNDING = "Sumber Dana per Tahun"
SHEET_ELEMENT = "Elemen"
SHEET_TYPE = "Jenis Program"
SHEET_PROGRAMS = "Daftar Program"
SHEET_QUICK_WIN = "Quick Win"
SHEET_STATUS = "Status Pengumpulan"
SHEETS = (SHEET_SUMMARY, SHEET_DIMENSION, SHEET_OPD, SHEET_FUNDING, SHEET_ELEMENT, SHEET_TYPE,
          SHEET_PROGRAMS, SHEET_QUICK_WIN, SHEET_STATUS)
ROADMAP_PREFIX = "Roadmap "

# Titled sheets: title (row 0), subtitle (row 1), blank, header (row 3), data below.
HEADER_ROW = 3  # 0-based
FIRST_DATA_ROW = HEADER_ROW + 1

WORKBOOK_OPTIONS = {
    "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False,
    "constant_memory": True,
}
MONEY = '[$-421]#,##0;-#,##0;"-"'  # zero shows as "-", as in Indonesian budget tables
MILLIONS = '[$-421]#,##0.00;-#,##0.00;"-"'
PLAIN_NUMBER = "[$-421]General"
# One colour per dimension, shared by the charts (cycled when a config has more).
PALETTE = ("#2F5597", "#C55A11", "#BF9000", "#C00000", "#7030A0", "#548235", "#7F7F7F",
           "#00B0F0")
STATUS_FILLS = {DITERIMA: "#C6EFCE", PERLU_REVISI: "#FFEB9C", BELUM: "#FFC7CE"}
_EXCEL_NAME_MAX = 31
_FORBIDDEN_IN_SHEET_NAMES = str.maketrans({c: " " for c in "[]:*?/\\"})


def write_rekap(path: Path, cfg: Config, cons: Consolidated, statuses: list[OpdStatus],
                generated_at: str, basis: list[dict]) -> Path:
    """Write the rekap workbook to `path` (atomically); returns `path`.

    basis: the files the rekap is based on, each a dict with file, opd, sha256,
    received_at.
    """
    with atomic_path(path) as tmp:
        workbook = FastWorkbook(str(tmp), WORKBOOK_OPTIONS)
        try:
            _write_sheets(workbook, cfg, cons, statuses, generated_at, basis)
        except BaseException:
            # Release constant_memory's temp files; the original error is the one to see.
            with contextlib.suppress(Exception):
                workbook.close()
            raise
        workbook.close()
    return path


def _write_sheets(workbook: xlsxwriter.Workbook, cfg: Config, cons: Consolidated,
                  statuses: list[OpdStatus], generated_at: str, basis: list[dict]) -> None:
    workbook.set_properties({
        "title": f"Rekapitulasi Masterplan Smart City {cfg.region_name}",
        "subject": f"Periode {cfg.period_label}", "author": "masterplan pipeline",
        "comments": f"Dibuat {generated_at}",
    })
    book = _Book(workbook, cfg, cons, generated_at)
    # Sheets are created in the contract's order first, then filled in any order:
    # constant_memory keeps one temp file per sheet.
    sheets = {name: workbook.add_worksheet(name) for name in SHEETS}
    roadmaps = roadmap_sheet_names(cfg)
    for name in roadmaps.values():
        sheets[name] = workbook.add_worksheet(name)

    by_dimension = _matrix_sheet(book, sheets[SHEET_DIMENSION], cons.by_dimension,
                                 "Anggaran per Dimensi per Tahun")
    _matrix_sheet(book, sheets[SHEET_OPD], cons.by_opd, "Anggaran per OPD per Tahun")
    _matrix_sheet(book, sheets[SHEET_FUNDING], cons.by_funding,
                  "Anggaran per Sumber Dana per Tahun")
    _matrix_sheet(book, sheets[SHEET_ELEMENT], cons.by_element, "Anggaran per Elemen per Tahun")
    _matrix_sheet(book, sheets[SHEET_TYPE], cons.by_type, "Anggaran per Jenis Program per Tahun")
    _programs_sheet(book, sheets[SHEET_PROGRAMS])
    _quick_win_sheet(book, sheets[SHEET_QUICK_WIN])
    _status_sheet(book, sheets[SHEET_STATUS], statuses)
    for dimension, name in roadmaps.items():
        _roadmap_sheet(book, sheets[name], dimension)
    # Last: its charts point at the Dimensi per Tahun cells written above.
    _summary_sheet(book, sheets[SHEET_SUMMARY], by_dimension, basis)


def roadmap_sheet_names(cfg: Config) -> dict[str, str]:
    """'Roadmap <Dimensi>' per dimension, cut to Excel's 31 characters and unique."""
    taken = {name.casefold() for name in SHEETS}
    names: dict[str, str] = {}
    for dimension in cfg.dimensions:
        base = (ROADMAP_PREFIX + dimension.translate(_FORBIDDEN_IN_SHEET_NAMES)).strip()
        name = base[:_EXCEL_NAME_MAX].rstrip()
        number = 2
        while name.casefold() in taken:
            suffix = f" ({number})"
            name = base[:_EXCEL_NAME_MAX - len(suffix)].rstrip() + suffix
            number += 1
        taken.add(name.casefold())
        names[dimension] = name
    return names


# --- shared machinery ---------------------------------------------------------------------

class _Book:
    """The workbook, its formats and the context every sheet needs."""

    def __init__(self, workbook: xlsxwriter.Workbook, cfg: Config, cons: Consolidated,
                 generated_at: str):
        self.workbook, self.cfg, self.cons = workbook, cfg, cons
        self.generated_at = _time_text(generated_at) or ""  # ISO 'T' reads oddly on paper
        add = workbook.add_format
        border, header, total = xlstyle.BORDER, xlstyle.HEADER, xlstyle.TOTAL
        self.title = add(xlstyle.TITLE)
        self.subtitle = add(xlstyle.SUBTITLE)
        self.header = add(header)
        self.header_number = add({**header, "align": "center", "num_format": "0"})
        self.header_center = add({**header, "align": "center"})
        self.text = add(border)
        self.ruled = add({"border": border["border"], "border_color": border["border_color"]})
        self.wrap = add({**border, "text_wrap": True, "valign": "top"})
        self.money = add({**border, "num_format": MONEY})
        self.millions = add({**border, "num_format": MILLIONS})
        self.number = add({**border, "num_format": PLAIN_NUMBER})
        self.integer = add({**border, "num_format": "0"})
        self.ordinal = add({**border, "num_format": "0", "align": "center"})  # "No" columns
        self.total_label = add(total)
        self.total_money = add({**total, "num_format": MONEY})
        self.total_millions = add({**total, "num_format": MILLIONS})
        self.group = add({"bold": True, "bg_color": "#DDEBF7", "font_color": "#1F4E79",
                          "top": 1, "border_color": "#1F4E79"})
        self.group_empty = add({"bold": True, "bg_color": "#FCE4D6", "font_color": "#833C0B",
                                "top": 1, "border_color": "#833C0B"})
        # Ringkasan
        self.big_title = add({"bold": True, "font_size": 20, "font_color": "#1F4E79"})
        self.region = add({"bold": True, "font_size": 14, "font_color": "#404040"})
        self.section = add(xlstyle.SECTION)
        self.figure_label = add({"font_size": 12, "bottom": 1, "bottom_color": "#D9D9D9"})
        self.figure = add({"font_size": 12, "bold": True, "num_format": "#,##0",
                           "bottom": 1, "bottom_color": "#D9D9D9"})
        self.figure_money = add({"font_size": 12, "bold": True,
                                 "num_format": '[$-421]"Rp "#,##0',
                                 "bottom": 1, "bottom_color": "#D9D9D9"})
        self.warning = add({**xlstyle.WARNING, "font_size": 11})
        self.all_clear = add({**xlstyle.ALL_CLEAR, "font_size": 11})
        self.small = add({"font_size": 9, "font_color": "#404040", **border})
        self.small_header = add({**header, "font_size": 9})
        self.small_integer = add({"font_size": 9, "align": "center", **border})
        self.small_money = add({"font_size": 9, "num_format": MONEY, **border})

    def print_setup(self, ws: Worksheet, title: str, *, repeat_row: int | None = HEADER_ROW,
                    fit_width: bool = True) -> None:
        """A4 landscape, one page wide, header row repeated, title and page in margins."""
        ws.set_landscape()
        ws.set_paper(9)  # A4
        ws.set_margins(left=0.4, right=0.4, top=0.7, bottom=0.6)
        region = _header_text(self.cfg.region_name)
        # A space follows each font-size code: "&8" + "2024" would read as size 82024.
        ws.set_header(f"&L&8 {region}&C&10 &B{_header_text(title)}&R&8 "
                      f"{self.cfg.period_label}", {"margin": 0.3})
        ws.set_footer(f"&L&8 Dibuat {_header_text(self.generated_at)}&R&8 Halaman &P dari &N",
                      {"margin": 0.3})
        if fit_width:
            ws.fit_to_pages(1, 0)
        if repeat_row is not None:
            ws.repeat_rows(repeat_row)

    def grid(self, ws: Worksheet, first_row: int, last_row: int, last_col: int) -> None:
        """Borders over a block, drawn by one conditional format: blank cells are never
        written, yet print ruled like the rest."""
        ws.conditional_format(first_row, 0, last_row, last_col,
                              {"type": "formula", "criteria": "=TRUE", "format": self.ruled})

    def titles(self, rows: _Rows, title: str, subtitle: str) -> None:
        rows.put([title], [self.title], height=22)
        rows.put([subtitle], [self.subtitle])
        rows.skip_to(HEADER_ROW)


def _header_text(text: str) -> str:
    return text.replace("&", "&&")


class _Rows:
    """Writes one worksheet strictly top to bottom, each row left to right.

    In constant_memory mode a row is flushed once a later row is written; writing above
    it afterwards would be dropped silently. All cell writes go through here.
    """

    def __init__(self, ws: Worksheet, wrap_widths: dict[int, float] | None = None):
        self.ws = ws
        self.next = 0  # the row the next put() writes
        # Wrapped columns -> width: neither Excel nor LibreOffice grows a row for wrapped
        # text on opening a file, so put() sets the height the text needs.
        self.wrap_widths = wrap_widths or {}

    def put(self, values: Sequence, formats: Sequence | None = None, *, first_col: int = 0,
            height: float | None = None) -> int:
        """Write the next row; formats[i] is values[i]'s, a short list repeats its last."""
        row = self.next
        if height is None:
            self._fit_height(row, values, first_col)
        else:
            self.ws.set_row(row, height)
        formats = formats or ()
        for offset, value in enumerate(values):
            fmt = formats[offset] if offset < len(formats) else (formats[-1] if formats
                                                                  else None)
            _write_cell(self.ws, row, first_col + offset, value, fmt)
        self.next += 1
        return row

    def put_row(self, values: Sequence, formats: Sequence) -> int:
        """A long list's row (formats[i] for values[i], None: no cell) in one call;
        the row height as put() sets it."""
        row = self.next
        self._fit_height(row, values, 0)
        self.ws.put_row(row, values, formats)
        self.next += 1
        return row

    def _fit_height(self, row: int, values: Sequence, first_col: int) -> None:
        """Set the height that the row's wrapped texts need (more than one line)."""
        if not self.wrap_widths:
            return
        lines = max((_line_count(value, self.wrap_widths[col])
                     for col, value in enumerate(values, start=first_col)
                     if col in self.wrap_widths and isinstance(value, str)), default=1)
        if lines > 1:
            self.ws.set_row(row, _LINE_HEIGHT * lines + 2)

    def skip_to(self, row: int) -> None:
        if row < self.next:
            raise ValueError(f"row {row} is already written (constant_memory)")
        self.next = row

    def skip(self, count: int = 1) -> None:
        self.next += count


_LINE_HEIGHT = 15  # points per line of 11 pt text


def _line_count(text: str, width: float) -> int:
    """Lines a wrapped text needs in a column `width` characters wide (an estimate that
    leans tall: a line too many is white space, a line too few hides text)."""
    per_line = max(width - 1, 4)
    return sum(max(1, math.ceil(len(part) / per_line)) for part in text.split("\n"))


def _write_cell(ws: Worksheet, row: int, col: int, value, fmt) -> None:
    """Write one value with an explicit type; text is always text."""
    kind = type(value)  # exact types first: the abstract checks below are slow per cell
    if kind is str:
        ws.write_string(row, col, value, fmt)
    elif kind is int or (kind is float and value == value):  # value == value: not NaN
        ws.write_number(row, col, value, fmt)
    elif value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        if fmt is not None:
            ws.write_blank(row, col, None, fmt)
    elif isinstance(value, str):
        ws.write_string(row, col, value, fmt)
    elif isinstance(value, bool):
        ws.write_string(row, col, "Ya" if value else "Tidak", fmt)
    elif isinstance(value, numbers.Integral):
        ws.write_number(row, col, int(value), fmt)
    elif isinstance(value, numbers.Real):
        ws.write_number(row, col, float(value), fmt)
    else:
        ws.write_string(row, col, str(value), fmt)


def _cells(series: pd.Series) -> list:
    """A column as python values, with None for every kind of missing."""
    return series.astype(object).where(series.notna(), None).tolist()


def _wrapped(widths: Sequence[float], columns: Iterable[int]) -> dict[int, float]:
    return {col: widths[col] for col in columns}


def _set_widths(ws: Worksheet, widths: Iterable[float]) -> None:
    for col, width in enumerate(widths):
        ws.set_column(col, col, width)


@dataclass(frozen=True)
class _MatrixPlace:
    """Where a matrix sheet put its numbers (0-based), for chart references."""

    sheet: str
    first_row: int  # first category row
    n_rows: int  # categories, without the Total row
    label_cols: int
    n_years: int
    labels: list[str]
    values: list[list[int]]  # per category: year values (no Total)
    totals: list[int]  # per category: Total column

    @property
    def total_col(self) -> int:
        return self.label_cols + self.n_years


# --- matrices -----------------------------------------------------------------------------

def _matrix_sheet(book: _Book, ws: Worksheet, matrix: pd.DataFrame, title: str) -> _MatrixPlace:
    """A row per category, a column per year, Total row and column; values only."""
    cfg = book.cfg
    names = list(matrix.index.names)
    label_cols = len(names)
    years = [c for c in matrix.columns if c != TOTAL]
    rows = _Rows(ws)
    book.titles(rows, f"{title} - {cfg.region_name} {cfg.period_label}",
                f"Nilai dalam Rupiah (Rp); dari berkas yang diterima, dibuat {book.generated_at}.")
    rows.put([*names, *years, TOTAL],
             [book.header] * label_cols + [book.header_number] * len(years)
             + [book.header_center], height=20)

    labels, values, totals = [], [], []
    body = matrix.iloc[:-1]
    for index, numbers_row in zip(body.index, body.to_numpy().tolist(), strict=True):
        label = list(index) if isinstance(index, tuple) else [index]
        rows.put([*label, *numbers_row], [book.text] * label_cols + [book.money])
        labels.append(" - ".join(str(p) for p in label))
        values.append(numbers_row[:-1])
        totals.append(numbers_row[-1])
    total = matrix.iloc[-1]
    total_label = [TOTAL] + [None] * (label_cols - 1)
    rows.put([*total_label, *total.tolist()], [book.total_label] * label_cols + [book.total_money])

    last_col = label_cols + len(years)
    _set_widths(ws, [28 if label_cols == 1 else 20] + [30] * (label_cols - 1))
    ws.set_column(label_cols, last_col, 17)
    ws.freeze_panes(FIRST_DATA_ROW, label_cols)
    # The Total row stays out of the filter range so sorting never moves it.
    ws.autofilter(HEADER_ROW, 0, HEADER_ROW + max(len(body), 1), last_col)
    book.print_setup(ws, title)
    return _MatrixPlace(ws.name, FIRST_DATA_ROW, len(body), label_cols, len(years), labels,
                        values, totals)


# --- Daftar Program ------------------------------------------------------------------------

def _programs_sheet(book: _Book, ws: Worksheet) -> None:
    """Every accepted program with all its columns, its OPD and source file/row.

    A data sheet: header in row 1 for filtering and pivoting. Written with a tight loop
    (60,000 rows): per column, the values and the write method are chosen up front.
    """
    cfg, wide = book.cfg, book.cons.wide
    columns = {c.key: c for c in layout.program_columns(cfg)}
    money_keys = set(budget_keys(cfg)) | {"total_anggaran"}
    target_set = set(target_keys(cfg))
    text = book.text
    plan = [("opd_kode", "Kode OPD", 10, text, True), ("opd_singkatan", "OPD", 16, text, True)]
    for key in program_keys(cfg):
        column = columns[key]
        if key in money_keys:
            plan.append((key, column.label, column.width, book.money, False))
        elif key in target_set:
            plan.append((key, column.label, column.width, book.number, False))
        else:
            plan.append((key, column.label, min(column.width, 40), text, True))
    plan += [("file", "Berkas", 28, text, True), ("row", "Baris", 7, book.integer, False)]

    header_labels = ["No"] + [label for _, label, _, _, _ in plan]
    rows = _Rows(ws)
    rows.put(header_labels, [book.header], height=32)
    _set_widths(ws, [6] + [width for _, _, width, _, _ in plan])

    columns_values = []
    for key, _, _, _, is_text in plan:
        values = _cells(wide[key])
        if is_text:
            values = [v if v is None or isinstance(v, str) else str(v) for v in values]
        elif key in money_keys:  # a year without budget stays blank: easier to read
            values = [v or None for v in values]
        columns_values.append(values)
    formats = [book.ordinal, *(fmt for _, _, _, fmt, _ in plan)]
    first = rows.next
    for i, values in enumerate(zip(*columns_values, strict=True)):
        ws.put_row(first + i, (i + 1, *values), formats)
    rows.skip(len(wide))
    book.grid(ws, first, max(len(wide), 1) + first - 1, len(header_labels) - 1)

    last_col = len(header_labels) - 1
    ws.freeze_panes(1, 4)  # No, Kode OPD, OPD, Nama Program stay visible
    ws.autofilter(0, 0, max(len(wide), 1), last_col)
    # 40 columns cannot be read at one page wide: three pages wide, the header row and
    # the No column on every page, each band of rows printed left to right first.
    book.print_setup(ws, "Daftar Program", repeat_row=0, fit_width=False)
    ws.fit_to_pages(3, 0)
    ws.repeat_columns(0, 0)
    ws.print_across()


# --- Quick Win -----------------------------------------------------------------------------

QUICK_WIN_HEADERS = ("No", "OPD", "Dimensi", "Elemen", "Nama Program")
QUICK_WIN_WIDTHS = (5, 14, 18, 24, 44, 18, 11, 11, 32, 40)


def _quick_win_sheet(book: _Book, ws: Worksheet) -> None:
    """The Quick Wins of the Quick Win year, a heading row per dimension."""
    cfg, table = book.cfg, book.cons.quick_wins
    year = cfg.quick_win_year
    rows = _Rows(ws, _wrapped(QUICK_WIN_WIDTHS, (1, 2, 3, 4, 7, 8, 9)))
    book.titles(rows, f"Program Quick Win Tahun {year} - {cfg.region_name}",
                f"{len(table)} program Quick Win; anggaran dalam Rupiah. Dibuat "
                f"{book.generated_at}.")
    headers = [*QUICK_WIN_HEADERS, f"Anggaran {year} (Rp)", f"Target {year}", "Satuan",
               "Indikator Kinerja", "Manfaat bagi Masyarakat"]
    rows.put(headers, [book.header], height=32)
    _set_widths(ws, QUICK_WIN_WIDTHS)

    groups = dict(iter(table.groupby("dimensi", sort=False, dropna=False)))
    dimensions = list(cfg.dimensions) + [d for d in groups if d not in cfg.dimensions]
    number = 0
    for dimension in dimensions:
        group = groups.get(dimension)
        label = dimension if isinstance(dimension, str) else "(tanpa dimensi)"
        if group is None or group.empty:
            rows.put([f"{label}: belum ada Quick Win"] + [None] * (len(headers) - 1),
                     [book.group_empty])
            continue
        rows.put([f"{label}: {len(group)} Quick Win"] + [None] * (len(headers) - 1),
                 [book.group])
        columns = [_cells(group[c]) for c in ("opd_singkatan", "dimensi", "elemen",
                                                "nama_program", "anggaran", "target",
                                                "satuan", "indikator", "manfaat")]
        formats = [book.ordinal, book.wrap, book.wrap, book.wrap, book.wrap, book.money,
                   book.number, book.wrap, book.wrap, book.wrap]
        for values in zip(*columns, strict=True):
            number += 1
            rows.put([number, *values], formats)
    ws.freeze_panes(FIRST_DATA_ROW, 0)
    book.print_setup(ws, f"Quick Win {year}")


# --- Status Pengumpulan --------------------------------------------------------------------

STATUS_HEADERS = ("No", "Kode OPD", "Nama OPD", "Singkatan", "Status", "Berkas Terakhir",
                  "Waktu Masuk", "Berkas dalam Rekap", "Jumlah Program", "Jumlah Kesalahan",
                  "Jumlah Peringatan")
STATUS_COL = STATUS_HEADERS.index("Status")
STATUS_WIDTHS = (5, 11, 42, 14, 19, 30, 18, 30, 10, 10, 11)


def _status_sheet(book: _Book, ws: Worksheet, statuses: list[OpdStatus]) -> None:
    """Every configured OPD, config order, with its status coloured."""
    cfg = book.cfg
    by_code = {s.kode: s for s in statuses}
    counts = {k: sum(s.status == k for s in statuses) for k in (DITERIMA, PERLU_REVISI, BELUM)}
    rows = _Rows(ws, _wrapped(STATUS_WIDTHS, (2, 5, 7)))
    book.titles(rows, f"Status Pengumpulan Berkas - {cfg.region_name}",
                f"{len(cfg.opds)} OPD: {counts[DITERIMA]} diterima, {counts[PERLU_REVISI]} "
                f"perlu revisi, {counts[BELUM]} belum mengumpulkan. Dibuat {book.generated_at}.")
    rows.put(list(STATUS_HEADERS), [book.header], height=32)
    _set_widths(ws, STATUS_WIDTHS)
    formats = [book.ordinal, book.text, book.wrap, book.text, book.text, book.wrap, book.text,
               book.wrap, book.integer, book.integer, book.integer]
    for number, opd in enumerate(cfg.opds, start=1):
        status = by_code.get(opd.kode)
        if status is None:  # not in the statuses given: nothing received from it
            status = OpdStatus(opd.kode, opd.nama, opd.singkatan, BELUM)
        rows.put([number, opd.kode, opd.nama, opd.singkatan, status.status, status.file,
                  _time_text(status.received_at), status.counted_file, status.n_programs,
                  status.n_errors, status.n_warnings], formats)
    last_row = rows.next - 1
    last_col = len(STATUS_HEADERS) - 1
    status_letter = xl_col_to_name(STATUS_COL)
    # Conditional (not static) colouring: it follows the cell if someone edits a status.
    for status, colour in STATUS_FILLS.items():
        ws.conditional_format(FIRST_DATA_ROW, 0, max(last_row, FIRST_DATA_ROW), last_col, {
            "type": "formula",
            "criteria": f'=${status_letter}{FIRST_DATA_ROW + 1}="{status}"',
            "format": book.workbook.add_format({"bg_color": colour}),
        })
    ws.freeze_panes(FIRST_DATA_ROW, 0)
    ws.autofilter(HEADER_ROW, 0, max(last_row, FIRST_DATA_ROW), last_col)
    book.print_setup(ws, "Status Pengumpulan")


def _time_text(stamp: str | None) -> str | None:
    return stamp.replace("T", " ") if stamp else None


# --- Roadmap per dimension -----------------------------------------------------------------

ROADMAP_WIDTHS = (5, 14, 24, 44, 14)  # No, OPD, Elemen, Program, Jenis; then the years


def _roadmap_sheet(book: _Book, ws: Worksheet, dimension: str) -> None:
    """A dimension's programs by year, budget in juta Rupiah, ready for the book."""
    cfg, wide = book.cfg, book.cons.wide
    years, budgets = cfg.years, budget_keys(cfg)
    programs = wide[wide["dimensi"] == dimension]
    # Elements in config order; within an element, OPD order as in the wide table.
    rank = {e: i for i, e in enumerate(cfg.dimensions.get(dimension, ()))}
    order = programs["elemen"].map(rank).fillna(len(rank)).to_numpy()
    programs = programs.iloc[order.argsort(kind="stable")]

    rows = _Rows(ws, _wrapped(ROADMAP_WIDTHS, (1, 2, 3, 4)))
    book.titles(rows, f"Roadmap {dimension} {cfg.period_label} - {cfg.region_name}",
                f"Anggaran dalam juta Rupiah; {len(programs)} program. Dibuat "
                f"{book.generated_at}.")
    headers = ["No", "OPD", "Elemen", "Program", "Jenis Program", *years, TOTAL]
    rows.put(headers, [book.header] * 5 + [book.header_number] * len(years)
             + [book.header_center], height=20)
    _set_widths(ws, ROADMAP_WIDTHS)
    ws.set_column(5, 5 + len(years), 11)

    # Divide whole Rupiah once; the total row divides the Rupiah sums (no float drift).
    millions = (programs[budgets].to_numpy(dtype="float64") / 1e6).tolist()
    labels = zip(_cells(programs["opd_singkatan"]), _cells(programs["elemen"]),
                 _cells(programs["nama_program"]), _cells(programs["jenis_program"]),
                 strict=True)
    totals = [total / 1e6 for total in _cells(programs["total_anggaran"])]
    first = rows.next
    # A tight loop (every program of a dimension): labels through put() for the row
    # height, amounts written directly, a year without budget left blank; the grid is
    # drawn over the block by one conditional format instead of a border on every cell.
    formats = [book.ordinal, *[book.wrap] * 4, *[book.millions] * (len(years) + 1)]
    for number, (label, amounts, total) in enumerate(zip(labels, millions, totals, strict=True),
                                                     start=1):
        rows.put_row([number, *label, *(a or None for a in amounts), total], formats)
    if len(programs):
        book.grid(ws, first, rows.next - 1, 5 + len(years))
    if programs.empty:
        rows.put([None, None, None, "Belum ada program.", None], [book.text])
    sums = programs[budgets].sum(axis=0).astype("int64").tolist() if len(programs) else \
        [0] * len(years)
    rows.put([TOTAL, None, None, None, None, *(s / 1e6 for s in sums), sum(sums) / 1e6],
             [book.total_label] * 5 + [book.total_millions])
    ws.freeze_panes(FIRST_DATA_ROW, 0)
    book.print_setup(ws, f"Roadmap {dimension}")


# --- Ringkasan -----------------------------------------------------------------------------

# Column widths (characters) of the Ringkasan grid: figures left (A:B), warnings from D,
# charts over A:F and H:J, the top-10 OPD table in H:J.
SUMMARY_WIDTHS = (32, 24, 2, 30, 17, 17, 2, 5, 30, 20)
_TOP_CHART_HEIGHT = 380  # px; the two chart rows fill page 1 (A4 landscape, one page wide)
_BOTTOM_CHART_HEIGHT = 345
_MIN_CHART_HEIGHT = 220
_FIGURE_ROW_HEIGHT = 21  # points (28 px)


def _rows_under(height_px: int) -> int:
    """Default-height rows (20 px) a chart of this height covers, plus a gap row."""
    return math.ceil((height_px + 4) / 20) + 1


def _summary_sheet(book: _Book, ws: Worksheet, dims: _MatrixPlace, basis: list[dict]) -> None:
    """Headline figures, warnings, three charts, and the files the rekap is based on."""
    cfg, cons = book.cfg, book.cons
    head = cons.headline
    rows = _Rows(ws)
    _set_widths(ws, SUMMARY_WIDTHS)
    ws.hide_gridlines(2)
    rows.put(["Rekapitulasi Rencana Program Masterplan Smart City"], [book.big_title],
             height=32)
    rows.put([f"{cfg.region_name} - Periode {cfg.period_label}"], [book.region], height=22)
    rows.put([f"Dibuat {book.generated_at}; dasar rekap: {len(basis)} berkas diterima"],
             [book.subtitle])
    rows.skip()

    figures = [
        ("OPD diharapkan", head["opd_expected"], book.figure),
        ("OPD sudah mengumpulkan", head["opd_submitted"], book.figure),
        ("OPD diterima (masuk rekap)", head["opd_accepted"], book.figure),
        ("Jumlah program", head["programs"], book.figure),
        (f"Jumlah Quick Win {cfg.quick_win_year}", head["quick_wins"], book.figure),
        (f"Total anggaran {cfg.period_label}", head["total_budget"], book.figure_money),
    ]
    warnings = cons.warnings or ["Tidak ada catatan: semua dimensi punya Quick Win dan setiap "
                                 "tahun punya anggaran."]
    warning_fmt = book.warning if cons.warnings else book.all_clear
    rows.put(["Angka Utama", None, None, "Perlu Perhatian", None, None, None, None, None, None],
             [book.section, book.section, None, book.section], height=22)
    for i in range(max(len(figures), len(warnings))):
        label, value, fmt = figures[i] if i < len(figures) else (None, None, None)
        note = warnings[i] if i < len(warnings) else None
        # The note's fill runs over D:J (blank cells let the text flow across them).
        note_cells = [note] + [None] * 6 if note else []
        label_fmts = [book.figure_label, fmt] if label else [None, None]
        rows.put([label, value, None, *note_cells],
                 [*label_fmts, None] + [warning_fmt] * 7, height=_FIGURE_ROW_HEIGHT)
    rows.skip()
    # Warnings beyond the six figure rows push the charts down: shrink the charts by as
    # much, so page 1 still holds the whole summary.
    squeeze = max(len(warnings) - len(figures), 0) * _FIGURE_ROW_HEIGHT * 4 // 3 // 2
    top_height = max(_TOP_CHART_HEIGHT - squeeze, _MIN_CHART_HEIGHT)
    bottom_height = max(_BOTTOM_CHART_HEIGHT - squeeze, _MIN_CHART_HEIGHT)

    top = _top_opds(cons.by_opd, 10)
    year_totals = [sum(column) for column in zip(*dims.values, strict=True)]
    scale = _Scale.for_amount(max([*year_totals, *dims.totals, *(t for _, t in top)],
                                  default=0))
    top_chart_row = rows.next
    ws.insert_chart(top_chart_row, 0, _chart_per_year(book, dims, scale, top_height),
                    {"x_offset": 2, "y_offset": 4})
    ws.insert_chart(top_chart_row, 7, _chart_per_dimension(book, dims, scale, top_height),
                    {"x_offset": 0, "y_offset": 4})
    rows.skip_to(top_chart_row + _rows_under(top_height))

    second_row = rows.next
    rows.put([None] * 7 + [f"{len(top)} OPD dengan anggaran terbesar ({cfg.period_label})",
                           None, None],
             [None] * 7 + [book.section, book.section, book.section])
    table_first = rows.put([None] * 7 + ["No", "OPD", "Total (Rp)"],
                           [None] * 7 + [book.small_header]) + 1
    for number, (label, total) in enumerate(top, start=1):
        rows.put([None] * 7 + [number, label, total],
                 [None] * 7 + [book.small_integer, book.small, book.small_money])
    if not top:
        rows.put([None] * 7 + [None, "Belum ada OPD dengan anggaran.", None],
                 [None] * 7 + [book.small])
    else:
        chart = _chart_top_opds(book, ws.name, table_first, top, scale, bottom_height)
        ws.insert_chart(second_row, 0, chart, {"x_offset": 2, "y_offset": 4})
    rows.skip_to(max(rows.next, second_row + _rows_under(bottom_height)))

    # The list of files starts on page 2: page 1 is the one-page summary.
    rows.skip()
    ws.set_h_pagebreaks([rows.next])
    rows.put([f"Berkas yang menjadi dasar rekap ({len(basis)})"], [book.section], height=22)
    # The SHA-256 runs over E:J; blank cells with the table's format keep it one table.
    rows.put(["Berkas", "OPD", None, "Diterima pada", "SHA-256", *[None] * 5],
             [book.small_header])
    for item in basis:
        opd = cfg.opd_by_code.get(item.get("opd") or "")
        opd_label = f"{opd.singkatan} ({opd.kode})" if opd else item.get("opd")
        rows.put([item.get("file"), opd_label, None, _time_text(item.get("received_at")),
                  item.get("sha256"), *[None] * 5], [book.small])
    if not basis:
        rows.put(["Belum ada berkas yang diterima."], [book.small])

    ws.set_landscape()
    ws.set_paper(9)
    ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.5)
    ws.set_footer(f"&L&8 {_header_text(cfg.region_name)} - dibuat "
                  f"{_header_text(book.generated_at)}&R&8 Halaman &P dari &N", {"margin": 0.25})
    ws.fit_to_pages(1, 0)
    ws.activate()


@dataclass(frozen=True)
class _Scale:
    """Chart axis unit: juta or miliar Rupiah, by the size of the amounts."""

    num_format: str
    label: str

    @classmethod
    def for_amount(cls, largest: float) -> _Scale:
        if largest >= 1e11:
            return cls("[$-421]#,##0,,,", "miliar Rp")
        return cls("[$-421]#,##0,,", "juta Rp")


def _colour(i: int) -> str:
    return PALETTE[i % len(PALETTE)]


def _chart_per_year(book: _Book, dims: _MatrixPlace, scale: _Scale, height: int):
    chart = book.workbook.add_chart({"type": "column", "subtype": "stacked"})
    first_year_col, last_year_col = dims.label_cols, dims.label_cols + dims.n_years - 1
    years = book.cfg.years
    for i, (label, values) in enumerate(zip(dims.labels, dims.values, strict=True)):
        row = dims.first_row + i
        chart.add_series({
            "name": [dims.sheet, row, 0], "name_data": [label],
            "categories": [dims.sheet, HEADER_ROW, first_year_col, HEADER_ROW, last_year_col],
            "categories_data": years,
            "values": [dims.sheet, row, first_year_col, row, last_year_col],
            "values_data": values,
            "fill": {"color": _colour(i)}, "gap": 60,
        })
    chart.set_title({"name": "Anggaran per Tahun menurut Dimensi",
                     "name_font": {"size": 12, "bold": True}})
    chart.set_y_axis({"num_format": scale.num_format, "name": scale.label,
                      "name_font": {"size": 9, "bold": False}, "num_font": {"size": 9},
                      "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}}})
    chart.set_x_axis({"num_font": {"size": 9}, "num_format": "0"})
    chart.set_legend({"position": "bottom", "font": {"size": 9}})
    chart.set_size({"width": _width_px(SUMMARY_WIDTHS[:6]) - 8, "height": height})
    return chart


def _chart_per_dimension(book: _Book, dims: _MatrixPlace, scale: _Scale, height: int):
    chart = book.workbook.add_chart({"type": "bar"})
    last = dims.first_row + dims.n_rows - 1
    chart.add_series({
        "name": "Total anggaran",
        "categories": [dims.sheet, dims.first_row, 0, last, 0], "categories_data": dims.labels,
        "values": [dims.sheet, dims.first_row, dims.total_col, last, dims.total_col],
        "values_data": dims.totals,
        "points": [{"fill": {"color": _colour(i)}} for i in range(dims.n_rows)],
        "data_labels": {"value": True, "num_format": scale.num_format,
                        "font": {"size": 8}},
        "gap": 50,
    })
    _style_bar_chart(chart, f"Total per Dimensi {book.cfg.period_label}", scale,
                     value_font=8, width=_width_px(SUMMARY_WIDTHS[7:]), height=height)
    return chart


def _style_bar_chart(chart, title: str, scale: _Scale, value_font: int, width: int,
                     height: int) -> None:
    """Title, axes and size shared by the Ringkasan's bar charts."""
    chart.set_title({"name": title, "name_font": {"size": 12, "bold": True}})
    # Bar charts: y is the category axis; reversed so the first category is on top, and
    # crossed at its end so the value axis stays at the bottom.
    chart.set_y_axis({"reverse": True, "crossing": "max", "num_font": {"size": 9}})
    chart.set_x_axis({"num_format": scale.num_format, "name": scale.label,
                      "name_font": {"size": 9, "bold": False},
                      "num_font": {"size": value_font},
                      "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}}})
    chart.set_legend({"none": True})
    chart.set_size({"width": width, "height": height})


def _chart_top_opds(book: _Book, sheet: str, first_row: int, top: list[tuple[str, int]],
                    scale: _Scale, height: int):
    chart = book.workbook.add_chart({"type": "bar"})
    last = first_row + len(top) - 1
    chart.add_series({
        "name": "Total anggaran",
        "categories": [sheet, first_row, 8, last, 8], "categories_data": [t[0] for t in top],
        "values": [sheet, first_row, 9, last, 9], "values_data": [t[1] for t in top],
        "fill": {"color": "#2F5597"}, "gap": 40,
        "data_labels": {"value": True, "num_format": scale.num_format, "font": {"size": 8}},
    })
    _style_bar_chart(chart, f"{len(top)} OPD dengan Anggaran Terbesar", scale,
                     value_font=9, width=_width_px(SUMMARY_WIDTHS[:6]) - 8, height=height)
    return chart


def _top_opds(by_opd: pd.DataFrame, count: int) -> list[tuple[str, int]]:
    totals = by_opd[TOTAL].iloc[:-1]
    totals = totals[totals > 0].sort_values(ascending=False, kind="stable").head(count)
    return [(str(label), int(value)) for label, value in totals.items()]


def _width_px(widths: Iterable[float]) -> int:
    # xlsxwriter's column width to pixels for the default font (7 px per character + 5).
    return sum(int(w * 7 + 0.5) + 5 for w in widths)


# --- CSV -------------------------------------------------------------------------------------

_FORMULA_START = r"[=+\-@\t\r]"


def write_data(directory: Path, years: list[int], wide: pd.DataFrame) -> list[Path]:
    """`program.csv` (wide) and `anggaran.csv` (tidy) in `directory` (output/data).

    Plain UTF-8 with a header row. Text cells that a spreadsheet would run as a formula
    (starting with = + - @ tab or carriage return) get a leading ' (OWASP CSV injection);
    numbers are never touched. The tidy table has ten rows per program: it is made and
    written a slice of programs at a time, so its memory does not grow with the data.
    """
    options = {"index": False, "encoding": "utf-8", "lineterminator": "\n",
               "float_format": "%.15g"}
    program_csv, budget_csv = directory / PROGRAM_CSV, directory / BUDGET_CSV
    with atomic_path(program_csv) as tmp:
        _escape_text(wide).to_csv(tmp, **options)
    with atomic_path(budget_csv) as tmp, open(tmp, "w", encoding="utf-8", newline="") as out:
        for start in range(0, max(len(wide), 1), TIDY_SLICE):
            part = tidy(years, wide.iloc[start:start + TIDY_SLICE])
            _escape_text(part).to_csv(out, header=start == 0, **options)
    return [program_csv, budget_csv]


TIDY_SLICE = 5_000  # programs per slice of anggaran.csv (50,000 rows)


def _escape_text(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for column in out.columns:
        series = out[column]
        if pd.api.types.is_numeric_dtype(series.dtype):
            continue
        try:
            risky = series.str.match(_FORMULA_START, na=False)
        except AttributeError:  # a column mixing text and other values
            risky = series.map(lambda v: isinstance(v, str) and bool(re.match(_FORMULA_START, v)))
        risky = risky.astype(bool)
        if risky.any():
            series = series.astype(object)
            series[risky] = "'" + series[risky].astype(str)
            out[column] = series
    return out
