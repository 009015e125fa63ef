"""What a regency downloads from SIPD (and the Excel tables it makes of them), as rows.

One reader for `[rujukan] nomenklatur` (the codes and names of every level) and for
`masterplan pantau` (the amounts per code, SKPD and year). Forms it must read:

- the flat rekap: one row per spending line, `KODE URUSAN` ... `KODE SUB KEGIATAN` with
  their `NAMA ...` columns, the SKPD and sub unit, sumber dana, rekening, `PAGU`, `TAHUN`;
- the per-SKPD table: one sheet per SKPD, title rows, a header (`Kode | Urusan / Bidang
  Urusan / Program / Kegiatan / Sub Kegiatan | ... | Pagu Indikatif (Rp)`), an SKPD row
  with code and name in one cell, then a row per level;
- sub kegiatan lists (`Kode | Sub Kegiatan`), with or without one sheet per SKPD;
- CSV exports of any of them (`;` or `,`).

Columns are found by meaning (read.sipd_columns); every sheet is read; a row gives an
entry per code it carries, rows without one are skipped with the reason; `SipdDocument`
says what was read so that a misread list is never silent.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass, fields, replace
from enum import IntEnum
from operator import itemgetter
from pathlib import Path

from .codes import LEVELS as _LEVEL_LABELS
from .codes import SKPD_CODE, normalise_code
from .normalise import clean_text, is_total_label, key, parse_money
from .sheets import CSV_SUFFIXES, UnreadableFile, load_sheets
from .sipd_columns import HEADER_SEARCH_ROWS, Columns, column_numbers, find_header


class Level(IntEnum):
    """A nomenclature level, by the number of parts of its code (U.BB.PP.K.KK.SSSS)."""

    URUSAN = 1  # "2"
    BIDANG_URUSAN = 2  # "2.16"
    PROGRAM = 3  # "2.16.03"
    KEGIATAN = 5  # "2.16.03.2.02"
    SUB_KEGIATAN = 6  # "2.16.03.2.02.0035"


@dataclass(frozen=True)
class Skpd:
    """An SKPD or sub unit as a document names it (code in the long form when given)."""

    code: str | None  # "1.02.0.00.0.00.01.0000" (A.BB.C.DD.E.FF.GG.HHHH), None if unnamed
    name: str | None


@dataclass(frozen=True)
class SipdEntry:
    """One row of a document that carries a nomenclature code.

    `code` is normalised to the 2021 form (read.references.normalise_code); `names` holds
    the name of every level the row states (a flat rekap row states all five).
    `counted` is True when the row's amount is not part of another counted row's amount:
    a flat rekap's spending lines are all counted; in a table that gives every level its
    own amount, only the rows with no entry below them are. Summing `amount` over the
    counted entries whose code starts with a program's code gives that program's money,
    each rupiah once.
    """

    sheet: str
    row: int  # 1-based row in the sheet (line number in a CSV)
    code: str
    level: Level
    names: dict[Level, str]
    skpd: Skpd | None
    sub_unit: Skpd | None
    amount: int | None  # PAGU / Pagu Indikatif / Nilai / Anggaran, whole rupiah; None: blank
    # or unreadable (then also in SipdDocument.skipped, with why)
    realised: int | None  # Realisasi, when the document has it (None: blank)
    year: int | None  # TAHUN column of the row, when present
    target: str | None
    counted: bool


@dataclass(frozen=True)
class SkippedRow:
    sheet: str
    row: int
    why: str  # Indonesian, for the operator: "baris jumlah", "kode tidak terbaca: ..."


@dataclass(frozen=True)
class SipdDocument:
    """A file as read: its form, the sheets read, every entry, every row skipped."""

    path: Path
    form: str  # Indonesian name of the form recognised: "rekap datar", "tabel per SKPD", ...
    sheets: tuple[str, ...]
    title_lines: tuple[str, ...]  # text above the header row(s), first sheet first, each once
    entries: tuple[SipdEntry, ...]
    skipped: tuple[SkippedRow, ...]
    warnings: tuple[str, ...]  # Indonesian: a likely misread, named with what was expected
    has_amounts: bool
    has_realised: bool
    bad_codes: int = 0  # rows whose code cell holds something that is no nomenclature code

    @functools.cached_property
    def _named(self) -> dict[str, str]:
        found: dict[str, str] = {}
        seen: set[tuple[str, int]] = set()
        for entry in self.entries:
            if (entry.code, id(entry.names)) in seen:
                continue  # the same line again (a flat rekap repeats it per rekening)
            seen.add((entry.code, id(entry.names)))
            parts = entry.code.split(".")
            for level in LEVELS:
                if level > len(parts):
                    break
                code = ".".join(parts[:level])
                name = entry.names.get(level)
                if name and not found.get(code):
                    found[code] = name
                else:
                    found.setdefault(code, "")
        return found

    def names(self) -> dict[str, str]:
        """Every code the document names, at every level, with its name ("" if none):
        the levels above a row's code are derived from it when no row of their own or
        name column names them."""
        return self._named

    def derived(self) -> set[str]:
        """The codes known only from the codes below them, with no name anywhere."""
        return {code for code, name in self._named.items() if not name}

    def codes_per_level(self) -> dict[Level, int]:
        counts = Counter(code.count(".") + 1 for code in self._named)
        return {level: counts[level] for level in LEVELS}


LEVELS = tuple(Level)
LEVEL_NAMES = {Level(number): label for number, label in _LEVEL_LABELS.items()}
FORM_FLAT = "rekap datar"
FORM_TABLE = "tabel per SKPD"
FORM_SUB_LIST = "daftar sub kegiatan"
FORM_CODE_LIST = "daftar kode nomenklatur"
# A document where fewer rows than this share give a code is likely misread.
MIN_ROWS_WITH_CODE = 0.5
TEMPLATE_LEVELS = (Level.PROGRAM, Level.KEGIATAN, Level.SUB_KEGIATAN)
_PLACE_ROLES = ("skpd_code", "skpd_name", "skpd", "unit_code", "unit_name", "unit", "year")
TOTAL = "baris jumlah/subtotal (tidak dibaca sebagai kode)"
BLANK_GROUP = "baris tanpa isi selain nomor urut (kelompok kosong)"
EXPECTED_SKIPS = (TOTAL, BLANK_GROUP)  # a download's own rows, no sign of a misread


def read_sipd(path: Path) -> SipdDocument:
    """Read one SIPD download or table made from one (.xlsx, .xls, .ods, .csv).

    Raises UnreadableFile (read.sheets) when the file is refused by the safety pass, is no
    spreadsheet, or no sheet has a header row naming a code column."""
    path = Path(path)
    reader = _Reader()
    forms: list[str] = []
    titles: list[str] = []
    sheets_read: list[str] = []
    for sheet, rows in load_sheets(path):
        columns = find_header(rows)
        if columns is None:
            if any(clean_text(cell) for row in rows[:HEADER_SEARCH_ROWS] for cell in row):
                reader.skipped.append(SkippedRow(sheet, 0, "lembar tanpa baris judul kolom "
                                                           "yang dikenali; tidak dibaca"))
            continue
        sheets_read.append(sheet)
        titles += [text for row in rows[:columns.header_row]
                   for text in map(clean_text, row) if text]
        forms.append(reader.read_sheet(sheet, rows, columns))
    if not sheets_read:
        raise UnreadableFile(
            "tidak punya baris judul kolom yang dikenali: dicari kolom kode ('Kode', 'KODE "
            "PROGRAM', 'KODE SUB KEGIATAN', ...) dengan kolom nama atau pagu di "
            f"{HEADER_SEARCH_ROWS} baris pertama setiap lembar.")
    form = " + ".join(dict.fromkeys(forms))
    if path.suffix.lower() in CSV_SUFFIXES:
        form += " (CSV)"
    document = SipdDocument(
        path, form, tuple(sheets_read), tuple(dict.fromkeys(titles)), tuple(reader.entries),
        tuple(reader.skipped), (), reader.has_amounts, reader.has_realised, reader.bad_codes)
    warnings = _warnings(document, reader.content_rows)
    return replace(document, warnings=warnings) if warnings else document


def _warnings(document: SipdDocument, content_rows: int) -> tuple[str, ...]:
    """A likely misread, named with the file and what was expected."""
    name = document.path.name
    found: list[str] = []
    coded = len(document.entries)  # one entry per row read
    if content_rows >= 10 and coded < MIN_ROWS_WITH_CODE * content_rows:
        found.append(f"{name}: hanya {coded} dari {content_rows} baris berisi kode "
                     "nomenklatur yang terbaca; diharapkan satu kode per baris. Periksa "
                     "kolom kode (KODE SUB KEGIATAN, atau 'Kode' berbentuk 2.16.02.2.01.0001).")
    counts = document.codes_per_level()
    if not any(counts[level] for level in TEMPLATE_LEVELS):
        found.append(f"{name}: tidak ada kode program, kegiatan atau sub kegiatan "
                     f"({_level_counts(counts)}); template memakai kode tingkat itu. Periksa "
                     "apakah berkas ini daftar nomenklatur lengkap.")
    return tuple(found)


def _level_counts(counts: dict[Level, int]) -> str:
    shown = [f"{counts[level]} {LEVEL_NAMES[level]}" for level in LEVELS if counts[level]]
    return ", ".join(shown) or "tidak ada kode"


class _Reader:
    """Reads the sheets of one document; caches are shared by its sheets."""

    def __init__(self) -> None:
        self.entries: list[SipdEntry] = []
        self.skipped: list[SkippedRow] = []
        self.has_amounts = self.has_realised = False
        self.content_rows = 0
        self.bad_codes = 0
        self._skpds: dict[tuple, Skpd | None] = {}

    def read_sheet(self, sheet: str, rows: list[list[object]], columns: Columns) -> str:
        """Read one sheet's rows into entries; the form it has."""
        body = range(columns.header_row + 1, len(rows))
        self.has_amounts |= "amount" in columns.single
        self.has_realised |= "realised" in columns.single
        read = (self._flat_rows if columns.flat else self._table_rows)(sheet, rows, body,
                                                                      columns)
        self._add_counted(sheet, read)
        if columns.flat:
            return FORM_FLAT
        if any(entry[2] for entry in read) and "amount" in columns.single:
            return FORM_TABLE
        subs = sum(entry[1] == Level.SUB_KEGIATAN for entry in read)
        return FORM_SUB_LIST if read and subs >= 0.9 * len(read) else FORM_CODE_LIST

    def _add_counted(self, sheet: str, read: list[tuple]) -> None:
        """Make the entries, counted unless another entry of the same SKPD, sub unit and
        year lies below it (a table gives every level its own amount)."""
        above: set[tuple] = set()
        seen: set[tuple] = set()
        for code, _, skpd, unit, _, year, *_ in read:
            scope = (id(skpd), id(unit), year)  # Skpd objects are shared: id is identity
            if (scope, code) not in seen:
                seen.add((scope, code))
                above.update((scope, prefix) for prefix in _prefixes(code))
        add = self.entries.append
        for code, level, skpd, unit, row, year, names, amount, realised, target in read:
            add(_entry((sheet, row, code, level, names, skpd, unit, amount, realised, year,
                        target, ((id(skpd), id(unit), year), code) not in above)))

    # --- the flat rekap ----------------------------------------------------------------------

    def _flat_rows(self, sheet: str, rows, body, columns: Columns) -> list[tuple]:
        """Entries of a flat rekap. The cells that say where a row belongs (codes, names,
        SKPD, sub unit, year) repeat on every spending line of a sub kegiatan: they are
        read once per distinct combination."""
        levels = sorted(columns.level_codes)
        name_levels = sorted(columns.level_names)
        single = columns.single
        places = [role for role in _PLACE_ROLES if role in single]
        where = ([columns.level_codes[level] for level in levels]
                 + [columns.level_names[level] for level in name_levels]
                 + [single[role] for role in places])
        amount_at, realised_at, target_at = (single.get(role) for role in
                                             ("amount", "realised", "target"))
        width = max(where + [c for c in (amount_at, realised_at, target_at) if c is not None])
        width += 1
        get = itemgetter(*where) if len(where) > 1 else lambda row: (row[where[0]],)
        contexts: dict[tuple, tuple] = {}
        read: list[tuple] = []
        money = self._money
        for index in body:
            row = rows[index]
            if len(row) < width:
                row = [*row, *[None] * (width - len(row))]
            cells = get(row)
            context = contexts.get(cells)
            if context is None:
                context = contexts[cells] = self._flat_context(cells, levels, name_levels,
                                                               places)
            if len(context) == 2:
                self._no_code(sheet, index + 1, row, context[1])
                continue
            self.content_rows += 1
            code, level, skpd, unit, year, names = context
            read.append((code, level, skpd, unit, index + 1, year, names,
                         None if amount_at is None else money(sheet, index, row[amount_at],
                                                              "pagu"),
                         None if realised_at is None else money(sheet, index, row[realised_at],
                                                                "realisasi"),
                         None if target_at is None else clean_text(row[target_at])))
        return read

    def _flat_context(self, cells: tuple, levels: list[int], name_levels: list[int],
                      places: list[str]) -> tuple:
        """(code, level, SKPD, sub unit, year, names) of a flat row's cells, or (None, why)."""
        code, why = _flat_code(cells[:len(levels)], levels)
        if code is None:
            return None, why
        level = Level(code.count(".") + 1)
        named = cells[len(levels):len(levels) + len(name_levels)]
        names = {Level(at): text for at, cell in zip(name_levels, named, strict=True)
                 if at <= level and (text := _name(cell))}
        place = dict(zip(places, cells[len(levels) + len(name_levels):], strict=True))
        skpd, unit = self._skpd(place, "skpd"), self._skpd(place, "unit")
        return code, level, skpd, (None if unit == skpd else unit), _year(place.get("year")), \
            names

    def _skpd(self, place: dict[str, object], what: str) -> Skpd | None:
        """The SKPD (or sub unit) a row names, one object per distinct value."""
        cells = (place.get(f"{what}_code"), place.get(f"{what}_name"), place.get(what))
        if cells not in self._skpds:
            found = _skpd_of(*cells)
            self._skpds[cells] = self._skpds.setdefault(found, found)
        return self._skpds[cells]

    def _money(self, sheet: str, index: int, value: object, label: str) -> int | None:
        """Whole rupiah of an amount cell; None when blank, or unreadable (then noted)."""
        if type(value) is float and value.is_integer() and value >= 0:
            return int(value)  # the usual cell, without the parser's checks
        if value is None or value == "":
            return None  # no amount stated ("-" and "Rp 0" state 0)
        parsed = parse_money(value)
        if parsed.value is None:
            why = parsed.detail or "bukan angka"
            self.skipped.append(SkippedRow(sheet, index + 1, (
                f"{label} '{clean_text(value)}' tidak terbaca ({why}); kodenya tetap dibaca, "
                "nilainya tidak dijumlah")))
            return None
        return int(parsed.value)

    def _amounts(self, sheet: str, index: int, row: list[object], single: dict
                 ) -> tuple[int | None, int | None, str | None]:
        """(amount, realised, target) of a row."""
        amount, realised = (None if single.get(role) is None else
                            self._money(sheet, index, _cell(row, single[role]), label)
                            for role, label in (("amount", "pagu"), ("realised", "realisasi")))
        return amount, realised, clean_text(_cell(row, single.get("target")))

    def _no_code(self, sheet: str, number: int, row: list[object], why: str | None) -> None:
        texts = [text for text in map(clean_text, row) if text]
        if not texts:
            return  # a blank row
        self.content_rows += 1
        if any(is_total_label(text) for text in texts):
            why = TOTAL
        elif why is None:
            only_number = len(texts) == 1 and texts[0].isdigit()
            why = (BLANK_GROUP if only_number else
                   f"baris tanpa kode nomenklatur: '{_short(texts)}'")
        else:
            self.bad_codes += 1  # a code cell typed, holding no nomenclature code
        self.skipped.append(SkippedRow(sheet, number, why))

    # --- tables and lists with one `Kode` column ---------------------------------------------

    def _table_rows(self, sheet: str, rows, body, columns: Columns) -> list[tuple]:
        code_column, name_column = columns.codes[0], columns.name_column()
        single = columns.single
        skpd: Skpd | None = None
        unit: Skpd | None = None
        read: list[tuple] = []
        for index in body:
            row = rows[index]
            text = clean_text(_cell(row, code_column))
            name = _name(_cell(row, name_column))
            heading = SKPD_CODE.match(text or name or "")
            if heading:
                skpd, unit = _heading(heading, text, name, skpd, unit)
                continue
            if column_numbers(row) or key(text or "").startswith("kode"):
                continue  # column numbers, or the header repeated on each printed page
            if not text:
                self._no_code(sheet, index + 1, row, None)  # silent only when blank
                continue
            code = normalise_code(text)
            if code is None and (split := re.match(r"(\S+)\s+(\D.*)", text, re.DOTALL)):
                code = normalise_code(split.group(1))  # code and name in one cell
                name = name or (_name(split.group(2)) if code else None)
            if code is None:
                self._no_code(sheet, index + 1, row,
                              f"kode '{_short([text])}' bukan kode nomenklatur")
                continue
            self.content_rows += 1
            level = Level(code.count(".") + 1)
            names = {level: name} if name else {}
            read.append((code, level, skpd, unit, index + 1,
                         _year(_cell(row, single.get("year"))), names,
                         *self._amounts(sheet, index, row, single)))
        return read


