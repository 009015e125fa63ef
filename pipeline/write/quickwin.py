"""Quick Win profiles, evaluation templates and evaluation results.

- `masterplan quickwin` (`make_quick_win_outputs`): from the Quick Wins of every OPD's
  counted plan (the newest accepted one, as in the rekap) it writes
  `output/profil_quick_win.xlsx` (a summary by dimension and one printable profile per
  Quick Win) and one evaluation template per OPD with Quick Wins under
  `templates_xlsx/evaluasi/`.
- `masterplan run` (`evaluation_results` + `write_evaluation_results`): each Quick Win with
  its newest accepted evaluation, as `output/evaluasi_quick_win.xlsx`.

Percentages are computed against the accepted plan in the ledger, never against the copies
prefilled in the evaluation file. Capaian Target = realised / target x 100; when the target
is 0 (or below) there is nothing to divide by: the percentage stays blank with a note, and
the status is Tercapai, because any realisation (>= 0) meets a target of 0. Serapan
Anggaran = realised / planned budget x 100, blank with a note when the budget is 0. The
status follows Capaian only: Tercapai from `[evaluasi] tercapai` %, Sebagian from
`sebagian` %, else Belum; a Quick Win without an accepted evaluation is Belum dievaluasi.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from .. import layout
from ..common import xlstyle
from ..common.atomic import atomic_path
from ..config import Config, Opd
from ..read.normalise import key
from ..results import QW_ACHIEVED as TERCAPAI
from ..results import QW_NOT_ACHIEVED as BELUM
from ..results import QW_NOT_EVALUATED as BELUM_DIEVALUASI
from ..results import QW_PARTIAL as SEBAGIAN
from ..results import QW_STATUSES as STATUSES
from ..store.ingest import (
    OpdStatus,
    accepted_quick_wins,
    judged_under_other_config,
    opd_statuses,
)
from ..store.ledger import Ledger, now_iso
from ..store.lock import run_lock
from ..workspace import Workspace
from .templates import (
    WORKBOOK_OPTIONS,
    GuideWriter,
    Styles,
    money_validation,
    plan_meta,
    prompt_options,
    protect,
    rupiah,
    send_back_section,
    set_properties,
    setup_print,
    template_filename,
    wrapped_lines,
    write_identity_sheet,
    write_meta_sheet,
)

PROFILES_NAME = "profil_quick_win.xlsx"
EVALUATION_RESULTS_NAME = "evaluasi_quick_win.xlsx"
EVALUATION_TEMPLATE_DIR = "evaluasi"
EVALUATION_TEMPLATE_PREFIX = "Template_Evaluasi_Quick_Win"

SHEET_SUMMARY = "Ringkasan"
SHEET_PROFILES = "Profil"
SHEET_RESULTS = "Evaluasi Quick Win"

STATUS_COLOURS = {TERCAPAI: "#C6EFCE", SEBAGIAN: "#FFEB9C", BELUM: "#FFC7CE",
                  BELUM_DIEVALUASI: "#D9D9D9"}
CHART_COLOURS = {TERCAPAI: "#548235", SEBAGIAN: "#BF9000", BELUM: "#C00000",
                 BELUM_DIEVALUASI: "#A6A6A6"}

MONEY = "[$-421]#,##0"  # whole Rupiah; Indonesian Excel/LibreOffice show 1.500.000
PERCENT = "[$-421]0.0"
NUMBER = "[$-421]General"


@dataclass(frozen=True)
class QuickWin:
    """One Quick Win of an OPD's counted plan."""

    opd: Opd
    program: dict[str, Any]  # the normalised plan row, as stored in the ledger
    file: str | None  # the plan file it comes from

    @property
    def name(self) -> str:
        return self.program["nama_program"]


def collect_quick_wins(cfg: Config, ledger: Ledger,
                       statuses: list[OpdStatus] | None = None) -> list[QuickWin]:
    """Every accepted Quick Win, by dimension (config order), OPD (config order), row."""
    statuses = statuses if statuses is not None else opd_statuses(ledger, cfg)
    files = {s.kode: s.counted_file for s in statuses}
    rows = accepted_quick_wins(ledger, cfg, statuses)
    dimension_order = {d: i for i, d in enumerate(cfg.dimensions)}
    opd_order = {o.kode: i for i, o in enumerate(cfg.opds)}
    found = [QuickWin(cfg.opd_by_code[kode], program, files.get(kode))
             for kode, programs in rows.items() for program in programs]
    return sorted(found, key=lambda q: (dimension_order.get(q.program.get("dimensi"), 99),
                                        opd_order[q.opd.kode], q.program.get("row") or 0))


