"""How far each sheet of a workbook reaches, read from its XML before any reader builds a grid.

calamine materialises a sheet as a dense grid from A1 to its farthest cell: a 1.6 KB file
with one cell at XFD1 and one at A50000 asks for 819 million cells (26 GB) and the Rust
allocator aborts the whole process. openpyxl's read-only mode sizes its rows by the
declared `<dimension>`. So the safety pass streams every XML part of the package through
this scanner while it inflates it, and a sheet whose declared or real extent is far
beyond what a template can hold is refused (`Code.ISIAN_DI_LUAR_TABEL`) before any
reader opens the file: over bytes already being inflated, with memory independent of the
sheet's size.

A cell's place is taken the way calamine takes it: its own `r="B7"` when given, else
the column after the previous cell of its row, in the row of its `<row r=...>` (or the
row after the previous one). Only cells count: a row with no cells (a height, a style)
makes no grid. The number of cells is limited too: calamine keeps every cell it reads
before it builds the grid, and many cells at one place make no extent. Two measures:
`QuickExtent` reads the tags of honest parts at C speed and says when it cannot be sure;
`Extent` parses such a part with expat and places every cell.
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
MIN_ROWS = 50_000  # more than the 40,000 rows `maks_baris` may allow
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


class _Measure:
    """How far a part's cells and its `<dimension>` reach, and how many cells it holds."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.columns = self.rows = self.cells = 0  # the farthest cell found; cells seen
        self.declared_columns = self.declared_rows = 0

    def reach(self) -> Reach | None:
        """The extent beyond the limits (the real one first), None when within."""
        if self.cells > self.limits.cells or not self.limits.allow(self.columns, self.rows):
            return Reach(self.columns, self.rows, declared=False)
        if not self.limits.allow(self.declared_columns, self.declared_rows):
            return Reach(self.declared_columns, self.declared_rows, declared=True)
        return None


# The quick measure reads tags with regular expressions, at C speed. Honest writers
# (Excel, LibreOffice, openpyxl, xlsxwriter) give every cell its place as the tag's first
# attribute, `<c r="B7"`; the quick measure is sure only when every cell tag it sees reads
# so (a tag inside a comment counts too: it can only make a part look larger). Anything
# else, a cell without r=, r= after another attribute, a part in UTF-16, is measured again
# by the exact one.
# A cell or dimension tag with a namespace prefix (a reader ignores prefixes): not sure.
_PREFIXED = re.compile(rb"<[^\s<>/=\"':]+:(?:c|dimension)[\s/>]")
_TAG_ENDS = (b" ", b">", b"/", b"\t", b"\n", b"\r")
_CELL_REF = re.compile(rb"<c r=[\"']([A-Z]{1,7})(\d{1,12})[\"']")
_DIMENSION_REF = re.compile(rb"<dimension ref=[\"'](?:[A-Z]{1,7}\d{1,12}:)?([A-Z]{1,7})"
                            rb"(\d{1,12})[\"']")
_UTF16_STARTS = (b"\xff\xfe", b"\xfe\xff", b"<\x00", b"\x00<")
_TAG_TAIL = 512  # bytes of an unfinished tag carried to the next piece


class QuickExtent(_Measure):
    """Fed a part's inflated bytes piece by piece; `sure` is False when the part must be
    measured again by `Extent`."""

    def __init__(self, limits: Limits) -> None:
        super().__init__(limits)
        self.sure = True
        self._carry = b""
        self._started = False

    def feed(self, piece: bytes) -> None:
        if not self.sure or self.cells > self.limits.cells:
            return
        if not self._started:
            self._started = True
            if piece.lstrip(b" \t\r\n").startswith(_UTF16_STARTS):
                self.sure = False
                return
        data = self._carry + piece
        cut = data.rfind(b"<")
        if cut < 0 or len(data) - cut > _TAG_TAIL:
            cut = len(data)
        self._scan(data[:cut])
        self._carry = data[cut:]

    def close(self) -> None:
        if self.sure and self._carry:
            self._scan(self._carry)
        self._carry = b""

    def _scan(self, body: bytes) -> None:
        if (b":c" in body or b":dimension" in body) and _PREFIXED.search(body):
            self.sure = False
            return
        refs, dimensions = _tags(body, b"<c", _CELL_REF), _tags(body, b"<dimension", _DIMENSION_REF)
        if refs is None or dimensions is None:
            self.sure = False
            return
        self.cells += len(refs)
        if refs:
            columns, rows = zip(*refs, strict=True)
            self.rows = max(self.rows, max(map(int, set(rows))))
            self.columns = max(self.columns, max(map(_column_number, set(columns))))
        for letters, row in dimensions:
            self.declared_columns, self.declared_rows = _column_number(letters), int(row)


def _tags(body: bytes, start: bytes, pattern: re.Pattern) -> list | None:
    """What pattern reads of every tag that begins with start; None when a tag reads
    otherwise."""
    if start not in body:
        return []
    found = pattern.findall(body)
    return found if len(found) == sum(body.count(start + end) for end in _TAG_ENDS) else None


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + letter - 64
    return number


class Extent(_Measure):
    """The exact measure: fed a part's inflated bytes piece by piece, it parses them with
    expat and places every cell. It stops reading when the part holds more cells than any
    grid may (the time is bounded); a part that is not well-formed XML stops it too, and
    when that happens inside `sheetData` the part is `unmeasurable` (a lenient reader
    would read on past the fault)."""

    def __init__(self, limits: Limits) -> None:
        super().__init__(limits)
        self.doctype = False  # a DOCTYPE: never in an honest part (safety refuses it)
        self.unmeasurable = False
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
        except expat.ExpatError:
            self._done, self.unmeasurable = True, self._in_data
        except _Stop:
            self._done = True

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
