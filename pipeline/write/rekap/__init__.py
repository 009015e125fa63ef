"""Write the consolidated workbook (`output/rekap_masterplan.xlsx`) and the CSV data.

One function per sheet. Decisions, and why:

- constant_memory mode. `Daftar Program` reaches 60,000 rows x 40 columns; xlsxwriter's
  constant_memory mode writes each finished row to disk, which keeps memory flat and is
  the fastest writer measured. Its price: a row is final once a later row is
  written, and anything written above it afterwards is dropped *silently*. So every
  sheet (the charts' data sheets too) is written strictly top to bottom, each row left
  to right, through `xlbook.Rows`, which refuses to go back. add_table() is unavailable
  in this mode, so lists get an autofilter instead. xlsxwriter cannot read back flushed
  cells to cache chart data, so the charts are given their data explicitly (`*_data`).
- Every value is written with an explicit type: participant text with write_string
  (never write(), so `=HYPERLINK(...)`, `+62 812`, `@SUM(1)` stay text) and numbers
  with write_number, as plain values (no formulas: every reader sees the numbers).
- Money format `[$-421]#,##0;-#,##0;"-"`: whole Rupiah, zero as "-"; the Indonesian
  locale tag makes LibreOffice show `1.500.000` everywhere, and Excel follows the
  reader's regional settings (Indonesian Windows: `1.500.000`). Cell values stay plain
  numbers. Roadmap sheets show juta Rupiah with two decimals.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from ... import layout
from ...assemble.consolidate import (
    TOTAL,
    Consolidated,
    budget_keys,
    program_keys,
    target_keys,
    tidy,
)
from ...common import xlstyle
from ...common.atomic import atomic_path
from ...config import Config
from ...results import Notice, OpdStatus, PlanStatus
from ..xlbook import (
    FIRST_DATA_ROW,
    HEADER_ROW,
    Book,
    Rows,
    cell_values,
    constant_memory_workbook,
    escape_formulas,
    filter_rows,
    set_widths,
    time_text,
)
from .alignment import SHEET_ALIGNMENT, alignment_sheet
from .summary import MatrixPlace, summary_sheet

PROGRAM_CSV = "program.csv"
BUDGET_CSV = "anggaran.csv"

SHEET_SUMMARY = "Ringkasan"
SHEET_DIMENSION = "Dimensi per Tahun"
SHEET_OPD = "OPD per Tahun"
SHEET_FUNDING = "Sumber Dana per Tahun"
SHEET_ELEMENT = "Elemen"
SHEET_TYPE = "Jenis Program"
SHEET_PROGRAMS = "Daftar Program"
SHEET_QUICK_WIN = "Quick Win"
SHEET_STATUS = "Status Pengumpulan"
# Columns the [rujukan] lists add to Daftar Program (consolidate._add_references).
REFERENCE_LABELS = (("kode_nomenklatur_baku", "Kode Nomenklatur (baku)"),
                    ("nama_nomenklatur", "Nama Nomenklatur Resmi"),
                    ("program_rpjmd", "Program RPJMD/RPD"))
SHEETS = (SHEET_SUMMARY, SHEET_DIMENSION, SHEET_OPD, SHEET_FUNDING, SHEET_ELEMENT, SHEET_TYPE,
          SHEET_PROGRAMS, SHEET_QUICK_WIN, SHEET_STATUS)
ROADMAP_PREFIX = "Roadmap "

STATUS_FILLS = {PlanStatus.ACCEPTED: xlstyle.GOOD_FILL, PlanStatus.REVISE: xlstyle.NEUTRAL_FILL,
                PlanStatus.MISSING: xlstyle.BAD_FILL}
_EXCEL_NAME_MAX = 31
_FORBIDDEN_IN_SHEET_NAMES = str.maketrans({c: " " for c in "[]:*?/\\"})


def write_rekap(path: Path, cfg: Config, cons: Consolidated, statuses: list[OpdStatus],
                generated_at: str, basis: list[dict],
                notices: list[Notice] | None = None) -> Path:
    """Write the rekap workbook to `path` (atomically); returns `path`.

    basis: the files the rekap is based on, each a dict with file, opd, sha256,
    received_at; notices: the run's (results.Notice), of which the Ringkasan shows those
    meant for the rekap (default: the consolidation's own).
    """
    if notices is None:
        notices = cons.warnings
    # A notice about many OPDs: its sentence, then a row per OPD.
    notes = [line for n in notices if n.kind.in_rekap for line in n.lines()]
    with constant_memory_workbook(path) as workbook:
        _write_sheets(workbook, cfg, cons, statuses, generated_at, basis, notes)
    return path


def _write_sheets(workbook: xlsxwriter.Workbook, cfg: Config, cons: Consolidated,
                  statuses: list[OpdStatus], generated_at: str, basis: list[dict],
                  notes: list[str]) -> None:
    workbook.set_properties({
        "title": f"Rekapitulasi Masterplan Smart City {cfg.region_name}",
        "subject": f"Periode {cfg.period_label}", "author": "masterplan pipeline",
        "comments": f"Dibuat {generated_at}",
    })
    book = Book(workbook, cfg, cons, generated_at)
    # Sheets are created in the contract's order first, then filled in any order:
    # constant_memory keeps one temp file per sheet.
    sheets = {name: workbook.add_worksheet(name) for name in SHEETS}
    if cons.alignment is not None:  # only with a [rujukan] rpjmd list
        sheets[SHEET_ALIGNMENT] = workbook.add_worksheet(SHEET_ALIGNMENT)
    roadmaps = roadmap_sheet_names(cfg)
    for name in roadmaps.values():
        sheets[name] = workbook.add_worksheet(name)

    by_dimension = _matrix_sheet(book, sheets[SHEET_DIMENSION], cons.by_dimension,
                                 "Anggaran per Dimensi per Tahun")
    _matrix_sheet(book, sheets[SHEET_OPD], cons.by_opd, "Anggaran per OPD per Tahun")
    _matrix_sheet(book, sheets[SHEET_FUNDING], cons.by_funding,
                  "Anggaran per Sumber Dana per Tahun")
    _matrix_sheet(book, sheets[SHEET_ELEMENT], cons.by_element, "Anggaran per Elemen per Tahun")
    _matrix_sheet(book, sheets[SHEET_TYPE], cons.by_type, "Anggaran per Jenis Program per Tahun")
    _programs_sheet(book, sheets[SHEET_PROGRAMS])
    _quick_win_sheet(book, sheets[SHEET_QUICK_WIN])
    _status_sheet(book, sheets[SHEET_STATUS], statuses)
    if cons.alignment is not None:
        alignment_sheet(book, sheets[SHEET_ALIGNMENT], cons.alignment)
    for dimension, name in roadmaps.items():
        _roadmap_sheet(book, sheets[name], dimension)
    # Last: its charts point at the Dimensi per Tahun cells written above.
    summary_sheet(book, sheets[SHEET_SUMMARY], by_dimension, basis, notes)


def roadmap_sheet_names(cfg: Config) -> dict[str, str]:
    """'Roadmap <Dimensi>' per dimension, cut to Excel's 31 characters and unique."""
    taken = {name.casefold() for name in SHEETS}
    names: dict[str, str] = {}
    for dimension in cfg.dimensions:
        base = (ROADMAP_PREFIX + dimension.translate(_FORBIDDEN_IN_SHEET_NAMES)).strip()
        name = base[:_EXCEL_NAME_MAX].rstrip()
        number = 2
        while name.casefold() in taken:
            suffix = f" ({number})"
            name = base[:_EXCEL_NAME_MAX - len(suffix)].rstrip() + suffix
            number += 1
        taken.add(name.casefold())
        names[dimension] = name
    return names


# --- matrices -----------------------------------------------------------------------------

def _matrix_sheet(book: Book, ws: Worksheet, matrix: pd.DataFrame, title: str) -> MatrixPlace:
    """A row per category, a column per year, Total row and column; values only."""
    cfg = book.cfg
    names = list(matrix.index.names)
    label_cols = len(names)
    years = [c for c in matrix.columns if c != TOTAL]
    last_col = label_cols + len(years)
    rows = book.table_sheet(
        ws, f"{title} - {cfg.region_name} {cfg.period_label}",
        f"Nilai dalam Rupiah (Rp); dari berkas yang diterima, dibuat {book.generated_at}.",
        [*names, *years, TOTAL], [28 if label_cols == 1 else 20] + [30] * (label_cols - 1),
        print_title=title, header_height=20, freeze_cols=label_cols,
        header_formats=[book.header] * label_cols + [book.header_number] * len(years)
        + [book.header_center])
    ws.set_column(label_cols, last_col, 17)

    labels, values, totals = [], [], []
    body = matrix.iloc[:-1]
    for index, numbers_row in zip(body.index, body.to_numpy().tolist(), strict=True):
        label = list(index) if isinstance(index, tuple) else [index]
        rows.put([*label, *numbers_row], [book.text] * label_cols + [book.money])
        labels.append(" - ".join(str(p) for p in label))
        values.append(numbers_row[:-1])
        totals.append(numbers_row[-1])
    total = matrix.iloc[-1]
    total_label = [TOTAL] + [None] * (label_cols - 1)
    rows.put([*total_label, *total.tolist()], [book.total_label] * label_cols + [book.total_money])
    # The Total row stays out of the filter range so sorting never moves it.
    filter_rows(ws, HEADER_ROW + len(body), last_col)
    return MatrixPlace(ws.name, FIRST_DATA_ROW, len(body), label_cols, len(years), labels,
                       values, totals)


# --- Daftar Program ------------------------------------------------------------------------

def _programs_sheet(book: Book, ws: Worksheet) -> None:
    """Every accepted program with all its columns, its OPD and source file/row.

    A data sheet: header in row 1 for filtering and pivoting. Written with a tight loop
    (60,000 rows): per column, the values and the write method are chosen up front.
    """
    cfg, wide = book.cfg, book.cons.wide
    columns = {c.key: c for c in layout.program_columns(cfg)}
    money_keys = set(budget_keys(cfg)) | {"total_anggaran"}
    target_set = set(target_keys(cfg))
    text = book.text
    plan = [("opd_kode", "Kode OPD", 10, text, True), ("opd_singkatan", "OPD", 16, text, True)]
    for key in program_keys(cfg):
        column = columns[key]
        if key in money_keys:
            plan.append((key, column.label, column.width, book.money, False))
        elif key in target_set:
            plan.append((key, column.label, column.width, book.number, False))
        else:
            plan.append((key, column.label, min(column.width, 40), text, True))
    plan += [(key, label, 30, text, True) for key, label in REFERENCE_LABELS if key in wide]
    plan += [("file", "Berkas", 28, text, True), ("row", "Baris", 7, book.integer, False)]

    header_labels = ["No"] + [label for _, label, _, _, _ in plan]
    rows = Rows(ws)
    rows.put(header_labels, [book.header], height=32)
    set_widths(ws, [6] + [width for _, _, width, _, _ in plan])

    columns_values = []
    for key, _, _, _, is_text in plan:
        values = cell_values(wide[key])
        if is_text:
            values = [v if v is None or isinstance(v, str) else str(v) for v in values]
        elif key in money_keys:  # a year without budget stays blank: easier to read
            values = [v or None for v in values]
        columns_values.append(values)
    formats = [book.ordinal, *(fmt for _, _, _, fmt, _ in plan)]
    first = rows.next
    for i, values in enumerate(zip(*columns_values, strict=True)):
        ws.put_row(first + i, (i + 1, *values), formats)
    rows.skip(len(wide))
    book.grid(ws, first, max(len(wide), 1) + first - 1, len(header_labels) - 1)

    last_col = len(header_labels) - 1
    ws.freeze_panes(1, 4)  # No, Kode OPD, OPD, Nama Program stay visible
    ws.autofilter(0, 0, max(len(wide), 1), last_col)
    # 40 columns cannot be read at one page wide: three pages wide, the header row and
    # the No column on every page, each band of rows printed left to right first.
    book.print_setup(ws, "Daftar Program", repeat_row=0, fit_width=False)
    ws.fit_to_pages(3, 0)
    ws.repeat_columns(0, 0)
    ws.print_across()


# --- Quick Win -----------------------------------------------------------------------------

QUICK_WIN_HEADERS = ("No", "OPD", "Dimensi", "Elemen", "Nama Program")
QUICK_WIN_WIDTHS = (5, 14, 18, 24, 44, 18, 11, 11, 32, 40)


def _quick_win_sheet(book: Book, ws: Worksheet) -> None:
    """The Quick Wins of the Quick Win year, a heading row per dimension."""
    cfg, table = book.cfg, book.cons.quick_wins
    year = cfg.quick_win_year
    headers = [*QUICK_WIN_HEADERS, f"Anggaran {year} (Rp)", f"Target {year}", "Satuan",
               "Indikator Kinerja", "Manfaat bagi Masyarakat"]
    rows = book.table_sheet(ws, f"Program Quick Win Tahun {year} - {cfg.region_name}",
                            f"{len(table)} program Quick Win; anggaran dalam Rupiah. Dibuat "
                            f"{book.generated_at}.", headers, QUICK_WIN_WIDTHS,
                            print_title=f"Quick Win {year}", wrap=(1, 2, 3, 4, 7, 8, 9))

    groups = dict(iter(table.groupby("dimensi", sort=False, dropna=False)))
    dimensions = list(cfg.dimensions) + [d for d in groups if d not in cfg.dimensions]
    number = 0
    for dimension in dimensions:
        group = groups.get(dimension)
        label = dimension if isinstance(dimension, str) else "(tanpa dimensi)"
        if group is None or group.empty:
            rows.put([f"{label}: belum ada Quick Win"] + [None] * (len(headers) - 1),
                     [book.group_empty])
            continue
        rows.put([f"{label}: {len(group)} Quick Win"] + [None] * (len(headers) - 1),
                 [book.group])
        columns = [cell_values(group[c]) for c in ("opd_singkatan", "dimensi", "elemen",
                                                "nama_program", "anggaran", "target",
                                                "satuan", "indikator", "manfaat")]
        formats = [book.ordinal, book.wrap, book.wrap, book.wrap, book.wrap, book.money,
                   book.number, book.wrap, book.wrap, book.wrap]
        for values in zip(*columns, strict=True):
            number += 1
            rows.put([number, *values], formats)


# --- Status Pengumpulan --------------------------------------------------------------------

STATUS_HEADERS = ("No", "Kode OPD", "Nama OPD", "Singkatan", "Status", "Berkas Terakhir",
                  "Waktu Masuk", "Berkas dalam Rekap", "Jumlah Program", "Jumlah Kesalahan",
                  "Jumlah Peringatan")
STATUS_COL = STATUS_HEADERS.index("Status")
STATUS_WIDTHS = (5, 11, 42, 14, 19, 30, 18, 30, 10, 10, 11)


def _status_sheet(book: Book, ws: Worksheet, statuses: list[OpdStatus]) -> None:
    """Every configured OPD, config order, with its status coloured."""
    cfg = book.cfg
    by_code = {s.kode: s for s in statuses}
    counts = {k: sum(s.status == k for s in statuses)
              for k in (PlanStatus.ACCEPTED, PlanStatus.REVISE, PlanStatus.MISSING)}
    rows = book.table_sheet(ws, f"Status Pengumpulan Berkas - {cfg.region_name}",
                            f"{len(cfg.opds)} OPD: {counts[PlanStatus.ACCEPTED]} diterima, "
                            f"{counts[PlanStatus.REVISE]} perlu revisi, "
                            f"{counts[PlanStatus.MISSING]} belum mengumpulkan. "
                            f"Dibuat {book.generated_at}.", STATUS_HEADERS, STATUS_WIDTHS,
                            print_title="Status Pengumpulan", wrap=(2, 5, 7))
    formats = [book.ordinal, book.text, book.wrap, book.text, book.text, book.wrap, book.text,
               book.wrap, book.integer, book.integer, book.integer]
    for number, opd in enumerate(cfg.opds, start=1):
        status = by_code.get(opd.kode)
        if status is None:  # not in the statuses given: nothing received from it
            status = OpdStatus(opd.kode, opd.nama, opd.singkatan, PlanStatus.MISSING)
        rows.put([number, opd.kode, opd.nama, opd.singkatan, status.status, status.file,
                  time_text(status.received_at), status.counted_file, status.n_programs,
                  status.n_errors, status.n_warnings], formats)
    last_row = rows.next - 1
    last_col = len(STATUS_HEADERS) - 1
    status_letter = xlstyle.col_letter(STATUS_COL)
    # Conditional (not static) colouring: it follows the cell if someone edits a status.
    for status, colour in STATUS_FILLS.items():
        ws.conditional_format(FIRST_DATA_ROW, 0, max(last_row, FIRST_DATA_ROW), last_col, {
            "type": "formula",
            "criteria": f'=${status_letter}{FIRST_DATA_ROW + 1}="{status}"',
            "format": book.workbook.add_format({"bg_color": colour}),
        })
    filter_rows(ws, last_row, last_col)


# --- Roadmap per dimension -----------------------------------------------------------------

ROADMAP_WIDTHS = (5, 14, 24, 44, 14)  # No, OPD, Elemen, Program, Jenis; then the years


def _roadmap_sheet(book: Book, ws: Worksheet, dimension: str) -> None:
    """A dimension's programs by year, budget in juta Rupiah, ready for the book."""
    cfg, wide = book.cfg, book.cons.wide
    years, budgets = cfg.years, budget_keys(cfg)
    programs = wide[wide["dimensi"] == dimension]
    # Elements in config order; within an element, OPD order as in the wide table.
    rank = {e: i for i, e in enumerate(cfg.dimensions.get(dimension, ()))}
    order = programs["elemen"].map(rank).fillna(len(rank)).to_numpy()
    programs = programs.iloc[order.argsort(kind="stable")]

    headers = ["No", "OPD", "Elemen", "Program", "Jenis Program", *years, TOTAL]
    rows = book.table_sheet(ws, f"Roadmap {dimension} {cfg.period_label} - {cfg.region_name}",
                            f"Anggaran dalam juta Rupiah; {len(programs)} program. Dibuat "
                            f"{book.generated_at}.", headers, ROADMAP_WIDTHS,
                            print_title=f"Roadmap {dimension}", wrap=(1, 2, 3, 4),
                            header_height=20, header_formats=[book.header] * 5
                            + [book.header_number] * len(years) + [book.header_center])
    ws.set_column(5, 5 + len(years), 11)

    # Divide whole Rupiah once; the total row divides the Rupiah sums (no float drift).
    millions = (programs[budgets].to_numpy(dtype="float64") / 1e6).tolist()
    labels = zip(cell_values(programs["opd_singkatan"]), cell_values(programs["elemen"]),
                 cell_values(programs["nama_program"]), cell_values(programs["jenis_program"]),
                 strict=True)
    totals = [total / 1e6 for total in cell_values(programs["total_anggaran"])]
    first = rows.next
    # A tight loop (every program of a dimension): labels through put() for the row
    # height, amounts written directly, a year without budget left blank; the grid is
    # drawn over the block by one conditional format instead of a border on every cell.
    formats = [book.ordinal, *[book.wrap] * 4, *[book.millions] * (len(years) + 1)]
    for number, (label, amounts, total) in enumerate(zip(labels, millions, totals, strict=True),
                                                     start=1):
        rows.put_row([number, *label, *(a or None for a in amounts), total], formats)
    if len(programs):
        book.grid(ws, first, rows.next - 1, 5 + len(years))
    if programs.empty:
        rows.put([None, None, None, "Belum ada program.", None], [book.text])
    sums = programs[budgets].sum(axis=0).astype("int64").tolist() if len(programs) else \
        [0] * len(years)
    rows.put([TOTAL, None, None, None, None, *(s / 1e6 for s in sums), sum(sums) / 1e6],
             [book.total_label] * 5 + [book.total_millions])


# --- CSV -------------------------------------------------------------------------------------

def write_data(directory: Path, years: list[int], wide: pd.DataFrame) -> list[Path]:
    """`program.csv` (wide) and `anggaran.csv` (tidy) in `directory` (output/data).

    Plain UTF-8 with a header row. Text cells that a spreadsheet would run as a formula
    (starting with = + - @ tab or carriage return) get a leading ' (OWASP CSV injection);
    numbers are never touched. The tidy table has ten rows per program: it is made and
    written a slice of programs at a time, so its memory does not grow with the data.
    """
    options = {"index": False, "encoding": "utf-8", "lineterminator": "\n",
               "float_format": "%.15g"}
    program_csv, budget_csv = directory / PROGRAM_CSV, directory / BUDGET_CSV
    with atomic_path(program_csv) as tmp:
        escape_formulas(wide).to_csv(tmp, **options)
    with atomic_path(budget_csv) as tmp, open(tmp, "w", encoding="utf-8", newline="") as out:
        for start in range(0, max(len(wide), 1), TIDY_SLICE):
            part = tidy(years, wide.iloc[start:start + TIDY_SLICE])
            escape_formulas(part).to_csv(out, header=start == 0, **options)
    return [program_csv, budget_csv]


TIDY_SLICE = 5_000  # programs per slice of anggaran.csv (50,000 rows)
