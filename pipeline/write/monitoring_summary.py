"""The Ringkasan of `keterlaksanaan_masterplan.xlsx`: what an operator or a Kominfo
assessor reads first, on one A4 page.

A headline per year and stage ("9 dari 12 program masterplan 2025 dianggarkan dalam APBD
2025 (75%)") with the planned and the documents' money, the stages of each year one
after the other (where programs fall out), the share of programs with money per
dimension in every document, and its chart.
"""

from __future__ import annotations

from xlsxwriter.worksheet import Worksheet

from ..assemble.monitoring import Monitoring
from ..common import xlstyle
from ..common.idtext import rupiah
from ..read.budget_docs import SetAside, stage_label
from ..results import BudgetStatus
from .rekap_base import PALETTE, _Book, _header_text, _Rows, _set_widths, _wrapped

SUMMARY_WIDTHS = (7, 14, 58, 19, 19, 10)
CHART_HEIGHT = 250
_ROW_PX = 20


def document_label(year: int, stage: str) -> str:
    return f"{stage_label(stage)} {year}"


def summary_sheet(book: _Book, ws: Worksheet, mon: Monitoring, set_aside: list[SetAside]) -> None:
    cfg = book.cfg
    rows = _Rows(ws, _wrapped(SUMMARY_WIDTHS, (2,)))
    _set_widths(ws, SUMMARY_WIDTHS)
    ws.hide_gridlines(2)
    rows.put(["Keterlaksanaan Masterplan Smart City"], [book.big_title], height=32)
    rows.put([f"{cfg.region_name} - Periode {cfg.period_label}"], [book.region], height=22)
    refused = sum(1 for s in set_aside if s.refused)
    rows.put([f"Dibuat {book.generated_at}; {len(mon.documents)} dokumen anggaran dibaca dari "
              f"anggaran/" + (f", {refused} berkas ditolak (lihat lembar Dokumen)" if refused
                              else "")], [book.subtitle])
    rows.skip()

    headline = book.workbook.add_format({"bold": True, "font_size": 13,
                                         "font_color": "#1F4E79"})
    for r in mon.summary.itertuples(index=False):
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
                + (f" ({r.persen_program:.0f}%)" if r.persen_program is not None else "")
                for r in stages)
            rows.put([year, None, flow], [book.integer, None, book.wrap])
        rows.skip()

    _dimension_share(book, ws, rows, mon)
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

    ws.set_landscape()
    ws.set_paper(9)
    ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.5)
    ws.set_footer(f"&L&8 {_header_text(cfg.region_name)} - dibuat "
                  f"{_header_text(book.generated_at)}&R&8 Halaman &P dari &N", {"margin": 0.25})
    ws.fit_to_pages(1, 0)


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


def _dimension_share(book: _Book, ws: Worksheet, rows: _Rows, mon: Monitoring) -> None:
    """Per dimension (rows) and document (columns): the share of the planned programs with
    money; the chart beside it reads these cells."""
    docs = [(r.tahun, r.tahap) for r in mon.summary.itertuples(index=False)]
    shares = {(r.dimensi, r.tahun, r.tahap): r.persen_program
              for r in mon.by_dimension.itertuples(index=False)}
    dimensions = list(book.cfg.dimensions)
    share_format = book.workbook.add_format({"font_size": 9, **xlstyle.BORDER,
                                             "num_format": xlstyle.PERCENT})
    rows.put(["Persentase program dianggarkan per dimensi"], [book.section], height=22)
    header_row = rows.put([None, None, "Dimensi", *(document_label(y, s) for y, s in docs)],
                          [None, None, book.small_header])
    for dimension in dimensions:
        rows.put([None, None, dimension, *(shares.get((dimension, y, s)) for y, s in docs)],
                 [None, None, book.small, share_format])
    first, last = header_row + 1, header_row + len(dimensions)
    chart = book.workbook.add_chart({"type": "column"})
    # constant_memory: the chart cannot read its cells back, so it is given their values.
    for i, (year, stage) in enumerate(docs):
        col = 3 + i
        chart.add_series({
            "name": [ws.name, header_row, col], "name_data": [document_label(year, stage)],
            "categories": [ws.name, first, 2, last, 2], "categories_data": dimensions,
            "values": [ws.name, first, col, last, col],
            "values_data": [shares.get((d, year, stage)) for d in dimensions],
            "fill": {"color": PALETTE[i % len(PALETTE)]}, "gap": 80,
            "data_labels": {"value": True, "num_format": "0", "font": {"size": 7}},
        })
    chart.set_title({"name": "Program dianggarkan per dimensi (%)",
                     "name_font": {"size": 12, "bold": True}})
    chart.set_y_axis({"min": 0, "max": 100, "num_format": "0", "num_font": {"size": 9},
                      "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}}})
    chart.set_x_axis({"num_font": {"size": 9}})
    chart.set_legend({"position": "bottom", "font": {"size": 9}})
    chart.set_size({"width": sum(int(w * 7 + 0.5) + 5 for w in SUMMARY_WIDTHS) - 8,
                    "height": CHART_HEIGHT})
    rows.skip()
    ws.insert_chart(rows.next, 0, chart, {"x_offset": 2, "y_offset": 4})
    rows.skip(CHART_HEIGHT // _ROW_PX + 2)
