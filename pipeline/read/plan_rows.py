"""Read a returned plan's Program rows: every cell cleaned, cells that cannot be read
reported at their cell (flagged `_unread_<column>`), the participant's JUMLAH/TOTAL row
and the signature block under the table left out (one warning each). The plan rules
(pipeline.rules.schemas.PLAN) then judge the rows of all plan files at once.
"""

from __future__ import annotations

from typing import Any

from .. import layout
from ..catalogue import Code, Problem
from ..config import Config
from .normalise import clean_text, key, match_choice, parse_money, parse_target
from .reading import FilledSheet, cell_problem
from .signature import rows_above_block


def _cell_problem(sheet: FilledSheet, code: str, column: layout.Column, excel_row: int,
                  value: Any, **params: Any) -> Problem:
    return cell_problem(layout.SHEET_PROGRAM, sheet.columns, code, column, excel_row, value,
                        **params)


def _total_label(values: dict[str, Any]) -> tuple[str, str] | None:
    """A participant's JUMLAH/TOTAL row: its label and the column holding it."""
    from .normalise import is_total_label

    for column_key in ("no", "nama_program", "deskripsi", "dimensi"):
        text = clean_text(values.get(column_key))
        if text and is_total_label(text):
            return text, column_key
    return None


def normalise_rows(sheet: FilledSheet, cfg: Config, file_index: int,
                   ) -> tuple[list[dict[str, Any]], list[Problem]]:
    """Clean every cell of a sheet's filled rows; problems for cells that cannot be read."""
    columns = [c for c in layout.program_columns(cfg) if c.kind not in ("number", "total")]
    by_key = {c.key: c for c in layout.program_columns(cfg)}
    choices = layout.choice_lists(cfg)
    records: list[dict[str, Any]] = []
    problems: list[Problem] = []
    rows, block = rows_above_block(sheet.rows, cfg)
    if block:  # a signature or note under the table: one warning, never a program
        column, first, label, spans = block
        problems.append(_cell_problem(sheet, Code.TANDA_TANGAN_DIABAIKAN, column, first,
                                      label, found=spans))
    for raw in rows:
        total = _total_label(raw.values)
        if total:
            label, column_key = total
            problems.append(_cell_problem(sheet, Code.BARIS_JUMLAH_DIABAIKAN, by_key[column_key],
                                          raw.excel_row, label))
            continue
        record: dict[str, Any] = {"_file": file_index, "_row": raw.excel_row,
                                  "_unread_amount": False}
        for column in columns:
            value = raw.values.get(column.key)
            if column.kind == "money":
                parsed = parse_money(value)
                record[column.key] = parsed.value
                if parsed.code:
                    record["_unread_amount"] = True
                    problems.append(_cell_problem(sheet, parsed.code, column, raw.excel_row,
                                                  clean_text(value), detail=parsed.detail))
            elif column.kind == "target":
                parsed = parse_target(value)
                record[column.key] = parsed.value
                record[f"_unread_{column.key}"] = parsed.code is not None
                if parsed.code:
                    problems.append(_cell_problem(sheet, parsed.code, column, raw.excel_row,
                                                  clean_text(value), detail=parsed.detail))
            elif column.kind == "choice":
                text = clean_text(value)
                if text is None and column.key == "quick_win":
                    text = "Tidak"  # blank Quick Win means Tidak
                matched = match_choice(text, choices[column.key]) if text else None
                record[column.key] = matched.value if matched and matched.value else text
            else:
                record[column.key] = clean_text(value)
        record["_name_key"] = key(record["nama_program"]) if record["nama_program"] else None
        record["total_anggaran"] = sum(record[f"anggaran_{y}"] or 0 for y in cfg.years)
        records.append(record)
    return records, problems