_ENTRY_FIELDS = tuple(f.name for f in fields(SipdEntry))


def _entry(values: tuple) -> SipdEntry:
    """SipdEntry(*values), made in one step: the dataclass's __init__ sets a frozen
    instance's 12 fields one by one through object.__setattr__, a third of the time of
    reading a 50,000-row rekap."""
    entry = object.__new__(SipdEntry)
    entry.__dict__.update(zip(_ENTRY_FIELDS, values, strict=True))
    return entry


def _heading(found: re.Match, text: str | None, name: str | None, skpd: Skpd | None,
             unit: Skpd | None) -> tuple[Skpd | None, Skpd | None]:
    """The SKPD and sub unit after an SKPD heading row (the long code, alone or followed by
    the name; the name may be in the name column)."""
    code = found.group(1)
    named = _name(found.group(2)) or (name if text else None)
    heading = Skpd(code, named)
    same_skpd = skpd is not None and skpd.code is not None and \
        skpd.code.rsplit(".", 1)[0] == code.rsplit(".", 1)[0]
    if not code.endswith(".0000") and same_skpd:
        return skpd, heading  # a sub unit of the SKPD above
    return heading, None


def _flat_code(raw: tuple, levels: list[int]) -> tuple[str | None, str | None]:
    """The deepest code of a flat row, each level's cell read whole or after its parent
    ("02" under "1.01" is "1.01.02"); (None, why) when the deepest cell typed is no code."""
    parent: str | None = None
    deepest: tuple[str | None, str | None] = (None, None)
    for level, value in zip(levels, raw, strict=True):
        text = clean_text(value)
        if not text:
            continue
        code = normalise_code(text)
        if (code is None or code.count(".") + 1 != level) and parent:
            # A part Excel turned into a number loses its zeros: program 2 is "02".
            part = text.zfill(2) if text.isdigit() and level in (2, 3) else text
            joined = normalise_code(f"{parent}.{part}")
            code = joined if joined and joined.count(".") + 1 == level else code
        if code is None or code.count(".") + 1 != level:
            deepest = (None, f"kode {LEVEL_NAMES[Level(level)]} '{_short([text])}' bukan kode "
                             "nomenklatur")
            continue
        parent = code
        deepest = (code, None)
    return deepest