def by_opd(quick_wins: Sequence[QuickWin]) -> dict[str, list[QuickWin]]:
    """OPD code -> its Quick Wins in plan row order (the order of its evaluation template)."""
    grouped: dict[str, list[QuickWin]] = {}
    for qw in sorted(quick_wins, key=lambda q: q.program.get("row") or 0):
        grouped.setdefault(qw.opd.kode, []).append(qw)
    return grouped


def dimensions_without(cfg: Config, quick_wins: Sequence[QuickWin]) -> list[str]:
    used = {q.program.get("dimensi") for q in quick_wins}
    return [d for d in cfg.dimensions if d not in used]


# --- masterplan quickwin -------------------------------------------------------------------

class NeedsRun(Exception):
    """The ledger was judged under another config: `masterplan run` must come first."""

    def __str__(self) -> str:
        return ("Konfigurasi (masterplan.toml) berubah sejak `masterplan run` terakhir. "
                "Jalankan `masterplan run` dulu agar Quick Win mengikuti konfigurasi baru, "
                "lalu `masterplan quickwin` lagi.")


@dataclass
class QuickWinOutputs:
    profiles: Path
    templates: list[Path]
    quick_wins: list[QuickWin]
    missing_dimensions: list[str]
    removed: list[Path] = field(default_factory=list)  # stale evaluation templates


def make_quick_win_outputs(ws: Workspace, wait_seconds: float = 30.0,
                           now: datetime | None = None) -> QuickWinOutputs:
    """Write the profiles workbook and the evaluation templates (under the run lock)."""
    cfg = ws.load_config()
    with run_lock(ws.state, wait_seconds):
        quick_wins: list[QuickWin] = []
        if ws.ledger_path.is_file():
            ledger = Ledger(ws.ledger_path)
            try:
                _check_current(ws, ledger)
                quick_wins = collect_quick_wins(cfg, ledger)
            finally:
                ledger.close()
        created = (now or datetime.now().astimezone()).isoformat(timespec="seconds")
        profiles = write_profiles(ws.output / PROFILES_NAME, cfg, quick_wins, now_iso())
        folder = ws.templates / EVALUATION_TEMPLATE_DIR
        paths = write_evaluation_templates(cfg, folder, quick_wins, created)
        removed = remove_stale_templates(folder, paths)
        ledger = Ledger(ws.ledger_path)
        try:
            ledger.set_state(QUICK_WIN_STATE, quick_win_sets(quick_wins))
        finally:
            ledger.close()
    return QuickWinOutputs(profiles, paths, quick_wins, dimensions_without(cfg, quick_wins),
                           removed)


QUICK_WIN_STATE = "quickwin"  # ledger state: the Quick Win sets of the last `quickwin`


def quick_win_sets(quick_wins: Sequence[QuickWin]) -> dict[str, list]:
    """OPD code -> its Quick Wins as (plan row, name), what profiles and templates show."""
    sets: dict[str, list] = {}
    for qw in quick_wins:
        sets.setdefault(qw.opd.kode, []).append([qw.program.get("row"), qw.name])
    return {kode: sorted(items, key=str) for kode, items in sets.items()}


def stale_notice(cfg: Config, ledger: Ledger, statuses: list[OpdStatus]) -> str | None:
    """A line when the accepted Quick Wins differ from those of the last `quickwin`."""
    made = ledger.get_state(QUICK_WIN_STATE)
    if made is None:
        return None
    now = quick_win_sets(collect_quick_wins(cfg, ledger, statuses))
    changed = [cfg.opd_by_code[k].singkatan if k in cfg.opd_by_code else k
               for k in sorted(set(made) | set(now)) if made.get(k) != now.get(k)]
    if not changed:
        return None
    return (f"Quick Win yang diterima berubah sejak `masterplan quickwin` terakhir (OPD: "
            f"{', '.join(changed)}): profil_quick_win.xlsx dan template evaluasi sudah usang. "
            "Jalankan: masterplan quickwin")


