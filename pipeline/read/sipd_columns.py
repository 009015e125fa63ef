"""Finding a SIPD download's columns by what their header says.

Headers come in any case, spacing or line breaks ("KODE SUB KEGIATAN", "Kode Sub\nKegiatan",
"Pagu Indikatif\n(Rp)"); each is reduced to its letters and digits ("kodesubkegiatan") and
recognised by meaning: a code of one level, a name of one level, one `Kode` column whose
values show their level, a name column for any level (`Uraian`, `Nomenklatur`, `Urusan /
Bidang Urusan / Program / Kegiatan / Sub Kegiatan`), the SKPD and sub unit (code, name, or
both in one cell), amounts, realisation, year and target. Codes of other classifications
(rekening, sumber dana, paket) are recognised too, so that they are left alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .codes import SKPD_CODE, normalise_code
from .normalise import clean_text, key

HEADER_SEARCH_ROWS = 30
SAMPLE_ROWS = 300  # data rows looked at to choose between two `Kode` columns

URUSAN, BIDANG, PROGRAM, KEGIATAN, SUB = 1, 2, 3, 5, 6
_LEVEL_WORDS = {"urusan": URUSAN, "bidangurusan": BIDANG, "bidang": BIDANG,
                "program": PROGRAM, "kegiatan": KEGIATAN, "subkegiatan": SUB}
_SKPD_WORDS = ("skpd", "opd", "perangkatdaerah", "satuankerja", "satker")
_UNIT_WORDS = ("subunit", "unit", "unitskpd", "subunitskpd", "unitkerja")
_GENERIC_CODE = ("", "nomenklatur", "nomenklaturkabupatenkota", "kodenomenklatur")
_GENERIC_NAME = ("", "nomenklatur")
# Code columns of another name that an older list may use for its only code column.
_LIST_CODE_NAMES = ("koderekening", "kodeanggaran")
_AMOUNT_STARTS = ("pagu", "nilai", "anggaran", "alokasi", "jumlahanggaran", "jumlahpagu",
                  "totalpagu", "totalanggaran", "rencanaanggaran")
_NON_WORD = re.compile(r"[^0-9a-z]+")


def compact(text: str) -> str:
    """A header's letters and digits: "Kode Sub\\nKegiatan" -> "kodesubkegiatan"."""
    return _NON_WORD.sub("", key(text))


def classify(text: str) -> tuple[str, int | None] | None:
    """What a header cell names: (role, level) or None. Roles: code, name (level None for
    any level), skpd_code, skpd_name, skpd (both in one cell), unit_code, unit_name, unit,
    amount, realised, year, target, other (a code of another classification)."""
    c = compact(text)
    if not c or len(c) > 80:
        return None
    if c in ("nokode", "nomorkode"):
        return "code", None
    for start, role, generic in (("kode", "code", _GENERIC_CODE),
                                 ("nama", "name", _GENERIC_NAME)):
        if c.startswith(start):  # KODE/NAMA + a level, the SKPD, the sub unit or nothing
            rest = c[len(start):]
            if rest in _LEVEL_WORDS:
                return role, _LEVEL_WORDS[rest]
            if rest in _SKPD_WORDS:
                return f"skpd_{role}", None
            if rest in _UNIT_WORDS:
                return f"unit_{role}", None
            return (role, None) if rest in generic else ("other", None)
    if c in _LEVEL_WORDS:
        return "name", _LEVEL_WORDS[c]
    if c in _SKPD_WORDS:
        return "skpd", None
    if c in _UNIT_WORDS:
        return "unit", None
    if c.startswith(("uraian", "nomenklatur")) or (
            "/" in text and sum(word in c for word in ("urusan", "program", "kegiatan")) >= 2):
        return "name", None
    if c.startswith(_AMOUNT_STARTS):
        return "amount", None
    if c.startswith("realisasi"):
        return "realised", None
    if c in ("tahun", "tahunanggaran", "ta"):
        return "year", None
    if c.startswith("target"):
        return "target", None
    return None


