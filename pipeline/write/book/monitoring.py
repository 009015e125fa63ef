"""The book's chapter `Keterlaksanaan Masterplan` (only when `anggaran/` holds documents):
the same figures as `masterplan pantau`'s workbook (assemble.monitoring), for the editor
and for Kominfo's yearly evaluation (how far each planned program was carried out)."""

from __future__ import annotations

from ...assemble.monitoring import Monitoring
from ...common.idtext import decimal, rupiah
from ...read.budget_docs import stage_label
from ...results import BudgetStatus


def _percent(value) -> str:
    return "-" if value is None or value != value else f"{decimal(value, 1)}%"


def monitoring_chapter(book, mon: Monitoring) -> None:
    """book: document.BookDocument."""
    book.chapter_heading("Keterlaksanaan Masterplan", landscape=True)
    documents = ", ".join(f"{stage_label(d.stage)} {d.year} ({d.file})" for d in mon.documents)
    book.paragraph(
        "Bab ini menunjukkan sejauh mana program masterplan yang direncanakan pada suatu "
        "tahun (anggaran tahun itu di atas 0) tercantum dalam dokumen perencanaan dan "
        f"penganggaran daerah tahun yang sama. Dokumen yang dibaca: {documents}. Sebuah "
        "program dianggarkan bila ada pagu di atas 0 di bawah kode nomenklaturnya pada SKPD "
        "OPD-nya; tercantum tanpa pagu bila kodenya ada dengan pagu 0; tanpa kode bila "
        "program tidak punya kode nomenklatur sehingga tidak dapat ditelusuri.")
    book.table("Program masterplan yang dianggarkan per tahun dan tahap",
               [("Tahun", 1), ("Tahap", 1.8), ("Program Direncanakan", 1.6, True),
                ("Program Dianggarkan", 1.6, True), ("% Program", 1.2, True),
                ("Anggaran Rencana", 2.6, True), ("Anggaran Dokumen", 2.6, True),
                ("% Anggaran", 1.2, True)],
               ([str(r.tahun), stage_label(r.tahap), str(r.program_rencana),
                 str(r.program_dianggarkan), _percent(r.persen_program),
                 rupiah(r.anggaran_rencana), rupiah(r.anggaran_dokumen),
                 _percent(r.persen_anggaran)] for r in mon.summary.itertuples(index=False)),
               keep_together=True)
    for r in mon.summary.itertuples(index=False):
        book.bullet(mon.headline(r) + ".")
    # The same table per dimension and per OPD: (title, first column, its width, figures).
    for title, name, width, frame, column in (
            ("Program dianggarkan per dimensi", "Dimensi", 3, mon.by_dimension, "dimensi"),
            ("Program dianggarkan per OPD", "OPD", 4, mon.by_opd, "opd_nama")):
        book.table(title,
                   [(name, width), ("Tahun", 1), ("Tahap", 1.8), ("Dianggarkan", 2.2, True),
                    ("% Program", 1.2, True), ("Anggaran Dokumen", 2.6, True)],
                   ([getattr(r, column), str(r.tahun), stage_label(r.tahap),
                     f"{r.program_dianggarkan} dari {r.program_rencana}",
                     _percent(r.persen_program), rupiah(r.anggaran_dokumen)]
                    for r in frame.itertuples(index=False)))
    unfunded = mon.programs[[s is not BudgetStatus.FUNDED for s in mon.programs["status"]]]
    book.heading("Program yang direncanakan tetapi belum dianggarkan", 2)
    if unfunded.empty:
        book.paragraph("Semua program yang direncanakan pada tahun dokumen telah dianggarkan.")
        return
    book.table("Program direncanakan tanpa anggaran dalam dokumen",
               [("OPD", 1.6), ("Program", 5), ("Kode", 2), ("Tahun", 1), ("Tahap", 1.8),
                ("Rencana", 2.4, True), ("Status", 2.2)],
               ([r.opd_singkatan, r.nama, r.kode or "-", str(r.tahun), stage_label(r.tahap),
                 rupiah(r.rencana), str(r.status)]
                for r in unfunded.itertuples(index=False)))
