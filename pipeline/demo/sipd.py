"""Writing a SIPD flat rekap: one row per spending line, as SIPD-RI exports it.

The demo ships its nomenclature in this form (`nomenclature_rekap`), and `masterplan
pantau`'s demo ships a fictional APBD download written by the same `write_flat_rekap`.
Tests build their fixtures through it too (tests/sipd_files.py), so the columns, their
order and spelling are the ones a regency's download has:

    NO, TAHUN, KODE URUSAN, NAMA URUSAN, KODE SKPD, NAMA SKPD, KODE SUB UNIT, NAMA SUB UNIT,
    KODE BIDANG URUSAN, NAMA BIDANG URUSAN, KODE PROGRAM, NAMA PROGRAM, KODE KEGIATAN,
    NAMA KEGIATAN, KODE SUB KEGIATAN, NAMA SUB KEGIATAN, KODE SUMBER DANA, NAMA SUMBER DANA,
    KODE REKENING, NAMA REKENING, [PAKET/KELOMPOK, NAMA PAKET/KELOMPOK,] PAGU[, REALISASI]
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import xlsxwriter

from ..read.sipd import Level

# Codes of each level, by the number of dotted parts of the sub kegiatan code they take.
_PARTS = {Level.URUSAN: 1, Level.BIDANG_URUSAN: 2, Level.PROGRAM: 3, Level.KEGIATAN: 5,
          Level.SUB_KEGIATAN: 6}
DEMO_SKPD = ("1.01.2.22.0.00.01.0000", "Dinas Pendidikan dan Kebudayaan")


@dataclass(frozen=True)
class SpendingLine:
    """One spending line of a SIPD download (a rekening under one sub kegiatan).

    `names` gives each level's name (a missing level is written blank); `amount` and
    `realised` are written as given: an int as a number, a str as typed text
    ("Rp 1.500.000,00").
    """

    sub_kegiatan: str  # as written: "1.01.02.2.01.0001", "X.XX.01.2.01.0001", "2.16.02.2.01.01"
    names: Mapping[Level, str]
    amount: int | str | None
    skpd: tuple[str, str] = DEMO_SKPD
    sub_unit: tuple[str, str] | None = None  # None: the SKPD itself
    year: int | None = 2025
    realised: int | str | None = None
    sumber_dana: tuple[str, str] = ("1.2.01.01.01.0001", "DAU - Dana Alokasi Umum")
    rekening: tuple[str, str] = ("5.1.02.01.01.0024", "Belanja Alat/Bahan untuk Kegiatan "
                                                      "Kantor-Alat Tulis Kantor")
    kelompok: tuple[str, str] | None = None  # PAKET/KELOMPOK: ("[#]", "Rapat koordinasi")

    def code(self, level: Level) -> str:
        """This line's code at a level, as written ("X.XX.01.2.01.0001" -> "X.XX.01")."""
        return ".".join(self.sub_kegiatan.split(".")[:_PARTS[level]])


@dataclass(frozen=True)
class RekapLayout:
    """Which optional columns a download has, and how its header is spelled."""

    year: bool = True
    kelompok: bool = True
    realised: bool = False
    title_lines: Sequence[str] = ()  # text rows above the header
    header_case: str = "upper"  # "upper" as SIPD, "title" as retyped ("Kode Program")
    sheet: str = "Sheet1"
    shared_strings: bool = False  # as Excel saves; False streams (xlsxwriter constant_memory)
    extra_header: Mapping[str, str] = field(default_factory=dict)  # renamed columns


def header(layout: RekapLayout) -> list[str]:
    names = ["NO"] + (["TAHUN"] if layout.year else [])
    names += ["KODE URUSAN", "NAMA URUSAN", "KODE SKPD", "NAMA SKPD", "KODE SUB UNIT",
              "NAMA SUB UNIT", "KODE BIDANG URUSAN", "NAMA BIDANG URUSAN", "KODE PROGRAM",
              "NAMA PROGRAM", "KODE KEGIATAN", "NAMA KEGIATAN", "KODE SUB KEGIATAN",
              "NAMA SUB KEGIATAN", "KODE SUMBER DANA", "NAMA SUMBER DANA", "KODE REKENING",
              "NAMA REKENING"]
    if layout.kelompok:
        names += ["PAKET/KELOMPOK", "NAMA PAKET/KELOMPOK"]
    names += ["PAGU"] + (["REALISASI"] if layout.realised else [])
    names = [layout.extra_header.get(name, name) for name in names]
    return [name.title() if layout.header_case == "title" else name for name in names]


def rows(lines: Iterable[SpendingLine], layout: RekapLayout) -> Iterable[list[object]]:
    """The data rows, numbered from 1, in the header's column order."""
    for number, line in enumerate(lines, 1):
        sub_unit = line.sub_unit or line.skpd
        kelompok = line.kelompok or ("", "")
        row: list[object] = [number] + ([line.year or ""] if layout.year else [])
        row += [line.code(Level.URUSAN), line.names.get(Level.URUSAN, ""), *line.skpd,
                *sub_unit]
        for level in (Level.BIDANG_URUSAN, Level.PROGRAM, Level.KEGIATAN,
                      Level.SUB_KEGIATAN):
            row += [line.code(level), line.names.get(level, "")]
        row += [*line.sumber_dana, *line.rekening]
        if layout.kelompok:
            row += list(kelompok)
        row.append("" if line.amount is None else line.amount)
        if layout.realised:
            row.append("" if line.realised is None else line.realised)
        yield row


def write_flat_rekap(path: Path, lines: Iterable[SpendingLine],
                     layout: RekapLayout = RekapLayout()) -> Path:
    """Write the lines as a flat rekap: .xlsx (xlsxwriter) or .csv (`;`, as an export opened
    and saved by Excel with Indonesian settings)."""
    path = Path(path)
    if path.suffix.lower() == ".csv":
        with path.open("w", encoding="utf-8-sig", newline="") as f:
            out = csv.writer(f, delimiter=";")
            out.writerows([line] for line in layout.title_lines)
            out.writerow(header(layout))
            out.writerows(rows(lines, layout))
        return path
    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": not layout.shared_strings})
    sheet = workbook.add_worksheet(layout.sheet)
    bold = workbook.add_format({"bold": True, "text_wrap": True})
    for at, line in enumerate(layout.title_lines):
        sheet.write_string(at, 0, line, bold)
    first = len(layout.title_lines)
    sheet.write_row(first, 0, header(layout), bold)
    for at, row in enumerate(rows(lines, layout), first + 1):
        for column, value in enumerate(row):
            if isinstance(value, str):
                if value:
                    sheet.write_string(at, column, value)
            else:
                sheet.write_number(at, column, value)
    workbook.close()
    return path


def nomenclature_lines(entries: Sequence[tuple[str, str]], *, skpd: tuple[str, str] =
                       DEMO_SKPD, year: int | None = None, amount: int = 0
                       ) -> list[SpendingLine]:
    """One line per sub kegiatan of a nomenclature list ((code, name) in tree order), with
    the names of the levels above it as the list gives them."""
    names = dict(entries)
    lines = []
    for code, name in entries:
        parts = code.split(".")
        if len(parts) != 6:
            continue
        above = {level: names.get(".".join(parts[:n]), "") for level, n in _PARTS.items()}
        lines.append(SpendingLine(code, {**above, Level.SUB_KEGIATAN: name}, amount,
                                  skpd=skpd, year=year))
    return lines
