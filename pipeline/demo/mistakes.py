"""The mistakes participants really make, planted on purpose into a demo submission.

One function per mistake (or valid oddity) edits a `Submission`'s rows and records a
`Planted`: file, cell, expected outcome and problem code, or the value the pipeline should
read. `SCENARIOS` bundles them into the files of the demo's story.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from openpyxl.utils import get_column_letter

from .. import layout
from ..catalogue import Code
from ..common.idtext import thousands
from ..config import Config, Opd
from ..read.normalise import key, valid_nomenclature
from ..results import FileState
from .ideas import JT, M, config_choice

# The outcome each planted mistake expects of its file.
ACCEPTED, REJECTED, IGNORED = FileState.ACCEPTED, FileState.REJECTED, FileState.IGNORED

# A planted file's expected state.


@dataclass
class Planted:
    """One mistake (or valid oddity) put into a file on purpose, and what should happen."""

    opd: str  # OPD code
    file: str  # path relative to inbox/
    description: str  # Indonesian, for the operator
    outcome: str  # the file's expected state: diterima | ditolak | diabaikan
    code: str | None = None  # expected problem code; None: read silently
    column: str | None = None  # Program column key
    cell: str | None = None  # A1 on the Program sheet
    row: int | None = None  # Excel row
    typed: Any = None  # what the participant typed
    expected: Any = None  # the value the pipeline should read (or the corrected value)


def _column_letter(cfg: Config, column: str) -> str:
    """The template lays out layout.program_columns in order (the reader finds them by label,
    so this only says where the demo typed a value)."""
    keys = [c.key for c in layout.program_columns(cfg)]
    return get_column_letter(keys.index(column) + 1)


def _cell(cfg: Config, column: str, index: int) -> str:
    """A1 of a Program cell; index 0 is the first data row."""
    return f"{_column_letter(cfg, column)}{layout.PROGRAM_FIRST_DATA_ROW + index}"


def _budget_years(cfg: Config, row: dict[str, Any]) -> list[int]:
    return [y for y in cfg.years if isinstance(row.get(f"anggaran_{y}"), int)
            and row[f"anggaran_{y}"] > 0]


def _program_indexes(rows: list[dict[str, Any]], quick: bool | None = None) -> list[int]:
    """Indexes of program rows (not blank or total rows), Quick Win or not when asked."""
    found = [i for i, r in enumerate(rows) if r.get("nama_program") and "dimensi" in r]
    if quick is None:
        return found
    return [i for i in found if (rows[i].get("quick_win") == "Ya") == quick] or found


@dataclass
class Submission:
    """One OPD's file as it arrives: rows, identity, name, and what was planted in it."""

    opd: Opd
    name: str  # path relative to inbox/
    rows: list[dict[str, Any]]
    identity: dict[str, Any]
    planted: list[Planted] = field(default_factory=list)
    clean_rows: list[dict[str, Any]] | None = None  # before the errors: the correction
    correction: str | None = None  # round-2 file name
    rename_header: tuple[str, str] | None = None
    libreoffice: bool = False
    lock_file: bool = False
    duplicate: str | None = None

    def plant(self, cfg: Config, description: str, outcome: str, code: str | None = None,
              column: str | None = None, index: int | None = None, typed: Any = None,
              expected: Any = None) -> None:
        cell = _cell(cfg, column, index) if column and index is not None else None
        row = layout.PROGRAM_FIRST_DATA_ROW + index if index is not None else None
        self.planted.append(Planted(self.opd.kode, self.name, description, outcome, code,
                                    column, cell, row, typed, expected))


def _type_budgets_as_text(sub: Submission, cfg: Config, verb: str,
                          as_text: Callable[[int], tuple[int, str]]) -> None:
    """Type the budgets of the first two programs as text (valid); as_text gives the amount
    the pipeline should read and the text typed. The first one is recorded."""
    first = None
    for index in _program_indexes(sub.rows)[:2]:
        for year in _budget_years(cfg, sub.rows[index]):
            amount, typed = as_text(sub.rows[index][f"anggaran_{year}"])
            sub.rows[index][f"anggaran_{year}"] = typed
            first = first or (index, year, amount, typed)
    if first:
        index, year, amount, typed = first
        sub.plant(cfg, f"Anggaran {verb} '{typed}'; dibaca {thousands(amount)}", ACCEPTED, None,
                  f"anggaran_{year}", index, typed, amount)


def plant_rupiah_text(sub: Submission, cfg: Config) -> None:
    """Money typed the Indonesian way, as text: "Rp 1.200.000.000,-" (valid)."""
    _type_budgets_as_text(sub, cfg, "diketik sebagai teks",
                          lambda amount: (amount, f"Rp {thousands(amount)},-"))