def _check_current(ws: Workspace, ledger: Ledger) -> None:
    if judged_under_other_config(ws, ledger):
        raise NeedsRun()


def evaluation_template_name(opd: Opd) -> str:
    return template_filename(opd, prefix=EVALUATION_TEMPLATE_PREFIX)


def write_evaluation_templates(cfg: Config, folder: Path, quick_wins: Sequence[QuickWin],
                               created: str) -> list[Path]:
    """One evaluation template per OPD with accepted Quick Wins; returns the paths."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for kode, own in by_opd(quick_wins).items():
        opd = cfg.opd_by_code[kode]
        path = folder / evaluation_template_name(opd)
        with atomic_path(path) as tmp:
            write_evaluation_workbook(cfg, opd, [q.program for q in own], tmp, created)
        paths.append(path)
    return paths


def remove_stale_templates(folder: Path, keep: Sequence[Path]) -> list[Path]:
    """Evaluation templates of OPDs that no longer have Quick Wins (our names only)."""
    kept = {p.name for p in keep}
    stale = [p for p in folder.glob(f"{EVALUATION_TEMPLATE_PREFIX}_*.xlsx") if p.name not in kept]
    for path in stale:
        path.unlink()
    return stale


# --- the evaluation template -------------------------------------------------------------

def evaluation_meta(cfg: Config, opd: Opd, created: str) -> dict[str, str]:
    """The plan template's identity keys, with the evaluation kind and id."""
    return plan_meta(cfg, opd, created) | {
        "jenis_template": layout.KIND_EVALUATION,
        "template_id": layout.template_id(cfg, layout.KIND_EVALUATION, opd.kode),
    }


def write_evaluation_workbook(cfg: Config, opd: Opd, programs: Sequence[dict], path: Path,
                              created: str) -> None:
    """The whole evaluation template for one OPD: Petunjuk, Identitas, Evaluasi, identity."""
    workbook = xlsxwriter.Workbook(str(path), WORKBOOK_OPTIONS)
    try:
        styles = Styles.create(workbook)
        meta = evaluation_meta(cfg, opd, created)
        set_properties(workbook, cfg, f"Template Evaluasi Quick Win {cfg.quick_win_year} - "
                                      f"{opd.nama}", meta)
        write_evaluation_guide(workbook, styles, cfg, opd)
        write_identity_sheet(workbook, styles, opd, f"Identitas Pengisi Evaluasi - {opd.nama}")
        write_evaluation_sheet(workbook, styles, cfg, opd, programs)
        write_meta_sheet(workbook, meta)
    finally:
        workbook.close()


