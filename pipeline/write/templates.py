"""Write the Excel templates handed out at the workshop (SPEC section 4).

One workbook per OPD, sheets in this order: `Petunjuk` (how to fill it in), `Identitas`
(who filled it in), `Program` (the table), and two hidden sheets: `_Daftar` (dropdown
lists behind defined names) and `_Template` (the template's identity, in cells so it
survives LibreOffice and Google Sheets).

The building blocks (styles, identity/lists/meta sheets, validations, protection, print
setup, the guide writer) take plain arguments so the later evaluation template can reuse
them; only `write_plan_workbook` and the plan guide are specific to the plan template.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.utility import xl_col_to_name, xl_rowcol_to_cell
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from .. import layout
from ..common.atomic import atomic_path
from ..config import Config, Opd

# Text from the config (OPD names, list items) must never turn into a formula or a link.
WORKBOOK_OPTIONS = {"strings_to_formulas": False, "strings_to_urls": False}

# Excel's own limits for data validation prompts; longer text makes the file invalid.
MAX_PROMPT_TITLE = 32
MAX_PROMPT_MESSAGE = 255

PAPER_A4 = 9  # xlsxwriter paper code; A4 prints everywhere (Folio/F4 is not universal)
MONEY_FORMAT = "#,##0"  # Indonesian-locale Excel shows this as 1.500.000
DATE_FORMAT = "dd/mm/yyyy"

# Colours: required headers dark, optional headers light, locked cells grey.
COLOR_REQUIRED = "#1F4E78"
COLOR_OPTIONAL = "#BDD7EE"
COLOR_TARGET = "#E2EFDA"
COLOR_MONEY = "#FFF2CC"
COLOR_LOCKED = "#EDEDED"
COLOR_BORDER = "#A6A6A6"

IDENTITY_NOTES = {
    "kode_opd": "Terisi otomatis dari daftar OPD; tidak perlu diubah.",
    "nama_opd": "Terisi otomatis dari daftar OPD; tidak perlu diubah.",
    "nama_pengisi": "Nama lengkap pegawai yang mengisi template ini.",
    "nip": "NIP 18 digit tanpa spasi, misalnya 198501012010011001.",
    "jabatan": "Jabatan pengisi, misalnya Perencana Ahli Muda.",
    "kontak": "Nomor HP/WhatsApp atau e-mail yang dapat dihubungi operator Diskominfo.",
    "tanggal": "Tanggal pengisian, format hari/bulan/tahun, misalnya 15/07/2024.",
}
IDENTITY_INPUT_WIDTH = 60


# --- public API -----------------------------------------------------------------------

def write_plan_templates(
    cfg: Config,
    out_dir: Path,
    opd_codes: Iterable[str] | None = None,
    now: datetime | None = None,
) -> list[Path]:
    """Write one plan template per OPD (all OPDs when opd_codes is None); return the paths.

    Raises KeyError for an OPD code that is not in the config (the CLI checks first).
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    created = (now or datetime.now().astimezone()).isoformat(timespec="seconds")
    opds = cfg.opds if opd_codes is None else [cfg.opd_by_code[c] for c in opd_codes]
    paths = []
    for opd in opds:
        path = out_dir / template_filename(opd)
        # Written beside the target and renamed into place: a crash or a full disk never
        # leaves a half-written template where a good one was.
        with atomic_path(path) as tmp:
            write_plan_workbook(cfg, opd, tmp, created)
        paths.append(path)
    return paths


def template_filename(opd: Opd, prefix: str = "Template_Masterplan") -> str:
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


def plan_meta(cfg: Config, opd: Opd, created: str) -> dict[str, str]:
    """The plan template's identity, in layout.META_KEYS order, every value a string."""
    values = {
        "jenis_template": layout.KIND_PLAN,
        "versi": layout.TEMPLATE_VERSION,
        "template_id": layout.template_id(cfg, layout.KIND_PLAN, opd.kode),
        "kode_opd": opd.kode,
        "nama_opd": opd.nama,
        "wilayah": cfg.region_name,
        "kode_wilayah": cfg.region_code,
        "tahun_awal": str(cfg.first_year),
        "jumlah_tahun": str(cfg.n_years),
        "tahun_quick_win": str(cfg.quick_win_year),
        "dibuat": created,
    }
    return {key: values[key] for key in layout.META_KEYS}


