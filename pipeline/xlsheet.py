"""xlsxwriter's worksheet, with a shorter road for the cells a rekap is made of.

In constant_memory mode xlsxwriter turns every cell into XML as its row is finished,
through one general method that builds an attribute list, escapes each attribute and
dispatches on the cell's type: about half of the time the rekap takes. Nearly every rekap
cell is a number or a plain text with an explicit format, whose XML is fixed; this
subclass writes exactly the XML xlsxwriter would, straight away, and hands every other
cell (no format, text that needs escaping, formulas, ...) to xlsxwriter itself.

`tests/test_rekap.py` checks that a sheet written through this class is byte for byte
the sheet xlsxwriter writes, so an xlsxwriter release that changes its output is caught.
"""

from __future__ import annotations

import re

from xlsxwriter.utility import xl_rowcol_to_cell_fast
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import CellNumberTuple, CellStringTuple, Worksheet

# Text xlsxwriter would change or mark: XML specials, control characters, its own
# _xHHHH_ escapes, non-characters, or white space it must preserve at either end.
_NOT_PLAIN = re.compile(r'[&<>"\n\x00-\x1f\ufffe\uffff]|_x[0-9a-fA-F]{4}_|^\s|\s$')


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


class FastWorkbook(Workbook):
    """An xlsxwriter workbook whose worksheets are FastWorksheets."""

    worksheet_class = FastWorksheet