def write_evaluation_sheet(workbook: Workbook, styles: Styles, cfg: Config, opd: Opd,
                           programs: Sequence[dict]) -> Worksheet:
    """`Evaluasi`: a row per Quick Win, plan values prefilled and locked, inputs open."""
    ws = workbook.add_worksheet(layout.SHEET_EVALUATION)
    columns = layout.evaluation_columns(cfg)
    col = {c.key: i for i, c in enumerate(columns)}
    header = layout.EVALUATION_HEADER_ROW - 1  # xlsxwriter rows are 0-based
    first = layout.EVALUATION_FIRST_DATA_ROW - 1
    last = first + max(len(programs), 1) - 1
    locked = {"border": 1, "border_color": "#A6A6A6", "valign": "top", "locked": True,
              "bg_color": "#EDEDED"}
    locked_text = workbook.add_format(locked | {"text_wrap": True})
    locked_number = workbook.add_format(locked | {"num_format": NUMBER})
    locked_money = workbook.add_format(locked | {"num_format": MONEY})
    input_number = workbook.add_format({"border": 1, "border_color": "#A6A6A6",
                                        "locked": False, "num_format": "General"})

    qw = cfg.quick_win_year
    ws.write_string(0, 0, f"Evaluasi Quick Win {qw} {opd.nama} ({opd.kode}) - "
                          f"{cfg.region_name}", styles.title)
    ws.write_string(1, 0, "Isi kolom putih untuk setiap Quick Win; kolom abu-abu diambil dari "
                          "rencana yang diterima dan dikunci. Angka saja, tanpa titik/koma "
                          "ribuan dan tanpa tanda %. Lihat sheet Petunjuk.", styles.hint)
    ws.set_row(0, 21)
    ws.set_row(header, 48)
    for i, column in enumerate(columns):
        ws.set_column(i, i, column.width)
        ws.write_string(header, i, column.label, _header_style(styles, column))

    for offset, program in enumerate(programs):
        row = first + offset
        name = program.get("nama_program") or ""
        lines = max(wrapped_lines(name, columns[col["nama_program"]].width),
                    wrapped_lines(program.get("indikator") or "", columns[col["indikator"]].width))
        ws.set_row(row, 15 * lines + 3)
        ws.write_number(row, col["no"], offset + 1, styles.row_number)
        _write_number(ws, row, col[layout.PLAN_ROW], program.get("row"), locked_number)
        ws.write_string(row, col["nama_program"], name, locked_text)
        ws.write_string(row, col["indikator"], program.get("indikator") or "", locked_text)
        ws.write_string(row, col["satuan"], program.get("satuan") or "", locked_text)
        _write_number(ws, row, col["target"], program.get(f"target_{qw}"), locked_number)
        _write_number(ws, row, col["anggaran"], program.get(f"anggaran_{qw}"), locked_money)
        for column in columns:
            if column.kind in ("number", "prefilled"):
                continue
            style = {"money": styles.input_money, "text": styles.input_text}.get(
                column.kind, input_number)
            ws.write_blank(row, col[column.key], None, style)

    for column in columns:
        options = evaluation_validation(column)
        if options:
            ws.data_validation(first, col[column.key], last, col[column.key], options)

    ws.freeze_panes(header + 1, col["nama_program"] + 1)
    protect(ws)
    setup_print(ws, landscape=True, repeat_rows=(header, header))
    return ws


def _header_style(styles: Styles, column: layout.Column):
    if column.kind in ("number", "prefilled"):
        return styles.header_optional
    if column.required:
        return styles.header_required
    return styles.header_optional if column.kind == "text" else styles.header_target


def _write_number(ws: Worksheet, row: int, col: int, value: Any, fmt) -> None:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        ws.write_number(row, col, value, fmt)
    else:
        ws.write_blank(row, col, None, fmt)


def evaluation_validation(column: layout.Column) -> dict | None:
    """Data validation with an Indonesian input message for one input column."""
    if column.kind in ("number", "prefilled"):
        return None
    prompt = prompt_options(column.label, column.note)
    if column.kind == "money":
        return prompt | money_validation("realisasi anggaran")
    if column.kind == "realisation":
        return prompt | {
            "validate": "decimal", "criteria": ">=", "value": 0, "ignore_blank": True,
            "error_type": "stop", "error_title": "Realisasi harus angka",
            "error_message": "Tulis realisasi sebagai angka 0 atau lebih, dalam satuan yang "
                             "sama dengan Target, misalnya 85. Satuan tidak perlu ditulis.",
        }
    if column.kind == "count":
        return prompt | {
            "validate": "integer", "criteria": ">=", "value": 0, "ignore_blank": True,
            "error_type": "stop", "error_title": "Responden harus bilangan bulat",
            "error_message": "Tulis jumlah responden sebagai bilangan bulat, misalnya 120.",
        }
    if column.kind == "percent":
        return prompt | {
            "validate": "decimal", "criteria": "between", "minimum": 0, "maximum": 100,
            "ignore_blank": True, "error_type": "stop",
            "error_title": "Kepuasan antara 0 dan 100",
            "error_message": "Tulis persentase responden yang puas, angka 0 sampai 100 tanpa "
                             "tanda %, misalnya 87,5.",
        }
    return prompt | {
        "validate": "length", "criteria": "<=", "value": column.max_len or layout.LONG_TEXT,
        "ignore_blank": True, "error_type": "stop", "error_title": "Teks terlalu panjang",
        "error_message": f"{column.label} paling banyak {column.max_len} karakter; persingkat "
                         "isinya.",
    }


