"""Building blocks of the workbooks handed out to participants (plan and evaluation templates).

Styles, the identity, lists and meta sheets, validations, protection, print setup and the
guide writer take plain arguments, so the plan template (this package's `__init__`) and the
Quick Win evaluation template (`evaluation.py`) are drawn alike; the Quick Win profiles
(`pipeline/write/quickwin_reports.py`) take their styles, print setup and guide writer too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from xlsxwriter.format import Format
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from ... import layout
from ...common.xlstyle import ACCENT_INPUT, THOUSANDS, col_letter
from ...config import Config, Opd

# Text from the config (OPD names, list items) must never turn into a formula or a link.
WORKBOOK_OPTIONS = {"strings_to_formulas": False, "strings_to_urls": False}

# Excel's own limits for data validation prompts; longer text makes the file invalid.
MAX_PROMPT_TITLE = 32
MAX_PROMPT_MESSAGE = 255

PAPER_A4 = 9  # xlsxwriter paper code; A4 prints everywhere (Folio/F4 is not universal)
DATE_FORMAT = "dd/mm/yyyy"

# Colours: required headers dark, optional headers light, locked cells grey.
COLOR_REQUIRED = ACCENT_INPUT
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
                                          "num_format": THOUSANDS}),
            # Text inputs are '@' (text) so "2.16.03" or "- Pembangunan ..." stay as typed.
            input_text=wb.add_format(border | {"locked": False, "num_format": "@",
                                               "text_wrap": True}),
            input_general=wb.add_format(border | {"locked": False}),
            input_money=wb.add_format(border | {"locked": False, "num_format": THOUSANDS}),
            column_text=wb.add_format({"locked": False, "num_format": "@", "text_wrap": True,
                                       "valign": "vcenter"}),
            column_general=wb.add_format({"locked": False, "valign": "vcenter"}),
            column_money=wb.add_format({"locked": False, "num_format": THOUSANDS,
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
    if cfg.references is not None:  # the [rujukan] lists the dropdowns came from
        workbook.set_custom_property("rujukan", cfg.references.digest[:16])


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
        letter = col_letter(col)
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



def finish_guide(guide: GuideWriter, cfg: Config, heading: str, unchanged: str,
                 access_code: str | None = None) -> None:
    """The last section of every template's guide (how to save and send it back, with the
    OPD's access code for the upload page when it has one), and the guide's print setup."""
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
    if access_code:
        guide.item("Kirim sendiri",
                   "Di ruangan Bimtek Anda dapat mengirim sendiri: buka alamat halaman unggah "
                   "yang ditayangkan operator (ada kode QR di papan status), pilih berkas ini, "
                   "ketik kode akses OPD Anda di bawah, lalu tekan Kirim. Hasil pemeriksaan "
                   "dan berkas umpan balik langsung tampil; perbaiki lalu kirim lagi sampai "
                   "diterima.")
        guide.item("Kode akses", access_code, guide.styles.example_value)
        guide.item("", "Rahasiakan kode ini: siapa pun yang memegangnya dapat mengirim berkas "
                       "atas nama OPD Anda. Bila kode tersebar, minta kode baru kepada operator.")
    setup_print(guide.ws, landscape=False)

