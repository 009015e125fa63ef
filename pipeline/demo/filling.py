"""Fill a generated template the way a participant would (for tests, the demo, benchmarks).

openpyxl edits the template in place, so dropdowns, defined names, hidden sheets and
protection stay as the participant's spreadsheet program would leave them. Columns are
found by their header labels, never by position, like the reader does.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from copy import copy
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from .. import layout


def fill_plan(
    template: Path,
    out: Path,
    rows: Sequence[Mapping[str, Any]],
    identity: Mapping[str, Any] | None = None,
) -> Path:
    """Copy template to out with rows typed into Program and identity into Identitas.

    rows[i] goes to Excel row PROGRAM_FIRST_DATA_ROW + i; its keys are column keys
    ("nama_program", "anggaran_2024") or header labels ("Nama Program"). Values are
    written as given (str, int, float, date, None); a string stays text even when it
    starts with "=". identity keys are those of layout.IDENTITY_FIELDS.
    """
    wb = load_workbook(template)
    ws = wb[layout.SHEET_PROGRAM]
    columns = header_columns(ws)
    for i, row in enumerate(rows):
        for key, value in row.items():
            set_value(ws.cell(layout.PROGRAM_FIRST_DATA_ROW + i, _column(columns, key)), value)
    if identity:
        fill_identity(wb[layout.SHEET_IDENTITY], identity)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    wb.save(out)
    return out


def header_columns(ws: Worksheet) -> dict[str, int]:
    """Header label -> 1-based column number, read from the Program header row."""
    labels = {}
    for cell in ws[layout.PROGRAM_HEADER_ROW]:
        if isinstance(cell.value, str) and cell.value.strip():
            labels[cell.value.strip()] = cell.column
    return labels


def program_cell(ws: Worksheet, column: str, row_index: int) -> str:
    """A1 address of a Program cell: column key or label, row_index 0 = first data row."""
    number = _column(header_columns(ws), column)
    return f"{get_column_letter(number)}{layout.PROGRAM_FIRST_DATA_ROW + row_index}"


def fill_identity(ws: Worksheet, identity: Mapping[str, Any]) -> None:
    """Write identity values into column B next to their labels (found in column A)."""
    labels = dict(layout.IDENTITY_FIELDS)
    rows = {str(c.value).strip(): c.row for c in ws["A"] if c.value is not None}
    for key, value in identity.items():
        label = labels.get(key, key)
        if label not in rows:
            raise KeyError(f"no identity field {key!r} in sheet {ws.title!r}")
        set_value(ws.cell(rows[label], 2), value)


def set_value(cell, value: Any) -> None:
    if not cell.has_style:
        _take_column_format(cell)
    cell.value = value
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"  # typed text, not a live formula (e.g. "=HYPERLINK(...)")


def _take_column_format(cell) -> None:
    """Give a blank cell its column's format, as Excel and LibreOffice do for a cell typed
    into: the template's input columns are unlocked (and text or money formatted) through
    their column format, and openpyxl's default format would lock the cell."""
    for dimension in cell.parent.column_dimensions.values():
        if dimension.min <= cell.column <= (dimension.max or dimension.min) \
                and dimension.has_style:
            cell._style = copy(dimension._style)
            return


def _column(columns: dict[str, int], key: str) -> int:
    if key in columns:
        return columns[key]
    try:
        label = layout.label_for_key(key)
    except KeyError:
        raise KeyError(f"unknown Program column {key!r}") from None
    if label not in columns:
        raise KeyError(f"column {label!r} ({key}) is not in this template's header")
    return columns[label]