def write_evaluation_guide(workbook: Workbook, styles: Styles, cfg: Config,
                           opd: Opd) -> Worksheet:
    ws = workbook.add_worksheet(layout.SHEET_GUIDE)
    guide = GuideWriter(ws, styles)
    qw = cfg.quick_win_year
    sheet = layout.SHEET_EVALUATION
    guide.title(f"Petunjuk Pengisian Template Evaluasi Quick Win {qw}",
                f"{cfg.region_name} - Masterplan Smart City {cfg.period_label} - "
                f"{opd.nama} ({opd.kode})")

    guide.heading("1. Apa yang dievaluasi?")
    guide.item("Quick Win",
               f"Quick Win adalah program yang dilaksanakan pada tahun {qw} dan manfaatnya "
               "cepat dirasakan masyarakat. Evaluasi ini menilai tiga hal: apakah target "
               "tercapai, apakah anggaran terserap, dan yang terpenting apakah warga benar-"
               "benar merasakan manfaatnya.")
    guide.item("Contoh kementerian",
               "Seorang ibu pulang dari Puskesmas dua hari setelah melahirkan dengan akta "
               "kelahiran bayinya sudah di tangan, tanpa datang ke kantor Disdukcapil. Manfaat "
               "seperti inilah yang diukur melalui survei kepuasan masyarakat penerima "
               "manfaat.")

    guide.heading("2. Langkah pengisian")
    for label, text in [
        ("Langkah 1", f"Isi sheet {layout.SHEET_IDENTITY}: nama pengisi, NIP, jabatan, kontak "
                      "dan tanggal. Kode dan nama OPD sudah terisi."),
        ("Langkah 2", f"Di sheet {sheet}, setiap baris adalah satu Quick Win OPD Anda dari "
                      "rencana yang sudah diterima. Kolom abu-abu (Baris Rencana, Nama "
                      "Program, Indikator Kinerja, Satuan, Target, Anggaran) sudah terisi dan "
                      "dikunci; Baris Rencana menunjukkan baris Quick Win itu di rencana."),
        ("Langkah 3", "Isi kolom putih: Realisasi Target dan Realisasi Anggaran (Rp) wajib; "
                      "Jumlah Responden dan Kepuasan Masyarakat (%) dari survei penerima "
                      "manfaat; Bukti Dukung dan Kendala bila ada."),
        ("Langkah 4", "Quick Win yang belum dapat dievaluasi boleh dibiarkan kosong; "
                      "statusnya tercatat 'Belum dievaluasi'. Jangan menambah program lain: "
                      "hanya Quick Win yang tercantum yang dapat dievaluasi."),
    ]:
        guide.item(label, text)

    guide.heading(f"3. Arti setiap kolom di sheet {sheet}")
    guide.table_header("Kolom", "Keterangan")
    prefilled = "Terisi dari rencana yang diterima; dikunci, tidak perlu diubah."
    for column in layout.evaluation_columns(cfg):
        if column.kind == "number":
            text = "Nomor urut, sudah terisi."
        elif column.kind == "prefilled":
            text = f"{prefilled} {column.note}".strip()
        else:
            text = ("Wajib. " if column.required else "") + column.note
        guide.item(column.label, text)

    guide.heading("4. Cara penilaian")
    guide.item("Capaian Target (%)",
               "Realisasi Target dibagi Target, dikali 100. Bila Target 0, capaian tidak "
               "dihitung dan status menjadi Tercapai.")
    guide.item("Serapan Anggaran (%)",
               "Realisasi Anggaran dibagi Anggaran rencana, dikali 100.")
    guide.item("Status",
               f"Tercapai bila capaian {cfg.eval_achieved:g}% atau lebih; Sebagian bila "
               f"{cfg.eval_partial:g}% atau lebih; Belum bila di bawah {cfg.eval_partial:g}%.")
    guide.item("Survei kepuasan",
               f"Tanyakan kepada warga penerima manfaat apakah mereka puas/merasakan manfaat. "
               f"Sesuai praktik survei kementerian, ambil minimal {cfg.eval_min_respondents} "
               "responden; Kepuasan Masyarakat (%) adalah persentase responden yang puas.")

    guide.heading("5. Contoh pengisian satu baris")
    guide.table_header(f"Kolom di sheet {sheet}", "Contoh isian")
    for label, text in [
        ("Nama Program", "Layanan Akta Kelahiran Terintegrasi Puskesmas (sudah terisi)"),
        (layout.target_label(qw), "90 (sudah terisi; Satuan %)"),
        (layout.budget_label(qw), f"{rupiah(450_000_000)} (sudah terisi)"),
        ("Realisasi Target", "92"),
        ("Realisasi Anggaran (Rp)", f"{rupiah(430_000_000)}   (diketik: 430000000)"),
        ("Jumlah Responden", "120"),
        ("Kepuasan Masyarakat (%)", "87,5"),
        ("Bukti Dukung", "Laporan Disdukcapil Desember; data SIAK; rekap survei kepuasan"),
        ("Kendala", "Jaringan internet di 3 Puskesmas belum stabil"),
    ]:
        guide.item(label, text, styles.example_value)

    send_back_section(guide, cfg, "6. Mengirim kembali",
                      "Jangan mengganti nama sheet atau judul kolom dan jangan mengubah "
                      "Nama Program.")
    setup_print(ws, landscape=False)
    return ws


