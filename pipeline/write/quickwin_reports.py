"""The Quick Win output workbooks: profiles and evaluation results.

- `write_profiles` (`masterplan quickwin`): `output/profil_quick_win.xlsx`, a summary by
  dimension and one printable profile per Quick Win.
- `write_evaluation_results` (`masterplan run`): `output/evaluasi_quick_win.xlsx`, each
  Quick Win with its newest accepted evaluation (scored in `assemble/quickwin.py`).
"""

from __future__ import annotations

import contextlib
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from .. import layout
from ..assemble.quickwin import EvaluationResult, QuickWin, dimensions_without
from ..common import xlstyle
from ..common.atomic import atomic_path
from ..common.idtext import number_text, rupiah
from ..common.xlstyle import MONEY, NUMBER, PERCENT, number_or_blank
from ..config import Config
from ..results import Notice, NoticeKind, QuickWinStatus, opd_line
from .templates.parts import WORKBOOK_OPTIONS, GuideWriter, Styles, setup_print, wrapped_lines


class _Formats:
    """Formats of the output workbooks (profiles and evaluation results)."""

    def __init__(self, workbook: Workbook):
        add = workbook.add_format
        border, total = xlstyle.BORDER, xlstyle.TOTAL
        self.title = add(xlstyle.TITLE)
        self.subtitle = add(xlstyle.SUBTITLE)
        self.section = add({**xlstyle.SECTION, "font_size": 12})
        self.header = add(xlstyle.HEADER)
        self.text = add({**border, "text_wrap": True})
        self.integer = add({**border, "num_format": "0", "align": "center"})
        self.number = add({**border, "num_format": NUMBER})
        self.money = add({**border, "num_format": MONEY})
        self.percent = add({**border, "num_format": PERCENT})
        self.total_label = add(total)
        self.total_integer = add({**total, "num_format": "0", "align": "center"})
        self.total_money = add({**total, "num_format": MONEY})
        self.total_percent = add({**total, "num_format": PERCENT})
        self.empty = add({**border, "italic": True, "font_color": xlstyle.WARNING_TEXT,
                          "bg_color": xlstyle.EMPTY_FILL, "text_wrap": True})
        self.warning = add(xlstyle.WARNING)
        self.all_clear = add(xlstyle.ALL_CLEAR)
        self.status = {s: add({**border, "bold": True, "bg_color": s.style})
                       for s in QuickWinStatus}


def _table_header(ws: Worksheet, row: int, labels: Sequence[str], fmt,
                  height: float = 32) -> None:
    ws.set_row(row, height)
    for col, label in enumerate(labels):
        ws.write_string(row, col, label, fmt)


def _text(ws: Worksheet, row: int, col: int, value: Any, fmt) -> None:
    """Participants' text stays text (never a formula or a link)."""
    ws.write_string(row, col, "" if value is None else str(value), fmt)


def write_profiles(path: Path, cfg: Config, quick_wins: Sequence[QuickWin],
                   generated_at: str) -> Path:
    """`profil_quick_win.xlsx`: Ringkasan (by dimension) and Profil (one per Quick Win)."""
    with _report_workbook(path, f"Profil Quick Win {cfg.quick_win_year} - "
                                f"{cfg.region_name}", generated_at) as (workbook, formats):
        _profile_summary_sheet(workbook, formats, cfg, quick_wins, generated_at)
        _profiles_sheet(workbook, Styles.create(workbook), cfg, quick_wins)
    return path


@contextlib.contextmanager
def _report_workbook(path: Path, title: str, generated_at: str):
    """An output workbook written atomically, with its properties and formats."""
    with atomic_path(path) as tmp:
        workbook = xlsxwriter.Workbook(str(tmp), WORKBOOK_OPTIONS)
        try:
            workbook.set_properties({"title": title, "author": "masterplan pipeline",
                                     "comments": f"Dibuat {generated_at}"})
            yield workbook, _Formats(workbook)
        finally:
            workbook.close()


