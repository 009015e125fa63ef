"""Benchmark of issue 21: what the [rujukan] lists cost a full run and `--help`.

    .venv/bin/python benchmarks/references.py [--opds 40] [--runs 5]

Builds, once, the workspace of generate.py (N OPDs x 30 programs) and beside it a
5,000-row nomenclature (xlsx, title rows above the header, the generated plans' codes
among them) and a 300-program RPJMD list (csv, the plans' references among them, one or
two OPDs each). Then (benchmarks/paired.py: whole processes, A and B in turn, medians
and pairwise ratios):

- full run: `masterplan run` on a fresh copy with the lists (A) against the same copy
  without them (B); each run starts without a ledger and outputs;
- `masterplan --help` of this checkout (A) against the checkout before the lists
  (B: `git archive` of the commit given with --before, default main), both as
  `python -m pipeline --help`.

The reports are printed as they come; the README quotes the medians.
"""

from __future__ import annotations

import argparse
import random
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
WORK = HERE / "_work"
sys.path.insert(0, str(HERE))

import generate  # noqa: E402
from paired import paired, report  # noqa: E402

PY = sys.executable
NOMENCLATURE_ROWS = 5000
RPJMD_PROGRAMS = 300
WORDS = ("Pelayanan", "Pengelolaan", "Penyediaan", "Pembinaan", "Pengembangan", "Koordinasi",
         "Penyelenggaraan", "Fasilitasi", "Pengawasan", "Peningkatan")
THINGS = ("Data", "Informasi", "Sarana", "Prasarana", "Aplikasi", "Layanan Publik", "Statistik",
          "Kesehatan", "Pendidikan", "Jaringan", "Persandian", "Arsip", "Perpustakaan",
          "Pariwisata", "Pertanian", "Perikanan", "Perdagangan", "Koperasi")


def nomenclature_rows(rng: random.Random) -> list[tuple[str, str]]:
    """5,000 codes: the plans' codes with their parents, then generated ones."""
    # The generated plans pair references and codes at random: the bidang names carry the
    # words of every reference, so the plans are valid (what the issue asks of a workshop)
    # and the run measures the checks, not extra feedback workbooks.
    every = "STATISTIK SEKTORAL, APLIKASI INFORMATIKA, PELAYANAN PUBLIK, UPAYA KESEHATAN"
    rows = {"1": "URUSAN WAJIB PELAYANAN DASAR", "1.02": f"KESEHATAN ({every})",
            "1.02.02": "PROGRAM PEMENUHAN UPAYA KESEHATAN PERORANGAN",
            "1.02.02.2.01": "Penyediaan Fasilitas Pelayanan Kesehatan",
            "1.02.02.2.01.0001": "Pembangunan Rumah Sakit Beserta Sarana dan Prasarana",
            "2": "URUSAN WAJIB NON PELAYANAN DASAR",
            "2.12": f"ADMINISTRASI KEPENDUDUKAN ({every})",
            "2.12.03": "PROGRAM PENCATATAN SIPIL", "2.12.03.2.02": "Pelayanan Pencatatan Sipil",
            "2.16": f"KOMUNIKASI DAN INFORMATIKA ({every})",
            "2.16.02": "PROGRAM INFORMASI DAN KOMUNIKASI PUBLIK",
            "2.16.03": "PROGRAM APLIKASI INFORMATIKA"}
    while len(rows) < NOMENCLATURE_ROWS:
        urusan = rng.randint(1, 3)
        parts = [str(urusan), f"{rng.randint(1, 30):02d}", f"{rng.randint(2, 20):02d}",
                 str(rng.randint(1, 2)), f"{rng.randint(1, 30):02d}",
                 f"{rng.randint(1, 60):04d}"]
        for level in (2, 3, 5, 6):
            code = ".".join(parts[:level])
            rows.setdefault(code, f"{rng.choice(WORDS)} {rng.choice(THINGS)} {code}")
    return list(rows.items())[:NOMENCLATURE_ROWS]


