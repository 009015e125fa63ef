"""The Quick Win evaluation template: one workbook per OPD with accepted Quick Wins.

Written by `masterplan quickwin` (see `workflow.make_quick_win_outputs`) under
`templates_xlsx/evaluasi/`: Petunjuk, Identitas, Evaluasi (a row per Quick Win, the plan's
values prefilled and locked) and the identity sheet the reader checks.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import xlsxwriter
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from ... import layout
from ...assemble.quickwin import QuickWin, by_opd
from ...common.atomic import atomic_path
from ...common.idtext import thousands
from ...common.xlstyle import MONEY, NUMBER, number_or_blank
from ...config import Config, Opd
from . import plan_meta
from .parts import (
    COLOR_BORDER,
    COLOR_LOCKED,
    WORKBOOK_OPTIONS,
    GuideWriter,
    Styles,
    finish_guide,
    money_validation,
    prompt_options,
    protect,
    set_properties,
    setup_print,
    wrapped_lines,
    write_identity_sheet,
    write_meta_sheet,
)


def write_evaluation_templates(cfg: Config, folder: Path, quick_wins: Sequence[QuickWin],
                               created: str, access_codes: Mapping[str, str] | None = None,
                               ) -> list[Path]:
    """One evaluation template per OPD with accepted Quick Wins; returns the paths.
    access_codes: OPD code -> its access code as printed, for the Petunjuk sheet."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for kode, own in by_opd(quick_wins).items():
        opd = cfg.opd_by_code[kode]
        path = folder / layout.evaluation_template_name(opd)
        with atomic_path(path) as tmp:
            write_evaluation_workbook(cfg, opd, [q.program for q in own], tmp, created,
                                      (access_codes or {}).get(kode))
        paths.append(path)
    return paths


def remove_stale_templates(folder: Path, keep: Sequence[Path]) -> list[Path]:
    """Evaluation templates of OPDs that no longer have Quick Wins (our names only)."""
    kept = {p.name for p in keep}
    ours = folder.glob(f"{layout.EVALUATION_TEMPLATE_PREFIX}_*.xlsx")
    stale = [p for p in ours if p.name not in kept]
    for path in stale:
        path.unlink()
    return stale


def evaluation_meta(cfg: Config, opd: Opd, created: str) -> dict[str, str]:
    """The plan template's identity keys, with the evaluation kind and id."""
    return plan_meta(cfg, opd, created) | {
        "jenis_template": layout.KIND_EVALUATION,
        "template_id": layout.template_id(cfg, layout.KIND_EVALUATION, opd.kode),
    }


def write_evaluation_workbook(cfg: Config, opd: Opd, programs: Sequence[dict], path: Path,
                              created: str, access_code: str | None = None) -> None:
    """The whole evaluation template for one OPD: Petunjuk, Identitas, Evaluasi, identity."""
    workbook = xlsxwriter.Workbook(str(path), WORKBOOK_OPTIONS)
    try:
        styles = Styles.create(workbook)
        meta = evaluation_meta(cfg, opd, created)
        set_properties(workbook, cfg, f"Template Evaluasi Quick Win {cfg.quick_win_year} - "
                                      f"{opd.nama}", meta)
        write_evaluation_guide(workbook, styles, cfg, opd, access_code)
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
    locked = {"border": 1, "border_color": COLOR_BORDER, "valign": "top", "locked": True,
              "bg_color": COLOR_LOCKED}
    locked_text = workbook.add_format(locked | {"text_wrap": True})
    locked_number = workbook.add_format(locked | {"num_format": NUMBER})
    locked_money = workbook.add_format(locked | {"num_format": MONEY})
    input_number = workbook.add_format({"border": 1, "border_color": COLOR_BORDER,
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
        number_or_blank(ws, row, col[layout.PLAN_ROW], program.get("row"), locked_number)
        ws.write_string(row, col["nama_program"], name, locked_text)
        ws.write_string(row, col["indikator"], program.get("indikator") or "", locked_text)
        ws.write_string(row, col["satuan"], program.get("satuan") or "", locked_text)
        number_or_blank(ws, row, col["target"], program.get(f"target_{qw}"), locked_number)
        number_or_blank(ws, row, col["anggaran"], program.get(f"anggaran_{qw}"), locked_money)
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
                           opd: Opd, access_code: str | None = None) -> Worksheet:
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
        (layout.budget_label(qw), f"{thousands(450_000_000)} (sudah terisi)"),
        ("Realisasi Target", "92"),
        ("Realisasi Anggaran (Rp)", f"{thousands(430_000_000)}   (diketik: 430000000)"),
        ("Jumlah Responden", "120"),
        ("Kepuasan Masyarakat (%)", "87,5"),
        ("Bukti Dukung", "Laporan Disdukcapil Desember; data SIAK; rekap survei kepuasan"),
        ("Kendala", "Jaringan internet di 3 Puskesmas belum stabil"),
    ]:
        guide.item(label, text, styles.example_value)

    finish_guide(guide, cfg, "6. Mengirim kembali",
                 "Jangan mengganti nama sheet atau judul kolom dan jangan mengubah "
                 "Nama Program.", access_code)
    return ws