def plant_juta_text(sub: Submission, cfg: Config) -> None:
    """Money in words: "250 juta" (valid)."""
    _type_budgets_as_text(sub, cfg, "ditulis", lambda amount: (amount, f"{amount // JT} juta"))


def _in_miliar(amount: int) -> tuple[int, str]:
    """The amount rounded to two decimals of a miliar, and its text "2,25 M" ("2,255 M"
    would be ambiguous: 2,255 or 2.255?)."""
    rounded = max(10 * JT, round(amount / (10 * JT)) * 10 * JT)
    text = format((Decimal(rounded) / M).normalize(), "f")
    return rounded, text.replace(".", ",") + " M"


def plant_miliar_text(sub: Submission, cfg: Config) -> None:
    """Money in miliar with a decimal comma: "2,25 M" (valid)."""
    _type_budgets_as_text(sub, cfg, "ditulis", _in_miliar)


def plant_case_forms(sub: Submission, cfg: Config) -> None:
    """Choices typed instead of picked: "smart living", "ya", "INFOSTRUKTUR" (valid)."""
    programs = _program_indexes(sub.rows)
    for index in programs:
        sub.rows[index]["dimensi"] = sub.rows[index]["dimensi"].lower()
        if sub.rows[index].get("quick_win") == "Ya":
            sub.rows[index]["quick_win"] = "ya"
    first = programs[0]
    sub.rows[first]["jenis_program"] = sub.rows[first]["jenis_program"].upper()
    typed = sub.rows[first]["dimensi"]
    sub.plant(cfg, f"Pilihan diketik, bukan dipilih: '{typed}', 'ya', "
                   f"'{sub.rows[first]['jenis_program']}' (huruf kecil/besar)", ACCEPTED, None,
              "dimensi", first, typed, config_choice(tuple(cfg.dimensions), typed))
    quick = next(i for i in programs if sub.rows[i].get("quick_win") == "ya")
    sub.plant(cfg, "Quick Win diketik 'ya' (huruf kecil)", ACCEPTED, None, "quick_win", quick,
              "ya", "Ya")


def plant_nbsp(sub: Submission, cfg: Config) -> None:
    """Text pasted from Word carries non-breaking spaces (valid)."""
    index = _program_indexes(sub.rows)[0]
    row = sub.rows[index]
    canonical = row["dimensi"]
    row["dimensi"] = canonical.replace(" ", "\u00a0") + "\u00a0"
    row["jenis_program"] = row["jenis_program"] + "\u00a0"
    sub.plant(cfg, "Teks ditempel dari Word dengan spasi tak-putus (NBSP) pada Dimensi dan "
                   "Jenis Program", ACCEPTED, None, "dimensi", index, row["dimensi"], canonical)
    year = _budget_years(cfg, row)[0]
    amount = row[f"anggaran_{year}"]
    row[f"anggaran_{year}"] = f"Rp\u00a0{thousands(amount)}"
    sub.plant(cfg, f"Anggaran 'Rp {thousands(amount)}' dengan spasi tak-putus (NBSP)", ACCEPTED,
              None, f"anggaran_{year}", index, row[f"anggaran_{year}"], amount)


def plant_blank_rows(sub: Submission, cfg: Config) -> None:
    """Blank rows left between programs (valid: skipped, row numbers kept)."""
    if len(sub.rows) < 3:
        return
    sub.rows[2:2] = [{}]  # one blank row after the second program
    sub.rows[4:4] = [{}, {}]  # two more after the third
    blank = [layout.PROGRAM_FIRST_DATA_ROW + i for i, row in enumerate(sub.rows) if not row]
    # The program below the first blank row must keep its own Excel row number.
    after = 3
    sub.plant(cfg, f"Baris kosong di antara program (baris {', '.join(map(str, blank))})",
              ACCEPTED, None, "nama_program", after, None, sub.rows[after]["nama_program"])


def plant_total_row(sub: Submission, cfg: Config) -> None:
    """A JUMLAH row typed under the table (warning; never summed twice)."""
    total: dict[str, Any] = {"nama_program": "JUMLAH"}
    for year in cfg.years:
        amounts = [r.get(f"anggaran_{year}") for r in sub.rows]
        total[f"anggaran_{year}"] = sum(a for a in amounts if isinstance(a, int))
    sub.rows.append(total)
    sub.plant(cfg, "Baris JUMLAH diketik di bawah tabel", ACCEPTED, Code.BARIS_JUMLAH_DIABAIKAN,
              "nama_program", len(sub.rows) - 1, "JUMLAH")


