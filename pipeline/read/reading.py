"""Read a returned workbook: its identity, the Identitas fields and the Program table.

Values come from python-calamine (fast, reads formula cells by their stored values).
Nothing here judges content beyond the file's shape: which template it is, where the
header is, which columns are where. Every row keeps its Excel row number.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import layout
from ..catalogue import Code, Problem
from ..common.xlstyle import a1
from ..config import Config
from .normalise import clean_text, key, suggest

# A header row is searched for among the first rows of the Program sheet.
_HEADER_SEARCH_ROWS = 30
# Columns whose content alone does not make a row "filled": prefilled or computed.
_PASSIVE_COLUMNS = {"no", "total_anggaran"}
# Columns whose absence loses nothing that is checked or counted (see map_header).
_NICE_TO_HAVE = {"no", "total_anggaran", "deskripsi", "kode_nomenklatur", "opd_pendukung",
                 "kondisi_awal", "keterangan"}


class ReadRejected(Exception):
    """The workbook cannot be read as a plan: one whole-file problem says why."""

    def __init__(self, problem: Problem):
        super().__init__(problem.code)
        self.problem = problem


@dataclass
class RawRow:
    excel_row: int
    values: dict[str, Any]  # column key -> value as read (raw, uncleaned)


@dataclass
class FilledSheet:
    """What a returned workbook holds: its identity and the filled rows of its table
    sheet (`Program` for a plan, `Evaluasi` for a Quick Win evaluation)."""

    meta: dict[str, str]
    opd_code: str
    identity: dict[str, Any]  # Identitas field key -> value
    identity_cells: dict[str, str]  # Identitas field key -> A1 of its value cell
    columns: dict[str, int]  # column key -> 0-based column index in the table sheet
    header_row: int  # Excel row number of the header
    rows: list[RawRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # header problems


def cell_problem(sheet_name: str, columns: dict[str, int], code: str, column: layout.Column,
                 excel_row: int, value: Any, **params: Any) -> Problem:
    """A problem at one cell of a table sheet (cell None when its column is missing)."""
    index = columns.get(column.key)
    return Problem(code, sheet=sheet_name,
                   cell=a1(index, excel_row) if index is not None else None,
                   column=column.label, value=value, row=excel_row, params=params)


def _reject(code: str, **params: Any) -> ReadRejected:
    detail = params.pop("detail", None)
    return ReadRejected(Problem(code, params=params, detail=detail))


def open_workbook(path: Path):
    """Open with calamine; any failure becomes a whole-file rejection.

    calamine builds each sheet as a dense grid from A1 to its farthest cell: only a file
    `safety.inspect_file` passed (its extent checked, `read.extent`) may be opened.
    """
    from python_calamine import CalamineWorkbook, PasswordError

    try:
        return CalamineWorkbook.from_path(str(path))
    except PasswordError as exc:
        raise _reject(Code.BERKAS_BERPASSWORD, detail=str(exc)) from exc
    except Exception as exc:  # calamine raises several kinds for broken files
        raise _reject(Code.BERKAS_TIDAK_TERBACA, detail=f"{type(exc).__name__}: {exc}") from exc


def _sheet(workbook, name: str):
    if name not in workbook.sheet_names:
        raise _reject(Code.SHEET_HILANG, expected=name)
    return workbook.get_sheet_by_name(name)


def sheet_rows(workbook, name: str, limit: int | None = None):
    """Rows of a sheet from A1 (index + 1 is the Excel row number), streamed."""
    try:
        sheet = _sheet(workbook, name)
        for index, row in enumerate(sheet.iter_rows()):
            if limit is not None and index >= limit:
                return
            yield row
    except ReadRejected:
        raise
    except Exception as exc:
        detail = f"{name}: {type(exc).__name__}: {exc}"
        raise _reject(Code.BERKAS_TIDAK_TERBACA, detail=detail) from exc


def read_meta(workbook) -> dict[str, str]:
    """The template's identity: key/value pairs of the hidden identity sheet."""
    if layout.SHEET_META not in workbook.sheet_names:
        raise _reject(Code.BUKAN_TEMPLATE)
    return meta_pairs(sheet_rows(workbook, layout.SHEET_META, META_ROWS))