def config_lists(cfg: Config) -> list[tuple[str, str, Sequence[str]]]:
    """The dropdown lists as (column header, defined name, items), in _Daftar column order."""
    choices = layout.choice_lists(cfg)
    lists: list[tuple[str, str, Sequence[str]]] = [
        ("Dimensi", layout.LIST_NAMES["dimensi"], list(choices["dimensi"])),
    ]
    # Elemen has one list per dimension, for the dependent dropdown.
    lists += [(dim, layout.elements_name(dim), els) for dim, els in cfg.dimensions.items()]
    lists += [(label, layout.LIST_NAMES[key], choices[key]) for key, label in
              (("jenis_program", "Jenis Program"), ("sumber_dana", "Sumber Dana"),
               ("quick_win", "Quick Win"))]
    return lists


def example_row(cfg: Config) -> dict[str, object]:
    """The worked example of the guide, keyed by column key: a valid Quick Win row.

    Uses the default lists' values when the config has them, else the first item, so the
    example stays valid under a customised config. Tests and the demo may reuse it.
    """
    dimension = _pick(list(cfg.dimensions), "Smart Governance")
    row: dict[str, object] = {
        "nama_program": "Layanan Akta Kelahiran Terintegrasi Puskesmas",
        "deskripsi": "Akta kelahiran, KK dan KIA bayi baru lahir diterbitkan langsung dari "
                     "Puskesmas melalui aplikasi terintegrasi, tanpa orang tua datang ke "
                     "kantor Disdukcapil.",
        "dimensi": dimension,
        "elemen": _pick(cfg.dimensions[dimension], "Pelayanan Publik"),
        "jenis_program": _pick(cfg.program_types, "Infostruktur"),
        "acuan": "RPD: Program Pencatatan Sipil",
        "kode_nomenklatur": "2.12.03",
        "opd_pendukung": "Dinas Kesehatan; Diskominfo",
        "sumber_dana": _pick(cfg.funding_sources, "APBD Kabupaten"),
        "quick_win": "Ya",
        "indikator": "Persentase bayi baru lahir yang memiliki akta kelahiran dalam 2 hari",
        "satuan": "%",
        "kondisi_awal": "35",
        "manfaat": "Akta kelahiran terbit 2 hari setelah lahir, tanpa biaya dan tanpa "
                   "datang ke kantor Disdukcapil.",
        "keterangan": "Bertahap di seluruh Puskesmas",
    }
    # Four planned years from the Quick Win year on (clipped to the period).
    plan = zip([60, 80, 95, 100], [450_000_000, 300_000_000, 250_000_000, 150_000_000],
               strict=True)
    for year, (target, budget) in zip(range(cfg.quick_win_year, cfg.quick_win_year + 4),
                                      plan, strict=False):
        if year in cfg.years:
            row[f"target_{year}"] = target
            row[f"anggaran_{year}"] = budget
    return row


def _pick(items: Sequence[str], preferred: str) -> str:
    return preferred if preferred in items else items[0]


# --- the plan workbook ------------------------------------------------------------------

def write_plan_workbook(cfg: Config, opd: Opd, path: Path, created: str) -> None:
    """Write the whole plan template for one OPD to path."""
    workbook = xlsxwriter.Workbook(str(path), WORKBOOK_OPTIONS)
    try:
        styles = Styles.create(workbook)
        meta = plan_meta(cfg, opd, created)
        set_properties(workbook, cfg, f"Template Rencana Program Smart City - {opd.nama}", meta)
        write_plan_guide(workbook, styles, cfg, opd)
        write_identity_sheet(workbook, styles, opd, f"Identitas Pengisi - {opd.nama}")
        write_program_sheet(workbook, styles, cfg, opd)
        write_lists_sheet(workbook, styles, config_lists(cfg))
        write_meta_sheet(workbook, meta)
    finally:
        workbook.close()