def _skpd_of(code_cell: object, name_cell: object, both_cell: object) -> Skpd | None:
    code, name = clean_text(code_cell), _name(name_cell)
    both = clean_text(both_cell)
    if both:
        found = SKPD_CODE.match(both)
        code, name = (found.group(1), _name(found.group(2))) if found else (code, both)
    if not code and not name:
        return None
    return Skpd(" ".join(code.split()) if code else None, name)


@functools.lru_cache(maxsize=65536)
def _prefixes(code: str) -> tuple[str, ...]:
    """The codes above a code: "1.01.02.2.01.0001" -> "1", "1.01", "1.01.02", "1.01.02.2.01"."""
    parts = code.split(".")
    return tuple(".".join(parts[:n]) for n in (1, 2, 3, 5) if n < len(parts))


def _cell(row: list[object], column: int | None) -> object:
    return row[column] if column is not None and column < len(row) else None


def _name(value: object) -> str | None:
    """A name on one line: line breaks and runs of spaces are one space."""
    if isinstance(value, str):
        return " ".join(value.split()) or None
    text = clean_text(value)
    return " ".join(text.split()) if text else None


def _year(value: object) -> int | None:
    text = clean_text(value)
    if text and text.isdigit() and 1900 < int(text) < 2200:
        return int(text)
    return None


def _short(texts: list[str]) -> str:
    text = " | ".join(" ".join(t.split()) for t in texts)
    return text if len(text) <= 60 else text[:57] + "..."
