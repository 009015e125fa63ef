"""xlsxwriter's worksheet, with a shorter road for the cells a rekap is made of.

In constant_memory mode xlsxwriter stores each cell, then turns it into XML when its row
is finished, through general methods that check, escape and dispatch per cell: most of
the time the rekap takes. Nearly every rekap cell is a number or a plain text with an
explicit format, whose XML is fixed. This subclass writes exactly the XML xlsxwriter
would for those, straight away: per cell (`_write_cell`) and, for the long lists, a whole
row at a time (`put_row`). Anything else (no format, text that needs escaping, NaN, a
row written before) goes through xlsxwriter itself.

`tests/test_rekap.py` writes the rekap through this class and through xlsxwriter's own
and compares them byte for byte, so an xlsxwriter release that changes its output or the
internals used here is caught. Those internals are the row flush of constant_memory mode
(`_write_single_row`, `_write_row`, `previous_row`, `row_info`) and `_check_dimensions`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

from xlsxwriter.format import Format
from xlsxwriter.utility import xl_rowcol_to_cell_fast
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import CellNumberTuple, CellStringTuple, Worksheet

# Text xlsxwriter would change or mark: XML specials, control characters, its own
# _xHHHH_ escapes, non-characters, or white space it must preserve at either end.
_NOT_PLAIN = re.compile(r'[&<>"\n\x00-\x1f\ufffe\uffff]|_x[0-9a-fA-F]{4}_|^\s|\s$')
_LONG_TEXT = 16_383  # half of Excel's cell limit: xlsxwriter checks longer text itself


class FastWorksheet(Worksheet):
    def _write_cell(self, row: int, col: int, cell) -> None:
        fmt = cell.format
        if fmt is not None and self.constant_memory:
            kind = type(cell)
            if kind is CellNumberTuple:
                self.fh.write(f'<c r="{xl_rowcol_to_cell_fast(row, col)}" '
                              f's="{fmt._get_xf_index()}"><v>{cell.number:.16G}</v></c>')
                return
            if kind is CellStringTuple and not _NOT_PLAIN.search(cell.string):
                self.fh.write(f'<c r="{xl_rowcol_to_cell_fast(row, col)}" '
                              f's="{fmt._get_xf_index()}" t="inlineStr"><is><t>'
                              f'{cell.string}</t></is></c>')
                return
        super()._write_cell(row, col, cell)

    def put_row(self, row: int, values: Sequence, formats: Sequence[Format]) -> None:
        """Write values[i] (str, int, float or None for no cell) into column i of `row`
        with formats[i]: the same as write_string / write_number for each, faster.

        The row must come after every row written so far (constant_memory order).
        """
        cells = [(col, value, fmt) for col, (value, fmt) in enumerate(zip(values, formats,
                                                                          strict=True))
                 if value is not None]
        if not cells or not self._can_put(row, cells):
            self._put_cells(row, cells)
            return
        if row > self.previous_row:
            self._write_single_row(row)  # finish the row before, as any later write would
        self._check_dimensions(row, cells[0][0])
        self._check_dimensions(row, cells[-1][0])
        parts = []
        for col, value, fmt in cells:
            ref = xl_rowcol_to_cell_fast(row, col)
            if type(value) is str:
                parts.append(f'<c r="{ref}" s="{fmt._get_xf_index()}" t="inlineStr"><is><t>'
                             f'{value}</t></is></c>')
            else:
                parts.append(f'<c r="{ref}" s="{fmt._get_xf_index()}"><v>{value:.16G}</v></c>')
        self._write_row(row, None, self.row_info.pop(row, None))  # <row> with its height
        self.fh.write("".join(parts))
        self._xml_end_tag("row")

    def _can_put(self, row: int, cells: list) -> bool:
        if not self.constant_memory or row < self.previous_row or self.table.get(row) \
                or row in self.comments:
            return False
        for _, value, fmt in cells:
            if fmt is None:
                return False
            kind = type(value)
            if kind is str:
                if len(value) > _LONG_TEXT or _NOT_PLAIN.search(value):
                    return False
            elif kind is float:
                if not math.isfinite(value):
                    return False
            elif kind is not int:
                return False
        return True

    def _put_cells(self, row: int, cells: list) -> None:
        """The general road: one public xlsxwriter call per cell."""
        for col, value, fmt in cells:
            if isinstance(value, str):
                self.write_string(row, col, value, fmt)
            else:
                self.write_number(row, col, value, fmt)


class FastWorkbook(Workbook):
    """An xlsxwriter workbook whose worksheets are FastWorksheets."""

    worksheet_class = FastWorksheet
