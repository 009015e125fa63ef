"""`output/keterlaksanaan_masterplan.xlsx`, `output/data/keterlaksanaan.csv` and the
`--json` of `masterplan pantau`, from assemble.monitoring's figures.

The workbook in the rekap's style (xlbook: titles, formats, print setup; every value
written with its type, text always as text): Ringkasan (the headline per year and
stage, the stages of each year side by side, the share per dimension with its chart),
then Per OPD, Per Dimensi, Antar Tahap (a program's status in each stage of its year),
Rincian Program (one row per program and document, with the document's rows it sums),
Rencana Tanpa Anggaran, Pemetaan SKPD, Dokumen and Baris Dilewati. Written as the rekap
is (constant_memory, every row top to bottom through `xlbook.Rows`, the chart given its
data).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from xlsxwriter.worksheet import Worksheet

from ... import layout
from ...assemble.monitoring import Monitoring
from ...common import xlstyle
from ...common.atomic import atomic_path
from ...config import Config
from ...read.budget_docs import SetAside, stage_label, stage_rank
from ...results import BudgetStatus, FileState
from ..xlbook import Book, Rows, constant_memory_workbook, escape_formulas, filter_rows
from .summary import share_matrix, summary_sheet

SHEET_SUMMARY = "Ringkasan"
SHEET_OPD = "Per OPD"
SHEET_DIMENSION = "Per Dimensi"
SHEET_STAGES = "Antar Tahap"
SHEET_DETAIL = "Rincian Program"
SHEET_UNFUNDED = "Rencana Tanpa Anggaran"
SHEET_SKPD = "Pemetaan SKPD"
SHEET_DOCUMENTS = "Dokumen"
SHEET_SKIPPED = "Baris Dilewati"
SHEETS = (SHEET_SUMMARY, SHEET_OPD, SHEET_DIMENSION, SHEET_STAGES, SHEET_DETAIL,
          SHEET_UNFUNDED, SHEET_SKPD, SHEET_DOCUMENTS, SHEET_SKIPPED)
STATUS_FILLS = {BudgetStatus.FUNDED: xlstyle.GOOD_FILL, BudgetStatus.LISTED: xlstyle.NEUTRAL_FILL,
                BudgetStatus.ABSENT: xlstyle.BAD_FILL, BudgetStatus.NO_CODE: xlstyle.EMPTY_FILL}


def write_monitoring(output: Path, cfg: Config, mon: Monitoring,
                     set_aside: list[SetAside], generated_at: str) -> tuple[Path, Path]:
    """Write the workbook and the CSV (atomically); returns their paths."""
    workbook_path = output / layout.MONITORING_NAME
    csv_path = output / layout.DATA_DIR / layout.MONITORING_CSV
    csv_path.parent.mkdir(parents=True, exist_ok=True)
    with constant_memory_workbook(workbook_path) as workbook:  # see the rekap package
        _write_sheets(workbook, cfg, mon, set_aside, generated_at)
    with atomic_path(csv_path) as tmp:
        escape_formulas(program_table(mon)).to_csv(tmp, index=False, encoding="utf-8",
                                                   lineterminator="\n")
    return workbook_path, csv_path


def program_table(mon: Monitoring) -> pd.DataFrame:
    """The CSV: every planned program in every document, `tahap` and `status` as words."""
    frame = mon.programs.copy()
    frame["status"] = [str(s) for s in frame["status"]]
    return frame


def json_data(mon: Monitoring | None, documents_only: bool = False) -> dict:
    """`masterplan pantau --json` (the issue's shape): rupiah as integers."""
    if mon is None:
        return {"dokumen": [], "program": [], "ringkasan": []}
    return {
        "dokumen": [{"berkas": d.file, "tahun": d.year, "tahap": str(d.stage),
                     "baris": len(d.rows), "skpd_tanpa_opd": mon.unmapped.get(d.file, [])}
                    for d in mon.documents],
        "program": [{"opd": r.opd, "nama": r.nama,
                     "kode": r.kode if isinstance(r.kode, str) else None, "dimensi": r.dimensi,
                     "tahun": int(r.tahun), "tahap": r.tahap, "rencana": int(r.rencana),
                     "anggaran": _int(r.anggaran), "realisasi": _int(r.anggaran_realisasi),
                     "status": str(r.status)} for r in mon.programs.itertuples(index=False)],
        "ringkasan": [{key: _plain(getattr(r, key)) for key in (
            "tahun", "tahap", "program_rencana", "program_dianggarkan", "persen_program",
            "anggaran_rencana", "anggaran_dokumen", "persen_anggaran")}
            for r in mon.summary.itertuples(index=False)],
    }


def _int(value) -> int | None:
    return None if value is None or value is pd.NA or pd.isna(value) else int(value)


def _plain(value):
    if isinstance(value, str) or value is None:
        return value
    if pd.isna(value):
        return None
    return int(value) if float(value).is_integer() and not isinstance(value, float) else \
        float(value)


# --- the sheets ------------------------------------------------------------------------------

def _write_sheets(workbook, cfg: Config, mon: Monitoring, set_aside: list[SetAside],
                  generated_at: str) -> None:
    workbook.set_properties({
        "title": f"Keterlaksanaan Masterplan Smart City {cfg.region_name}",
        "subject": f"Periode {cfg.period_label}", "author": "masterplan pipeline"})
    book = Book(workbook, cfg, None, generated_at)
    book.status_fills = {status: workbook.add_format({"bg_color": fill})
                         for status, fill in STATUS_FILLS.items()}
    sheets = {name: workbook.add_worksheet(name) for name in SHEETS}
    _group_sheet(book, sheets[SHEET_OPD], mon.by_opd, ["opd", "opd_nama"],
                 ["Kode OPD", "OPD"], (11, 36), "Keterlaksanaan per OPD")
    rows = _group_sheet(book, sheets[SHEET_DIMENSION], mon.by_dimension, ["dimensi"],
                        ["Dimensi"], (20,), "Keterlaksanaan per Dimensi")
    place = share_matrix(book, sheets[SHEET_DIMENSION], rows, mon)
    # Written after Per Dimensi: its chart shows that sheet's share matrix.
    summary_sheet(book, sheets[SHEET_SUMMARY], mon, set_aside, place)
    _stages_sheet(book, sheets[SHEET_STAGES], mon)
    _detail_sheet(book, sheets[SHEET_DETAIL], mon.programs, "Rincian Program per Dokumen",
                  "Setiap program masterplan yang direncanakan pada tahun dokumen; "
                  "Letak Baris menunjuk baris dokumen yang dijumlahkan.")
    unfunded = mon.programs[[s is not BudgetStatus.FUNDED for s in mon.programs["status"]]]
    _detail_sheet(book, sheets[SHEET_UNFUNDED], unfunded, "Program Direncanakan tanpa Anggaran",
                  f"{len(unfunded)} baris: program yang direncanakan pada tahun dokumen tetapi "
                  "tidak dianggarkan di dalamnya.")
    _skpd_sheet(book, sheets[SHEET_SKPD], mon)
    _documents_sheet(book, sheets[SHEET_DOCUMENTS], mon, set_aside)
    _skipped_sheet(book, sheets[SHEET_SKIPPED], mon)
    sheets[SHEET_SUMMARY].activate()


SUMMARY_HEADERS = ("Tahun", "Tahap", "Program Direncanakan", "Program Dianggarkan",
                   "% Program", "Anggaran Rencana (Rp)", "Anggaran Dokumen (Rp)", "% Anggaran")


def _group_sheet(book: Book, ws: Worksheet, frame: pd.DataFrame, columns: list[str],
                 labels: list[str], widths: tuple, title: str) -> Rows:
    all_widths = (5, *widths, 7, 16, 12, 12, 9, 20, 20, 10)
    rows = book.table_sheet(ws, f"{title} - {book.cfg.region_name}",
                            "Program masterplan yang direncanakan pada tahun dokumen dan yang "
                            f"dianggarkan di dalamnya. Dibuat {book.generated_at}.",
                            ["No", *labels, *SUMMARY_HEADERS], all_widths, print_title=title,
                            wrap=range(1, 1 + len(widths)))
    formats = [book.ordinal, *[book.wrap] * len(labels), book.integer, book.wrap, book.integer,
               book.integer, book.number, book.money, book.money, book.number]
    for number, row in enumerate(frame.itertuples(index=False), start=1):
        rows.put([number, *(getattr(row, c) for c in columns), row.tahun,
                  stage_label(row.tahap), row.program_rencana, row.program_dianggarkan,
                  row.persen_program, row.anggaran_rencana, row.anggaran_dokumen,
                  row.persen_anggaran], formats)
    if frame.empty:
        rows.put([None, "Tidak ada program yang direncanakan pada tahun dokumen."], [book.text])
    filter_rows(ws, rows.next - 1, len(all_widths) - 1)
    return rows


def _stages_sheet(book: Book, ws: Worksheet, mon: Monitoring) -> None:
    """One row per program and year, each stage of the year side by side: where a program
    falls out between stages shows."""
    stages = sorted({str(d.stage) for d in mon.documents}, key=stage_rank)
    head = ["No", "OPD", "Program", "Kode", "Dimensi", "Tahun", "Rencana (Rp)"]
    widths = [5, 12, 40, 16, 16, 7, 16] + [16, 14] * len(stages)
    stage_heads = [heading for s in stages
                   for heading in (f"{stage_label(s)} (Rp)", f"Status {stage_label(s)}")]
    rows = book.table_sheet(ws, f"Program per Tahap Anggaran - {book.cfg.region_name}",
                            "Setiap program pada tahun rencananya: jumlah dan status di setiap "
                            "tahap dokumen tahun itu (kosong: tahap itu belum ada). Dibuat "
                            f"{book.generated_at}.", [*head, *stage_heads], widths,
                            print_title="Antar Tahap", freeze_cols=3,
                            wrap=(2, 4, *range(8, len(widths), 2)))
    first = rows.next
    formats = [book.ordinal, book.wrap, book.wrap, book.text, book.wrap, book.integer,
               book.money] + [book.money, book.wrap] * len(stages)
    # One row per program and year, in the order first met; each stage's cells beside.
    rows_of: dict[tuple, tuple[list, dict]] = {}
    for r in mon.programs.itertuples(index=False):
        code = r.kode if isinstance(r.kode, str) else None  # (NaN is no key)
        key = (r.opd, r.nama, r.tahun, code, r.rencana)
        rows_of.setdefault(key, ([r.opd_singkatan, r.nama, code, r.dimensi, int(r.tahun),
                                  int(r.rencana)], {}))[1][r.tahap] = \
            [_int(r.anggaran), str(r.status)]
    for number, (cells, by_stage) in enumerate(rows_of.values(), start=1):
        rows.put_row([number, *cells,
                      *(v for s in stages for v in by_stage.get(s, [None, None]))], formats)
    if rows.next > first:  # blank cells are not written: the grid rules them
        book.grid(ws, first, rows.next - 1, len(widths) - 1)
    _colour_statuses(book, ws, first, rows.next - 1, [8 + 2 * i for i in range(len(stages))])
    filter_rows(ws, rows.next - 1, len(widths) - 1)


DETAIL_HEADERS = ("No", "OPD", "Program", "Kode", "Dimensi", "Tahun", "Tahap", "Dokumen",
                  "Rencana (Rp)", "Anggaran Dokumen (Rp)", "Realisasi (Rp)", "Status",
                  "Jumlah Baris", "Letak Baris", "Kode Bersama dengan")
DETAIL_WIDTHS = (5, 12, 38, 16, 16, 7, 12, 24, 16, 18, 16, 14, 8, 26, 30)
STATUS_COLUMN = DETAIL_HEADERS.index("Status")


def _detail_sheet(book: Book, ws: Worksheet, programs: pd.DataFrame, title: str,
                  subtitle: str) -> None:
    rows = book.table_sheet(ws, f"{title} - {book.cfg.region_name}",
                            f"{subtitle} Dibuat {book.generated_at}.", DETAIL_HEADERS,
                            DETAIL_WIDTHS, print_title=title, freeze_cols=3,
                            wrap=(2, 4, 7, 13, 14))
    formats = [book.ordinal, book.wrap, book.wrap, book.text, book.wrap, book.integer,
               book.text, book.wrap, book.money, book.money, book.money, book.wrap,
               book.integer, book.wrap, book.wrap]
    first = rows.next
    for number, r in enumerate(programs.itertuples(index=False), start=1):
        rows.put_row([number, r.opd_singkatan, r.nama, r.kode if isinstance(r.kode, str)
                      else None, r.dimensi, int(r.tahun), stage_label(r.tahap), r.berkas,
                      int(r.rencana), _int(r.anggaran), _int(r.anggaran_realisasi),
                      str(r.status), int(r.baris), r.letak or None, r.kode_bersama or None],
                     formats)
    if rows.next > first:
        book.grid(ws, first, rows.next - 1, len(DETAIL_HEADERS) - 1)
    if programs.empty:
        rows.put([None, None, "Tidak ada."], [book.text])
    _colour_statuses(book, ws, first, rows.next - 1, [STATUS_COLUMN])
    filter_rows(ws, rows.next - 1, len(DETAIL_HEADERS) - 1)


def _colour_statuses(book: Book, ws: Worksheet, first: int, last: int,
                     columns: list[int]) -> None:
    if last < first:
        return
    for col in columns:
        letter = xlstyle.col_letter(col)
        for status, fmt in book.status_fills.items():
            ws.conditional_format(first, col, last, col, {
                "type": "formula", "criteria": f'=${letter}{first + 1}="{status}"',
                "format": fmt})


SKPD_HEADERS = ("No", "Dokumen", "Tahun", "Tahap", "SKPD / Sub Unit di Dokumen", "OPD",
                "Dipetakan Lewat", "Jumlah Baris", "Pagu (Rp)")
SKPD_WIDTHS = (5, 26, 7, 12, 50, 30, 16, 9, 18)


def _skpd_sheet(book: Book, ws: Worksheet, mon: Monitoring) -> None:
    unmapped = sum(1 for s in mon.skpds if s.opd is None)
    rows = book.table_sheet(ws, f"Pemetaan SKPD ke OPD - {book.cfg.region_name}",
                            f"{len(mon.skpds)} SKPD/sub unit di {len(mon.documents)} dokumen; "
                            f"{unmapped} tidak terpetakan ke OPD mana pun (barisnya tidak "
                            "dihitung untuk program masterplan). Tambahkan kodenya di "
                            "masterplan.toml: [[opd]] sipd = [\"...\"].", SKPD_HEADERS,
                            SKPD_WIDTHS, print_title=SHEET_SKPD, wrap=(1, 4, 5))
    docs = {d.file: d for d in mon.documents}
    opds = book.cfg.opd_by_code
    formats = [book.ordinal, book.wrap, book.integer, book.text, book.wrap, book.wrap,
               book.text, book.integer, book.money]
    first = rows.next
    for number, s in enumerate(sorted(mon.skpds, key=lambda s: s.opd is not None), start=1):
        doc = docs[s.file]
        opd = opds.get(s.opd) if s.opd else None
        rows.put([number, s.file, doc.year, stage_label(doc.stage), s.label,
                  f"{opd.nama} ({opd.kode})" if opd else None, s.via, s.rows, s.amount],
                 formats)
    if first < rows.next and unmapped:
        ws.conditional_format(first, 0, first + unmapped - 1, len(SKPD_HEADERS) - 1, {
            "type": "formula", "criteria": "=TRUE", "format": book.status_fills[
                BudgetStatus.ABSENT]})
    filter_rows(ws, rows.next - 1, len(SKPD_HEADERS) - 1)


DOCUMENT_HEADERS = ("No", "Berkas", "Keadaan", "Tahun", "Tahun dari", "Tahap", "Tahap dari",
                    "Bentuk", "Lembar", "Baris Dibaca", "Baris Dilewati", "Pagu Dihitung (Rp)",
                    "Keterangan")
DOCUMENT_WIDTHS = (5, 30, 10, 7, 13, 12, 14, 14, 18, 9, 9, 20, 50)


def _documents_sheet(book: Book, ws: Worksheet, mon: Monitoring,
                     set_aside: list[SetAside]) -> None:
    rows = book.table_sheet(ws, f"Dokumen di anggaran/ - {book.cfg.region_name}",
                            f"{len(mon.documents)} dokumen dibaca, {len(set_aside)} berkas "
                            "tidak dihitung. Berkas di anggaran/ tidak pernah diubah. Dibuat "
                            f"{book.generated_at}.", DOCUMENT_HEADERS, DOCUMENT_WIDTHS,
                            print_title=SHEET_DOCUMENTS, wrap=(1, 6, 7, 8, 12))
    formats = [book.ordinal, book.wrap, book.text, book.integer, book.text, book.text,
               book.wrap, book.wrap, book.wrap, book.integer, book.integer, book.money,
               book.wrap]
    number = 0
    for number, d in enumerate(mon.documents, start=1):
        counted = int(d.rows.amount[d.rows.counted].sum())
        rows.put([number, d.file, "dibaca", d.year, d.year_from, stage_label(d.stage),
                  d.stage_from, d.form, ", ".join(d.sheets), len(d.rows), len(d.skipped),
                  counted, "; ".join(d.warnings) or None], formats)
    for later, s in enumerate(set_aside, start=number + 1):
        state = FileState.REJECTED.label if s.refused else "tidak dihitung"
        rows.put([later, s.file, state, *[None] * 9, s.message], formats)


SKIPPED_HEADERS = ("No", "Dokumen", "Lembar", "Baris", "Alasan")
SKIPPED_WIDTHS = (6, 34, 18, 8, 70)


def _skipped_sheet(book: Book, ws: Worksheet, mon: Monitoring) -> None:
    total = sum(len(d.skipped) for d in mon.documents)
    rows = book.table_sheet(ws, f"Baris Dokumen yang Dilewati - {book.cfg.region_name}",
                            f"{total} baris dilewati pembaca (baris jumlah, kode atau pagu tidak "
                            "terbaca), masing-masing dengan alasannya.", SKIPPED_HEADERS,
                            SKIPPED_WIDTHS, print_title=SHEET_SKIPPED, wrap=(1, 4),
                            header_height=20)
    number = 0
    for d in mon.documents:
        for skipped in d.skipped:
            number += 1
            rows.put([number, d.file, skipped.sheet, skipped.row, skipped.why],
                     [book.ordinal, book.wrap, book.text, book.integer, book.wrap])
    if not total:
        rows.put([None, "Tidak ada baris yang dilewati."], [book.text])