META_ROWS = 100  # the identity sheet has a dozen rows; never read further


def meta_pairs(rows: Iterable[list[Any]]) -> dict[str, str]:
    """Key (column A) -> value (column B) of the identity sheet's rows."""
    meta: dict[str, str] = {}
    for row in rows:
        if len(row) >= 2 and clean_text(row[0]):
            meta[clean_text(row[0])] = clean_text(row[1]) or ""
    return meta


def check_identity(meta: dict[str, str], cfg: Config, kind: str) -> str:
    """Is this our template, of this kind, for this region, period and a known OPD?"""
    found_kind = meta.get("jenis_template")
    if not found_kind or "kode_opd" not in meta:
        raise _reject(Code.BUKAN_TEMPLATE, detail="identitas tidak lengkap")
    if found_kind != kind:
        raise _reject(Code.JENIS_TEMPLATE_LAIN, found=found_kind, expected=kind)
    if meta.get("kode_wilayah") and meta["kode_wilayah"] != cfg.region_code:
        raise _reject(Code.WILAYAH_LAIN, found=meta.get("wilayah") or meta["kode_wilayah"],
                      expected=cfg.region_name)
    try:
        first, count = int(meta.get("tahun_awal", "")), int(meta.get("jumlah_tahun", ""))
    except ValueError:
        raise _reject(Code.BUKAN_TEMPLATE, detail="periode pada identitas rusak") from None
    if (first, count) != (cfg.first_year, cfg.n_years):
        raise _reject(Code.PERIODE_LAIN, found=f"{first}-{first + count - 1}",
                      expected=cfg.period_label)
    code = meta["kode_opd"]
    if code not in cfg.opd_by_code:
        raise _reject(Code.OPD_TIDAK_DIKENAL, found=code)
    return code


def read_identitas(workbook) -> tuple[dict[str, Any], dict[str, str]]:
    """Identitas fields by their labels in column A (tolerant of moved rows)."""
    labels = {key(label): field_key for field_key, label in layout.IDENTITY_FIELDS}
    values: dict[str, Any] = {}
    cells: dict[str, str] = {}
    if layout.SHEET_IDENTITY not in workbook.sheet_names:
        return values, cells
    for index, row in enumerate(sheet_rows(workbook, layout.SHEET_IDENTITY, 60)):
        label = clean_text(row[0]) if row else None
        field_key = labels.get(key(label)) if label else None
        if field_key and field_key not in values:
            values[field_key] = row[1] if len(row) > 1 else None
            cells[field_key] = a1(1, index + 1)
    return values, cells


def find_header(rows: list[list[Any]], labels: dict[str, str]) -> int:
    """0-based index of the row matching the most known labels."""
    best, best_hits = -1, 0
    for index, row in enumerate(rows[:_HEADER_SEARCH_ROWS]):
        hits = sum(1 for cell in row if isinstance(cell, str) and key(cell) in labels)
        if hits > best_hits:
            best, best_hits = index, hits
        if best_hits >= len(labels):
            break  # every label found: no later row can match more
    if best_hits < 3:
        raise _reject(Code.HEADER_TIDAK_DITEMUKAN)
    return best


