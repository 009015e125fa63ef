"""The rekap's Ringkasan: headline figures, warnings, three charts, the files it is based on."""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd
from xlsxwriter.worksheet import Worksheet

from ...assemble.consolidate import TOTAL
from ...common import xlstyle
from ..xlbook import HEADER_ROW, Book, palette_colour, time_text, width_px

# Column widths (characters) of the Ringkasan grid: figures left (A:B), warnings from D,
# charts over A:F and H:J, the top-10 OPD table in H:J.
SUMMARY_WIDTHS = (32, 24, 2, 30, 17, 17, 2, 5, 30, 20)
_TOP_CHART_HEIGHT = 380  # px; the two chart rows fill page 1 (A4 landscape, one page wide)
_BOTTOM_CHART_HEIGHT = 345
_MIN_CHART_HEIGHT = 220
_FIGURE_ROW_HEIGHT = 21  # points (28 px)


@dataclass(frozen=True)
class MatrixPlace:
    """Where a matrix sheet put its numbers (0-based), for chart references."""

    sheet: str
    first_row: int  # first category row
    n_rows: int  # categories, without the Total row
    label_cols: int
    n_years: int
    labels: list[str]
    values: list[list[int]]  # per category: year values (no Total)
    totals: list[int]  # per category: Total column

    @property
    def total_col(self) -> int:
        return self.label_cols + self.n_years


def _rows_under(height_px: int) -> int:
    """Default-height rows (20 px) a chart of this height covers, plus a gap row."""
    return math.ceil((height_px + 4) / 20) + 1


def summary_sheet(book: Book, ws: Worksheet, dims: MatrixPlace, basis: list[dict],
                  notes: list[str]) -> None:
    """Headline figures, the notes for the expert ("Perlu Perhatian"), three charts, and
    the files the rekap is based on."""
    cfg, cons = book.cfg, book.cons
    head = cons.headline
    rows = book.headline_sheet(
        ws, "Rekapitulasi Rencana Program Masterplan Smart City",
        f"Dibuat {book.generated_at}; dasar rekap: {len(basis)} berkas diterima",
        SUMMARY_WIDTHS)

    figures = [
        ("OPD diharapkan", head["opd_expected"], book.figure),
        ("OPD sudah mengumpulkan", head["opd_submitted"], book.figure),
        ("OPD diterima (masuk rekap)", head["opd_accepted"], book.figure),
        ("Jumlah program", head["programs"], book.figure),
        (f"Jumlah Quick Win {cfg.quick_win_year}", head["quick_wins"], book.figure),
        (f"Total anggaran {cfg.period_label}", head["total_budget"], book.figure_money),
    ]
    warnings = notes or ["Tidak ada catatan: semua dimensi punya Quick Win dan setiap "
                         "tahun punya anggaran."]
    warning_fmt = book.warning if notes else book.all_clear
    rows.put(["Angka Utama", None, None, "Perlu Perhatian", None, None, None, None, None, None],
             [book.section, book.section, None, book.section], height=22)
    for i in range(max(len(figures), len(warnings))):
        label, value, fmt = figures[i] if i < len(figures) else (None, None, None)
        note = warnings[i] if i < len(warnings) else None
        # The note's fill runs over D:J (blank cells let the text flow across them).
        note_cells = [note] + [None] * 6 if note else []
        label_fmts = [book.figure_label, fmt] if label else [None, None]
        rows.put([label, value, None, *note_cells],
                 [*label_fmts, None] + [warning_fmt] * 7, height=_FIGURE_ROW_HEIGHT)
    rows.skip()
    # Warnings beyond the six figure rows push the charts down: shrink the charts by as
    # much, so page 1 still holds the whole summary.
    squeeze = max(len(warnings) - len(figures), 0) * _FIGURE_ROW_HEIGHT * 4 // 3 // 2
    top_height = max(_TOP_CHART_HEIGHT - squeeze, _MIN_CHART_HEIGHT)
    bottom_height = max(_BOTTOM_CHART_HEIGHT - squeeze, _MIN_CHART_HEIGHT)

    top = _top_opds(cons.by_opd, 10)
    year_totals = [sum(column) for column in zip(*dims.values, strict=True)]
    scale = _Scale.for_amount(max([*year_totals, *dims.totals, *(t for _, t in top)],
                                  default=0))
    top_chart_row = rows.next
    ws.insert_chart(top_chart_row, 0, _chart_per_year(book, dims, scale, top_height),
                    {"x_offset": 2, "y_offset": 4})
    ws.insert_chart(top_chart_row, 7, _chart_per_dimension(book, dims, scale, top_height),
                    {"x_offset": 0, "y_offset": 4})
    rows.skip_to(top_chart_row + _rows_under(top_height))

    second_row = rows.next
    rows.put([None] * 7 + [f"{len(top)} OPD dengan anggaran terbesar ({cfg.period_label})",
                           None, None],
             [None] * 7 + [book.section, book.section, book.section])
    table_first = rows.put([None] * 7 + ["No", "OPD", "Total (Rp)"],
                           [None] * 7 + [book.small_header]) + 1
    for number, (label, total) in enumerate(top, start=1):
        rows.put([None] * 7 + [number, label, total],
                 [None] * 7 + [book.small_integer, book.small, book.small_money])
    if not top:
        rows.put([None] * 7 + [None, "Belum ada OPD dengan anggaran.", None],
                 [None] * 7 + [book.small])
    else:
        chart = _chart_top_opds(book, ws.name, table_first, top, scale, bottom_height)
        ws.insert_chart(second_row, 0, chart, {"x_offset": 2, "y_offset": 4})
    rows.skip_to(max(rows.next, second_row + _rows_under(bottom_height)))

    # The list of files starts on page 2: page 1 is the one-page summary.
    rows.skip()
    ws.set_h_pagebreaks([rows.next])
    rows.put([f"Berkas yang menjadi dasar rekap ({len(basis)})"], [book.section], height=22)
    # The SHA-256 runs over E:J; blank cells with the table's format keep it one table.
    rows.put(["Berkas", "OPD", None, "Diterima pada", "SHA-256", *[None] * 5],
             [book.small_header])
    for item in basis:
        opd = cfg.opd_by_code.get(item.get("opd") or "")
        opd_label = f"{opd.singkatan} ({opd.kode})" if opd else item.get("opd")
        rows.put([item.get("file"), opd_label, None, time_text(item.get("received_at")),
                  item.get("sha256"), *[None] * 5], [book.small])
    if not basis:
        rows.put(["Belum ada berkas yang diterima."], [book.small])
    ws.activate()


