"""What `masterplan rujukan` shows: what the [rujukan] lists gave, in Indonesian lines or
as JSON (`--json`), and the warnings `run` repeats on its console."""

from __future__ import annotations

from collections import Counter

from ..config import Config, ReferenceFile
from .codes import LEVELS

# JSON keys of the code counts, in level order (urusan ... sub kegiatan).
LEVEL_KEYS = ("urusan", "bidang_urusan", "program", "kegiatan", "sub_kegiatan")
SKIPPED_SHOWN = 8  # row numbers shown per reason; the JSON lists them all


def summary_lines(cfg: Config) -> list[str]:
    """Per nomenclature file its form, sheets, codes per level, rows skipped and warnings;
    each RPJMD program with its OPDs; the RPJMD rows skipped and why."""
    refs = cfg.references
    if refs is None:
        return ["Tidak ada daftar rujukan: bagian [rujukan] (rpjmd, nomenklatur) tidak diisi "
                "di masterplan.toml; acuan RPJMD/RPD dan kode nomenklatur hanya diperiksa "
                "bentuknya."]
    lines: list[str] = []
    for read in refs.read:
        lines += _nomenclature_lines(read)
    if len(refs.read) > 1 and refs.nomenclature is not None:
        lines.append(f"Gabungan {len(refs.read)} berkas: {len(refs.nomenclature)} kode.")
    if refs.rpjmd is not None:
        with_code = sum(1 for p in refs.rpjmd if p.code)
        singkatan = {o.kode: o.singkatan for o in cfg.opds}
        lines += [f"Daftar program RPJMD/RPD: {dict(cfg.reference_files)['rpjmd']}",
                  f"  {len(refs.rpjmd)} program, {with_code} dengan kode"]
        for program in refs.rpjmd:
            code = f" ({program.code})" if program.code else ""
            owners = ", ".join(singkatan.get(o, o) for o in program.opds) or \
                "semua OPD (daftar tidak menyebut OPD)"
            lines.append(f"  - {program.name}{code}: {owners}")
        skipped = [(row, why) for name, _, row, why in refs.skipped if name == "rpjmd"]
        lines += _skipped_lines([("", row, why) for row, why in skipped])
    return lines


def _nomenclature_lines(read: ReferenceFile) -> list[str]:
    total = sum(read.codes)
    per_level = ", ".join(f"{n} {label}" for n, label in zip(read.codes, LEVELS.values(),
                                                             strict=True) if n)
    derived = (f"; {read.derived} di antaranya hanya diturunkan dari kode di bawahnya "
               "(tanpa nama)" if read.derived else "")
    lines = [f"Daftar nomenklatur: {read.file}",
             f"  bentuk: {read.form}; lembar dibaca ({len(read.sheets)}): "
             f"{_sheet_list(read.sheets)}",
             f"  {total} kode: {per_level or 'tidak ada'}{derived}"]
    lines += _skipped_lines(read.skipped)
    lines += [f"  PERINGATAN: {warning}" for warning in read.warnings]
    return lines


def _sheet_list(sheets: tuple[str, ...]) -> str:
    shown = ", ".join(sheets[:10])
    return shown + (f", ... ({len(sheets) - 10} lagi)" if len(sheets) > 10 else "")


def _skipped_lines(skipped) -> list[str]:
    """Rows skipped, grouped by reason, with their sheet and row numbers."""
    if not skipped:
        return ["  Tidak ada baris yang dilewati."]
    reasons = Counter(why for _, _, why in skipped)
    lines = [f"  Baris dilewati atau dicatat ({len(skipped)}):"]
    for why, count in reasons.items():
        places = [f"{sheet} baris {row}" if sheet and row else f"baris {row}" if row else sheet
                  for sheet, row, reason in skipped if reason == why]
        more = f", ... ({count - SKIPPED_SHOWN} lagi)" if count > SKIPPED_SHOWN else ""
        lines.append(f"  - {why}: {', '.join(places[:SKIPPED_SHOWN])}{more}")
    return lines


def summary_json(cfg: Config) -> dict:
    """`masterplan rujukan --json`: {"nomenklatur": [per file], "rpjmd": [per file]}."""
    refs = cfg.references
    if refs is None:
        return {"nomenklatur": [], "rpjmd": []}
    nomenclature = [{
        "berkas": read.file, "bentuk": read.form, "lembar": list(read.sheets),
        "kode": dict(zip(LEVEL_KEYS, read.codes, strict=True)),
        "dilewati": [{"lembar": sheet, "baris": row, "alasan": why}
                     for sheet, row, why in read.skipped],
        "peringatan": list(read.warnings)} for read in refs.read]
    rpjmd = []
    if refs.rpjmd is not None:
        singkatan = {o.kode: o.singkatan for o in cfg.opds}
        rpjmd.append({
            "berkas": dict(cfg.reference_files)["rpjmd"],
            "program": [{"nama": p.name, "kode": p.code,
                         "opd": [singkatan.get(o, o) for o in p.opds]} for p in refs.rpjmd],
            "dilewati": [{"baris": row, "alasan": why}
                         for name, _, row, why in refs.skipped if name == "rpjmd"]})
    return {"nomenklatur": nomenclature, "rpjmd": rpjmd}


def warning_lines(cfg: Config) -> list[str]:
    """The nomenclature files' warnings, for `run`'s console."""
    refs = cfg.references
    return [f"Daftar nomenklatur: {warning}" for read in (refs.read if refs else ())
            for warning in read.warnings]
