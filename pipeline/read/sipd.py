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

This module states the shape of what the reader returns; `read_sipd` is the reader.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from pathlib import Path


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
    amount: int | None  # PAGU / Pagu Indikatif / Nilai / Anggaran, whole rupiah
    realised: int | None  # Realisasi, when the document has it
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
    title_lines: tuple[str, ...]  # text above the header row(s), first sheet first
    entries: tuple[SipdEntry, ...]
    skipped: tuple[SkippedRow, ...]
    warnings: tuple[str, ...]  # Indonesian: a likely misread, named with what was expected
    has_amounts: bool
    has_realised: bool

    def names(self) -> dict[str, str]:
        """Every code the document names, at every level, with its name ("" if none)."""
        raise NotImplementedError

    def codes_per_level(self) -> dict[Level, int]:
        raise NotImplementedError


def read_sipd(path: Path) -> SipdDocument:
    """Read one SIPD download or table made from one (.xlsx, .xls, .ods, .csv)."""
    raise NotImplementedError
