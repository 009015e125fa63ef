"""The house style of the xlsxwriter workbooks that hold tables: the rekap
(`rekap_masterplan.xlsx`: the `rekap` package) and `masterplan pantau`'s
`keterlaksanaan_masterplan.xlsx` (the `monitoring` package).

Here: the constant_memory workbook, its formats and print setup (`Book`), the two kinds of
sheet (a titled table sheet, `Book.table_sheet`; a headline sheet, `Book.headline_sheet`),
the top-to-bottom row writer (`Rows`) and cell helpers, and `escape_formulas` for the CSVs
written beside both workbooks. See the `rekap` package for why every sheet is written
strictly top to bottom.
"""

from __future__ import annotations

import contextlib
import math
import numbers
import re
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

import pandas as pd
import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from ..assemble.consolidate import Consolidated
from ..common import xlstyle
from ..common.atomic import atomic_path
from ..config import Config
from .xlsheet import FastWorkbook

# Titled sheets: title (row 0), subtitle (row 1), blank, header (row 3), data below.
HEADER_ROW = 3  # 0-based
FIRST_DATA_ROW = HEADER_ROW + 1
# One colour per dimension, shared by the charts (cycled when a config has more).
PALETTE = ("#2F5597", "#C55A11", "#BF9000", "#C00000", "#7030A0", "#548235", "#7F7F7F",
           "#00B0F0")
WORKBOOK_OPTIONS = {
    "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False,
    "constant_memory": True,
}


@contextlib.contextmanager
def constant_memory_workbook(path: Path) -> Iterator[xlsxwriter.Workbook]:
    """A FastWorkbook in constant_memory mode written to `path` atomically: closed (and
    put in place) when the block ends; when it fails, closed to release constant_memory's
    temp files, the block's error being the one raised."""
    with atomic_path(path) as tmp:
        workbook = FastWorkbook(str(tmp), WORKBOOK_OPTIONS)
        try:
            yield workbook
        except BaseException:
            with contextlib.suppress(Exception):
                workbook.close()
            raise
        workbook.close()