def write_program_sheet(workbook: Workbook, styles: Styles, cfg: Config, opd: Opd) -> Worksheet:
    ws = workbook.add_worksheet(layout.SHEET_PROGRAM)
    columns = layout.program_columns(cfg)
    col = {c.key: i for i, c in enumerate(columns)}
    header = layout.PROGRAM_HEADER_ROW - 1  # xlsxwriter rows/columns are 0-based
    first = layout.PROGRAM_FIRST_DATA_ROW - 1
    last = first + layout.PROGRAM_INPUT_ROWS - 1

    ws.write_string(layout.PROGRAM_TITLE_ROW - 1, 0,
                    f"Rencana Program Smart City {opd.nama} ({opd.kode}) - "
                    f"{cfg.region_name} {cfg.period_label}", styles.title)
    ws.write_string(layout.PROGRAM_HINT_ROW - 1, 0,
                    f"Isi satu program per baris mulai baris {first + 1}. Judul kolom biru tua "
                    "wajib diisi. Pilih Dimensi dulu, lalu Elemen. Anggaran dalam Rupiah penuh, "
                    "misalnya 1500000. Lihat sheet Petunjuk.", styles.hint)
    ws.set_row(layout.PROGRAM_TITLE_ROW - 1, 21)
    ws.set_row(header, 48)
    for i, column in enumerate(columns):
        # Input columns are unlocked (and text-formatted) through the column format, not
        # a grid of blank styled cells: every reader and writer of the returned file then
        # handles only the cells the participant filled (feedback workbooks 2x faster).
        passive = column.kind in ("number", "total")
        ws.set_column(i, i, column.width, None if passive else styles.column_for(column))
        ws.write_string(header, i, column.label, styles.header_for(column))

    money = [i for i, c in enumerate(columns) if c.kind == "money"]
    # The Total formula sums one range, so the Anggaran columns must stay side by side.
    assert money == list(range(money[0], money[-1] + 1)), "Anggaran columns must be contiguous"
    for row in range(first, last + 1):
        for i, column in enumerate(columns):
            if column.kind == "number":
                ws.write_number(row, i, row - first + 1, styles.row_number)
            elif column.kind == "total":
                total = f"=SUM({xl_rowcol_to_cell(row, money[0])}:" \
                        f"{xl_rowcol_to_cell(row, money[-1])})"
                ws.write_formula(row, i, total, styles.total, 0)
    # The grid that shows the input area is drawn, not stored in cells.
    ws.conditional_format(first, 0, last, len(columns) - 1,
                          {"type": "formula", "criteria": "=TRUE", "format": styles.grid})

    dimension_cell = f"${xl_col_to_name(col['dimensi'])}{first + 1}"
    for i, column in enumerate(columns):
        options = program_validation(column, dimension_cell)
        if options:
            ws.data_validation(first, i, last, i, options)

    ws.freeze_panes(header + 1, col["nama_program"] + 1)
    protect(ws, allow_insert_rows=True)
    # 40 columns on one A4 page would print at a fifth of their size: three pages wide,
    # each starting with No and Nama Program, stay readable on paper.
    setup_print(ws, landscape=True, repeat_rows=(header, header), pages_wide=3,
                repeat_columns=(0, col["nama_program"]))
    return ws


def program_validation(column: layout.Column, dimension_cell: str) -> dict | None:
    """The data validation options for one Program column (None: no input message)."""
    if column.kind in ("number", "total"):
        return None
    prompt = prompt_options(column.label, column.note)
    if column.key == "elemen":
        # Dependent dropdown: the row's Dimensi picks the Elemen_<Dimensi> defined name.
        source = f'=INDIRECT("Elemen_"&SUBSTITUTE({dimension_cell}," ","_"))'
        return prompt | list_validation(source, column.label,
                                        "Pilih Elemen dari daftar. Daftar Elemen mengikuti "
                                        "Dimensi di baris yang sama, jadi isi Dimensi dulu.")
    if column.kind == "choice":
        return prompt | list_validation(f"={layout.LIST_NAMES[column.key]}", column.label,
                                        f"Pilih {column.label} dari daftar (klik panah di "
                                        "kanan sel); jangan mengetik nilai lain.")
    if column.kind == "money":
        return prompt | money_validation("anggaran")
    if column.max_len:
        return prompt | {
            "validate": "length", "criteria": "<=", "value": column.max_len,
            "ignore_blank": True, "error_type": "stop", "error_title": "Teks terlalu panjang",
            "error_message": f"{column.label} paling banyak {column.max_len} karakter; "
                             "persingkat isinya.",
        }
    return prompt | {"validate": "any"}


# --- reusable sheet writers -------------------------------------------------------------

