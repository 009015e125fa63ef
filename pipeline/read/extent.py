"""How far each sheet of a workbook reaches, read from its XML before any reader builds a grid.

calamine materialises a sheet as a dense grid from A1 to its farthest cell: a 1.6 KB file
with one cell at XFD1 and one at A50000 asks for 819 million cells (26 GB) and the Rust
allocator aborts the whole process. openpyxl's read-only mode sizes its rows by the
declared `<dimension>`. So the safety pass streams every XML part of the package through
this scanner while it inflates it, and a sheet whose declared or real extent is far
beyond what a template can hold is refused (`Code.ISIAN_DI_LUAR_TABEL`) before any
reader opens the file: in one pass of expat over bytes already being inflated, with
memory independent of the sheet's size.

A cell's place is taken the way calamine takes it: its own `r="B7"` when given, else
the column after the previous cell of its row, in the row of its `<row r=...>` (or the
row after the previous one). Only cells count: a row with no cells (a height, a style)
makes no grid. The number of cells is limited too: calamine keeps every cell it reads
before it builds the grid, and many cells at one place make no extent.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from xml.parsers import expat

from .. import layout
from ..common.xlstyle import col_letter
from ..config import Config

# What a template holds: about 40 columns (Program, Evaluasi) and at most
# `[validasi] maks_baris` (default 5,000, at most 40,000) filled rows below a short
# header. The limits leave room for a participant's own notes beside and below the table
# and for honest formatting that reaches past it, and stop every grid that would cost a
# reader more than ~130 MB (calamine: 32 bytes per cell of the grid).
MIN_COLUMNS = 256  # IV, the last column of Excel 97-2003; at least 4x the widest table
MIN_ROWS = 50_000  # at least 2x the rows `maks_baris` allows
MAX_CELLS = 4_000_000  # columns x rows of the grid from A1 to the farthest cell

_REF = re.compile(r"\$?([A-Za-z]{1,7})\$?(\d{1,12})")


@dataclass(frozen=True)
class Limits:
    """The farthest column and row a sheet may reach, and the largest grid."""

    columns: int = MIN_COLUMNS
    rows: int = MIN_ROWS
    cells: int = MAX_CELLS

    def allow(self, columns: int, rows: int) -> bool:
        return columns <= self.columns and rows <= self.rows and columns * rows <= self.cells


def limits_for(cfg: Config) -> Limits:
    """The limits for this config's templates: wider or longer tables get room in
    proportion."""
    widest = max(len(layout.program_columns(cfg)), len(layout.evaluation_columns(cfg)))
    rows = cfg.max_rows + max(layout.PROGRAM_FIRST_DATA_ROW, layout.EVALUATION_FIRST_DATA_ROW)
    return Limits(columns=max(MIN_COLUMNS, 4 * widest), rows=max(MIN_ROWS, 2 * rows),
                  cells=max(MAX_CELLS, 2 * widest * rows))


@dataclass(frozen=True)
class Reach:
    """A sheet part's farthest cell: the real one (its cells) or the declared one."""

    columns: int
    rows: int
    declared: bool

    @property
    def cell(self) -> str:
        return f"{col_letter(self.columns - 1)}{self.rows}"


def _position(ref: str | None) -> tuple[int, int] | None:
    """(column, row), 1-based, of an A1 reference; None when it is not one."""
    found = _REF.fullmatch(ref.strip()) if ref else None
    if found is None:
        return None
    column = 0
    for letter in found.group(1).upper():
        column = column * 26 + ord(letter) - 64
    return column, int(found.group(2))


class Extent:
    """Fed an XML part's inflated bytes piece by piece: how far its `sheetData` cells and
    its `<dimension>` reach, and how many cells it holds. It stops reading when the part
    holds more cells than any grid may (the time is bounded), and where a part is not
    well-formed XML (a reader stops there too), keeping what it found before."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.columns = self.rows = self.cells = 0  # the farthest cell found; cells seen
        self.declared_columns = self.declared_rows = 0
        self.doctype = False  # a DOCTYPE: never in an honest part (safety refuses it)
        self._in_data = False
        self._row = self._column = 0  # where the next cell without r= goes
        self._parser = expat.ParserCreate()
        self._parser.StartElementHandler = self._start  # the only events it needs
        self._parser.StartDoctypeDeclHandler = self._doctype
        self._done = False

    def feed(self, piece: bytes) -> None:
        if self._done:
            return
        try:
            self._parser.Parse(piece, False)
        except (expat.ExpatError, _Stop):
            self._done = True

    def reach(self) -> Reach | None:
        """The extent beyond the limits (the real one first), None when within."""
        if self.cells > self.limits.cells or not self.limits.allow(self.columns, self.rows):
            return Reach(self.columns, self.rows, declared=False)
        if not self.limits.allow(self.declared_columns, self.declared_rows):
            return Reach(self.declared_columns, self.declared_rows, declared=True)
        return None

    def _start(self, name: str, attributes: dict[str, str]) -> None:
        # Called for every element of the part: most are c, v, f, t of a cell, so the
        # common names are looked up whole and the rest only when prefixed.
        kind = _KINDS.get(name)
        if kind is None:
            if ":" not in name:
                return
            kind = _KINDS.get(name.rpartition(":")[2])
            if kind is None:
                return
        if kind is _CELL:
            if not self._in_data:
                return
            place = _position(attributes.get("r"))
            if place is None:
                self._column += 1
            else:
                self._column, self._row = place
            self.cells += 1
            if self._column > self.columns:
                self.columns = self._column
            if self._row > self.rows:
                self.rows = self._row
            if self.cells > self.limits.cells:  # past every limit: no need to read on
                raise _Stop
        elif kind is _ROW:
            number = attributes.get("r", "")
            self._row = int(number) if number.isdigit() else self._row + 1
            self._column = 0
        elif kind is _DATA:
            self._in_data = True
        else:
            last = _position((attributes.get("ref") or "").rpartition(":")[2])
            if last is not None:
                self.declared_columns, self.declared_rows = last

    def _doctype(self, *_: object) -> None:
        self.doctype = True  # stop before expat reads any entity of it
        raise _Stop


class _Stop(Exception):
    """Raised from a parser handler to stop reading a part."""


_CELL, _ROW, _DATA, _DIMENSION = "c", "row", "sheetData", "dimension"
_KINDS = {name: name for name in (_CELL, _ROW, _DATA, _DIMENSION)}