# --- the profiles workbook ---------------------------------------------------------------

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
        self.empty = add({**border, "italic": True, "font_color": "#833C0B",
                          "bg_color": "#FCE4D6", "text_wrap": True})
        self.warning = add(xlstyle.WARNING)
        self.all_clear = add(xlstyle.ALL_CLEAR)
        self.status = {s: add({**border, "bold": True, "bg_color": c})
                       for s, c in STATUS_COLOURS.items()}


def _table_header(ws: Worksheet, row: int, labels: Sequence[str], fmt,
                  height: float = 32) -> None:
    ws.set_row(row, height)
    for col, label in enumerate(labels):
        ws.write_string(row, col, label, fmt)


def _text(ws: Worksheet, row: int, col: int, value: Any, fmt) -> None:
    """Participants' text stays text (never a formula or a link)."""
    ws.write_string(row, col, "" if value is None else str(value), fmt)


def _value(ws: Worksheet, row: int, col: int, value: Any, fmt) -> None:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        ws.write_number(row, col, value, fmt)
    else:
        ws.write_blank(row, col, None, fmt)


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
    ws = workbook.add_worksheet(SHEET_SUMMARY)
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
        (layout.target_label(qw), "-" if target is None else f"{_number_text(target)} {satuan}"),
        (layout.budget_label(qw), f"Rp {rupiah(int(budget or 0))}"),
        ("Sumber Dana", p.get("sumber_dana") or ""),
        ("Manfaat bagi Masyarakat", p.get("manfaat") or ""),
        ("Sumber data", f"{quick_win.file or '-'}, baris {p.get('row') or '-'}"),
    ]


def _number_text(value: float | int) -> str:
    """85 -> '85', 1500 -> '1.500', 87.5 -> '87,5' (Indonesian separators)."""
    whole, _, fraction = f"{value:.2f}".partition(".")
    fraction = fraction.rstrip("0")
    return f"{rupiah(int(whole))},{fraction}" if fraction else rupiah(int(whole))


def _profiles_sheet(workbook: Workbook, styles: Styles, cfg: Config,
                    quick_wins: Sequence[QuickWin]) -> None:
    """One profile per Quick Win, each on its own printed page."""
    ws = workbook.add_worksheet(SHEET_PROFILES)
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


# --- evaluation results ------------------------------------------------------------------

@dataclass
class EvaluationResult:
    quick_win: QuickWin
    target: float | int | None
    budget: int
    realised: float | int | None = None
    spent: int | None = None
    respondents: int | None = None
    satisfaction: float | None = None
    achievement: float | None = None  # Capaian Target (%)
    absorption: float | None = None  # Serapan Anggaran (%)
    status: str = BELUM_DIEVALUASI
    notes: list[str] = field(default_factory=list)
    evidence: str | None = None
    obstacles: str | None = None
    file: str | None = None  # the evaluation file used


def percent(part: float | int | None, whole: float | int | None) -> float | None:
    """part / whole x 100; None when there is nothing to divide by (whole 0 or missing)."""
    if part is None or whole is None or whole <= 0:
        return None
    return part / whole * 100


def status_for(achievement: float | None, cfg: Config) -> str:
    """Status of an evaluated Quick Win; None (target 0 or below) counts as met."""
    if achievement is None or achievement >= cfg.eval_achieved:
        return TERCAPAI
    if achievement >= cfg.eval_partial:
        return SEBAGIAN
    return BELUM