@dataclass(frozen=True)
class Styles:
    """The workbook's cell formats (xlsxwriter formats belong to one workbook)."""

    title: Format
    subtitle: Format
    hint: Format
    heading: Format
    text: Format
    label: Format
    field_label: Format
    table_header: Format
    header_required: Format
    header_optional: Format
    header_target: Format
    header_money: Format
    row_number: Format
    total: Format
    input_text: Format
    input_general: Format
    input_money: Format
    column_text: Format
    column_general: Format
    column_money: Format
    grid: Format
    locked_value: Format
    input_date: Format
    example_value: Format

    @classmethod
    def create(cls, wb: Workbook) -> Styles:
        border = {"border": 1, "border_color": COLOR_BORDER, "valign": "vcenter"}
        header = {"bold": True, "text_wrap": True, "align": "center", "valign": "vcenter",
                  "border": 1, "border_color": COLOR_BORDER, "locked": True}
        return cls(
            title=wb.add_format({"bold": True, "font_size": 14}),
            subtitle=wb.add_format({"italic": True, "font_color": "#404040"}),
            hint=wb.add_format({"italic": True, "font_color": "#C00000"}),
            heading=wb.add_format({"bold": True, "font_size": 12, "font_color": COLOR_REQUIRED,
                                   "bottom": 1, "bottom_color": COLOR_REQUIRED}),
            text=wb.add_format({"text_wrap": True, "valign": "top"}),
            label=wb.add_format({"bold": True, "text_wrap": True, "valign": "top"}),
            field_label=wb.add_format({"bold": True, "valign": "vcenter"}),
            table_header=wb.add_format(header | {"bg_color": COLOR_OPTIONAL, "align": "left"}),
            header_required=wb.add_format(header | {"bg_color": COLOR_REQUIRED,
                                                    "font_color": "#FFFFFF"}),
            header_optional=wb.add_format(header | {"bg_color": COLOR_OPTIONAL}),
            header_target=wb.add_format(header | {"bg_color": COLOR_TARGET}),
            header_money=wb.add_format(header | {"bg_color": COLOR_MONEY}),
            row_number=wb.add_format(border | {"locked": True, "bg_color": COLOR_LOCKED,
                                               "align": "center"}),
            total=wb.add_format(border | {"locked": True, "bg_color": COLOR_LOCKED,
                                          "num_format": MONEY_FORMAT}),
            # Text inputs are '@' (text) so "2.16.03" or "- Pembangunan ..." stay as typed.
            input_text=wb.add_format(border | {"locked": False, "num_format": "@",
                                               "text_wrap": True}),
            input_general=wb.add_format(border | {"locked": False}),
            input_money=wb.add_format(border | {"locked": False, "num_format": MONEY_FORMAT}),
            column_text=wb.add_format({"locked": False, "num_format": "@", "text_wrap": True,
                                       "valign": "vcenter"}),
            column_general=wb.add_format({"locked": False, "valign": "vcenter"}),
            column_money=wb.add_format({"locked": False, "num_format": MONEY_FORMAT,
                                        "valign": "vcenter"}),
            grid=wb.add_format({"border": 1, "border_color": COLOR_BORDER}),
            locked_value=wb.add_format(border | {"locked": True, "bg_color": COLOR_LOCKED,
                                                 "bold": True, "text_wrap": True,
                                                 "num_format": "@"}),
            input_date=wb.add_format(border | {"locked": False, "num_format": DATE_FORMAT,
                                               "align": "left"}),
            example_value=wb.add_format({"text_wrap": True, "valign": "top",
                                         "bg_color": "#F2F2F2", "border": 1,
                                         "border_color": COLOR_BORDER}),
        )

    def header_for(self, column: layout.Column) -> Format:
        if column.required:
            return self.header_required
        return {"target": self.header_target, "money": self.header_money,
                "total": self.header_money}.get(column.kind, self.header_optional)

    def column_for(self, column: layout.Column) -> Format:
        """Column-wide input format (unlocked), for sheets without a cell grid."""
        return {"money": self.column_money, "text": self.column_text}.get(
            column.kind, self.column_general)

    def input_for(self, column: layout.Column) -> Format:
        if column.kind == "money":
            return self.input_money
        if column.kind == "text":
            return self.input_text
        return self.input_general  # choices and targets (numbers or "80%")