def map_header(header: list[Any], columns: list[layout.Column], excel_row: int,
               sheet_name: str) -> tuple[dict[str, int], list[Problem]]:
    """Column key -> index, plus problems (on sheet_name) for renamed, duplicated, extra
    and missing labels."""

    def at_label(code: str, index: int, text: str, **fields: Any) -> Problem:
        return Problem(code, sheet=sheet_name, cell=a1(index, excel_row), value=text, **fields)

    by_key = {key(c.label): c for c in columns}
    found: dict[str, int] = {}
    problems: list[Problem] = []
    unknown: list[tuple[int, str]] = []
    for index, cell in enumerate(header):
        text = clean_text(cell)
        if not text:
            continue
        column = by_key.get(key(text))
        if column is None:
            unknown.append((index, text))
        elif column.key in found:
            problems.append(at_label(Code.KOLOM_GANDA, index, text, column=column.label))
        else:
            found[column.key] = index
    missing = {key(c.label): c for c in columns if c.key not in found}
    for index, text in unknown:
        near = suggest(text, [c.label for c in missing.values()]) or \
            _label_in_place(index, found, columns, missing)
        if near:
            # A renamed header: report it and still read the column under its real key,
            # so the rest of the file is checked in the same run.
            column = missing.pop(key(near))
            found[column.key] = index
            problems.append(at_label(Code.KOLOM_BERUBAH, index, text, column=column.label,
                                     params={"suggestion": near}))
        else:
            problems.append(at_label(Code.KOLOM_TAMBAHAN, index, text))
    for column in missing.values():
        # A column no rule and no figure depends on reads as blank, with a warning;
        # any other missing column could change what is counted: an error.
        code = Code.KOLOM_OPSIONAL_HILANG if column.key in _NICE_TO_HAVE else Code.KOLOM_HILANG
        problems.append(Problem(code, sheet=sheet_name, cell=None, column=column.label,
                                params={"expected": column.label}))
    return found, problems


def _label_in_place(index: int, found: dict[str, int], columns: list[layout.Column],
                    missing: dict[str, layout.Column]) -> str | None:
    """The missing label whose place an unknown header takes ("Nama Kegiatan" typed over
    "Nama Program", between No and Deskripsi), so it is reported as renamed."""
    at = {i: k for k, i in found.items()}
    order = [c.key for c in columns]
    missing_keys = {c.key: c.label for c in missing.values()}
    left, right = at.get(index - 1), at.get(index + 1)
    if left in order and order.index(left) + 1 < len(order):
        candidate = order[order.index(left) + 1]
        if candidate in missing_keys:
            return missing_keys[candidate]
    if right in order and order.index(right) > 0:
        candidate = order[order.index(right) - 1]
        if candidate in missing_keys:
            return missing_keys[candidate]
    return None


def read_program(workbook, cfg: Config) -> tuple[dict[str, int], int, list[RawRow], list[Problem]]:
    columns = layout.program_columns(cfg)
    rows = sheet_rows(workbook, layout.SHEET_PROGRAM)
    head = [row for _, row in zip(range(_HEADER_SEARCH_ROWS), rows, strict=False)]
    labels = {key(c.label): c.key for c in columns}
    header_index = find_header(head, labels)
    header_row = header_index + 1
    found, problems = map_header(head[header_index], columns, header_row,
                                 layout.SHEET_PROGRAM)
    raw_rows: list[RawRow] = []
    active = [i for k, i in found.items() if k not in _PASSIVE_COLUMNS]
    for offset, row in enumerate(itertools.chain(head[header_index + 1:], rows)):
        if not _has_content(row, active):
            continue
        if len(raw_rows) >= cfg.max_rows:
            raise _reject(Code.TERLALU_BANYAK_BARIS, found=f"lebih dari {cfg.max_rows}",
                          expected=cfg.max_rows)
        raw_rows.append(RawRow(header_row + 1 + offset,
                               {k: (row[i] if i < len(row) else None) for k, i in found.items()}))
    return found, header_row, raw_rows, problems


def _has_content(row: list[Any], active: list[int]) -> bool:
    """Whether any column other than the passive ones (No, ...) holds something."""
    width = len(row)
    for index in active:
        if index < width:
            value = row[index]
            # Most cells of a template's 150 rows are empty: skip them before cleaning.
            if value is not None and value != "" and clean_text(value) is not None:
                return True
    return False


def read_plan(workbook, meta: dict[str, str], cfg: Config) -> FilledSheet:
    """Read a plan workbook (already open, its meta read to pick the kind), or raise
    ReadRejected with the whole-file reason."""
    opd_code = check_identity(meta, cfg, layout.KIND_PLAN)
    identity, identity_cells = read_identitas(workbook)
    columns, header_row, rows, problems = read_program(workbook, cfg)
    return FilledSheet(meta=meta, opd_code=opd_code, identity=identity,
                     identity_cells=identity_cells, columns=columns, header_row=header_row,
                     rows=rows, problems=problems)
