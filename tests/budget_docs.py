"""SIPD documents as the reader returns them (read.sipd), for the aggregation tests, and
the accepted programs as the consolidation holds them."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from pipeline.assemble.consolidate import build
from pipeline.config import Config
from pipeline.read.budget_docs import BudgetDocument, compact_rows, document_stage
from pipeline.read.references import normalise_code
from pipeline.read.sipd import Level, SipdDocument, SipdEntry, SkippedRow, Skpd
from pipeline.results import OpdStatus, PlanStatus

DINKES_SKPD = ("1.02.0.00.0.00.01.0000", "Dinas Kesehatan")
RSUD_UNIT = ("1.02.0.00.0.00.01.0001", "RSUD Pandan")
DUKCAPIL_SKPD = ("2.12.0.00.0.00.01.0000", "Dinas Kependudukan dan Pencatatan Sipil")

_LEVELS = {1: Level.URUSAN, 2: Level.BIDANG_URUSAN, 3: Level.PROGRAM, 5: Level.KEGIATAN,
           6: Level.SUB_KEGIATAN}


def entry(code: str, amount: int | None, skpd=DUKCAPIL_SKPD, unit=None, *, row: int = 0,
          counted: bool = True, year: int | None = None, realised: int | None = None,
          sheet: str = "Rekap") -> SipdEntry:
    code = normalise_code(code)
    return SipdEntry(sheet, row, code, _LEVELS[len(code.split("."))], {}, Skpd(*skpd) if skpd
                     else None, Skpd(*unit) if unit else None, amount, realised, year, None,
                     counted)


def sipd(entries: list[SipdEntry], title: tuple[str, ...] = (), realised: bool = False,
         skipped: tuple[SkippedRow, ...] = ()) -> SipdDocument:
    numbered = [e if e.row else SipdEntry(**{**e.__dict__, "row": i + 2})
                for i, e in enumerate(entries)]
    return SipdDocument(Path("x.xlsx"), "rekap datar", ("Rekap",), title, tuple(numbered),
                        skipped, (), True, realised)


def document(file: str, year: int, entries: list[SipdEntry], **kwargs) -> BudgetDocument:
    doc = sipd(entries, **kwargs)
    stage, stage_from = document_stage(doc.title_lines, file)
    return BudgetDocument(file, file, 0.0, year, "nama berkas", stage, stage_from, doc.form,
                          doc.sheets, compact_rows(doc), doc.skipped, doc.warnings,
                          doc.has_realised)


def programs(cfg: Config, rows: list[tuple[str, str, str | None, str, dict[int, int]]]
             ) -> pd.DataFrame:
    """The consolidated programs: (OPD code, name, code, dimension, {year: budget})."""
    statuses, plans = {}, []
    for n, (opd, name, code, dimension, budgets) in enumerate(rows, start=1):
        o = cfg.opd_by_code[opd]
        status = statuses.setdefault(opd, OpdStatus(o.kode, o.nama, o.singkatan,
                                                    PlanStatus.ACCEPTED, counted_file=f"{opd}.xlsx",
                                                    counted_sha256=f"sha-{opd}"))
        row = {"nama_program": name, "kode_nomenklatur": code, "dimensi": dimension,
               "elemen": cfg.dimensions[dimension][0], "row": n + 3,
               **{f"anggaran_{y}": budgets.get(y, 0) for y in cfg.years}}
        plans.append((status.counted_sha256, row))
    return build(cfg, list(statuses.values()), plans).wide
