"""The rekap's `Keselarasan RPJMD` sheet (only with a [rujukan] rpjmd list).

Each RPJMD/RPD program with its OPDs, how many masterplan programs refer to it and
their budget over the period; below, the RPJMD programs no masterplan program refers to.
Written top to bottom (constant_memory, see the package's docstring).
"""

from __future__ import annotations

import pandas as pd
from xlsxwriter.worksheet import Worksheet

from ..xlbook import Book, filter_rows

SHEET_ALIGNMENT = "Keselarasan RPJMD"
ALIGNMENT_HEADERS = ("No", "Program RPJMD/RPD", "Kode", "OPD Penanggung Jawab",
                     "Jumlah Program Masterplan", "Anggaran Periode (Rp)",
                     "OPD yang Merujuk")
ALIGNMENT_WIDTHS = (6, 50, 14, 26, 14, 20, 26)
UNREFERENCED_TITLE = "Program RPJMD/RPD yang belum dirujuk program masterplan mana pun"


def alignment_sheet(book: Book, ws: Worksheet, table: pd.DataFrame) -> None:
    cfg = book.cfg
    referred = int((table["programs"] > 0).sum())
    rows = book.table_sheet(ws, f"Keselarasan dengan RPJMD/RPD - {cfg.region_name}",
                            f"{len(table)} program RPJMD/RPD: {referred} dirujuk program "
                            f"masterplan, {len(table) - referred} belum. Dibuat "
                            f"{book.generated_at}.", ALIGNMENT_HEADERS, ALIGNMENT_WIDTHS,
                            print_title=SHEET_ALIGNMENT, wrap=(1, 3, 6))
    formats = [book.ordinal, book.wrap, book.text, book.wrap, book.integer, book.money,
               book.wrap]
    for number, row in enumerate(table.itertuples(index=False), start=1):
        rows.put([number, row.program_rpjmd, row.kode, row.opd, row.programs, row.anggaran,
                  row.opd_perujuk], formats)
    filter_rows(ws, rows.next - 1, len(ALIGNMENT_HEADERS) - 1)
    unreferenced = table[table["programs"] == 0]
    rows.skip()
    rows.put([UNREFERENCED_TITLE], [book.header])
    if unreferenced.empty:
        rows.put(["(semua program RPJMD/RPD sudah dirujuk)"], [book.text])
    for number, row in enumerate(unreferenced.itertuples(index=False), start=1):
        rows.put([number, row.program_rpjmd, row.kode, row.opd],
                 [book.ordinal, book.wrap, book.text, book.wrap])
