"""The template contract shared by the template writer and the reader.

Sheet names, the identity sheet's keys, and the `Program` columns (derived from the
config's period). The writer lays workbooks out from this; the reader finds things by
these labels, never by fixed positions, so both change together here.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from pathlib import PurePath
from types import SimpleNamespace

from .config import Config, Opd

TEMPLATE_VERSION = "1"
KIND_PLAN = "rencana"
KIND_EVALUATION = "evaluasi"

SHEET_GUIDE = "Petunjuk"
SHEET_IDENTITY = "Identitas"
SHEET_PROGRAM = "Program"
SHEET_LISTS = "_Daftar"  # hidden: dropdown lists behind defined names
SHEET_META = "_Template"  # hidden: the template's identity, key in column A, value in B

# Keys of the identity sheet (column A), in order.
META_KEYS = (
    "jenis_template", "versi", "template_id", "kode_opd", "nama_opd", "wilayah",
    "kode_wilayah", "tahun_awal", "jumlah_tahun", "tahun_quick_win", "dibuat",
)

# Identitas sheet: label in column A, value in column B, from row 3 on.
IDENTITY_FIELDS = (
    ("kode_opd", "Kode OPD"),
    ("nama_opd", "Nama OPD"),
    ("nama_pengisi", "Nama Pengisi"),
    ("nip", "NIP"),
    ("jabatan", "Jabatan"),
    ("kontak", "Kontak (HP/e-mail)"),
    ("tanggal", "Tanggal Pengisian"),
)
IDENTITY_FIRST_ROW = 3  # 1-based Excel row of the first field

# Program sheet: title rows above the single header row.
PROGRAM_HEADER_ROW = 3  # 1-based Excel row
PROGRAM_FIRST_DATA_ROW = PROGRAM_HEADER_ROW + 1
PROGRAM_INPUT_ROWS = 150

QUICK_WIN_CHOICES = ("Ya", "Tidak")
# Text limits: far above honest use, far below Excel's 32,767 characters per cell.
SHORT_TEXT = 500
LONG_TEXT = 2000


@dataclass(frozen=True)
class Column:
    key: str  # internal name, stable across periods (target_2024, anggaran_2024, ...)
    label: str  # header text in the template
    kind: str  # text | choice | money | target | total | number
    required: bool = False
    width: float = 16
    max_len: int | None = None
    year: int | None = None
    note: str = ""  # Indonesian input message shown on the cell


def target_label(year: int) -> str:
    return f"Target {year}"


def budget_label(year: int) -> str:
    return f"Anggaran {year} (Rp)"


def program_columns(cfg: Config) -> list[Column]:
    """The Program sheet's columns, in order, for this config's period."""
    head = [
        Column("no", "No", "number", width=5),
        Column("nama_program", "Nama Program", "text", True, 40, 200,
               note="Nama program/kegiatan Smart City, maksimal 200 karakter."),
        Column("deskripsi", "Deskripsi", "text", width=40, max_len=LONG_TEXT,
               note="Uraian singkat program: apa yang dilakukan dan untuk siapa."),
        Column("dimensi", "Dimensi", "choice", True, 20,
               note="Pilih salah satu dari enam dimensi Smart City."),
        Column("elemen", "Elemen", "choice", True, 28,
               note="Pilih Dimensi dulu; daftar Elemen menyesuaikan dimensinya."),
        Column("jenis_program", "Jenis Program", "choice", True, 16,
               note="Suprastruktur (regulasi, kelembagaan, SDM), Infrastruktur, atau "
                    "Infostruktur (data, aplikasi)."),
        Column("acuan", "Acuan RPJMD/RPD", "text", True, 30, SHORT_TEXT,
               note="Program RPJMD/RPD yang didukung, misalnya 'Program Penyelenggaraan "
                    "Statistik Sektoral'."),
        Column("kode_nomenklatur", "Kode Nomenklatur", "text", width=18, max_len=40,
               note="Opsional. Format U.BB.PP.K.KK.SSSS, misalnya 2.16.03 atau "
                    "2.16.03.2.02.0035."),
        Column("opd_pendukung", "OPD Pendukung", "text", width=24, max_len=SHORT_TEXT,
               note="Opsional: OPD lain yang ikut melaksanakan."),
        Column("sumber_dana", "Sumber Dana", "choice", True, 18,
               note="Pilih sumber dana utama."),
        Column("quick_win", "Quick Win", "choice", width=11,
               note=f"Ya bila program dilaksanakan pada tahun Quick Win ({cfg.quick_win_year}) "
                    "dan manfaatnya cepat dirasakan masyarakat. Kosong berarti Tidak."),
        Column("indikator", "Indikator Kinerja", "text", True, 32, SHORT_TEXT,
               note="Ukuran keberhasilan, misalnya 'Persentase bayi baru lahir yang memiliki "
                    "akta kelahiran'."),
        Column("satuan", "Satuan", "text", True, 12, 100,
               note="Satuan target, misalnya %, unit, orang, desa, dokumen."),
        Column("kondisi_awal", "Kondisi Awal", "text", width=14, max_len=SHORT_TEXT,
               note="Opsional: nilai indikator sebelum program (baseline)."),
    ]
    targets = [
        Column(f"target_{y}", target_label(y), "target", width=12, year=y,
               note=f"Target {y} dalam satuan di kolom Satuan. Angka saja, boleh %.")
        for y in cfg.years
    ]
    budgets = [
        Column(f"anggaran_{y}", budget_label(y), "money", width=18, year=y,
               note=f"Anggaran {y} dalam Rupiah penuh tanpa titik/koma, misalnya 1500000. "
                    "Kosong berarti 0.")
        for y in cfg.years
    ]
    tail = [
        Column("total_anggaran", "Total Anggaran (Rp)", "total", width=20),
        Column("manfaat", "Manfaat bagi Masyarakat", "text", width=36, max_len=LONG_TEXT,
               note="Wajib untuk Quick Win: manfaat yang dirasakan warga, misalnya 'Akta "
                    "kelahiran terbit 2 hari setelah lahir'."),
        Column("keterangan", "Keterangan", "text", width=24, max_len=LONG_TEXT,
               note="Opsional."),
    ]
    return head + targets + budgets + tail


def choice_lists(cfg: Config) -> dict[str, tuple[str, ...]]:
    """Column key -> the allowed values of each choice column (dropdown and check alike)."""
    return {
        "dimensi": tuple(cfg.dimensions),
        "elemen": tuple(cfg.element_dimension),
        "jenis_program": cfg.program_types,
        "sumber_dana": cfg.funding_sources,
        "quick_win": QUICK_WIN_CHOICES,
    }


def elements_name(dimension: str) -> str:
    """Defined name holding a dimension's elements ('Smart Living' -> 'Elemen_Smart_Living').

    The template's Elemen dropdown is INDIRECT("Elemen_"&SUBSTITUTE(dimension," ","_")),
    so this must stay spaces-to-underscores; config only allows letters, digits, spaces.
    """
    return "Elemen_" + re.sub(r"\s+", "_", dimension.strip())


LIST_NAMES = {
    "dimensi": "Daftar_Dimensi",
    "jenis_program": "Daftar_Jenis_Program",
    "sumber_dana": "Daftar_Sumber_Dana",
    "quick_win": "Daftar_Quick_Win",
}


# The OPD's RPJMD/RPD programs behind the Acuan RPJMD/RPD dropdown (only with [rujukan] rpjmd).
RPJMD_LIST_NAME = "Daftar_Program_RPJMD"


def template_id(cfg: Config, kind: str, opd_code: str) -> str:
    """A readable, stable id: kind, region, period and OPD."""
    return f"MP-{kind}-{cfg.region_code}-{cfg.period_label}-{opd_code}"


# --- additions for the template writer and the test/demo filler -------------------------

PROGRAM_TITLE_ROW = 1  # 1-based: title above the header
PROGRAM_HINT_ROW = 2  # 1-based: one-line hint between title and header


@functools.cache
def _fixed_labels() -> dict[str, str]:
    # The labels of the non-year columns do not depend on the config (only the notes and
    # the year columns do), so a period-less stand-in gives them without a Config.
    no_period = SimpleNamespace(years=[], quick_win_year=0)
    return {c.key: c.label for c in program_columns(no_period)}  # type: ignore[arg-type]


_YEAR_KEY = re.compile(r"^(target|anggaran)_(\d{4})$")


def label_for_key(key: str) -> str:
    """Header label of a Program column key ('anggaran_2024' -> 'Anggaran 2024 (Rp)').

    Works without a Config; raises KeyError for an unknown key.
    """
    match = _YEAR_KEY.match(key)
    if match:
        year = int(match.group(2))
        return target_label(year) if match.group(1) == "target" else budget_label(year)
    return _fixed_labels()[key]


# --- the Quick Win evaluation template (kind KIND_EVALUATION) ----------------------------

SHEET_EVALUATION = "Evaluasi"
EVALUATION_HEADER_ROW = 3  # 1-based Excel row, like the Program sheet
EVALUATION_FIRST_DATA_ROW = EVALUATION_HEADER_ROW + 1
PLAN_ROW = "baris_rencana"  # key of the column with the Quick Win's row in the plan


def evaluation_columns(cfg: Config) -> list[Column]:
    """The Evaluasi sheet's columns, in order, for this config's Quick Win year.

    kind "prefilled": copied from the accepted plan and locked (the pipeline re-reads the
    plan from the ledger, never these copies); the other kinds are the OPD's inputs.
    """
    qw = cfg.quick_win_year
    return [
        Column("no", "No", "number", width=5),
        # Which Quick Win a row is: two of the same name are told apart by their row.
        Column(PLAN_ROW, "Baris Rencana", "prefilled", width=9,
               note="Nomor baris Quick Win ini di sheet Program rencana yang diterima; "
                    "membedakan dua Quick Win yang bernama sama."),
        Column("nama_program", "Nama Program", "prefilled", True, 40, 200),
        Column("indikator", "Indikator Kinerja", "prefilled", width=32),
        Column("satuan", "Satuan", "prefilled", width=10),
        Column("target", target_label(qw), "prefilled", width=12, year=qw),
        Column("anggaran", budget_label(qw), "prefilled", width=18, year=qw),
        Column("realisasi_target", "Realisasi Target", "realisation", True, 14,
               note=f"Capaian indikator sampai akhir {qw}, dalam satuan yang sama dengan "
                    "Target. Angka saja, misalnya 85."),
        Column("realisasi_anggaran", "Realisasi Anggaran (Rp)", "money", True, 20,
               note=f"Anggaran yang benar-benar terpakai pada {qw}, Rupiah penuh tanpa "
                    "titik/koma, misalnya 1500000. Tulis 0 bila tidak ada."),
        Column("jumlah_responden", "Jumlah Responden", "count", width=12,
               note="Jumlah warga penerima manfaat yang disurvei (bilangan bulat). "
                    "Kementerian menganjurkan minimal 50 responden."),
        Column("kepuasan", "Kepuasan Masyarakat (%)", "percent", width=14,
               note="Persentase responden yang puas/merasakan manfaat, 0 sampai 100, tanpa "
                    "tanda %, misalnya 87,5."),
        Column("bukti_dukung", "Bukti Dukung", "text", width=32, max_len=LONG_TEXT,
               note="Dokumen atau tautan bukti: laporan, foto, data aplikasi, hasil survei."),
        Column("kendala", "Kendala", "text", width=32, max_len=LONG_TEXT,
               note="Opsional: kendala pelaksanaan dan rencana tindak lanjut."),
    ]


# --- cells the participant types into ---------------------------------------------------

# Kinds of column the participant never types into: they stay locked on the protected
# sheet, in the template and in every workbook handed back.
LOCKED_KINDS = ("number", "total", "prefilled")
PREFILLED_IDENTITY = ("kode_opd", "nama_opd")  # written from the OPD list and locked


@functools.cache
def _input_labels() -> dict[str, frozenset[str]]:
    # Which columns are inputs does not depend on the period: a period-less stand-in
    # (as in _fixed_labels) gives them; the year columns are matched by pattern below.
    no_period = SimpleNamespace(years=[], quick_win_year=0)
    return {
        SHEET_IDENTITY: frozenset(label for key, label in IDENTITY_FIELDS
                                  if key not in PREFILLED_IDENTITY),
        SHEET_PROGRAM: frozenset(c.label for c in program_columns(no_period)  # type: ignore[arg-type]
                                 if c.kind not in LOCKED_KINDS),
        SHEET_EVALUATION: frozenset(c.label for c in evaluation_columns(no_period)  # type: ignore[arg-type]
                                    if c.kind not in LOCKED_KINDS),
    }


_YEAR_LABEL = re.compile(r"^(Target \d{4}|Anggaran \d{4} \(Rp\))$")


def is_input_cell(sheet: str | None, label: str | None, row: int | None) -> bool:
    """Whether a cell a problem points at is one the participant types into: an identity
    value they fill, or a data-row cell of an input column (not a header, No, Total, or
    the evaluation's copy of the plan)."""
    inputs = _input_labels().get(sheet or "")
    if inputs is None or label is None:
        return False
    if sheet == SHEET_IDENTITY:
        return label in inputs
    first_row = PROGRAM_FIRST_DATA_ROW if sheet == SHEET_PROGRAM else EVALUATION_FIRST_DATA_ROW
    if row is None or row < first_row:
        return False
    year_input = sheet == SHEET_PROGRAM and _YEAR_LABEL.match(label) is not None
    return label in inputs or year_input

# --- names of the files handed out -----------------------------------------------------------
# --- every file and folder the pipeline writes, named once --------------------------------
# The writers make them; the workflow, the console, reminders, the demo and tests name them.

REKAP_NAME = "rekap_masterplan.xlsx"
REPORT_JSON_NAME = "laporan_validasi.json"
REPORT_XLSX_NAME = "laporan_validasi.xlsx"
BOARD_NAME = "papan_status.html"
BOOK_NAME = "buku_masterplan.docx"
BOOK_STAMP_NAME = ".buku_masterplan.basis"  # hidden beside the book in output/
PROFILES_NAME = "profil_quick_win.xlsx"
EVALUATION_RESULTS_NAME = "evaluasi_quick_win.xlsx"
DATA_DIR = "data"  # the CSVs
# `masterplan pantau`: what it writes from the documents in anggaran/ (workspace.py)
MONITORING_NAME = "keterlaksanaan_masterplan.xlsx"
MONITORING_CSV = "keterlaksanaan.csv"  # under DATA_DIR
FEEDBACK_DIR = "umpan_balik"
OLD_FEEDBACK_DIR = "lama"  # under FEEDBACK_DIR: feedback of files superseded or withdrawn
EVALUATION_TEMPLATE_DIR = "evaluasi"  # under templates_xlsx/

# Sheets of the Quick Win workbooks (profiles and evaluation results).
QW_SHEET_SUMMARY = "Ringkasan"
QW_SHEET_PROFILES = "Profil"
QW_SHEET_RESULTS = "Evaluasi Quick Win"

# Templates, evaluation templates and feedback workbooks are named here: the writers make
# them, reminders and the demo name them.

PLAN_TEMPLATE_PREFIX = "Template_Masterplan"
EVALUATION_TEMPLATE_PREFIX = "Template_Evaluasi_Quick_Win"
FEEDBACK_SUFFIX = "_umpan_balik"


def template_filename(opd: Opd, prefix: str = PLAN_TEMPLATE_PREFIX) -> str:
    """'Template_Masterplan_2.12.01_Disdukcapil.xlsx': the operator finds an OPD at a glance."""
    return f"{safe_filename_part(prefix)}_{safe_filename_part(opd.kode)}_" \
           f"{safe_filename_part(opd.singkatan)}.xlsx"


def safe_filename_part(text: str) -> str:
    """Keep [A-Za-z0-9._-]; spaces become underscores (file names survive any USB stick).

    Accents are dropped rather than the letter ("Ü" -> "U").
    """
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"\s+", "_", text.strip())
    text = re.sub(r"[^A-Za-z0-9._-]", "", text)
    return re.sub(r"_+", "_", text).strip("._") or "OPD"


