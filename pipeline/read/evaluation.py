"""Read a returned Quick Win evaluation file (template kind "evaluasi") into rows.

`read_evaluation` checks the identity and finds the Evaluasi header; `normalise_rows`
reads each input cell (numbers, the Baris Rencana), leaves the signature block under the
table out (one warning) and reports cells that cannot be read. The evaluation rules
(pipeline.rules.schemas.EVALUATION) then judge the rows of all evaluation files at once,
and `pipeline.rules.evaluation.check_quick_wins` matches them to the OPD's accepted Quick
Wins. The prefilled Target/Anggaran copies in the file are not read: percentages are
computed later against the accepted plan itself.
"""

from __future__ import annotations

import itertools
from typing import Any

from .. import layout
from ..catalogue import Code, Problem
from ..config import Config
from .normalise import clean_text, key, parse_money, parse_target
from .reading import (
    FilledSheet,
    RawRow,
    ReadRejected,
    check_identity,
    find_header,
    map_header,
    read_identitas,
    sheet_rows,
)
from .reading import cell_problem as table_cell_problem
from .signature import rows_above_block

_HEADER_SEARCH_ROWS = 30
# The columns the OPD fills in; a row is an evaluation when any of them has content.
INPUT_KEYS = ("realisasi_target", "realisasi_anggaran", "jumlah_responden", "kepuasan",
              "bukti_dukung", "kendala")


# --- reading -----------------------------------------------------------------------------

def read_evaluation(workbook, meta: dict[str, str], cfg: Config) -> FilledSheet:
    """Read an evaluation workbook (meta already read), or raise ReadRejected."""
    opd_code = check_identity(meta, cfg, layout.KIND_EVALUATION)
    if meta.get("tahun_quick_win") != str(cfg.quick_win_year):
        raise ReadRejected(Problem(Code.TAHUN_QUICK_WIN_LAIN, params={
            "found": meta.get("tahun_quick_win") or "?", "expected": cfg.quick_win_year}))
    identity, identity_cells = read_identitas(workbook)
    columns = layout.evaluation_columns(cfg)
    rows = sheet_rows(workbook, layout.SHEET_EVALUATION)
    head = [row for _, row in zip(range(_HEADER_SEARCH_ROWS), rows, strict=False)]
    try:
        header_index = find_header(head, {key(c.label): c.key for c in columns})
    except ReadRejected:
        raise ReadRejected(Problem(Code.EVALUASI_HEADER_TIDAK_DITEMUKAN,
                                   sheet=layout.SHEET_EVALUATION)) from None
    header_row = header_index + 1
    found, problems = map_header(head[header_index], columns, header_row,
                                 layout.SHEET_EVALUATION)
    # Templates written before Baris Rencana existed still read (matched by name alone).
    plan_row_label = next(c.label for c in columns if c.key == layout.PLAN_ROW)
    problems = [p for p in problems if not (p.code == Code.KOLOM_HILANG
                                            and p.column == plan_row_label)]
    inputs = [found[k] for k in INPUT_KEYS if k in found]
    raw_rows: list[RawRow] = []
    for offset, row in enumerate(itertools.chain(head[header_index + 1:], rows)):
        if not any(i < len(row) and clean_text(row[i]) is not None for i in inputs):
            continue  # a prefilled Quick Win left blank: not evaluated (yet)
        if len(raw_rows) >= cfg.max_rows:
            raise ReadRejected(Problem(Code.BARIS_EVALUASI_TERLALU_BANYAK,
                                       sheet=layout.SHEET_EVALUATION,
                                       params={"expected": cfg.max_rows}))
        raw_rows.append(RawRow(header_row + 1 + offset,
                               {k: (row[i] if i < len(row) else None) for k, i in found.items()}))
    return FilledSheet(meta=meta, opd_code=opd_code, identity=identity,
                           identity_cells=identity_cells, columns=found, header_row=header_row,
                           rows=raw_rows, problems=problems)


# --- cell reading --------------------------------------------------------------------------

def cell_problem(sheet: FilledSheet, code: str, column: layout.Column, excel_row: int,
                 value: Any, **params: Any) -> Problem:
    return table_cell_problem(layout.SHEET_EVALUATION, sheet.columns, code, column,
                              excel_row, value, **params)


# What a number cell that cannot be read should look like, per column.
_NUMBER_EXAMPLES = {"realisasi_target": "85", "jumlah_responden": "120", "kepuasan": "87,5"}


def normalise_rows(sheet: FilledSheet, cfg: Config,
                   ) -> tuple[list[dict[str, Any]], list[Problem]]:
    """Every evaluation row's cells read (no ledger needed); problems for cells that cannot
    be read. The rules (pipeline.rules.schemas.EVALUATION) judge the values afterwards; a
    cell that could not be read is flagged `_unread_<column>` for them."""
    columns = {c.key: c for c in layout.evaluation_columns(cfg)}
    records: list[dict[str, Any]] = []
    problems: list[Problem] = []
    rows, block = rows_above_block(sheet.rows, cfg, list(columns.values()))
    if block:  # a signature or note under the table: one warning, never an evaluation
        column, first, label, spans = block
        problems.append(cell_problem(sheet, Code.TANDA_TANGAN_DIABAIKAN, column, first, label,
                                     found=spans))
    for raw in rows:
        values = raw.values
        name = clean_text(values.get("nama_program"))
        record: dict[str, Any] = {
            "_row": raw.excel_row, "_name_key": key(name) if name else None,
            "_plan_row": _plan_row(values.get(layout.PLAN_ROW)), "nama_program": name}
        for number_key in ("realisasi_target", "realisasi_anggaran", "jumlah_responden",
                           "kepuasan"):
            value = values.get(number_key)
            if number_key == "realisasi_anggaran":
                parsed, more = parse_money(value), {}
            else:
                parsed, more = parse_target(value), {"expected": _NUMBER_EXAMPLES[number_key]}
            record[f"_unread_{number_key}"] = parsed.code is not None
            if parsed.code:
                code = Code.ANGKA_TIDAK_TERBACA if number_key in _NUMBER_EXAMPLES else parsed.code
                problems.append(cell_problem(sheet, code, columns[number_key], raw.excel_row,
                                             clean_text(value), detail=parsed.detail, **more))
            # A blank cell has no value (parse_money reads a blank amount as 0): the rules
            # call it missing.
            number = parsed.value if not parsed.code and clean_text(value) is not None \
                else None
            if number_key == "jumlah_responden" and number is not None \
                    and number == int(number):
                number = int(number)  # a count; a fraction fails its rule
            record[number_key] = number
        for text_key in ("bukti_dukung", "kendala"):
            record[text_key] = clean_text(values.get(text_key))
        records.append(record)
    if not records:
        problems.append(Problem(Code.TIDAK_ADA_EVALUASI, sheet=layout.SHEET_EVALUATION,
                                params={"expected": layout.EVALUATION_FIRST_DATA_ROW}))
    return records, problems


def _plan_row(value: Any) -> int | None:
    """The prefilled Baris Rencana (locked; anything but a row number is ignored)."""
    parsed = parse_target(value)
    if parsed.code or parsed.value is None or parsed.value != int(parsed.value):
        return None
    return int(parsed.value)