def write_nomenclature(path: Path, rows: list[tuple[str, str]]) -> None:
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Nomenklatur")
    sheet.merge_range(0, 0, 0, 3, "NOMENKLATUR (DATA UJI BENCHMARK)")
    sheet.write_row(2, 0, ["KODE", "NOMENKLATUR URUSAN KABUPATEN/KOTA", "KINERJA",
                           "INDIKATOR"])
    for i, (code, name) in enumerate(rows, start=3):
        sheet.write_row(i, 0, [code, name, "", ""])
    book.close()


def write_rpjmd(path: Path, n_opds: int, rng: random.Random) -> None:
    names = [generate.ACUAN[0].split(": ", 1)[1], generate.ACUAN[1].split(": ", 1)[1],
             generate.ACUAN[2].split(": ", 1)[1], generate.ACUAN[3].split(": ", 1)[1]]
    while len(names) < RPJMD_PROGRAMS:
        name = f"Program {rng.choice(WORDS)} {rng.choice(THINGS)} {len(names)}"
        names.append(name)
    lines = ["DAFTAR PROGRAM RPJMD (DATA UJI BENCHMARK)", "", "No;Program;OPD Penanggung Jawab"]
    for i, name in enumerate(names, start=1):
        owners = rng.sample(range(1, n_opds + 1), min(n_opds, rng.randint(1, 2)))
        # The plans' references belong to everyone: every generated OPD uses them.
        who = "" if i <= 4 else ", ".join(f"Uji{o}" for o in owners)
        lines.append(f"{i};{name};{who}")
    path.write_text("\n".join(lines) + "\n", "utf-8")


def workspaces(n: int) -> tuple[Path, Path]:
    """(with the lists, without them): copies of generate.py's workspace, no ledger."""
    source = generate.ensure_inbox(n)
    rng = random.Random(21)
    made = []
    for name, lists in (("rujukan_with", True), ("rujukan_without", False)):
        root = WORK / f"{name}_{n}"
        if root.exists():
            shutil.rmtree(root)
        shutil.copytree(source, root, ignore=shutil.ignore_patterns(".masterplan", "output"))
        if lists:
            write_nomenclature(root / "nomenklatur.xlsx", nomenclature_rows(rng))
            write_rpjmd(root / "rpjmd.csv", n, rng)
            with open(root / "masterplan.toml", "a", encoding="utf-8") as config:
                config.write('\n[rujukan]\nrpjmd = "rpjmd.csv"\n'
                             'nomenklatur = "nomenklatur.xlsx"\n')
        made.append(root)
    return made[0], made[1]


def fresh_run(root: Path) -> str:
    """The shell line of a full run on root without a ledger or outputs."""
    masterplan = Path(PY).with_name("masterplan")
    return (f"rm -rf {root}/.masterplan {root}/output && "
            f"exec {masterplan} run -w {root} >/dev/null 2>&1")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--opds", type=int, default=40)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--before", default="main")
    args = parser.parse_args()
    with_lists, without = workspaces(args.opds)
    check = subprocess.run([str(Path(PY).with_name("masterplan")), "run", "-w",
                            str(with_lists)], capture_output=True, text=True)
    print(check.stdout.splitlines()[-8:] if check.returncode else "run with lists: ok")
    print("\n".join(line for line in check.stdout.splitlines() if line.startswith("Program:")))
    print(f"== full run, {args.opds} OPDs: with the lists (A) vs without (B)", flush=True)
    print(report(paired(fresh_run(with_lists), fresh_run(without), args.runs)), flush=True)
    before = WORK / "before_src"
    if before.exists():
        shutil.rmtree(before)
    before.mkdir(parents=True)
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", args.before],
                             capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(before)], input=archive, check=True)
    print(f"== masterplan --help: this checkout (A) vs {args.before} (B)", flush=True)
    print(report(paired(f"cd {ROOT} && exec {PY} -m pipeline --help",
                        f"cd {before} && exec {PY} -m pipeline --help",
                        max(args.runs, 10))), flush=True)


if __name__ == "__main__":
    main()