def _profile_summary_sheet(workbook: Workbook, f: _Formats, cfg: Config,
                           quick_wins: Sequence[QuickWin], generated_at: str) -> None:
    ws = workbook.add_worksheet(layout.QW_SHEET_SUMMARY)
    qw = cfg.quick_win_year
    ws.write_string(0, 0, f"Quick Win {qw} per Dimensi - {cfg.region_name}", f.title)
    ws.write_string(1, 0, f"Dibuat {generated_at.replace('T', ' ')}; {len(quick_wins)} Quick "
                          "Win dari rencana OPD yang diterima.", f.subtitle)
    labels = ["Dimensi", "Jumlah Quick Win", layout.budget_label(qw), "OPD Pelaksana",
              "Quick Win"]
    for col, width in enumerate((22, 12, 20, 30, 70)):
        ws.set_column(col, col, width)
    _table_header(ws, 3, labels, f.header)
    row = 4
    for dimension in cfg.dimensions:
        own = [q for q in quick_wins if q.program.get("dimensi") == dimension]
        _text(ws, row, 0, dimension, f.text)
        ws.write_number(row, 1, len(own), f.integer)
        if not own:
            ws.write_number(row, 2, 0, f.money)
            _text(ws, row, 3, "-", f.empty)
            _text(ws, row, 4, "Belum ada Quick Win pada dimensi ini.", f.empty)
        else:
            ws.write_number(row, 2, sum(q.program.get(f"anggaran_{qw}") or 0 for q in own),
                            f.money)
            opds = dict.fromkeys(q.opd.singkatan for q in own)
            _text(ws, row, 3, ", ".join(opds), f.text)
            _text(ws, row, 4, "; ".join(f"{q.name} ({q.opd.singkatan})" for q in own), f.text)
        row += 1
    ws.write_string(row, 0, "Total", f.total_label)
    ws.write_number(row, 1, len(quick_wins), f.total_integer)
    ws.write_number(row, 2, sum(q.program.get(f"anggaran_{qw}") or 0 for q in quick_wins),
                    f.total_money)
    ws.write_blank(row, 3, None, f.total_label)
    ws.write_blank(row, 4, None, f.total_label)
    row += 2
    missing = dimensions_without(cfg, quick_wins)
    if missing:
        ws.write_string(row, 0, f"Dimensi tanpa Quick Win: {', '.join(missing)}. Tim ahli "
                                "dapat memilih Quick Win untuk dimensi ini.", f.warning)
    else:
        ws.write_string(row, 0, "Setiap dimensi sudah punya minimal satu Quick Win.",
                        f.all_clear)
    setup_print(ws, landscape=True, repeat_rows=(3, 3))
    ws.activate()


def profile_items(cfg: Config, quick_win: QuickWin) -> list[tuple[str, str]]:
    """(label, text) rows of one profile, in reading order."""
    qw = cfg.quick_win_year
    p = quick_win.program
    target = p.get(f"target_{qw}")
    budget = p.get(f"anggaran_{qw}")
    satuan = p.get("satuan") or ""
    return [
        ("Nama Program", p.get("nama_program") or ""),
        ("OPD Pelaksana", f"{quick_win.opd.nama} ({quick_win.opd.kode})"),
        ("OPD Pendukung", p.get("opd_pendukung") or "-"),
        ("Dimensi", p.get("dimensi") or ""),
        ("Elemen", p.get("elemen") or ""),
        ("Jenis Program", p.get("jenis_program") or ""),
        ("Deskripsi", p.get("deskripsi") or "-"),
        ("Acuan RPJMD/RPD", p.get("acuan") or ""),
        ("Kode Nomenklatur", p.get("kode_nomenklatur") or "-"),
        ("Indikator Kinerja", p.get("indikator") or ""),
        ("Satuan", satuan),
        ("Kondisi Awal", p.get("kondisi_awal") or "-"),
        (layout.target_label(qw), "-" if target is None else f"{number_text(target)} {satuan}"),
        (layout.budget_label(qw), rupiah(int(budget or 0))),
        ("Sumber Dana", p.get("sumber_dana") or ""),
        ("Manfaat bagi Masyarakat", p.get("manfaat") or ""),
        ("Sumber data", f"{quick_win.file or '-'}, baris {p.get('row') or '-'}"),
    ]