def set_properties(workbook: Workbook, cfg: Config, title: str, meta: dict[str, str]) -> None:
    """Document properties: handy in file browsers, but identity lives in _Template cells."""
    workbook.set_properties({
        "title": title,
        "subject": f"Masterplan Smart City {cfg.region_name} {cfg.period_label}",
        "author": f"Diskominfo {cfg.region_name}",
        "company": cfg.region_name,
        "keywords": "masterplan, smart city, bimtek",
        "comments": "Dibuat oleh masterplan-pipeline; jangan ubah nama sheet dan judul kolom.",
    })
    workbook.set_custom_property("template_id", meta["template_id"])


def money_validation(what: str) -> dict:
    """Whole Rupiah >= 0, as a 'warning', not a 'stop': a participant who types
    "Rp 1.500.000" or "1,5 M" may keep it (the pipeline reads those), and a hard stop
    tempts people to type the budget in thousands, which is worse than a text amount."""
    return {
        "validate": "integer", "criteria": ">=", "value": 0, "ignore_blank": True,
        "error_type": "warning", "error_title": "Anggaran sebaiknya angka",
        "error_message": f"Tulis {what} dalam Rupiah penuh tanpa Rp, titik atau koma, "
                         "misalnya 1500000. Pilih Yes/Ya untuk tetap memakai nilai ini, "
                         "atau No/Tidak untuk memperbaikinya.",
    }


def prompt_options(title: str, message: str) -> dict:
    """Input message options within Excel's limits (longer prompts corrupt the file)."""
    if not message:
        return {}
    return {"input_title": _clip(title, MAX_PROMPT_TITLE),
            "input_message": _clip(message, MAX_PROMPT_MESSAGE)}


def list_validation(source: str, label: str, message: str) -> dict:
    """A dropdown (list) validation; blanks allowed, anything else off the list refused."""
    return {
        "validate": "list", "source": source, "ignore_blank": True, "dropdown": True,
        "error_type": "stop", "error_title": _clip(f"{label} tidak ada di daftar",
                                                   MAX_PROMPT_TITLE),
        "error_message": _clip(message, MAX_PROMPT_MESSAGE),
    }


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def protect(ws: Worksheet, allow_insert_rows: bool = False) -> None:
    """Protect without a password, so a facilitator can lift it (Review > Unprotect).

    Locked cells stay selectable (people copy from them); formatting rows/columns is
    allowed because widening a column harms nothing.
    """
    ws.protect("", {
        "select_locked_cells": True, "select_unlocked_cells": True,
        "format_columns": True, "format_rows": True,
        "insert_rows": allow_insert_rows, "sort": True, "autofilter": True,
    })


def setup_print(ws: Worksheet, landscape: bool, repeat_rows: tuple[int, int] | None = None,
                footer: str = "&L&A&RHalaman &P dari &N", pages_wide: int = 1,
                repeat_columns: tuple[int, int] | None = None) -> None:
    """Printable on A4: fit to pages_wide pages, repeated header rows, page numbers."""
    ws.set_paper(PAPER_A4)
    if landscape:
        ws.set_landscape()
    else:
        ws.set_portrait()
    ws.fit_to_pages(pages_wide, 0)
    ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.6)
    if repeat_rows:
        ws.repeat_rows(*repeat_rows)
    if repeat_columns:
        ws.repeat_columns(*repeat_columns)
    ws.set_footer(footer)


def write_identity_sheet(workbook: Workbook, styles: Styles, opd: Opd, title: str) -> Worksheet:
    """`Identitas`: labels in A, values in B from IDENTITY_FIRST_ROW; OPD prefilled+locked."""
    ws = workbook.add_worksheet(layout.SHEET_IDENTITY)
    ws.set_column(0, 0, 26)
    ws.set_column(1, 1, IDENTITY_INPUT_WIDTH)
    ws.write_string(0, 0, title, styles.title)
    ws.write_string(1, 0, "Isi kolom B yang berwarna putih. Kode dan nama OPD sudah terisi.",
                    styles.hint)
    prefilled = {"kode_opd": opd.kode, "nama_opd": opd.nama}
    for offset, (key, label) in enumerate(layout.IDENTITY_FIELDS):
        row = layout.IDENTITY_FIRST_ROW - 1 + offset
        ws.set_row(row, 20)
        ws.write_string(row, 0, label, styles.field_label)
        if key in prefilled:
            ws.write_string(row, 1, prefilled[key], styles.locked_value)
            continue
        if key == "tanggal":
            ws.write_blank(row, 1, None, styles.input_date)
            ws.data_validation(row, 1, row, 1, prompt_options(label, IDENTITY_NOTES[key]) | {
                "validate": "date", "criteria": ">=", "value": datetime(2000, 1, 1),
                "ignore_blank": True, "error_type": "warning",
                "error_title": "Tanggal tidak dikenali",
                "error_message": "Tulis tanggal sebagai hari/bulan/tahun, misalnya 15/07/2024.",
            })
            continue
        # NIP is '@' (text) so an 18-digit NIP is not turned into 1.98501E+17.
        ws.write_blank(row, 1, None, styles.input_text)
        ws.data_validation(row, 1, row, 1,
                           prompt_options(label, IDENTITY_NOTES.get(key, "")) | {"validate": "any"})
    protect(ws)
    setup_print(ws, landscape=False)
    return ws