def assess(cfg: Config, quick_win: QuickWin, evaluation: dict | None,
           file: str | None, note_missing: str | None = None) -> EvaluationResult:
    qw = cfg.quick_win_year
    target = quick_win.program.get(f"target_{qw}")
    budget = int(quick_win.program.get(f"anggaran_{qw}") or 0)
    result = EvaluationResult(quick_win, target, budget)
    if evaluation is None:
        result.notes.append(note_missing or "Belum ada evaluasi yang diterima.")
        return result
    result.file = file
    result.realised = evaluation.get("realisasi_target")
    result.spent = evaluation.get("realisasi_anggaran")
    result.respondents = evaluation.get("jumlah_responden")
    result.satisfaction = evaluation.get("kepuasan")
    result.evidence = evaluation.get("bukti_dukung")
    result.obstacles = evaluation.get("kendala")
    result.achievement = percent(result.realised, target)
    result.absorption = percent(result.spent, budget)
    result.status = status_for(result.achievement, cfg)
    if result.achievement is None:
        shown = "kosong" if target is None else _number_text(target)
        result.notes.append(f"Target {shown}: capaian tidak dapat dihitung; dinilai Tercapai "
                            "karena realisasi tidak di bawah target. Periksa target di rencana.")
    if result.absorption is None:
        result.notes.append("Anggaran rencana 0: serapan tidak dapat dihitung.")
    if result.satisfaction is not None and (result.respondents or 0) < cfg.eval_min_respondents:
        result.notes.append(f"Responden {result.respondents or 0} kurang dari "
                            f"{cfg.eval_min_respondents}: kepuasan kurang dapat dipercaya.")
    if result.satisfaction is None:
        result.notes.append("Kepuasan masyarakat belum diisi.")
    return result


def evaluation_results(cfg: Config, ledger: Ledger,
                       statuses: list[OpdStatus] | None = None) -> list[EvaluationResult]:
    """Each accepted Quick Win with its OPD's newest accepted evaluation, if any."""
    quick_wins = collect_quick_wins(cfg, ledger, statuses)
    latest: dict[str, dict] = {}
    accepted: dict[str, dict] = {}
    for row in ledger.files():  # in arrival order: the last one is the newest
        if (row["code"] is not None or row["kind"] != layout.KIND_EVALUATION
                or row["opd"] not in cfg.opd_by_code or row["withdrawn_at"]):
            continue
        latest[row["opd"]] = dict(row)
        if row["status"] == "accepted":
            accepted[row["opd"]] = dict(row)
    # OPD -> the Quick Win's plan row (or, for rows judged before evaluations carried
    # it, its name key) -> evaluation row
    rows: dict[str, dict[int | str, dict]] = {}
    for kode, file_row in accepted.items():
        rows[kode] = {_evaluated_quick_win(r): r for _, r in ledger.programs([file_row["sha256"]])}
    results = []
    for quick_win in quick_wins:
        kode = quick_win.opd.kode
        used = accepted.get(kode)
        newest = latest.get(kode)
        rejected = newest if newest and newest["status"] != "accepted" else None
        note = None
        if used:
            note = f"Tidak diisi di berkas evaluasi {used['path']}."
        if rejected:
            note = (f"Berkas evaluasi terbaru ({rejected['path']}) ditolak: lihat laporan "
                    "validasi.")
        own = rows.get(kode, {})
        evaluation = own.get(quick_win.program.get("row")) or own.get(key(quick_win.name))
        result = assess(cfg, quick_win, evaluation, used["path"] if used else None, note)
        if evaluation is not None and rejected:
            result.notes.append(f"Berkas evaluasi terbaru ({rejected['path']}) ditolak; dipakai "
                                "berkas sebelumnya.")
        results.append(result)
    return results


def _evaluated_quick_win(evaluation: dict) -> int | str:
    plan_row = evaluation.get(layout.PLAN_ROW)
    return plan_row if plan_row is not None else key(evaluation["nama_program"])


