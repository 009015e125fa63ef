"""Benchmark of issue 27: `masterplan pantau` over ten years x three stages of 50,000-row
SIPD downloads, against calamine's read of the same files.

    .venv/bin/python benchmarks/pantau.py [--rows 50000] [--runs 3]

Builds, once, `_work/pantau_ws`: the demo workspace (its accepted plans in the ledger;
`make_demo` without LibreOffice) whose `anggaran/` then holds, for each year of the
period and each of RKPD, KUA-PPAS and APBD, a flat rekap as SIPD-RI exports it
(pipeline.demo.sipd.write_flat_rekap): every configured OPD as an SKPD in the long code
form (one sub unit each), its planned programs' codes among 2,000 sub kegiatan, 1-60
spending lines per sub kegiatan on 30 rekening, `TAHUN`, `PAGU`. Then
(benchmarks/paired.py: whole processes, A and B in turn, medians and pairwise ratios):

- A: `masterplan pantau` on the workspace (the accepted plans read, thirty documents
  through the safety pass and the SIPD reader, the figures, the workbook and the CSV);
- B: calamine's read of the same thirty files: `CalamineWorkbook.from_path` and
  `to_python(skip_empty_area=False)` of every sheet, one file after the other.

The goal (issue 27): A at most 2x B.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
WORK = HERE / "_work"
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

from paired import paired, report  # noqa: E402

PY = sys.executable
STAGES = ("RKPD", "KUA-PPAS", "APBD")
WORDS = ("Penyediaan", "Pengelolaan", "Pembinaan", "Pengembangan", "Koordinasi", "Fasilitasi",
         "Penyelenggaraan", "Pengawasan", "Peningkatan", "Pemeliharaan")
THINGS = ("Data dan Informasi", "Sarana dan Prasarana", "Aplikasi Informatika",
          "Layanan Publik", "Statistik Sektoral", "Fasilitas Kesehatan", "Satuan Pendidikan",
          "Jaringan Intra Pemerintah", "Persandian", "Arsip Dinamis", "Pasar Rakyat")
REKENING = [(f"5.1.02.01.01.{n:04d}", f"Belanja {WORDS[n % 10]} {THINGS[n % 11]}")
            for n in range(1, 31)]


def build(ws_root: Path, rows: int) -> Path:
    from pipeline.demo.budget import skpd_code
    from pipeline.pantau import accepted_programs
    from pipeline.read.references import load_config, normalise_code
    from pipeline.workspace import Workspace

    if not (ws_root / "masterplan.toml").exists():
        from pipeline.demo.workshop import make_demo

        make_demo(ws_root, seed=2024, force=True, echo=lambda _: None, use_libreoffice=False)
        shutil.rmtree(ws_root / "anggaran")

    ws = Workspace(ws_root)
    cfg = load_config(ws)
    wide, _ = accepted_programs(ws, cfg, 30.0)
    codes = [normalise_code(c) if isinstance(c, str) else None
             for c in wide["kode_nomenklatur"]]
    planned = {(opd, ".".join(code.split(".")[:3]))  # (OPD, the program code)
               for opd, code in zip(wide["opd_kode"], codes, strict=True)
               if code and not code.startswith("X")}
    for year in cfg.years:
        for n, stage in enumerate(STAGES):
            path = ws.budget_docs / str(year) / f"{stage} {year} rekap sub kegiatan.xlsx"
            if not path.exists():
                path.parent.mkdir(parents=True, exist_ok=True)
                write_download(path, cfg, planned, rows, year, seed=year * 10 + n,
                               skpd_code=skpd_code)
    return ws.budget_docs


def write_download(path: Path, cfg, planned: set, rows: int, year: int, seed: int,
                   skpd_code) -> Path:
    from pipeline.demo.sipd import RekapLayout, SpendingLine, write_flat_rekap
    from pipeline.read.sipd import Level

    rng = random.Random(seed)
    subs = []
    opds = [o for o in cfg.opds if skpd_code(o.kode)]
    for opd in opds:
        skpd = (skpd_code(opd.kode), opd.nama)
        unit = (skpd[0][:-4] + "0001", f"UPTD {opd.singkatan}")
        bidang = ".".join(opd.kode.split(".")[:2])
        programs = sorted({code for o, code in planned if o == opd.kode})
        programs += [f"{bidang}.{p:02d}" for p in range(2, 9)]
        for program in programs[:8]:
            for kegiatan in range(1, 3):
                for sub in range(1, 5):
                    names = {Level.URUSAN: f"URUSAN {bidang[0]}",
                             Level.BIDANG_URUSAN: f"BIDANG {opd.nama.upper()}",
                             Level.PROGRAM: f"PROGRAM {rng.choice(WORDS).upper()} "
                                            f"{rng.choice(THINGS).upper()}",
                             Level.KEGIATAN: f"{rng.choice(WORDS)} {rng.choice(THINGS)}",
                             Level.SUB_KEGIATAN: f"{rng.choice(WORDS)} {rng.choice(THINGS)} "
                                                 f"dan {rng.choice(THINGS)} {sub}"}
                    subs.append((f"{program}.2.{kegiatan:02d}.{sub:04d}", names, skpd,
                                 unit if sub == 4 else None))
    lines = []
    while len(lines) < rows:
        code, names, skpd, unit = rng.choice(subs)
        for _ in range(min(rng.randint(1, 60), rows - len(lines))):
            lines.append(SpendingLine(code, names, rng.randrange(1, 500) * 250_000, skpd=skpd,
                                      sub_unit=unit, year=year, rekening=rng.choice(REKENING)))
    return write_flat_rekap(path, lines, RekapLayout(sheet="Rekap Belanja"))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    WORK.mkdir(exist_ok=True)
    ws_root = WORK / f"pantau_ws_{args.rows}"
    folder = build(ws_root, args.rows)
    files = sorted(folder.rglob("*.xlsx"))
    size = sum(f.stat().st_size for f in files) / 1e6
    print(f"{len(files)} documents of {args.rows:,} rows, {size:.0f} MB", flush=True)
    pantau = f"cd {ROOT} && exec {PY} -m pipeline pantau --workspace {ws_root}"
    listing = ", ".join(f'"{f}"' for f in files)
    calamine = (f"exec {PY} -c 'from python_calamine import CalamineWorkbook\n"
                f"for p in [{listing}]:\n"
                f"    w = CalamineWorkbook.from_path(p)\n"
                f"    [w.get_sheet_by_name(n).to_python(skip_empty_area=False) "
                f"for n in w.sheet_names]'")
    print(f"== masterplan pantau (A) vs calamine's read (B) of {len(files)} documents",
          flush=True)
    print(report(paired(pantau, calamine, args.runs)), flush=True)


if __name__ == "__main__":
    main()
