"""The regency's budget documents in `anggaran/` (`masterplan pantau`), one file at a time.

A document is a SIPD download (or a table made from one) of one year and one stage:
RKPD, KUA-PPAS, APBD, perubahan, realisasi, ... Each file is read by the one SIPD reader
(read.sipd), which runs the inbox's safety pass first (read.sheets -> read.safety: a
hostile or broken workbook never reaches a parser), and is then given its year and stage:

- year: the `TAHUN` column, else a year in its title rows ("Tahun 2025", "TA 2025"), else
  a four-digit year in its file name, then in its folders (innermost first);
- stage: the first stage word (results.Stage) found in its title, its folders or its
  file name; else the file's name.

A file with no year, no amounts or a year outside the masterplan's period is set aside
with one Indonesian line naming the file and the fix. What is kept of a read document
is compact (`Rows`: codes and SKPDs as categories, amounts as integers), so ten years of
50,000-row downloads fit in memory side by side. Nothing here writes to `anggaran/`.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath

import numpy as np
import pandas as pd

from ..catalogue import Code, Severity, render
from ..results import Stage
from .sheets import UnreadableFile
from .sipd import SipdDocument, SkippedRow, read_sipd

# Where a document's year was found, as the "Dokumen Dibaca" sheet says it.
YEAR_FROM_COLUMN = "kolom TAHUN"
YEAR_FROM_TITLE = "judul dokumen"
YEAR_FROM_NAME = "nama berkas"
YEAR_FROM_FOLDER = "nama folder"
STAGE_FROM_NAME_ONLY = "nama berkas (tahap tidak dikenali)"

_TITLE_YEAR = re.compile(r"\b(?:tahun(?:\s+anggaran)?|t\.?\s?a\.?)\s*[:.]?\s*((?:19|20)\d{2})\b",
                         re.IGNORECASE)
_ANY_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
# Most specific first: "Realisasi APBD" is realisasi, "APBD Perubahan" perubahan,
# "Rancangan KUA-PPAS" kua-ppas. Matched on lower-case text with _ - . / as spaces.
_STAGE_WORDS: tuple[tuple[Stage, re.Pattern], ...] = tuple(
    (stage, re.compile(pattern)) for stage, pattern in (
        (Stage.REALISASI, r"\brealisasi\b"),
        (Stage.PERUBAHAN, r"\bperubahan\b|\bapbd ?p\b|\bp ?apbd\b"),
        (Stage.PERGESERAN, r"\bpergeseran\b"),
        (Stage.DPA, r"\bdpa\b"),
        (Stage.KUA_PPAS, r"\bkua\b|\bppas\b"),
        (Stage.RENJA, r"\brenja\b"),
        (Stage.RKPD, r"\brkpd\b"),
        (Stage.APBD, r"\bapbd\b|\bmurni\b"),
    ))


@dataclass(frozen=True)
class Rows:
    """A document's entries, column-wise: one element per entry the reader returned."""

    sheet: pd.Categorical
    row: np.ndarray  # int32, 1-based row in its sheet
    code: pd.Categorical  # normalised nomenclature code
    skpd: np.ndarray  # int32: index into `skpds`
    skpds: tuple[tuple[str | None, str | None, str | None, str | None], ...]  # SKPD
    # code and name, sub unit code and name
    amount: np.ndarray  # int64, 0 where the row has none
    realised: np.ndarray  # int64, 0 where the row has none
    counted: np.ndarray  # bool: summing these counts each rupiah once (read.sipd)

    def __len__(self) -> int:
        return len(self.row)


@dataclass(frozen=True)
class BudgetDocument:
    """A document read from `anggaran/`, with its year and stage."""

    file: str  # under anggaran/, forward slashes
    sha256: str
    modified: float  # the file's time: of two documents of one year and stage, the newer counts
    year: int
    year_from: str
    stage: str  # a results.Stage, or the file's name when no stage word was found
    stage_from: str
    form: str  # the form the reader recognised
    sheets: tuple[str, ...]
    rows: Rows
    skipped: tuple[SkippedRow, ...]
    warnings: tuple[str, ...]
    has_realised: bool


@dataclass(frozen=True)
class SetAside:
    """A file of `anggaran/` that is not counted: refused, ignored, a copy or replaced."""

    file: str
    code: Code
    message: str  # one Indonesian line, naming the file and what to do

    @property
    def refused(self) -> bool:
        return self.code.severity is Severity.ERROR


def set_aside(file: str, code: Code, **params) -> SetAside:
    message = render(code, file_name=file, **params)
    if "{file_name}" not in code.template:
        message = f"{file}: {message}"
    return SetAside(file, code, message)


def read_task(item: tuple[Path, str, str, float], years: range) -> BudgetDocument | SetAside:
    """read_document of (path, file, sha256, modified), for a worker process."""
    return read_document(*item, years=years)


