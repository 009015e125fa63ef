"""Write the Excel templates handed out at the workshop.

One workbook per OPD, sheets in this order: `Petunjuk` (how to fill it in), `Identitas`
(who filled it in), `Program` (the table), and two hidden sheets: `_Daftar` (dropdown
lists behind defined names) and `_Template` (the template's identity, in cells so it
survives LibreOffice and Google Sheets).

The building blocks (styles, identity/lists/meta sheets, validations, protection, print
setup, the guide writer) live in `parts.py`, shared with the evaluation template
(`evaluation.py`); this module holds what is specific to the plan template: its workbook
and its guide.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from pathlib import Path

import xlsxwriter
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from ... import layout
from ...common.atomic import atomic_path
from ...common.idtext import thousands
from ...common.xlstyle import a1, col_letter
from ...config import Config, Opd
from .parts import (
    WORKBOOK_OPTIONS,
    GuideWriter,
    Styles,
    finish_guide,
    list_validation,
    money_validation,
    prompt_options,
    protect,
    set_properties,
    setup_print,
    write_identity_sheet,
    write_lists_sheet,
    write_meta_sheet,
)

# --- public API -----------------------------------------------------------------------

def write_plan_templates(
    cfg: Config,
    out_dir: Path,
    opd_codes: Iterable[str] | None = None,
    now: datetime | None = None,
    access_codes: Mapping[str, str] | None = None,
) -> list[Path]:
    """Write one plan template per OPD (all OPDs when opd_codes is None); return the paths.

    access_codes: OPD code -> its access code for `masterplan serve` (store.access), printed
    on the Petunjuk sheet. Raises KeyError for an OPD code that is not in the config (the
    CLI checks first).
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    created = (now or datetime.now().astimezone()).isoformat(timespec="seconds")
    opds = cfg.opds if opd_codes is None else [cfg.opd_by_code[c] for c in opd_codes]
    paths = []
    for opd in opds:
        path = out_dir / layout.template_filename(opd)
        # Written beside the target and renamed into place: a crash or a full disk never
        # leaves a half-written template where a good one was.
        with atomic_path(path) as tmp:
            write_plan_workbook(cfg, opd, tmp, created, (access_codes or {}).get(opd.kode))
        paths.append(path)
    return paths


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


def config_lists(cfg: Config, opd: Opd | None = None) -> list[tuple[str, str, Sequence[str]]]:
    """The dropdown lists as (column header, defined name, items), in _Daftar column order;
    with an OPD and a [rujukan] rpjmd list, last its RPJMD/RPD programs."""
    choices = layout.choice_lists(cfg)
    lists: list[tuple[str, str, Sequence[str]]] = [
        ("Dimensi", layout.LIST_NAMES["dimensi"], list(choices["dimensi"])),
    ]
    # Elemen has one list per dimension, for the dependent dropdown.
    lists += [(dim, layout.elements_name(dim), els) for dim, els in cfg.dimensions.items()]
    lists += [(label, layout.LIST_NAMES[key], choices[key]) for key, label in
              (("jenis_program", "Jenis Program"), ("sumber_dana", "Sumber Dana"),
               ("quick_win", "Quick Win"))]
    programs = rpjmd_programs(cfg, opd)
    if programs:
        lists.append(("Program RPJMD/RPD", layout.RPJMD_LIST_NAME, programs))
    return lists


def rpjmd_programs(cfg: Config, opd: Opd | None) -> list[str]:
    """The RPJMD/RPD programs offered to an OPD ([] without a [rujukan] rpjmd list)."""
    if opd is None or cfg.references is None or not cfg.references.rpjmd:
        return []
    from ...read.matching import opd_programs

    return [program.name for program in opd_programs(cfg.references, opd.kode)]


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

def write_plan_workbook(cfg: Config, opd: Opd, path: Path, created: str,
                        access_code: str | None = None) -> None:
    """Write the whole plan template for one OPD to path."""
    workbook = xlsxwriter.Workbook(str(path), WORKBOOK_OPTIONS)
    try:
        styles = Styles.create(workbook)
        meta = plan_meta(cfg, opd, created)
        set_properties(workbook, cfg, f"Template Rencana Program Smart City - {opd.nama}", meta)
        write_plan_guide(workbook, styles, cfg, opd, access_code)
        write_identity_sheet(workbook, styles, opd, f"Identitas Pengisi - {opd.nama}")
        write_program_sheet(workbook, styles, cfg, opd)
        write_lists_sheet(workbook, styles, config_lists(cfg, opd))
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
                total = f"=SUM({a1(money[0], row + 1)}:{a1(money[-1], row + 1)})"
                ws.write_formula(row, i, total, styles.total, 0)
    # The grid that shows the input area is drawn, not stored in cells.
    ws.conditional_format(first, 0, last, len(columns) - 1,
                          {"type": "formula", "criteria": "=TRUE", "format": styles.grid})

    dimension_cell = f"${col_letter(col['dimensi'])}{first + 1}"
    with_rpjmd = bool(rpjmd_programs(cfg, opd))
    for i, column in enumerate(columns):
        options = program_validation(column, dimension_cell, with_rpjmd)
        if options:
            ws.data_validation(first, i, last, i, options)

    ws.freeze_panes(header + 1, col["nama_program"] + 1)
    protect(ws, allow_insert_rows=True)
    # 40 columns on one A4 page would print at a fifth of their size: three pages wide,
    # each starting with No and Nama Program, stay readable on paper.
    setup_print(ws, landscape=True, repeat_rows=(header, header), pages_wide=3,
                repeat_columns=(0, col["nama_program"]))
    return ws


def program_validation(column: layout.Column, dimension_cell: str,
                       with_rpjmd: bool = False) -> dict | None:
    """The data validation options for one Program column (None: no input message).

    with_rpjmd: Acuan RPJMD/RPD offers the OPD's RPJMD/RPD programs; another text can
    still be typed (after a warning) and is checked when the file comes back.
    """
    if column.kind in ("number", "total"):
        return None
    prompt = prompt_options(column.label, column.note)
    if column.key == "acuan" and with_rpjmd:
        return prompt | list_validation(
            f"={layout.RPJMD_LIST_NAME}", column.label,
            "Pilih program RPJMD/RPD dari daftar. Teks lain boleh diketik, tetapi akan "
            "diperiksa terhadap daftar program RPJMD/RPD.") | {"error_type": "warning"}
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



# --- the plan guide ---------------------------------------------------------------------

def write_plan_guide(workbook: Workbook, styles: Styles, cfg: Config, opd: Opd,
                     access_code: str | None = None) -> Worksheet:
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
                      "menyesuaikan Dimensi di baris yang sama."
                      + (" Acuan RPJMD/RPD juga punya daftar: program RPJMD/RPD OPD Anda. "
                         "Pilih dari daftar itu; teks lain diperiksa terhadap daftar program "
                         "RPJMD/RPD dan ditolak bila tidak cocok dengan program mana pun."
                         if rpjmd_programs(cfg, opd) else "")),
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

    finish_guide(guide, cfg, "7. Mengirim kembali",
                 "Jangan mengganti nama sheet atau judul kolom, jangan menambah atau "
                 "menghapus kolom, dan jangan memindahkan isian ke berkas lain.", access_code)
    return ws


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
            text = f"{thousands(total)} (terisi otomatis)"
        elif column.kind == "number":
            text = "1 (sudah terisi)"
        elif value is None:
            text = "(kosong)"
        elif column.kind == "money":
            text = f"{thousands(int(value))}   (diketik: {value})"
        else:
            text = str(value)
        rows.append((_group_label(group), text))
    return rows


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
