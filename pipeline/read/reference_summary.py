"""What `masterplan rujukan` shows: what the [rujukan] lists gave, in Indonesian lines."""

from __future__ import annotations

from collections import Counter

from ..config import Config
from .codes import LEVELS, level


def summary_lines(cfg: Config) -> list[str]:
    """Counts per level, each RPJMD program with its OPDs, the rows skipped and why."""
    refs = cfg.references
    if refs is None:
        return ["Tidak ada daftar rujukan: bagian [rujukan] (rpjmd, nomenklatur) tidak diisi "
                "di masterplan.toml; acuan RPJMD/RPD dan kode nomenklatur hanya diperiksa "
                "bentuknya."]
    files = dict(cfg.reference_files)
    singkatan = {o.kode: o.singkatan for o in cfg.opds}
    lines: list[str] = []
    if refs.nomenclature is not None:
        counts = Counter(level(code) for code in refs.nomenclature)
        per_level = ", ".join(f"{counts[n]} {label}" for n, label in LEVELS.items()
                              if counts[n])
        lines += [f"Daftar nomenklatur: {files['nomenklatur']}",
                  f"  {len(refs.nomenclature)} kode: {per_level}"]
    if refs.rpjmd is not None:
        with_code = sum(1 for p in refs.rpjmd if p.code)
        lines += [f"Daftar program RPJMD/RPD: {files['rpjmd']}",
                  f"  {len(refs.rpjmd)} program, {with_code} dengan kode"]
        for program in refs.rpjmd:
            code = f" ({program.code})" if program.code else ""
            owners = ", ".join(singkatan.get(o, o) for o in program.opds) or \
                "semua OPD (daftar tidak menyebut OPD)"
            lines.append(f"  - {program.name}{code}: {owners}")
    if refs.skipped:
        lines.append(f"Baris dilewati atau dicatat ({len(refs.skipped)}):")
        lines += [f"  {file} baris {row}: {why}" for _, file, row, why in refs.skipped]
    else:
        lines.append("Tidak ada baris yang dilewati.")
    return lines