def write_evaluation_results(path: Path, cfg: Config, results: Sequence[EvaluationResult],
                             generated_at: str) -> Path:
    """`evaluasi_quick_win.xlsx`: Ringkasan (by dimension, by OPD, chart) and the list."""
    with _report_workbook(path, f"Evaluasi Quick Win {cfg.quick_win_year} - "
                                f"{cfg.region_name}", generated_at) as (workbook, formats):
        summary = workbook.add_worksheet(SHEET_SUMMARY)
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
    ws = workbook.add_worksheet(SHEET_RESULTS)
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
        _value(ws, row, 8, r.target, f.number)
        _value(ws, row, 9, r.realised, f.number)
        _value(ws, row, 10, r.achievement, f.percent)
        _value(ws, row, 11, r.budget, f.money)
        _value(ws, row, 12, r.spent, f.money)
        _value(ws, row, 13, r.absorption, f.percent)
        _value(ws, row, 14, r.respondents, f.integer)
        _value(ws, row, 15, r.satisfaction, f.percent)
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
SUMMARY_LABELS = ("Quick Win", *STATUSES, "Rata-rata Capaian Target (%)",
                  "Rata-rata Serapan Anggaran (%)", "Rata-rata Kepuasan Masyarakat (%)")


def _group_figures(results: Sequence[EvaluationResult]) -> list[float | int | None]:
    """Count, count per status, and the mean of each percentage (None when none)."""
    def mean(values):
        values = [v for v in values if v is not None]
        return sum(values) / len(values) if values else None

    return [len(results), *(sum(r.status == s for r in results) for s in STATUSES),
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
            percent_col = col > len(STATUSES) + 1
            if total:
                fmt = f.total_percent if percent_col else f.total_integer
            else:
                fmt = f.percent if percent_col else f.integer
            _value(ws, row, col, value, fmt)
        row += 1
    return row + 1


def _results_summary_sheet(workbook: Workbook, ws: Worksheet, f: _Formats, cfg: Config,
                           results: Sequence[EvaluationResult], generated_at: str) -> None:
    qw = cfg.quick_win_year
    ws.set_column(0, 0, 26)
    ws.set_column(1, len(STATUSES) + 1, 11)  # counts
    ws.set_column(len(STATUSES) + 2, len(SUMMARY_LABELS), 15)  # mean percentages
    ws.write_string(0, 0, f"Ringkasan Evaluasi Quick Win {qw} - {cfg.region_name}", f.title)
    evaluated = sum(r.status != BELUM_DIEVALUASI for r in results)
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
    """Sentences for the expert: what the numbers alone do not show."""
    notes = []
    zero = [r.quick_win.name for r in results
            if r.status != BELUM_DIEVALUASI and r.achievement is None]
    if zero:
        notes.append(f"{len(zero)} Quick Win dengan target 0 (dinilai Tercapai): "
                     f"{'; '.join(zero)}.")
    few = [r.quick_win.name for r in results if r.satisfaction is not None
           and (r.respondents or 0) < cfg.eval_min_respondents]
    if few:
        notes.append(f"{len(few)} Quick Win dengan responden kurang dari "
                     f"{cfg.eval_min_respondents}: {'; '.join(few)}.")
    missing = sum(r.status == BELUM_DIEVALUASI for r in results)
    if missing:
        notes.append(f"{missing} Quick Win belum dievaluasi.")
    return notes


def _status_chart(workbook: Workbook, cfg: Config, header_row: int):
    """Stacked columns: Quick Wins per dimension by status (from the Per Dimensi table)."""
    chart = workbook.add_chart({"type": "column", "subtype": "stacked"})
    first, last = header_row + 1, header_row + len(cfg.dimensions)
    for offset, status in enumerate(STATUSES):
        col = 2 + offset  # after the Dimensi and Quick Win columns
        chart.add_series({
            "name": [SHEET_SUMMARY, header_row, col],
            "categories": [SHEET_SUMMARY, first, 0, last, 0],
            "values": [SHEET_SUMMARY, first, col, last, col],
            "fill": {"color": CHART_COLOURS[status]}, "gap": 60,
        })
    chart.set_title({"name": "Status Quick Win per Dimensi", "name_font": {"size": 12}})
    chart.set_y_axis({"name": "Jumlah Quick Win", "major_gridlines": {"visible": True},
                      "num_format": "0"})
    chart.set_legend({"position": "bottom"})
    chart.set_size({"width": 760, "height": CHART_HEIGHT})
    return chart