def _profiles_sheet(workbook: Workbook, styles: Styles, cfg: Config,
                    quick_wins: Sequence[QuickWin]) -> None:
    """One profile per Quick Win, each on its own printed page."""
    ws = workbook.add_worksheet(layout.QW_SHEET_PROFILES)
    guide = GuideWriter(ws, styles, label_width=26, text_width=80)
    breaks = []
    total = len(quick_wins)
    for number, quick_win in enumerate(quick_wins, start=1):
        if number > 1:
            breaks.append(guide.row)
        guide.title(f"Profil Quick Win {number} dari {total}",
                    f"{cfg.region_name} - Quick Win tahun {cfg.quick_win_year} - "
                    f"{quick_win.program.get('dimensi')}")
        guide.table_header("Uraian", "Isi")
        for label, text in profile_items(cfg, quick_win):
            guide.item(label, text)
        guide.row += 1
    if not quick_wins:
        guide.title("Belum ada Quick Win",
                    "Belum ada rencana OPD yang diterima dengan program Quick Win.")
    if breaks:
        ws.set_h_pagebreaks(breaks)
    setup_print(ws, landscape=False)


def write_evaluation_results(path: Path, cfg: Config, results: Sequence[EvaluationResult],
                             generated_at: str) -> Path:
    """`evaluasi_quick_win.xlsx`: Ringkasan (by dimension, by OPD, chart) and the list."""
    with _report_workbook(path, f"Evaluasi Quick Win {cfg.quick_win_year} - "
                                f"{cfg.region_name}", generated_at) as (workbook, formats):
        summary = workbook.add_worksheet(layout.QW_SHEET_SUMMARY)
        _results_sheet(workbook, formats, cfg, results)
        _results_summary_sheet(workbook, summary, formats, cfg, results, generated_at)
    return path


RESULT_COLUMNS = (  # (label, width)
    ("No", 4), ("Kode OPD", 9), ("OPD", 12), ("Dimensi", 14), ("Elemen", 16),
    ("Nama Program", 30), ("Indikator Kinerja", 24), ("Satuan", 8), ("TARGET", 9),
    ("Realisasi Target", 9), ("Capaian Target (%)", 9), ("ANGGARAN", 14),
    ("Realisasi Anggaran (Rp)", 14), ("Serapan Anggaran (%)", 9), ("Jumlah Responden", 9),
    ("Kepuasan Masyarakat (%)", 10), ("Status", 15), ("Catatan", 32), ("Bukti Dukung", 24),
    ("Kendala", 24), ("Berkas Evaluasi", 24),
)
PRINTED_RESULT_COLUMNS = 18  # No .. Catatan: the evidence columns stay on screen only


def result_labels(cfg: Config) -> list[str]:
    names = {"TARGET": layout.target_label(cfg.quick_win_year),
             "ANGGARAN": layout.budget_label(cfg.quick_win_year)}
    return [names.get(label, label) for label, _ in RESULT_COLUMNS]


def _results_sheet(workbook: Workbook, f: _Formats, cfg: Config,
                   results: Sequence[EvaluationResult]) -> None:
    ws = workbook.add_worksheet(layout.QW_SHEET_RESULTS)
    ws.write_string(0, 0, f"Evaluasi Quick Win {cfg.quick_win_year} - {cfg.region_name}",
                    f.title)
    ws.write_string(1, 0, f"Capaian = realisasi / target x 100; serapan = realisasi / "
                          f"anggaran x 100. {_thresholds(cfg)}", f.subtitle)
    for col, (_, width) in enumerate(RESULT_COLUMNS):
        ws.set_column(col, col, width)
    header = 3
    _table_header(ws, header, result_labels(cfg), f.header, height=48)
    for offset, r in enumerate(results):
        row = header + 1 + offset
        p = r.quick_win.program
        texts = {1: r.quick_win.opd.kode, 2: r.quick_win.opd.singkatan, 3: p.get("dimensi"),
                 4: p.get("elemen"), 5: r.quick_win.name, 6: p.get("indikator"),
                 7: p.get("satuan"), 17: " ".join(r.notes), 18: r.evidence,
                 19: r.obstacles, 20: r.file}
        # Wrapped text does not grow its row when the file is opened: set the height.
        lines = max(wrapped_lines(str(text or ""), RESULT_COLUMNS[col][1])
                    for col, text in texts.items() if col < PRINTED_RESULT_COLUMNS)
        ws.set_row(row, 15 * lines + 3)
        ws.write_number(row, 0, offset + 1, f.integer)
        for col, text in texts.items():
            _text(ws, row, col, text, f.text)
        number_or_blank(ws, row, 8, r.target, f.number)
        number_or_blank(ws, row, 9, r.realised, f.number)
        number_or_blank(ws, row, 10, r.achievement, f.percent)
        number_or_blank(ws, row, 11, r.budget, f.money)
        number_or_blank(ws, row, 12, r.spent, f.money)
        number_or_blank(ws, row, 13, r.absorption, f.percent)
        number_or_blank(ws, row, 14, r.respondents, f.integer)
        number_or_blank(ws, row, 15, r.satisfaction, f.percent)
        _text(ws, row, 16, r.status, f.status[r.status])
    if not results:
        ws.write_string(header + 1, 0, "Belum ada Quick Win yang diterima.", f.empty)
    ws.freeze_panes(header + 1, 6)
    ws.autofilter(header, 0, header + max(len(results), 1), len(RESULT_COLUMNS) - 1)
    ws.print_area(0, 0, header + max(len(results), 1), PRINTED_RESULT_COLUMNS - 1)
    setup_print(ws, landscape=True, repeat_rows=(header, header))