def plant_signature_block(sub: Submission, cfg: Config) -> None:
    """Place, date, title, name and NIP typed under the table, as on every official
    document (one warning; never a program)."""
    place = cfg.region_short or cfg.region_name
    lines = [f"{place}, 12 Maret {cfg.first_year}", f"KEPALA {sub.opd.nama.upper()}", None,
             "Drs. Marihot Simanjuntak, M.Si", "Pembina Tk. I (IV/b)",
             "NIP. 19700101 199503 1 004"]
    sub.rows.append({})
    first = len(sub.rows)
    sub.rows += [{"nama_program": line} if line else {} for line in lines]
    sub.plant(cfg, "Blok tanda tangan (tempat, tanggal, jabatan, nama, NIP) diketik di bawah "
                   "tabel", ACCEPTED, Code.TANDA_TANGAN_DIABAIKAN, "nama_program", first, lines[0])


def plant_wrong_element(sub: Submission, cfg: Config) -> None:
    """The Elemen copied from the row above, which belongs to another dimension (error)."""
    if len(cfg.dimensions) < 2:
        return  # one dimension: no element can belong to another
    programs = _program_indexes(sub.rows, quick=False)
    rows = sub.rows
    for index in programs:
        above = index - 1
        if above >= 0 and rows[above].get("dimensi") not in (None, rows[index]["dimensi"]):
            wrong, how = rows[above]["elemen"], "disalin dari baris di atasnya"
            break
    else:
        index = programs[0]
        dims = list(cfg.dimensions)
        other = dims[(dims.index(rows[index]["dimensi"]) + 1) % len(dims)]
        wrong, how = cfg.dimensions[other][0], "dari dimensi lain"
    correct = rows[index]["elemen"]
    rows[index]["elemen"] = wrong
    sub.plant(cfg, f"Elemen '{wrong}' ({how}) tidak termasuk {rows[index]['dimensi']}",
              REJECTED, Code.ELEMEN_BUKAN_DIMENSI, "elemen", index, wrong, correct)


def plant_qw_without_target(sub: Submission, cfg: Config) -> None:
    """A Quick Win with its Quick Win year's target left blank (error)."""
    index = _program_indexes(sub.rows, quick=True)[0]
    column = f"target_{cfg.quick_win_year}"
    correct = sub.rows[index].pop(column, None)
    sub.plant(cfg, f"Quick Win tanpa Target {cfg.quick_win_year}", REJECTED, Code.QW_TANPA_TARGET,
              column, index, None, correct)


def plant_ambiguous_amount(sub: Submission, cfg: Config) -> None:
    """A budget typed "1.5": 1,5 juta or 1,5 miliar? (error)."""
    index = _program_indexes(sub.rows, quick=False)[0]
    year = _budget_years(cfg, sub.rows[index])[0]
    correct = sub.rows[index][f"anggaran_{year}"]
    sub.rows[index][f"anggaran_{year}"] = "1.5"
    sub.plant(cfg, "Anggaran ditulis '1.5' (1,5 juta atau 1,5 miliar?)", REJECTED, Code.UANG_AMBIGU,
              f"anggaran_{year}", index, "1.5", correct)


def plant_unknown_source(sub: Submission, cfg: Config) -> None:
    """A Sumber Dana typed from habit, not from the list: "APBD II" (error)."""
    programs = _program_indexes(sub.rows, quick=False)
    index = programs[1 % len(programs)]
    known = {key(s) for s in cfg.funding_sources}
    typed = next(t for t in ("APBD II", "PAD Kabupaten", "Dana Otsus X") if key(t) not in known)
    correct = sub.rows[index]["sumber_dana"]
    sub.rows[index]["sumber_dana"] = typed
    sub.plant(cfg, f"Sumber Dana '{typed}' tidak ada di daftar pilihan", REJECTED,
              Code.PILIHAN_TIDAK_DIKENAL, "sumber_dana", index, typed, correct)


def _broken_code(code: str | None) -> str:
    parts = (code or "").split(".")
    if len(parts) >= 3 and parts[2].startswith("0"):
        parts[2] = parts[2][1:]  # "3.27.02" typed as "3.27.2"
        broken = ".".join(parts)
    else:
        broken = (code or "2.16.03") + ".1"
    return broken if not valid_nomenclature(broken) else "3.27.2"