def read_document(path: Path, file: str, sha256: str, modified: float,
                  years: range) -> BudgetDocument | SetAside:
    """Read one file of `anggaran/` (`file` its path there); never raises for a bad file."""
    try:
        doc = read_sipd(path)  # the safety pass first (read.sheets), as for the inbox
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # noqa: BLE001  a reader panic (calamine) is a bad file too
        why = str(exc).strip().splitlines()[0][:300] if str(exc).strip() else ""
        detail = why.rstrip(".") if isinstance(exc, UnreadableFile) else \
            f"pembacaan gagal ({type(exc).__name__})"
        return set_aside(file, Code.ANGGARAN_TIDAK_TERBACA, detail=detail)
    if not doc.has_amounts:
        return set_aside(file, Code.ANGGARAN_TANPA_PAGU, detail=doc.form)
    year, year_from = document_year(doc, file)
    if year is None:
        return set_aside(file, Code.ANGGARAN_TANPA_TAHUN)
    if year not in years:
        return set_aside(file, Code.ANGGARAN_DI_LUAR_PERIODE, found=year,
                         expected=f"{years.start}-{years.stop - 1}")
    stage, stage_from = document_stage(doc.title_lines, file)
    skipped = doc.skipped
    other_years = [e for e in doc.entries if e.year is not None and e.year != year]
    if other_years:  # a rekap of several years counts for its most common year only
        skipped += tuple(SkippedRow(e.sheet, e.row, f"TAHUN {e.year}, bukan {year} (tahun "
                                    "dokumen ini); tidak dihitung") for e in other_years)
        doc = replace(doc, entries=tuple(e for e in doc.entries
                                         if e.year is None or e.year == year))
    return BudgetDocument(file, sha256, modified, year, year_from, stage, stage_from, doc.form,
                          doc.sheets, compact_rows(doc), skipped, doc.warnings,
                          doc.has_realised)


# --- year and stage ------------------------------------------------------------------------

def document_year(doc: SipdDocument, file: str) -> tuple[int | None, str]:
    """The document's year and where it was found (see the module docstring)."""
    in_column = Counter(e.year for e in doc.entries if e.year is not None)
    if in_column:
        return in_column.most_common(1)[0][0], YEAR_FROM_COLUMN
    for line in doc.title_lines:
        found = _TITLE_YEAR.search(line or "")
        if found:
            return int(found.group(1)), YEAR_FROM_TITLE
    parts = PurePosixPath(file).parts
    found = _ANY_YEAR.findall(PurePosixPath(parts[-1]).stem)
    if found:
        return int(found[-1]), YEAR_FROM_NAME
    for folder in reversed(parts[:-1]):
        found = _ANY_YEAR.findall(folder)
        if found:
            return int(found[-1]), YEAR_FROM_FOLDER
    return None, ""


def document_stage(title_lines: tuple[str, ...], file: str) -> tuple[str, str]:
    """The document's stage and where it was found: title, folders, file name."""
    parts = PurePosixPath(file).parts
    places = ((YEAR_FROM_TITLE, " ".join(line or "" for line in title_lines)),
              (YEAR_FROM_FOLDER, " ".join(reversed(parts[:-1]))),
              (YEAR_FROM_NAME, PurePosixPath(parts[-1]).stem))
    for place, text in places:
        words = re.sub(r"[_\-./\\]+", " ", text.lower())
        for stage, pattern in _STAGE_WORDS:
            if pattern.search(words):
                return stage, place
    return PurePosixPath(parts[-1]).stem, STAGE_FROM_NAME_ONLY


def stage_label(stage: str) -> str:
    """'APBD Perubahan' for a stage word; a file name stays as it is."""
    return Stage(stage).label if stage in Stage._value2member_map_ else stage


def stage_rank(stage: str) -> tuple[int, str]:
    """Sort key: the budget year's order, then documents named by their file."""
    members = list(Stage)
    return (members.index(Stage(stage)), "") if stage in Stage._value2member_map_ else \
        (len(members), stage)


# --- compact rows --------------------------------------------------------------------------

def compact_rows(doc: SipdDocument) -> Rows:
    """The entries column-wise, in one pass (a 50,000-row document: about a tenth of its
    read)."""
    keys: dict[tuple, int] = {}
    sheets, rows, codes, skpds, amounts, realised, counted = [], [], [], [], [], [], []
    for e in doc.entries:
        skpd, unit = e.skpd, e.sub_unit
        key = (skpd.code, skpd.name, unit.code, unit.name) if skpd and unit else \
            (skpd.code if skpd else None, skpd.name if skpd else None,
             unit.code if unit else None, unit.name if unit else None)
        index = keys.get(key)
        if index is None:
            index = keys[key] = len(keys)
        sheets.append(e.sheet)
        rows.append(e.row)
        codes.append(e.code)
        skpds.append(index)
        amounts.append(e.amount or 0)
        realised.append(e.realised or 0)
        counted.append(e.counted)
    return Rows(sheet=pd.Categorical(sheets), row=np.array(rows, dtype=np.int32),
                code=pd.Categorical(codes), skpd=np.array(skpds, dtype=np.int32),
                skpds=tuple(keys), amount=np.array(amounts, dtype=np.int64),
                realised=np.array(realised, dtype=np.int64),
                counted=np.array(counted, dtype=bool))