@dataclass
class Columns:
    """Where each thing is in a sheet's rows (0-based columns)."""

    header_row: int  # 0-based index of the header row
    level_codes: dict[int, int] = field(default_factory=dict)  # level -> column
    level_names: dict[int, int] = field(default_factory=dict)
    codes: list[int] = field(default_factory=list)  # generic `Kode` columns, left to right
    names: list[int] = field(default_factory=list)  # generic name columns
    single: dict[str, int] = field(default_factory=dict)  # skpd_code, amount, year, ...

    @property
    def flat(self) -> bool:
        """A row per line with a code column per level (the flat rekap)."""
        return bool(self.level_codes)

    def score(self) -> int:
        kinds = (len(self.level_codes) + len(self.level_names) + bool(self.codes)
                 + bool(self.names) + len(self.single))
        return kinds if self.level_codes or self.codes else 0

    def name_column(self) -> int | None:
        """The name column of a one-`Kode` form: a generic one, else a level's."""
        if self.names:
            return self.names[0]
        return min(self.level_names.values(), default=None)


def header_of(row: list[object], at: int) -> Columns | None:
    """The columns a row names, when it reads as a header (a code and something else)."""
    found = Columns(at)
    others: list[int] = []  # codes of another classification (rekening, sumber dana)
    for column, cell in enumerate(row):
        text = cell if isinstance(cell, str) else None
        seen = classify(text) if text else None
        if seen is None:
            continue
        role, level = seen
        if role == "code" and level is not None:
            found.level_codes.setdefault(level, column)
        elif role == "name" and level is not None:
            found.level_names.setdefault(level, column)
        elif role == "code":
            found.codes.append(column)
        elif role == "name":
            found.names.append(column)
        elif role == "other":
            others.append(column)
        else:
            found.single.setdefault(role, column)
    if not found.level_codes and not found.codes:
        # A list whose only code column is called so ("Kode Rekening" in older lists).
        found.codes = [c for c in others if compact(row[c]) in _LIST_CODE_NAMES]
    return found if found.score() >= 2 else None


def find_header(rows: list[list[object]]) -> Columns | None:
    """The header of a sheet: the row of the first 30 naming the most kinds of column,
    with a code column among them; the first of equals."""
    best: Columns | None = None
    for at, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        if sum(1 for cell in row if isinstance(cell, str) and cell.strip()) < 2:
            continue  # a title line, merged across the table
        found = header_of(row, at)
        if found is not None and (best is None or found.score() > best.score()):
            best = found
    if best is not None and not best.flat and len(best.codes) > 1:
        best.codes = [_best_code_column(rows[best.header_row + 1:], best.codes,
                                        best.name_column())]
    return best


def _best_code_column(body: list[list[object]], columns: list[int], name: int | None) -> int:
    """Of several `Kode` columns, the one whose values are most often nomenclature codes
    (SKPD rows aside); of equals, the nearest before the name column (a code precedes
    its name), else the leftmost. The others are another classification."""
    def share(column: int) -> float:
        values = [row[column] for row in body[:SAMPLE_ROWS] if column < len(row)]
        typed = [v for v in values if clean_text(v) and not SKPD_CODE.match(str(v))]
        return sum(normalise_code(v) is not None for v in typed) / len(typed) if typed else 0

    def rank(column: int) -> tuple:
        before_name = name is not None and column < name
        return round(share(column), 2), before_name, column if before_name else -column
    return max(columns, key=rank)


def column_numbers(row: list[object]) -> bool:
    """A row of column numbers under the header ("1", "2", "3" or "(1)", "(2)")."""
    filled = [text for text in map(clean_text, row) if text]
    return len(filled) >= 2 and all(re.fullmatch(r"\(?\d{1,2}\)?", c) for c in filled)
