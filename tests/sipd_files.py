"""Fixture files in every form a regency's SIPD downloads come in (issue 26).

Each builder takes the lines to write, so a test states the expected codes, names and
amounts beside its input. Forms:

- `flat_rekap`: one row per spending line (pipeline.demo.sipd.write_flat_rekap), .xlsx or
  a `;` CSV; optional PAKET/KELOMPOK, TAHUN, REALISASI columns; `blank_kelompok_rows`
  adds SIPD's rows with nothing but a number and an empty kelompok.
- `skpd_table`: one sheet per SKPD as a Bappeda builds it for the KUA-PPAS / RKPD book:
  "Tabel IV.3", a title, the region, the header on row 5, an SKPD row (long code and name
  in one cell), then a row per urusan, bidang, program, kegiatan and sub kegiatan with its
  Pagu Indikatif (each level the sum of the sub kegiatan below it), a JUMLAH row per SKPD.
- `sub_kegiatan_list`: `Kode | Sub Kegiatan`, optionally a second `Kode` column of another
  classification, optionally one sheet per SKPD under a "SUBKEGIATAN" title.

Codes are written exactly as given: 2019 two-digit (`2.16.02.2.01.01`) and penunjang
(`X.XX.01.2.01.0001`) forms are just lines whose code is written so.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import openpyxl

from pipeline.common.idtext import thousands
from pipeline.demo.sipd import RekapLayout, SpendingLine, header, write_flat_rekap
from pipeline.read.sipd import Level

LEVELS = (Level.URUSAN, Level.BIDANG_URUSAN, Level.PROGRAM, Level.KEGIATAN,
          Level.SUB_KEGIATAN)


def line(code: str, amount: int | str | None = 1_000_000, *, names: Mapping[Level, str]
         | None = None, **fields) -> SpendingLine:
    """A spending line whose level names default to "<level> <code>" (easy to expect)."""
    parts = code.split(".")
    cut = {Level.URUSAN: 1, Level.BIDANG_URUSAN: 2, Level.PROGRAM: 3, Level.KEGIATAN: 5,
           Level.SUB_KEGIATAN: 6}
    given = {level: f"{level.name.replace('_', ' ').title()} {'.'.join(parts[:n])}"
             for level, n in cut.items()}
    return SpendingLine(code, {**given, **(names or {})}, amount, **fields)


def expected_names(lines: Sequence[SpendingLine], normalise=lambda c: c) -> dict[str, str]:
    """{code: name} of every level the lines name, codes through `normalise`."""
    found: dict[str, str] = {}
    for item in lines:
        for level in LEVELS:
            found.setdefault(normalise(item.code(level)),
                             " ".join(item.names.get(level, "").split()))
    return found


# --- flat rekap ------------------------------------------------------------------------------

def flat_rekap(path: Path, lines: Sequence[SpendingLine], *, blank_kelompok_rows: int = 0,
               **layout) -> Path:
    """The flat rekap; `layout` as RekapLayout's fields. blank_kelompok_rows: that many
    rows after the data with only NO filled (a kelompok with nothing in it)."""
    layout = RekapLayout(**layout)
    write_flat_rekap(path, lines, layout)
    blanks = [[len(lines) + n + 1] + [""] * (len(header(layout)) - 1)
              for n in range(blank_kelompok_rows)]
    if path.suffix.lower() == ".csv":
        with path.open("a", encoding="utf-8", newline="") as f:
            csv.writer(f, delimiter=";").writerows(blanks)
    elif blanks:
        book = openpyxl.load_workbook(path)
        for row in blanks:
            book.active.append(row[:1])
        book.save(path)
    return path


# --- per-SKPD table --------------------------------------------------------------------------

@dataclass(frozen=True)
class SkpdSheet:
    skpd: tuple[str, str]  # ("1.01.2.22.0.00.01.0000", "Dinas Pendidikan dan Kebudayaan")
    lines: Sequence[SpendingLine]  # sub kegiatan with their amounts (ints)
    sheet: str | None = None  # default: the SKPD's code


TABLE_HEADER = ["Kode", "Urusan / Bidang Urusan / Program / Kegiatan / Sub Kegiatan",
                "Indikator Kinerja", "Target 2024", "Pagu Indikatif\n(Rp)"]


def skpd_table(path: Path, sheets: Sequence[SkpdSheet], *, year: int = 2024,
               region: str = "KABUPATEN CONTOH", money_text: bool = False,
               break_names: bool = True, column_numbers: bool = True,
               skpd_cell: str = "code") -> Path:
    """The per-SKPD table. money_text: amounts typed as "1.500.000,00"; break_names: names
    longer than 40 characters broken over two lines; skpd_cell: "code" (code and name in
    the Kode cell), "name" (in the name cell), "split" (code in Kode, name beside it)."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for table in sheets:
        ws = book.create_sheet(table.sheet or table.skpd[0][:31])
        for text in ("Tabel IV.3", f"Ringkasan KUA PPAS Tahun {year}", region, ""):
            ws.append([text])
        ws.append(TABLE_HEADER)
        if column_numbers:
            ws.append([str(n) for n in range(1, len(TABLE_HEADER) + 1)])
        money = (lambda n: f"{thousands(n)},00") if money_text else (lambda n: n)
        total = sum(item.amount for item in table.lines)
        code, name = table.skpd
        ws.append({"code": [f"{code} {name}", None],
                   "name": [None, f"{code} {name}"],
                   "split": [code, name]}[skpd_cell] + [None, None, money(total)])
        for level_code, level_name, level, amount in _tree(table.lines):
            if break_names and len(level_name) > 40:
                cut = level_name.rfind(" ", 0, len(level_name) // 2 + 5)
                level_name = f"{level_name[:cut]}\n\n{level_name[cut + 1:]}"
            indicator = "Persentase capaian" if level >= Level.PROGRAM else None
            ws.append([level_code, level_name, indicator, "100%" if indicator else None,
                       money(amount)])
        ws.append([None, "JUMLAH", None, None, money(total)])
    book.save(path)
    return path


def _tree(lines: Sequence[SpendingLine]):
    """(code, name, level, amount) of every level, in tree order, amounts summed."""
    order: dict[str, tuple[str, Level]] = {}
    sums: dict[str, int] = {}
    for item in lines:
        for level in LEVELS:
            code = item.code(level)
            order.setdefault(code, (item.names.get(level, ""), level))
            sums[code] = sums.get(code, 0) + item.amount
    return [(code, name, level, sums[code]) for code, (name, level) in order.items()]


# --- sub kegiatan lists ----------------------------------------------------------------------

def sub_kegiatan_list(path: Path, entries: Sequence[tuple[str, str]], *,
                      second_code: Mapping[str, str] | None = None,
                      per_skpd: Sequence[tuple[tuple[str, str], Sequence[tuple[str, str]]]]
                      | None = None, name_header: str = "Sub Kegiatan",
                      skpd_in_one_cell: bool = True, second_first: bool = False) -> Path:
    """`Kode | Sub Kegiatan` rows. second_code: {code: other code} written in a second
    `Kode` column after the name (second_first: before the list's own `Kode`); per_skpd:
    ((skpd code, name), entries) per sheet, each under a "SUBKEGIATAN" title and an SKPD
    row (in one cell, or code and name apart)."""
    second = second_code is not None
    head = (["Kode"] if second and second_first else []) + ["Kode", name_header] + \
        (["Kode"] if second and not second_first else [])

    def body(items):
        if not second:
            return [[code, name] for code, name in items]
        if second_first:
            return [[second_code.get(code, ""), code, name] for code, name in items]
        return [[code, name, second_code.get(code, "")] for code, name in items]

    if per_skpd is None:
        return _write(path, {"Sub Kegiatan": [head, *body(entries)]})
    sheets = {}
    for (code, name), items in per_skpd:
        skpd_row = [f"{code} {name}"] if skpd_in_one_cell else [code, name]
        sheets[code[:31]] = [["SUBKEGIATAN"], [], head, skpd_row, *body(items)]
    return _write(path, sheets)


def _write(path: Path, sheets: Mapping[str, list[list[object]]]) -> Path:
    """Rows as .xlsx (one sheet each) or as a `;` CSV (the first sheet)."""
    if path.suffix.lower() == ".csv":
        with path.open("w", encoding="utf-8-sig", newline="") as f:
            csv.writer(f, delimiter=";").writerows(next(iter(sheets.values())))
        return path
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        ws = book.create_sheet(name)
        for row in rows:
            ws.append(row)
    book.save(path)
    return path