def evaluation_template_name(opd: Opd) -> str:
    return template_filename(opd, prefix=EVALUATION_TEMPLATE_PREFIX)


def feedback_name(file_rel: str) -> str:
    """The feedback workbook of an inbox file (never '..._umpan_balik_umpan_balik')."""
    stem = PurePath(file_rel).stem
    while stem.endswith(FEEDBACK_SUFFIX):
        stem = stem[: -len(FEEDBACK_SUFFIX)]
    return f"{stem}{FEEDBACK_SUFFIX}.xlsx"


# Files participants hand in through `masterplan serve` land in inbox/unggah/, named
# '<kode OPD>_<YYYYmmdd-HHMMSS>_<their file name>': the name carries the OPD whose access
# code sent it, so the ingest can refuse another OPD's template sent with it (and a
# ledger rebuilt from the inbox refuses it again).
UPLOAD_DIR = "unggah"
_UPLOAD_NAME = re.compile(r"^(?P<opd>[A-Za-z0-9][A-Za-z0-9._-]*?)_(?P<at>\d{8}-\d{6})(?:-\d+)?_")
UPLOAD_STEM_MAX = 80
# Names participants' machines give unfinished files; never a submission (the ingest
# ignores them).
TEMP_SUFFIXES = (".tmp", ".temp", ".crdownload", ".part", ".partial", ".download")