@dataclass(frozen=True)
class _Scale:
    """Chart axis unit: juta or miliar Rupiah, by the size of the amounts."""

    num_format: str
    label: str

    @classmethod
    def for_amount(cls, largest: float) -> _Scale:
        if largest >= 1e11:
            return cls(xlstyle.MONEY_IN_BILLIONS, "miliar Rp")
        return cls(xlstyle.MONEY_IN_MILLIONS, "juta Rp")


def _chart_per_year(book: Book, dims: MatrixPlace, scale: _Scale, height: int):
    chart = book.workbook.add_chart({"type": "column", "subtype": "stacked"})
    first_year_col, last_year_col = dims.label_cols, dims.label_cols + dims.n_years - 1
    years = book.cfg.years
    for i, (label, values) in enumerate(zip(dims.labels, dims.values, strict=True)):
        row = dims.first_row + i
        chart.add_series({
            "name": [dims.sheet, row, 0], "name_data": [label],
            "categories": [dims.sheet, HEADER_ROW, first_year_col, HEADER_ROW, last_year_col],
            "categories_data": years,
            "values": [dims.sheet, row, first_year_col, row, last_year_col],
            "values_data": values,
            "fill": {"color": palette_colour(i)}, "gap": 60,
        })
    chart.set_title({"name": "Anggaran per Tahun menurut Dimensi",
                     "name_font": {"size": 12, "bold": True}})
    chart.set_y_axis({"num_format": scale.num_format, "name": scale.label,
                      "name_font": {"size": 9, "bold": False}, "num_font": {"size": 9},
                      "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}}})
    chart.set_x_axis({"num_font": {"size": 9}, "num_format": "0"})
    chart.set_legend({"position": "bottom", "font": {"size": 9}})
    chart.set_size({"width": width_px(SUMMARY_WIDTHS[:6]) - 8, "height": height})
    return chart


def _chart_per_dimension(book: Book, dims: MatrixPlace, scale: _Scale, height: int):
    chart = book.workbook.add_chart({"type": "bar"})
    last = dims.first_row + dims.n_rows - 1
    chart.add_series({
        "name": "Total anggaran",
        "categories": [dims.sheet, dims.first_row, 0, last, 0], "categories_data": dims.labels,
        "values": [dims.sheet, dims.first_row, dims.total_col, last, dims.total_col],
        "values_data": dims.totals,
        "points": [{"fill": {"color": palette_colour(i)}} for i in range(dims.n_rows)],
        "data_labels": {"value": True, "num_format": scale.num_format,
                        "font": {"size": 8}},
        "gap": 50,
    })
    _style_bar_chart(chart, f"Total per Dimensi {book.cfg.period_label}", scale,
                     value_font=8, width=width_px(SUMMARY_WIDTHS[7:]), height=height)
    return chart


def _style_bar_chart(chart, title: str, scale: _Scale, value_font: int, width: int,
                     height: int) -> None:
    """Title, axes and size shared by the Ringkasan's bar charts."""
    chart.set_title({"name": title, "name_font": {"size": 12, "bold": True}})
    # Bar charts: y is the category axis; reversed so the first category is on top, and
    # crossed at its end so the value axis stays at the bottom.
    chart.set_y_axis({"reverse": True, "crossing": "max", "num_font": {"size": 9}})
    chart.set_x_axis({"num_format": scale.num_format, "name": scale.label,
                      "name_font": {"size": 9, "bold": False},
                      "num_font": {"size": value_font},
                      "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}}})
    chart.set_legend({"none": True})
    chart.set_size({"width": width, "height": height})


def _chart_top_opds(book: Book, sheet: str, first_row: int, top: list[tuple[str, int]],
                    scale: _Scale, height: int):
    chart = book.workbook.add_chart({"type": "bar"})
    last = first_row + len(top) - 1
    chart.add_series({
        "name": "Total anggaran",
        "categories": [sheet, first_row, 8, last, 8], "categories_data": [t[0] for t in top],
        "values": [sheet, first_row, 9, last, 9], "values_data": [t[1] for t in top],
        "fill": {"color": "#2F5597"}, "gap": 40,
        "data_labels": {"value": True, "num_format": scale.num_format, "font": {"size": 8}},
    })
    _style_bar_chart(chart, f"{len(top)} OPD dengan Anggaran Terbesar", scale,
                     value_font=9, width=width_px(SUMMARY_WIDTHS[:6]) - 8, height=height)
    return chart


def _top_opds(by_opd: pd.DataFrame, count: int) -> list[tuple[str, int]]:
    totals = by_opd[TOTAL].iloc[:-1]
    totals = totals[totals > 0].sort_values(ascending=False, kind="stable").head(count)
    return [(str(label), int(value)) for label, value in totals.items()]