def write_lists_sheet(workbook: Workbook, styles: Styles,
                      lists: Sequence[tuple[str, str, Sequence[str]]]) -> Worksheet:
    """Hidden `_Daftar`: one list per column (header in row 1), each behind a defined name.

    The defined names cover exactly the items, so dropdowns show no blank entries.
    """
    ws = workbook.add_worksheet(layout.SHEET_LISTS)
    sheet = quote_sheet(layout.SHEET_LISTS)
    for col, (header, name, items) in enumerate(lists):
        ws.set_column(col, col, max(12, len(header) + 2, *(len(i) + 2 for i in items)))
        ws.write_string(0, col, header, styles.table_header)
        for row, item in enumerate(items, start=1):
            ws.write_string(row, col, item)
        letter = xl_col_to_name(col)
        workbook.define_name(name, f"={sheet}!${letter}$2:${letter}${len(items) + 1}")
    ws.hide()
    protect(ws)
    return ws


def write_meta_sheet(workbook: Workbook, meta: dict[str, str]) -> Worksheet:
    """Hidden `_Template`: key in A, value in B, all strings so every reader agrees."""
    ws = workbook.add_worksheet(layout.SHEET_META)
    ws.set_column(0, 0, 18)
    ws.set_column(1, 1, 50)
    for row, (key, value) in enumerate(meta.items()):
        ws.write_string(row, 0, key)
        ws.write_string(row, 1, str(value))
    ws.hide()
    protect(ws)
    return ws


def quote_sheet(name: str) -> str:
    """A sheet name as used in a formula: always quoted ('_Daftar' starts with '_')."""
    return "'" + name.replace("'", "''") + "'"


LINE_HEIGHT = 15  # points per line of 11 pt text


def wrapped_lines(text: str, width: float) -> int:
    """How many lines text takes in a wrapped cell of this column width (an estimate).

    A column width counts '0' digits; ordinary text is 15-20% narrower (checked by
    rendering with LibreOffice), bold labels a little wider, so this errs on the roomy side.
    """
    capacity = max(1, int(width * 1.2) - 2)
    lines = 0
    for paragraph in text.split("\n"):
        line = 0
        lines += 1
        for word in paragraph.split():
            needed = len(word) if line == 0 else line + 1 + len(word)
            if needed > capacity and line:
                lines += 1
                line = len(word)
            else:
                line = needed
    return lines


class GuideWriter:
    """Writes an instruction sheet top to bottom: column A labels, column B text.

    No merged cells, so Excel and LibreOffice grow each wrapped row to fit its text.
    """

    def __init__(self, ws: Worksheet, styles: Styles, label_width: float = 30,
                 text_width: float = 95):
        self.ws, self.styles, self.row = ws, styles, 0
        self.label_width, self.text_width = label_width, text_width
        ws.set_column(0, 0, label_width)
        ws.set_column(1, 1, text_width)

    def title(self, text: str, subtitle: str = "") -> None:
        self.ws.set_row(self.row, 21)
        self.ws.write_string(self.row, 0, text, self.styles.title)
        self.row += 1
        if subtitle:
            self.ws.write_string(self.row, 0, subtitle, self.styles.subtitle)
            self.row += 1

    def heading(self, text: str) -> None:
        self.row += 1
        self.ws.write_string(self.row, 0, text, self.styles.heading)
        self.ws.write_blank(self.row, 1, None, self.styles.heading)
        self.row += 1

    def item(self, label: str, text: str, value_style: Format | None = None) -> None:
        # Explicit heights: LibreOffice does not grow rows for wrapped text when it opens
        # an .xlsx, and a fixed height looks the same in every program.
        lines = max(wrapped_lines(label, self.label_width), wrapped_lines(text, self.text_width))
        self.ws.set_row(self.row, LINE_HEIGHT * lines + 3)
        self.ws.write_string(self.row, 0, label, self.styles.label)
        self.ws.write_string(self.row, 1, text, value_style or self.styles.text)
        self.row += 1

    def table_header(self, left: str, right: str) -> None:
        self.ws.write_string(self.row, 0, left, self.styles.table_header)
        self.ws.write_string(self.row, 1, right, self.styles.table_header)
        self.row += 1


