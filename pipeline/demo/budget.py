"""The demo's APBD: a fictional SIPD download (flat rekap) for the first year of the period.

Made from the demo's accepted plans the way a real APBD relates to a masterplan: most
programs planned for the year are funded, some at less than planned, some not at all,
one is listed with a pagu of 0, and one OPD is absent altogether (as when its
budget was entered under another SKPD). Every other OPD also has routine lines the
masterplan does not plan (office administration under the penunjang program), so the
document holds more money than the masterplan's programs. Written by the same
`write_flat_rekap` that writes the SIPD fixtures (pipeline/demo/sipd.py); deterministic
for a seed.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..config import Config
from ..read.references import normalise_code
from ..read.sipd import Level
from .sipd import RekapLayout, SpendingLine, write_flat_rekap

REKENING = (("5.1.02.01.01.0024", "Belanja Alat/Bahan untuk Kegiatan Kantor-Alat Tulis Kantor"),
            ("5.1.02.02.01.0026", "Belanja Jasa Tenaga Administrasi"),
            ("5.1.02.01.01.0052", "Belanja Makanan dan Minuman Rapat"),
            ("5.2.02.10.01.0002", "Belanja Modal Personal Computer"),
            ("5.1.02.02.01.0063", "Belanja Jasa Konsultansi Berorientasi Bidang"))
ROUTINE = (("X.XX.01.2.02.0001", "Program Penunjang Urusan Pemerintahan Daerah Kabupaten/Kota",
            "Administrasi Keuangan Perangkat Daerah", "Penyediaan Gaji dan Tunjangan ASN"),
           ("X.XX.01.2.06.0001", "Program Penunjang Urusan Pemerintahan Daerah Kabupaten/Kota",
            "Administrasi Umum Perangkat Daerah", "Penyediaan Komponen Instalasi Listrik/"
            "Penerangan Bangunan Kantor"))


@dataclass(frozen=True)
class DemoBudget:
    path: Path
    funded: int  # programs planned for the year with money
    less: tuple[str, ...]  # names of the programs funded with less than planned
    unfunded: int
    listed_zero: str | None  # the program listed with a pagu of 0
    absent_opd: str | None  # the OPD whose programs are all absent


def skpd_code(opd_code: str) -> str | None:
    """'2.12.01' -> '2.12.0.00.0.00.01.0000', the long SKPD form SIPD writes."""
    parts = opd_code.split(".")
    if len(parts) != 3 or not all(p.isdigit() for p in parts):
        return None
    return f"{parts[0]}.{parts[1]}.0.00.0.00.{parts[2]}.0000"


def write_demo_apbd(folder: Path, cfg: Config, wide: pd.DataFrame, seed: int) -> DemoBudget:
    year = cfg.first_year
    rng = random.Random(f"apbd-{seed}")
    names = (cfg.references.nomenclature or {}) if cfg.references else {}
    planned = wide[(wide.get(f"anggaran_{year}", 0) > 0)]
    coded = planned[[isinstance(c, str) and normalise_code(c) is not None
                     for c in planned["kode_nomenklatur"]]]
    opds = [o for o in cfg.opds if skpd_code(o.kode) and o.kode in set(coded["opd_kode"])]
    absent = rng.choice(opds[1:]).kode if len(opds) > 1 else None
    lines: list[SpendingLine] = []
    funded = unfunded = 0
    less: list[str] = []
    listed_zero = None
    for row in coded.itertuples(index=False):
        skpd = (skpd_code(row.opd_kode), row.opd_nama)
        code = _sub_kegiatan(normalise_code(row.kode_nomenklatur))
        plan = int(getattr(row, f"anggaran_{year}"))
        roll = rng.random()
        if row.opd_kode == absent or roll < 0.2:
            unfunded += 1
            continue
        if listed_zero is None and roll < 0.27:
            listed_zero = row.nama_program
            lines.append(_line(code, 0, skpd, names, row.nama_program, year, REKENING[0]))
            continue
        share = rng.uniform(0.4, 0.8) if roll < 0.45 else 1.0
        if share < 1:
            less.append(row.nama_program)
        funded += 1
        lines += _split(code, _round(plan * share), skpd, names, row.nama_program, year, rng)
    for opd in cfg.opds:
        if skpd_code(opd.kode) is None or opd.kode == absent:
            continue
        for code, program, activity, sub in ROUTINE:
            amount = _round(rng.uniform(0.4, 3.0) * 1e9 if "Gaji" in sub else
                            rng.uniform(20, 120) * 1e6)
            lines.append(SpendingLine(code, {Level.URUSAN: "Urusan Penunjang",
                                             Level.BIDANG_URUSAN: "Penunjang Urusan",
                                             Level.PROGRAM: program, Level.KEGIATAN: activity,
                                             Level.SUB_KEGIATAN: sub}, amount,
                                      skpd=(skpd_code(opd.kode), opd.nama), year=year,
                                      rekening=REKENING[1]))
    rng.shuffle(lines)
    lines.sort(key=lambda line: (line.skpd[0], line.sub_kegiatan))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"APBD {year} - Rekap Pagu Sub Kegiatan per Rekening.xlsx"
    write_flat_rekap(path, lines, RekapLayout(kelompok=True, sheet="Rekap APBD"))
    return DemoBudget(path, funded, tuple(less), unfunded, listed_zero, absent)


def _sub_kegiatan(code: str) -> str:
    """A line's sub kegiatan under the program's code (a program gets its first)."""
    parts = code.split(".")
    if len(parts) <= 3:
        parts = (parts + ["01"] * 3)[:3] + ["2", "01"]
    if len(parts) == 5:
        parts.append("0001")
    return ".".join(parts[:6])


def _line(code: str, amount: int, skpd, names: dict, program: str, year: int,
          rekening) -> SpendingLine:
    parts = code.split(".")
    level_names = {level: names.get(".".join(parts[:level.value]), "") for level in Level}
    level_names[Level.PROGRAM] = level_names[Level.PROGRAM] or f"Program {program}"
    level_names[Level.SUB_KEGIATAN] = level_names[Level.SUB_KEGIATAN] or program
    return SpendingLine(code, level_names, amount, skpd=skpd, year=year, rekening=rekening)


def _split(code, amount: int, skpd, names, program, year, rng) -> list[SpendingLine]:
    """A sub kegiatan's pagu over two or three rekening, as SIPD lists it."""
    count = rng.choice((2, 3))
    cuts = sorted(rng.sample(range(1, 20), count - 1))
    shares = [b - a for a, b in zip([0, *cuts], [*cuts, 20], strict=True)]
    amounts = [_round(amount * s / 20) for s in shares[:-1]]
    amounts.append(amount - sum(amounts))
    return [_line(code, part, skpd, names, program, year, REKENING[i % len(REKENING)])
            for i, part in enumerate(amounts)]


def _round(amount: float) -> int:
    """To the thousand rupiah, as budgets are written."""
    return int(round(amount / 1000.0)) * 1000