class Book:
    """The workbook, its formats and the context every sheet needs (`cons`: the rekap's
    consolidation; None in pantau's workbook)."""

    def __init__(self, workbook: xlsxwriter.Workbook, cfg: Config, cons: Consolidated | None,
                 generated_at: str):
        self.workbook, self.cfg, self.cons = workbook, cfg, cons
        self.generated_at = time_text(generated_at) or ""  # ISO 'T' reads oddly on paper
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
        self.money = add({**border, "num_format": xlstyle.MONEY_ZERO_DASH})
        self.millions = add({**border, "num_format": xlstyle.MILLIONS})
        self.number = add({**border, "num_format": xlstyle.NUMBER})
        self.integer = add({**border, "num_format": "0"})
        self.ordinal = add({**border, "num_format": "0", "align": "center"})  # "No" columns
        self.total_label = add(total)
        self.total_money = add({**total, "num_format": xlstyle.MONEY_ZERO_DASH})
        self.total_millions = add({**total, "num_format": xlstyle.MILLIONS})
        self.group = add({"bold": True, "bg_color": xlstyle.TOTAL_FILL,
                          "font_color": xlstyle.ACCENT, "top": 1, "border_color": xlstyle.ACCENT})
        self.group_empty = add({"bold": True, "bg_color": xlstyle.EMPTY_FILL,
                                "font_color": xlstyle.WARNING_TEXT, "top": 1,
                                "border_color": xlstyle.WARNING_TEXT})
        # Ringkasan
        self.big_title = add({"bold": True, "font_size": 20, "font_color": xlstyle.ACCENT})
        self.region = add({"bold": True, "font_size": 14, "font_color": "#404040"})
        self.section = add(xlstyle.SECTION)
        self.figure_label = add({"font_size": 12, "bottom": 1, "bottom_color": "#D9D9D9"})
        self.figure = add({"font_size": 12, "bold": True, "num_format": xlstyle.THOUSANDS,
                           "bottom": 1, "bottom_color": "#D9D9D9"})
        self.figure_money = add({"font_size": 12, "bold": True,
                                 "num_format": xlstyle.MONEY_RP,
                                 "bottom": 1, "bottom_color": "#D9D9D9"})
        self.warning = add({**xlstyle.WARNING, "font_size": 11})
        self.all_clear = add({**xlstyle.ALL_CLEAR, "font_size": 11})
        self.small = add({"font_size": 9, "font_color": "#404040", **border})
        self.small_header = add({**header, "font_size": 9})
        self.small_integer = add({"font_size": 9, "align": "center", **border})
        self.small_money = add({"font_size": 9, "num_format": xlstyle.MONEY_ZERO_DASH, **border})

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

    def table_sheet(self, ws: Worksheet, title: str, subtitle: str, headers: Sequence,
                    widths: Sequence[float], *, print_title: str, wrap: Iterable[int] = (),
                    header_formats: Sequence | None = None, header_height: float = 32,
                    freeze_cols: int = 0) -> Rows:
        """A titled table sheet up to its header row: title, subtitle, the header row at
        HEADER_ROW, the column widths (the `wrap` columns' texts set their rows' heights),
        panes frozen below the header and left of `freeze_cols`, the print setup with
        `print_title` in the page header. Returns the writer for the rows below; a list
        adds its filter with `filter_rows` once they are written."""
        rows = Rows(ws, wrapped(widths, wrap))
        rows.put([title], [self.title], height=22)
        rows.put([subtitle], [self.subtitle])
        rows.skip_to(HEADER_ROW)
        rows.put(headers, header_formats or [self.header], height=header_height)
        set_widths(ws, widths)
        ws.freeze_panes(FIRST_DATA_ROW, freeze_cols)
        self.print_setup(ws, print_title)
        return rows

    def headline_sheet(self, ws: Worksheet, title: str, line: str, widths: Sequence[float],
                       *, wrap: Iterable[int] = ()) -> Rows:
        """A headline sheet (the Ringkasan of either workbook) up to its first blank row:
        its title, the region and period, one line about the data; no gridlines. Printed
        A4 landscape, one page wide, the region and the time of writing in the footer (the
        title is in its cells)."""
        rows = Rows(ws, wrapped(widths, wrap))
        set_widths(ws, widths)
        ws.hide_gridlines(2)
        rows.put([title], [self.big_title], height=32)
        rows.put([f"{self.cfg.region_name} - Periode {self.cfg.period_label}"], [self.region],
                 height=22)
        rows.put([line], [self.subtitle])
        rows.skip()
        ws.set_landscape()
        ws.set_paper(9)  # A4
        ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.5)
        ws.set_footer(f"&L&8 {_header_text(self.cfg.region_name)} - dibuat "
                      f"{_header_text(self.generated_at)}&R&8 Halaman &P dari &N",
                      {"margin": 0.25})
        ws.fit_to_pages(1, 0)
        return rows


def filter_rows(ws: Worksheet, last_row: int, last_col: int) -> None:
    """A titled table's autofilter: from its header row to `last_row` (one row at least)."""
    ws.autofilter(HEADER_ROW, 0, max(last_row, FIRST_DATA_ROW), last_col)


def _header_text(text: str) -> str:
    return text.replace("&", "&&")


class Rows:
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


def cell_values(series: pd.Series) -> list:
    """A column as python values, with None for every kind of missing."""
    return series.astype(object).where(series.notna(), None).tolist()


def wrapped(widths: Sequence[float], columns: Iterable[int]) -> dict[int, float]:
    return {col: widths[col] for col in columns}


def set_widths(ws: Worksheet, widths: Iterable[float]) -> None:
    for col, width in enumerate(widths):
        ws.set_column(col, col, width)


def time_text(stamp: str | None) -> str | None:
    return stamp.replace("T", " ") if stamp else None


def palette_colour(i: int) -> str:
    """The i-th series' colour in a chart (the palette cycled)."""
    return PALETTE[i % len(PALETTE)]


def width_px(widths: Iterable[float]) -> int:
    """Columns' width in pixels, for a chart sized to them: xlsxwriter's width for the
    default font (7 px per character + 5)."""
    return sum(int(w * 7 + 0.5) + 5 for w in widths)


# --- CSV (the rekap's program.csv and anggaran.csv, pantau's keterlaksanaan.csv) -------------

_FORMULA_START = r"[=+\-@\t\r]"


def escape_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of `frame` whose text cells that start like a formula begin with '."""
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
