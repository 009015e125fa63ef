"""Benchmark of the safety pass (issues 3 and 25): hostile files against honest ones.

    .venv/bin/python benchmarks/safety.py [--runs 7]

Builds, in `_work/safety/`, the test suite's hostile corpus (tests/hostile.py: zip bombs,
lying sizes, XML bombs, ...; LibreOffice cases left out), the extent bombs
(tests/extent_bombs.py: sheets reaching XFD1048576 in a few hundred bytes) and two honest
template-shaped workbooks (2,000 and 150 filled rows x 40 columns). Each file goes through
`pipeline.read.safety.inspect_file` `--runs` times in this one process: the median wall
time, and the peak Python memory of one more pass (tracemalloc).

Every figure is also given as a ratio to the 2,000-row honest file, measured in the same
run. The goals (PASS / FAIL):

- every extent bomb refused in <= 0.5 s and in no more memory than the honest 2,000-row
  file (issue 25: "in well under a second and with no more memory than a normal file");
- every other hostile file decided in <= 1 s and <= 16 MB (issue 3).

The unit tests only guard against a hang (a few seconds); this is where the speed is
measured.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
WORK = HERE / "_work" / "safety"
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

import extent_bombs  # noqa: E402
import hostile  # noqa: E402
from test_safety import traced_peak  # noqa: E402

from pipeline.read.safety import inspect_file  # noqa: E402

MB = 1 << 20
EXTENT_SECONDS, EXTENT_MEMORY_RATIO = 0.5, 1.0
HOSTILE_SECONDS, HOSTILE_MB = 1.0, 16


def measure(path: Path, runs: int) -> tuple[str, float, int]:
    """(verdict code or 'ok', median seconds, peak traced bytes)."""
    times = []
    for _ in range(runs):
        gc.collect()
        started = time.perf_counter()
        verdict = inspect_file(path)
        times.append(time.perf_counter() - started)
    return verdict.code or "ok", statistics.median(times), traced_peak(path)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    honest = {"jujur_2000_baris.xlsx": hostile.make_template_xlsxwriter(
                  WORK / "jujur_2000_baris.xlsx"),
              "jujur_150_baris.xlsx": hostile.make_template_xlsxwriter(
                  WORK / "jujur_150_baris.xlsx", rows=150)}
    groups = {"honest": honest,
              "extent": extent_bombs.build_bombs(WORK / "extent"),
              "hostile": hostile.build_corpus(WORK / "hostile", libreoffice=False)}
    results = {group: {name: measure(path, args.runs) for name, path in files.items()}
               for group, files in groups.items()}
    _, base_seconds, base_peak = results["honest"]["jujur_2000_baris.xlsx"]

    print(f"inspect_file, median of {args.runs} runs; ratios to jujur_2000_baris.xlsx "
          f"({base_seconds:.3f} s, {base_peak / MB:.1f} MB)\n")
    print("| group | file | bytes | verdict | median s | x time | peak MB | x memory |")
    print("|---|---|---:|---|---:|---:|---:|---:|")
    for group, measured in results.items():
        for name, (code, seconds, peak) in measured.items():
            size = groups[group][name].stat().st_size
            print(f"| {group} | {name} | {size:,} | {code} | {seconds:.3f} | "
                  f"{seconds / base_seconds:.2f} | {peak / MB:.2f} | {peak / base_peak:.2f} |")

    extent = results["extent"].values()
    print()
    print(f"{'PASS' if all(c == 'ISIAN_DI_LUAR_TABEL' for c, _, _ in extent) else 'FAIL'}  "
          "every extent bomb refused as ISIAN_DI_LUAR_TABEL")
    # (group, its name, most seconds, most traced bytes, how that limit is said)
    for group, what, most_seconds, most_bytes, said in (
            ("extent", "extent bomb", EXTENT_SECONDS, EXTENT_MEMORY_RATIO * base_peak,
             f"{EXTENT_MEMORY_RATIO}x the honest file's memory"),
            ("hostile", "other hostile file", HOSTILE_SECONDS, HOSTILE_MB * MB,
             f"{HOSTILE_MB} MB")):
        seconds = max(s for _, s, _ in results[group].values())
        peak = max(p for _, _, p in results[group].values())
        print(f"{'PASS' if seconds <= most_seconds else 'FAIL'}  every {what} <= "
              f"{most_seconds} s (worst {seconds:.3f} s)")
        print(f"{'PASS' if peak <= most_bytes else 'FAIL'}  every {what} <= {said} (worst "
              f"{peak / MB:.1f} MB, {peak / base_peak:.2f}x)")

if __name__ == "__main__":
    main()
