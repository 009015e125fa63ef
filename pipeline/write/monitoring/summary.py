"""The Ringkasan of `keterlaksanaan_masterplan.xlsx`: what an operator or a Kominfo
assessor reads first, on one A4 page.

A headline per year and stage ("9 dari 12 program masterplan 2025 dianggarkan dalam APBD
2025 (75%)") with the planned and the documents' money, the stages of each year one
after the other (where programs fall out), the share of programs with money per
dimension in every document, and its chart.
"""

from __future__ import annotations

from dataclasses import dataclass

from xlsxwriter.worksheet import Worksheet

from ...assemble.monitoring import Monitoring
from ...common import xlstyle
from ...common.idtext import rupiah
from ...read.budget_docs import SetAside, stage_label
from ...results import BudgetStatus
from ..xlbook import Book, Rows, palette_colour, width_px

SUMMARY_WIDTHS = (7, 14, 58, 19, 19, 10)
CHART_HEIGHT = 250
_ROW_PX = 20


def document_label(year: int, stage: str) -> str:
    return f"{stage_label(stage)} {year}"


def summary_sheet(book: Book, ws: Worksheet, mon: Monitoring, set_aside: list[SetAside],
                  place: SharePlace) -> None:
    refused = sum(1 for s in set_aside if s.refused)
    rows = book.headline_sheet(
        ws, "Keterlaksanaan Masterplan Smart City",
        f"Dibuat {book.generated_at}; {len(mon.documents)} dokumen anggaran dibaca dari "
        "anggaran/" + (f", {refused} berkas ditolak (lihat lembar Dokumen)" if refused else ""),
        SUMMARY_WIDTHS, wrap=(2,))

    headline = book.workbook.add_format({"bold": True, "font_size": 13,
                                         "font_color": "#1F4E79"})
    for r in _latest_per_year(mon):
        rows.put([mon.headline(r)], [headline], height=21)
    rows.skip()
    rows.put(["Program masterplan yang dianggarkan, per tahun dan tahap"], [book.section],
             height=22)
    rows.put(["Tahun", "Tahap", "Sorotan", "Anggaran Rencana (Rp)", "Anggaran Dokumen (Rp)",
              "% Anggaran"], [book.header], height=30)
    percent = book.workbook.add_format({**xlstyle.BORDER, "num_format": xlstyle.PERCENT})
    for r in mon.summary.itertuples(index=False):
        rows.put([r.tahun, stage_label(r.tahap), f"{mon.headline(r)}.\n{_gaps(mon, r)}",
                  r.anggaran_rencana, r.anggaran_dokumen, r.persen_anggaran],
                 [book.integer, book.text, book.wrap, book.money, book.money, percent])
    rows.skip()

    by_year: dict[int, list] = {}
    for r in mon.summary.itertuples(index=False):
        by_year.setdefault(r.tahun, []).append(r)
    if any(len(stages) > 1 for stages in by_year.values()):
        rows.put(["Tahap demi tahap"], [book.section], height=22)
        for year, stages in by_year.items():
            flow = "  ->  ".join(
                f"{stage_label(r.tahap)} {r.program_dianggarkan}/{r.program_rencana}"
                + (f" ({r.persen_program:.0f}%)" if _plain(r.persen_program) is not None
                   else "")
                for r in stages)
            rows.put([year, None, flow], [book.integer, None, book.wrap])
        rows.skip()

    _share_chart(book, ws, rows, place)
    unmapped = sum(len(v) for v in mon.unmapped.values())
    if unmapped:
        rows.put([None, None, f"{unmapped} SKPD/sub unit di dokumen tidak terpetakan ke OPD; "
                  "barisnya tidak dihitung. Lihat lembar Pemetaan SKPD."], [None, None,
                                                                          book.warning])
    total_plan = int(mon.summary["anggaran_rencana"].sum()) if len(mon.summary) else 0
    rows.put(["Setiap angka dapat ditelusuri ke baris dokumen: lembar Rincian Program, kolom "
              "Letak Baris."], [book.subtitle])
    rows.put([f"Rencana pada tahun dokumen: {rupiah(total_plan)}. Dokumen yang dibaca dan "
              "yang ditolak: lembar Dokumen."], [book.subtitle])


def _latest_per_year(mon: Monitoring) -> list:
    """The headline of every document when few; else of each year's latest stage (the
    table below has them all)."""
    rows = list(mon.summary.itertuples(index=False))
    if len(rows) <= 6:
        return rows
    latest = {r.tahun: r for r in rows}  # summary rows are in stage order within a year
    return list(latest.values())


