"""Signature blocks and notes typed under the Program table (and the Evaluasi table).

Every official Indonesian document ends with place and date, the signatory's title, name,
NIP and rank ("Pandan, 12 Maret 2024 / KEPALA DINAS ... / Drs. A. Nasution / NIP.
1968... / Pembina Tk. I (IV/b)"), often with "Mengetahui" or a "Catatan:" above it. Such
rows are not programs: they are recognised here, reported once as a warning and never
counted. A real program must never be taken for one, so the test is conservative:

- only the rows after the last row that holds programme content qualify, and each of
  them holds text in at most two columns, nothing a choice column accepts and no amount
  or target in the year columns;
- the block starts at the first such row that looks like a signature line and runs to
  the end of the table (the names below a title look like nothing in particular);
- a block is recognised when one of its rows is unmistakable (a date, NIP, rank,
  Mengetahui, a.n./Plt., Catatan:), or when it starts with an office title and has more
  rows below it (the name); a lone "Kepala ..." row stays a program row.
"""

from __future__ import annotations

import datetime as dt
import numbers
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .. import layout
from ..config import Config
from .normalise import clean_text, match_choice, parse_money, parse_target
from .reading import RawRow

_MONTHS = ("januari|februari|pebruari|maret|april|mei|juni|juli|agustus|september|"
           "oktober|nopember|november|desember|jan|feb|mar|apr|jun|jul|agu|agt|ags|sep|"
           "okt|nov|des")
_DATE = rf"\d{{1,2}}\s*(?:{_MONTHS})\.?\s*\d{{4}}|\d{{1,2}}\s*[-/.]\s*\d{{1,2}}\s*[-/.]\s*\d{{4}}"
_RANK = r"(?:pembina|penata|pengatur|juru)(?:\s+(?:utama|muda|madya|tingkat|tk\.?)\.?)*" \
        r"(?:\s+(?:i|1))?"
_GOLONGAN = r"\(?\s*(?:i|ii|iii|iv)\s*/\s*[a-e]\s*\)?"
# Lines that alone make a block a signature block or a note.
_UNMISTAKABLE = re.compile(
    "|".join((
        # Pandan, 12 Maret 2024 / Sibolga, Maret 2024
        rf"[^\W\d_][\w .'-]*,\s*(?:tanggal\s*)?(?:{_DATE}|(?:{_MONTHS})\s+\d{{4}})$",
        rf"(?:{_DATE})$",
        r"tanggal\s*[:,]?\s*\S.*",
        r"nip\b\.?\s*[:.]?\s*[\d .]*$",  # NIP. 19680101 199003 1 002
        r"\d{8}\s?\d{6}\s?\d\s?\d{3}$",  # a bare NIP
        r"(?:pangkat|gol(?:ongan)?\.?)\s*(?:/\s*gol(?:ongan)?\.?)?\s*[:.]?.*",
        rf"{_RANK}\s*,?\s*(?:{_GOLONGAN})?$",
        rf".*\b{_GOLONGAN}$",
        r"(?:mengetahui|menyetujui|disetujui|diketahui|diperiksa|dibuat|disusun|tertanda|"
        r"ttd)\b.*",
        r"(?:a\.\s?n\.?|an\.|plt\.?|plh\.?|pj\.)\s.*",
        r"(?:catatan|keterangan|ket|nb|n\.b)\s*\.?\s*:.*",
        r"catatan\s*$",
    )),
    re.IGNORECASE,
)
# An office title: a signature line when a name follows it.
_TITLE = re.compile(
    r"(?:kepala|sekretaris|sekertaris|kabid|kabag|kasubbag|kasubag|kasubbid|kasi|kasie|"
    r"kasubid|kadis|kaban|camat|lurah|bupati|wakil bupati|wali\s?kota|direktur|inspektur|"
    r"sekda)\b.*",
    re.IGNORECASE,
)
_YEAR_KINDS = ("money", "target")
# The Evaluasi sheet's number columns: a figure there is an evaluation, never a signature.
_FIGURE_KINDS = ("realisation", "count", "percent")


@dataclass(frozen=True)
class Block:
    start: int  # index in the sheet's rows where the block starts; it runs to the end
    label: str  # the first line's text, for the warning
    column: layout.Column  # the column holding that text


def find_block(rows: Sequence[RawRow], cfg: Config,
               columns: Sequence[layout.Column] | None = None) -> Block | None:
    """The signature block or note at the end of the table, if any; `columns`: the
    table's columns (default: the Program sheet's; the Evaluasi sheet passes its own)."""
    columns = layout.program_columns(cfg) if columns is None else columns
    choices = layout.choice_lists(cfg)
    tail_start = len(rows)
    lines: list[tuple[str, layout.Column]] = []
    while tail_start > 0:
        line = _text_line(rows[tail_start - 1].values, columns, choices)
        if line is None:
            break
        tail_start -= 1
        lines.insert(0, line)
    for offset, (text, column) in enumerate(lines):
        unmistakable = any(_UNMISTAKABLE.fullmatch(t) for t, _ in lines[offset:])
        if _UNMISTAKABLE.fullmatch(text) or _TITLE.fullmatch(text):
            if unmistakable or (_TITLE.fullmatch(text) and len(lines) - offset >= 2):
                return Block(tail_start + offset, text, column)
            return None
    return None


def _text_line(values: dict[str, Any], columns: Sequence[layout.Column],
               choices: dict[str, tuple[str, ...]]) -> tuple[str, layout.Column] | None:
    """The row's first text and its column when the row could be a signature line: text
    in at most two columns, none a choice a dropdown offers, no amount or target."""
    found: list[tuple[str, layout.Column]] = []
    for column in columns:
        value = values.get(column.key)
        if column.kind in ("number", "total") or clean_text(value) is None:
            continue
        text = _line_text(value)
        if text is None:
            return None
        if column.kind in _YEAR_KINDS and _is_figure(value, column.kind):
            return None
        if column.kind in _FIGURE_KINDS and _is_figure(value, "target"):
            return None
        if column.kind == "choice" and match_choice(text, choices[column.key]).value:
            return None
        found.append((text, column))
    return found[0] if 0 < len(found) <= 2 else None


def _line_text(value: Any) -> str | None:
    """Text of a cell a signature line may hold: text, a date Excel made of "12 Maret
    2024", or an 18-digit NIP Excel made a number of; None for any other number."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        digits = f"{value:.0f}"
        return digits if len(digits) == 18 and value == int(value) else None
    return clean_text(value)


def _is_figure(value: Any, kind: str) -> bool:
    parsed = parse_money(value) if kind == "money" else parse_target(value)
    return parsed.value is not None


def rows_above_block(rows: Sequence[RawRow], cfg: Config,
                     columns: Sequence[layout.Column] | None = None,
                     ) -> tuple[Sequence[RawRow], tuple[layout.Column, int, str, object] | None]:
    """The table's rows without a signature block or note at its end, and, when there was
    one, what its TANDA_TANGAN_DIABAIKAN warning names: (column, first Excel row, label,
    the rows it spans)."""
    block = find_block(rows, cfg, columns)
    if block is None:
        return rows, None
    first, last = rows[block.start].excel_row, rows[-1].excel_row
    return rows[:block.start], (block.column, first, block.label,
                                f"{first} sampai {last}" if last > first else first)
