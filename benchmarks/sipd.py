"""Benchmark of issue 26: reading a 50,000-row SIPD flat rekap against calamine's read.

    .venv/bin/python benchmarks/sipd.py [--rows 50000] [--runs 7]

Builds, once, `_work/sipd_rekap_<rows>.xlsx`: a flat rekap as SIPD-RI exports it and Excel
saves it (shared strings; pipeline.demo.sipd.write_flat_rekap), 40 SKPD with a sub unit
each, 2,400 sub kegiatan of realistic name lengths, 1-60 spending lines per sub kegiatan
on 30 rekening, pagu as numbers, a REALISASI column. Then (benchmarks/paired.py: whole
processes, A and B in turn, medians and pairwise ratios):

- A: `read_sipd(path)` (the safety pass, every sheet, every level of every row);
- B: calamine's read of the same file: `CalamineWorkbook.from_path(path)` and
  `to_python(skip_empty_area=False)` of every sheet.

The goal (issue 26): A at most 2x B. `write_download` is reusable for other benchmarks
(pantau: ten years x three stages of such downloads).
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
WORK = HERE / "_work"
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

from paired import paired, report  # noqa: E402

from pipeline.demo.sipd import RekapLayout, SpendingLine, write_flat_rekap  # noqa: E402
from pipeline.read.sipd import Level  # noqa: E402

PY = sys.executable
WORDS = ("Penyediaan", "Pengelolaan", "Pembinaan", "Pengembangan", "Koordinasi", "Fasilitasi",
         "Penyelenggaraan", "Pengawasan", "Peningkatan", "Pemeliharaan")
THINGS = ("Data dan Informasi", "Sarana dan Prasarana", "Aplikasi Informatika",
          "Layanan Publik", "Statistik Sektoral", "Fasilitas Kesehatan", "Satuan Pendidikan",
          "Jaringan Intra Pemerintah", "Persandian", "Arsip Dinamis", "Perpustakaan Daerah",
          "Destinasi Pariwisata", "Komoditas Pertanian", "Usaha Perikanan", "Pasar Rakyat")
REKENING = [(f"5.1.02.01.01.{n:04d}", f"Belanja {WORDS[n % 10]} {THINGS[n % 15]}")
            for n in range(1, 31)]


def write_download(path: Path, rows: int, seed: int = 26, year: int = 2025) -> Path:
    """A flat rekap of `rows` spending lines (see the module docstring)."""
    rng = random.Random(seed)
    skpds = [(f"{u}.{b:02d}.0.00.0.00.01.0000", f"Dinas {rng.choice(THINGS)} {i}")
             for i, (u, b) in enumerate([(u, b) for u in (1, 2, 3) for b in range(1, 15)][:40])]
    subs = []
    for skpd_code, skpd_name in skpds:
        bidang = skpd_code[:4]
        unit = (skpd_code[:-4] + "0001", f"UPTD {skpd_name}")
        for program in range(1, 7):
            for kegiatan in range(1, 3):
                for sub in range(1, 6):
                    code = f"{bidang}.{program:02d}.2.{kegiatan:02d}.{sub:04d}"
                    names = {
                        Level.URUSAN: f"URUSAN PEMERINTAHAN {bidang[0]}",
                        Level.BIDANG_URUSAN: f"URUSAN PEMERINTAHAN BIDANG {skpd_name.upper()}",
                        Level.PROGRAM: f"PROGRAM {rng.choice(WORDS).upper()} "
                                       f"{rng.choice(THINGS).upper()}",
                        Level.KEGIATAN: f"{rng.choice(WORDS)} {rng.choice(THINGS)} "
                                        "Kabupaten/Kota",
                        Level.SUB_KEGIATAN: f"{rng.choice(WORDS)} {rng.choice(THINGS)} dan "
                                            f"{rng.choice(THINGS)} {sub}"}
                    subs.append((code, names, (skpd_code, skpd_name),
                                 unit if sub == 5 else None))
    lines = []
    while len(lines) < rows:
        code, names, skpd, unit = rng.choice(subs)
        for _ in range(min(rng.randint(1, 60), rows - len(lines))):
            amount = rng.randrange(1, 500) * 250_000
            lines.append(SpendingLine(code, names, amount, skpd=skpd, sub_unit=unit, year=year,
                                      realised=amount * rng.randint(0, 100) // 100,
                                      rekening=rng.choice(REKENING)))
    return write_flat_rekap(path, lines, RekapLayout(realised=True, shared_strings=True,
                                                     sheet="Rekap Belanja"))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    WORK.mkdir(exist_ok=True)
    path = WORK / f"sipd_rekap_{args.rows}.xlsx"
    if not path.exists():
        write_download(path, args.rows)
    print(f"{path.name}: {path.stat().st_size / 1e6:.1f} MB", flush=True)
    sipd = (f"cd {ROOT} && exec {PY} -c 'from pathlib import Path; from pipeline.read.sipd "
            f"import read_sipd; d = read_sipd(Path(\"{path}\")); assert len(d.entries) == "
            f"{args.rows}'")
    calamine = (f"exec {PY} -c 'from python_calamine import CalamineWorkbook; "
                f"w = CalamineWorkbook.from_path(\"{path}\"); "
                f"[w.get_sheet_by_name(n).to_python(skip_empty_area=False) "
                f"for n in w.sheet_names]'")
    print(f"== {args.rows:,} rows: read_sipd (A) vs calamine (B)", flush=True)
    print(report(paired(sipd, calamine, args.runs)), flush=True)


if __name__ == "__main__":
    main()