def plant_bad_nomenclature(sub: Submission, cfg: Config) -> None:
    """A nomenclature code with a digit missing: "3.27.2" for "3.27.02" (error)."""
    programs = _program_indexes(sub.rows, quick=False)
    with_code = [i for i in programs if sub.rows[i].get("kode_nomenklatur")]
    index = (with_code or programs)[-1]
    correct = sub.rows[index].get("kode_nomenklatur")
    typed = _broken_code(correct)
    sub.rows[index]["kode_nomenklatur"] = typed
    sub.plant(cfg, f"Kode nomenklatur '{typed}' salah format (seharusnya U.BB.PP...)",
              REJECTED, Code.KODE_NOMENKLATUR_SALAH, "kode_nomenklatur", index, typed, correct)


def plant_unknown_nomenclature(sub: Submission, cfg: Config) -> None:
    """A well-formed code the nomenclature list does not have (error), only when the
    config names a [rujukan] nomenklatur list: "3.27.99" for "3.27.03"."""
    listed = cfg.references.nomenclature if cfg.references else None
    if not listed:
        return
    programs = _program_indexes(sub.rows, quick=False)
    with_code = [i for i in programs if valid_nomenclature(sub.rows[i].get("kode_nomenklatur"))]
    index = (with_code or programs)[0]
    correct = sub.rows[index].get("kode_nomenklatur")
    bidang = ".".join((correct or "2.16.03").split(".")[:2])
    typed = next(f"{bidang}.{n}" for n in range(99, 9, -1) if f"{bidang}.{n}" not in listed)
    sub.rows[index]["kode_nomenklatur"] = typed
    sub.plant(cfg, f"Kode nomenklatur '{typed}' tidak ada di daftar nomenklatur", REJECTED,
              Code.NOMENKLATUR_TIDAK_ADA, "kode_nomenklatur", index, typed, correct)


def plant_renamed_header(sub: Submission, cfg: Config) -> None:
    """The header 'Nama Program' renamed to the OPD's own word 'Nama Kegiatan' (error).

    Expected: KOLOM_BERUBAH at the header cell (read.reading tells a renamed header from
    an unknown one); were it reported as missing (KOLOM_HILANG), the file would still be
    rejected.
    """
    label = layout.label_for_key("nama_program")
    sub.rename_header = (label, "Nama Kegiatan")
    sub.planted.append(Planted(
        sub.opd.kode, sub.name, f"Judul kolom '{label}' diganti menjadi 'Nama Kegiatan'",
        REJECTED, Code.KOLOM_BERUBAH, "nama_program",
        f"{_column_letter(cfg, 'nama_program')}{layout.PROGRAM_HEADER_ROW}",
        layout.PROGRAM_HEADER_ROW, "Nama Kegiatan", label))


Plant = Callable[[Submission, Config], None]


@dataclass(frozen=True)
class Scenario:
    """A file with planted mistakes; `prefer` is the default config's OPD for the story."""

    key: str
    prefer: str  # singkatan
    name: str  # file name pattern
    plants: tuple[Plant, ...] = ()
    correction: str | None = None  # round 2 sends this corrected file
    duplicate: str | None = None  # the same bytes also dropped under this name
    lock_file: bool = False
    libreoffice: bool = False


# In priority order: a config with few OPDs gets the first ones.
SCENARIOS = (
    Scenario("koreksi", "Dishub", "whatsapp/masterplan_{lower} (1).xlsx",
             (plant_wrong_element, plant_qw_without_target),
             correction="whatsapp/masterplan_{lower}_revisi.xlsx",
             duplicate="whatsapp/masterplan_{lower}.xlsx"),
    Scenario("tetap_ditolak", "Distan", "email/Masterplan SC {singkatan} {year}.xlsx",
             (plant_ambiguous_amount, plant_unknown_source, plant_bad_nomenclature,
              plant_unknown_nomenclature)),
    Scenario("rupiah", "Dispar", "Rencana Program Smart City {singkatan}.xlsx",
             (plant_rupiah_text,)),
    Scenario("huruf", "Dinkes", "Renja SC {singkatan} final.xlsx", (plant_case_forms,),
             lock_file=True),
    Scenario("judul_kolom", "Dinas PUPR", "{template_stem}_isi.xlsx", (plant_renamed_header,)),
    Scenario("juta", "DLH", "whatsapp/{template}", (plant_juta_text,)),
    Scenario("miliar", "Disperkim", "email/{singkatan} masterplan.xlsx", (plant_miliar_text,)),
    Scenario("nbsp", "Bapperida", "{template}", (plant_nbsp,)),
    Scenario("baris_kosong", "Disdik", "{template_stem} (1).xlsx", (plant_blank_rows,)),
    Scenario("jumlah", "BPKAD", "{template}", (plant_total_row, plant_signature_block)),
    Scenario("libreoffice", "Diskominfo", "{template}", libreoffice=True),
)