def _gaps(mon: Monitoring, summary) -> str:
    """'Belum: 17 tidak ada di dokumen, 1 tercantum tanpa pagu; 33 tanpa kode'."""
    programs = mon.programs
    mine = programs[(programs["tahun"] == summary.tahun) & (programs["tahap"] == summary.tahap)]
    counts = {status: sum(1 for s in mine["status"] if s is status) for status in BudgetStatus}
    missing = [f"{counts[s]} {s.label}" for s in (BudgetStatus.ABSENT, BudgetStatus.LISTED)
               if counts[s]]
    text = f"Belum: {', '.join(missing)}" if missing else "Semua program berkode dianggarkan"
    if counts[BudgetStatus.NO_CODE]:
        text += f"; {counts[BudgetStatus.NO_CODE]} tanpa kode (tidak dapat ditelusuri)"
    return text + "."


@dataclass(frozen=True)
class SharePlace:
    """Where the share matrix is (Per Dimensi): documents by row, dimensions by column."""

    sheet: str
    header_row: int
    labels: list[str]  # the documents: "APBD 2025"
    dimensions: list[str]
    values: list[list[float | None]]  # per document, per dimension

    @property
    def first_row(self) -> int:
        return self.header_row + 1


def share_matrix(book: Book, ws: Worksheet, rows: Rows, mon: Monitoring) -> SharePlace:
    """Below the Per Dimensi table: per document (rows) and dimension (columns), the share
    of the planned programs with money; the Ringkasan's chart reads these cells."""
    docs = [(r.tahun, r.tahap) for r in mon.summary.itertuples(index=False)]
    shares = {(r.dimensi, r.tahun, r.tahap): r.persen_program
              for r in mon.by_dimension.itertuples(index=False)}
    dimensions = list(book.cfg.dimensions)
    share_format = book.workbook.add_format({**xlstyle.BORDER, "num_format": xlstyle.PERCENT})
    rows.skip()
    rows.put([None, "Persentase program dianggarkan per dimensi"], [None, book.section],
             height=22)
    header_row = rows.put([None, "Dokumen", *dimensions], [None, book.header], height=32)
    values = []
    for year, stage in docs:
        line = [_plain(shares.get((d, year, stage))) for d in dimensions]
        values.append(line)
        rows.put([None, document_label(year, stage), *line], [None, book.text, share_format])
    return SharePlace(ws.name, header_row, [document_label(y, s) for y, s in docs],
                      dimensions, values)


def _plain(value) -> float | None:
    return None if value is None or value != value else float(value)


def _share_chart(book: Book, ws: Worksheet, rows: Rows, place: SharePlace) -> None:
    """The share per dimension and document: bars per dimension for a few documents, a
    line per dimension across the years for many (constant_memory: the chart is given
    the values of the cells it points at)."""
    first, last = place.first_row, place.first_row + len(place.labels) - 1
    few = len(place.labels) <= 4
    chart = book.workbook.add_chart({"type": "column" if few else "line"})
    if few:  # a series per document, the dimensions as categories
        for i, label in enumerate(place.labels):
            row = first + i
            chart.add_series({
                "name": [place.sheet, row, 1], "name_data": [label],
                "categories": [place.sheet, place.header_row, 2, place.header_row,
                               1 + len(place.dimensions)],
                "categories_data": place.dimensions,
                "values": [place.sheet, row, 2, row, 1 + len(place.dimensions)],
                "values_data": place.values[i],
                "fill": {"color": palette_colour(i)}, "gap": 80,
                "data_labels": {"value": True, "num_format": "0", "font": {"size": 7}}})
    else:  # a line per dimension, the documents in time order as categories
        for j, dimension in enumerate(place.dimensions):
            col = 2 + j
            chart.add_series({
                "name": [place.sheet, place.header_row, col], "name_data": [dimension],
                "categories": [place.sheet, first, 1, last, 1], "categories_data": place.labels,
                "values": [place.sheet, first, col, last, col],
                "values_data": [v[j] for v in place.values],
                "line": {"color": palette_colour(j), "width": 2},
                "marker": {"type": "circle", "size": 4,
                           "fill": {"color": palette_colour(j)},
                           "border": {"color": palette_colour(j)}}})
    chart.set_title({"name": "Program dianggarkan per dimensi (%)",
                     "name_font": {"size": 12, "bold": True}})
    chart.set_y_axis({"min": 0, "max": 100, "num_format": "0", "num_font": {"size": 9},
                      "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}}})
    chart.set_x_axis({"num_font": {"size": 8, "rotation": 0 if few else -45}})
    chart.set_legend({"position": "bottom", "font": {"size": 9}})
    chart.set_size({"width": width_px(SUMMARY_WIDTHS) - 8, "height": CHART_HEIGHT})
    rows.put(["Persentase program dianggarkan per dimensi (angka: lembar Per Dimensi)"],
             [book.section], height=22)
    ws.insert_chart(rows.next, 0, chart, {"x_offset": 2, "y_offset": 4})
    rows.skip(CHART_HEIGHT // _ROW_PX + 2)