# --- the plan guide ---------------------------------------------------------------------

def write_plan_guide(workbook: Workbook, styles: Styles, cfg: Config, opd: Opd) -> Worksheet:
    ws = workbook.add_worksheet(layout.SHEET_GUIDE)
    guide = GuideWriter(ws, styles)
    columns = layout.program_columns(cfg)
    qw = cfg.quick_win_year

    guide.title("Petunjuk Pengisian Template Rencana Program Smart City",
                f"{cfg.region_name} - Masterplan Smart City {cfg.period_label} - "
                f"{opd.nama} ({opd.kode})")

    guide.heading("1. Langkah pengisian")
    for label, text in [
        ("Langkah 1", f"Isi sheet {layout.SHEET_IDENTITY}: nama pengisi, NIP, jabatan, kontak "
                      "dan tanggal. Kode dan nama OPD sudah terisi."),
        ("Langkah 2", f"Isi sheet {layout.SHEET_PROGRAM}: satu program per baris, mulai baris "
                      f"{layout.PROGRAM_FIRST_DATA_ROW}, untuk {cfg.n_years} tahun "
                      f"({cfg.period_label}). Judul kolom berwarna biru tua wajib diisi. Jangan "
                      "menambah baris JUMLAH/TOTAL; rekap dihitung otomatis."),
        ("Langkah 3", "Untuk Dimensi, Elemen, Jenis Program, Sumber Dana dan Quick Win, pilih "
                      "dari daftar (klik panah di kanan sel). Pilih Dimensi dulu; daftar Elemen "
                      "menyesuaikan Dimensi di baris yang sama."),
        ("Langkah 4", "Simpan dan kirim kembali (lihat bagian 7). Sel abu-abu (nomor, judul, "
                      "rumus Total) dikunci tanpa kata sandi; jangan membuka kuncinya."),
    ]:
        guide.item(label, text)

    guide.heading(f"2. Arti setiap kolom di sheet {layout.SHEET_PROGRAM}")
    guide.table_header("Kolom", "Keterangan")
    for label, text in column_guide(columns):
        guide.item(label, text)

    guide.heading("3. Menulis anggaran")
    guide.item("Rupiah penuh",
               "Tulis anggaran dalam Rupiah penuh, angka saja tanpa titik atau koma, misalnya "
               "1500000 untuk satu setengah juta rupiah (akan tampil 1.500.000). Tulisan "
               "seperti \"Rp 1.500.000\" juga dipahami, tetapi angka saja lebih aman.")
    guide.item("Jangan disingkat",
               "Jangan menulis dalam ribu atau juta (misalnya 1,5 untuk 1,5 juta). Tahun tanpa "
               "anggaran dibiarkan kosong atau diisi 0.")
    guide.item("Total", "Kolom Total Anggaran (Rp) terisi otomatis; tidak perlu diisi.")

    guide.heading("4. Apa itu Quick Win?")
    guide.item("Quick Win",
               f"Program yang dilaksanakan pada tahun {qw} (tahun Quick Win) dan manfaatnya "
               "cepat dirasakan masyarakat. Contoh: akta kelahiran terbit dua hari setelah bayi "
               "lahir, langsung dari Puskesmas. Pilih Ya di kolom Quick Win.")
    guide.item("Syarat",
               f"Program Quick Win wajib punya Target {qw}, Anggaran {qw} (Rp) di atas 0 (kecuali "
               "sumber dana Swasta/CSR atau KPBU), dan kolom Manfaat bagi Masyarakat. Program "
               "Quick Win akan dievaluasi dari manfaat yang dirasakan warga.")

    guide.heading("5. Dimensi dan Elemen Smart City")
    guide.table_header("Dimensi", "Elemen")
    for dimension, elements in cfg.dimensions.items():
        guide.item(dimension, "; ".join(elements))
    guide.item("Jenis Program", "; ".join(cfg.program_types))
    guide.item("Sumber Dana", "; ".join(cfg.funding_sources))

    guide.heading("6. Contoh pengisian satu baris")
    guide.item("", f"Di sheet {layout.SHEET_PROGRAM}, isian berikut ditulis mendatar pada satu "
                   "baris, di bawah judul kolom yang sama.")
    guide.table_header(f"Kolom di sheet {layout.SHEET_PROGRAM}", "Contoh isian")
    for label, text in example_guide(cfg, columns):
        guide.item(label, text, styles.example_value)

    send_back_section(guide, cfg, "7. Mengirim kembali",
                      "Jangan mengganti nama sheet atau judul kolom, jangan menambah atau "
                      "menghapus kolom, dan jangan memindahkan isian ke berkas lain.")
    setup_print(ws, landscape=False)
    return ws