def _thresholds(cfg: Config) -> str:
    return (f"Status: Tercapai bila capaian >= {cfg.eval_achieved:g}%, Sebagian >= "
            f"{cfg.eval_partial:g}%, Belum di bawahnya; target 0 dinilai Tercapai.")


CHART_HEIGHT = 300  # pixels
CHART_ROWS = CHART_HEIGHT // 20 + 2  # default rows (20 px) it covers, plus a gap
SUMMARY_LABELS = ("Quick Win", *tuple(QuickWinStatus), "Rata-rata Capaian Target (%)",
                  "Rata-rata Serapan Anggaran (%)", "Rata-rata Kepuasan Masyarakat (%)")


def _group_figures(results: Sequence[EvaluationResult]) -> list[float | int | None]:
    """Count, count per status, and the mean of each percentage (None when none)."""
    def mean(values):
        values = [v for v in values if v is not None]
        return sum(values) / len(values) if values else None

    return [len(results), *(sum(r.status == s for r in results) for s in tuple(QuickWinStatus)),
            mean(r.achievement for r in results), mean(r.absorption for r in results),
            mean(r.satisfaction for r in results)]


def _summary_table(ws: Worksheet, f: _Formats, first_row: int, label: str,
                   groups: list[tuple[str, list[EvaluationResult]]],
                   results: Sequence[EvaluationResult]) -> int:
    """A table (label column + SUMMARY_LABELS) with a Total row; returns the next free row."""
    _table_header(ws, first_row, [label, *SUMMARY_LABELS], f.header, height=48)
    row = first_row + 1
    for name, own in [*groups, ("Total", list(results))]:
        total = name == "Total"
        figures = _group_figures(own)
        ws.write_string(row, 0, name, f.total_label if total else f.text)
        for col, value in enumerate(figures, start=1):
            percent_col = col > len(tuple(QuickWinStatus)) + 1
            if total:
                fmt = f.total_percent if percent_col else f.total_integer
            else:
                fmt = f.percent if percent_col else f.integer
            number_or_blank(ws, row, col, value, fmt)
        row += 1
    return row + 1


