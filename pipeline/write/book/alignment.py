"""The book's chapter `Keselarasan dengan RPJMD/RPD` (only with a [rujukan] rpjmd list):
the same table as the rekap's `Keselarasan RPJMD` sheet (assemble.consolidate
`rpjmd_alignment`), for the editor."""

from __future__ import annotations

from ...common.idtext import rupiah


def alignment_chapter(book) -> None:
    """book: document.BookDocument, whose consolidation has its alignment table."""
    table = book.cons.alignment
    referred = table[table["programs"] > 0]
    unreferenced = table[table["programs"] == 0]
    book.chapter_heading("Keselarasan dengan RPJMD/RPD", landscape=True)
    book.paragraph(f"Dari {len(table)} program RPJMD/RPD, {len(referred)} dirujuk oleh "
                   f"program masterplan dan {len(unreferenced)} belum dirujuk. Anggaran "
                   f"adalah jumlah selama periode {book.cfg.period_label}.")
    book.table("Program RPJMD/RPD dan program masterplan yang merujuknya",
               [("No", 0.6, True), ("Program RPJMD/RPD", 5), ("Kode", 1.6),
                ("OPD Penanggung Jawab", 2.6), ("Program Masterplan", 1.4, True),
                ("Anggaran", 2.6, True), ("OPD yang Merujuk", 2.6)],
               ([str(i), row.program_rpjmd, row.kode or "-", row.opd or "-",
                 str(row.programs), rupiah(row.anggaran) if row.programs else "-",
                 row.opd_perujuk or "-"]
                for i, row in enumerate(table.itertuples(index=False), start=1)))
    book.heading("Program RPJMD/RPD yang belum dirujuk", 2)
    if unreferenced.empty:
        book.paragraph("Semua program RPJMD/RPD telah dirujuk oleh program masterplan.")
    for row in unreferenced.itertuples(index=False):
        owners = f" ({row.opd})" if row.opd else ""
        book.bullet(f"{row.program_rpjmd}{owners}")