def upload_name(opd_code: str, at: str, given_name: str, suffix: str) -> str:
    """The stored name of an upload: `at` as 'YYYYmmdd-HHMMSS' (with '-N' when that second
    is taken); the participant's own name kept, cleaned of any path part and of characters
    a file system or a console may trip on, and ending in `suffix`, the format its bytes
    are (read.sniff), never the extension it was sent with."""
    base = re.split(r"[\\/]", given_name or "")[-1]
    path = PurePath(base) if base not in ("", ".", "..") else PurePath("berkas")
    stem = path.stem if path.suffix else path.name
    cleaned = safe_filename_part(stem)[:UPLOAD_STEM_MAX].strip("._") if stem.strip("._ ") \
        else ""
    return f"{upload_dir_name(opd_code, at)}_{cleaned or 'berkas'}{suffix}"


def upload_dir_name(opd_code: str, at: str) -> str:
    return f"{opd_code}_{at}"


def upload_claim(file_rel: str) -> str | None:
    """The OPD code an upload was sent for (its access code's OPD), or None for a file that
    did not come through `masterplan serve`."""
    parts = PurePath(file_rel).parts
    if len(parts) != 2 or parts[0] != UPLOAD_DIR:
        return None
    match = _UPLOAD_NAME.match(parts[1])
    return match.group("opd") if match else None