def send_back_section(guide: GuideWriter, cfg: Config, heading: str, unchanged: str) -> None:
    """How to save and send a template back: the same for every template kind."""
    guide.heading(heading)
    for label, text in [
        ("Simpan", "Simpan sebagai Excel (.xlsx). Di LibreOffice/WPS pilih format Excel "
                   "2007-365 (.xlsx), bukan .ods, .pdf atau .xls."),
        ("Jangan diubah", unchanged),
        ("Kirim", f"Kirim berkas ke operator Diskominfo {cfg.region_name}. Bila ada perbaikan, "
                  "operator mengembalikan berkas dengan sel yang perlu diperbaiki ditandai; "
                  "perbaiki di berkas itu lalu kirim lagi."),
    ]:
        guide.item(label, text)


def column_guide(columns: Sequence[layout.Column]) -> list[tuple[str, str]]:
    """(label, explanation) per Program column, generated from the layout's notes.

    Consecutive year columns of one kind are described once ("Target 2024 s.d. Target
    2033") with the year in the note replaced by "setiap tahun".
    """
    fallback = {"number": "Nomor urut, sudah terisi.",
                "total": "Terisi otomatis: jumlah Anggaran semua tahun. Tidak perlu diisi."}
    rows = []
    for group in _year_groups(columns):
        column = group[0]
        note = column.note or fallback.get(column.kind, "")
        if len(group) > 1:
            note = note.replace(str(column.year), "setiap tahun", 1)
        if column.required:
            note = f"Wajib. {note}"
        rows.append((_group_label(group), note))
    return rows


def example_guide(cfg: Config, columns: Sequence[layout.Column]) -> list[tuple[str, str]]:
    """The worked example as (header label, value) rows; empty year runs are collapsed."""
    example = example_row(cfg)
    rows = []
    for group in _year_groups(columns, split=lambda c: c.key in example):
        column = group[0]
        value = example.get(column.key)
        if column.kind == "total":
            total = sum(int(v) for k, v in example.items() if k.startswith("anggaran_"))
            text = f"{rupiah(total)} (terisi otomatis)"
        elif column.kind == "number":
            text = "1 (sudah terisi)"
        elif value is None:
            text = "(kosong)"
        elif column.kind == "money":
            text = f"{rupiah(int(value))}   (diketik: {value})"
        else:
            text = str(value)
        rows.append((_group_label(group), text))
    return rows


def rupiah(amount: int) -> str:
    """1500000 -> '1.500.000', as Indonesian Excel shows the money format."""
    return f"{amount:,}".replace(",", ".")


def _group_label(group: Sequence[layout.Column]) -> str:
    return group[0].label if len(group) == 1 else f"{group[0].label} s.d. {group[-1].label}"


def _year_groups(columns: Sequence[layout.Column], split=lambda c: False):
    """Group consecutive year columns of one kind; other columns stand alone.

    split(column) True keeps that year column on its own (used for filled example years).
    """
    groups: list[list[layout.Column]] = []
    for column in columns:
        prev = groups[-1][-1] if groups else None
        if (column.year is not None and prev is not None and prev.year is not None
                and prev.kind == column.kind and not split(column) and not split(prev)):
            groups[-1].append(column)
        else:
            groups.append([column])
    return groups