def _results_summary_sheet(workbook: Workbook, ws: Worksheet, f: _Formats, cfg: Config,
                           results: Sequence[EvaluationResult], generated_at: str) -> None:
    qw = cfg.quick_win_year
    ws.set_column(0, 0, 26)
    ws.set_column(1, len(tuple(QuickWinStatus)) + 1, 11)  # counts
    ws.set_column(len(tuple(QuickWinStatus)) + 2, len(SUMMARY_LABELS), 15)  # mean percentages
    ws.write_string(0, 0, f"Ringkasan Evaluasi Quick Win {qw} - {cfg.region_name}", f.title)
    evaluated = sum(r.status != QuickWinStatus.NOT_EVALUATED for r in results)
    ws.write_string(1, 0, f"Dibuat {generated_at.replace('T', ' ')}; {len(results)} Quick Win, "
                          f"{evaluated} sudah dievaluasi. {_thresholds(cfg)}", f.subtitle)

    ws.write_string(3, 0, "Per Dimensi", f.section)
    dimension_groups = [(d, [r for r in results if r.quick_win.program.get("dimensi") == d])
                        for d in cfg.dimensions]
    dimension_header = 4
    row = _summary_table(ws, f, dimension_header, "Dimensi", dimension_groups, results)
    empty = [d for d, own in dimension_groups if not own]
    if empty:
        ws.write_string(row - 1, 0, f"Dimensi tanpa Quick Win: {', '.join(empty)}.", f.warning)
        row += 1

    # Page 1: the dimension table and its chart; the OPD table and notes from page 2.
    chart = _status_chart(workbook, cfg, dimension_header)
    ws.insert_chart(row, 0, chart, {"x_offset": 2, "y_offset": 4})
    row += CHART_ROWS
    ws.set_h_pagebreaks([row])

    ws.write_string(row, 0, "Per OPD", f.section)
    opd_groups = [(o.singkatan, [r for r in results if r.quick_win.opd.kode == o.kode])
                  for o in cfg.opds]
    row = _summary_table(ws, f, row + 1, "OPD", [g for g in opd_groups if g[1]], results)

    notes = _attention(cfg, results)
    ws.write_string(row, 0, "Perlu Perhatian", f.section)
    for offset, note in enumerate(notes or ["Tidak ada catatan."]):
        ws.write_string(row + 1 + offset, 0, note, f.warning if notes else f.all_clear)
    setup_print(ws, landscape=True, repeat_rows=None)
    ws.activate()


def _attention(cfg: Config, results: Sequence[EvaluationResult]) -> list[str]:
    """Rows for the expert: what the numbers alone do not show; each a sentence, then a row
    per Quick Win or OPD it is about (results.Notice.lines)."""
    notes = []
    zero = [opd_line(r.quick_win.opd.singkatan, detail=r.quick_win.name) for r in results
            if r.status != QuickWinStatus.NOT_EVALUATED and r.achievement is None]
    if zero:
        notes.append(Notice(f"{len(zero)} Quick Win dengan target 0 (dinilai Tercapai):",
                            NoticeKind.DATA, items=tuple(zero)))
    few = [opd_line(r.quick_win.opd.singkatan, detail=r.quick_win.name) for r in results
           if r.satisfaction is not None and (r.respondents or 0) < cfg.eval_min_respondents]
    if few:
        notes.append(Notice(f"{len(few)} Quick Win dengan responden kurang dari "
                            f"{cfg.eval_min_respondents}:", NoticeKind.DATA, items=tuple(few)))
    missing = Counter(r.quick_win.opd.kode for r in results
                      if r.status == QuickWinStatus.NOT_EVALUATED)
    if missing:
        owner = {r.quick_win.opd.kode: r.quick_win.opd for r in results}
        opds = tuple(opd_line(owner[kode].singkatan, owner[kode].nama, f"{n} Quick Win")
                     for kode, n in missing.items())
        notes.append(Notice(f"{missing.total()} Quick Win dari {len(missing)} OPD belum "
                            "dievaluasi:", NoticeKind.DATA, items=opds))
    return [line for note in notes for line in note.lines()]


def _status_chart(workbook: Workbook, cfg: Config, header_row: int):
    """Stacked columns: Quick Wins per dimension by status (from the Per Dimensi table)."""
    chart = workbook.add_chart({"type": "column", "subtype": "stacked"})
    first, last = header_row + 1, header_row + len(cfg.dimensions)
    for offset, status in enumerate(tuple(QuickWinStatus)):
        col = 2 + offset  # after the Dimensi and Quick Win columns
        chart.add_series({
            "name": [layout.QW_SHEET_SUMMARY, header_row, col],
            "categories": [layout.QW_SHEET_SUMMARY, first, 0, last, 0],
            "values": [layout.QW_SHEET_SUMMARY, first, col, last, col],
            "fill": {"color": status.chart}, "gap": 60,
        })
    chart.set_title({"name": "Status Quick Win per Dimensi", "name_font": {"size": 12}})
    chart.set_y_axis({"name": "Jumlah Quick Win", "major_gridlines": {"visible": True},
                      "num_format": "0"})
    chart.set_legend({"position": "bottom"})
    chart.set_size({"width": 760, "height": CHART_HEIGHT})
    return chart
