"""Benchmarks of issues 7 and 15: whole-process timings of `masterplan run` against the floor.

    .venv/bin/python benchmarks/run_benchmarks.py [--sizes 40 400] [--repeat 1]
        [--skip pandas_openpyxl frictionless] [--profile 400]

For each size N: a workspace of N OPDs x 30 programs, generated once through the
project's own templates and cached in benchmarks/_work/inbox_<N>/ (see generate.py;
generation time is not measured). Then, each as a separate process, timed with
time.perf_counter() around it, with the peak memory of its whole process tree:

- floor            import the stack, read every Program sheet with calamine, write the
                   rows once with xlsxwriter (floor.py)
- full run         `masterplan run` on a fresh copy of the workspace (no ledger)
- re-run +1 file   `masterplan run` again after one new file lands in the inbox
- pandas+openpyxl  pd.read_excel(..., engine="openpyxl") over all files
- frictionless     read + validate each Program sheet (when frictionless is installed)
- --help           `masterplan --help`, against `python -c "import pandas"` (once, not per N)

Every time is also given as a ratio to the floor of the same N. The Markdown table, the
goal checks and the machine are printed and written to benchmarks/_work/results.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
WORK = HERE / "_work"
sys.path.insert(0, str(HERE))

import generate  # noqa: E402

PY = sys.executable
MASTERPLAN = Path(PY).with_name("masterplan")
PAGE = os.sysconf("SC_PAGE_SIZE")

# Goals of issue 7, with the full-run goal of issue 15 (the floor leaves out work the
# product must do, so issue 7's 1.3x was retired).
FULL_VS_FLOOR = 2.5
RERUN_VS_FULL = 0.6
PEAK_MB_AT_400 = 800
LINEAR_SLACK = 1.25  # marginal cost per file may grow this much between intervals


# --- measuring one process ------------------------------------------------------------

@dataclass
class Sample:
    seconds: float
    cpu: float  # user + sys of the process and everything it waited for
    peak_mb: float  # peak of the summed RSS of the process tree (sampled every 20 ms)
    proc_mb: float  # largest single process (ru_maxrss)
    rc: int
    load: float  # 1-minute load average just before the start


@dataclass
class Measurement:
    n: int | None
    name: str
    samples: list[Sample] = field(default_factory=list)
    note: str = ""

    @property
    def seconds(self) -> float:
        return statistics.median(s.seconds for s in self.samples)

    @property
    def cpu(self) -> float:
        return statistics.median(s.cpu for s in self.samples)

    @property
    def peak_mb(self) -> float:
        return max(s.peak_mb for s in self.samples)

    @property
    def proc_mb(self) -> float:
        return max(s.proc_mb for s in self.samples)

    @property
    def ok(self) -> bool:
        return all(s.rc == 0 for s in self.samples)


def _children(pid: int) -> list[int]:
    found: list[int] = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return found
    for tid in tasks:
        try:
            with open(f"/proc/{pid}/task/{tid}/children") as handle:
                found.extend(int(c) for c in handle.read().split())
        except OSError:
            pass
    return found


def tree_rss(pid: int) -> int:
    """Summed resident memory (bytes) of pid and all its descendants."""
    total, stack, seen = 0, [pid], set()
    while stack:
        current = stack.pop()
        if current in seen:
            continue
        seen.add(current)
        try:
            with open(f"/proc/{current}/statm") as handle:
                total += int(handle.read().split()[1]) * PAGE
        except (OSError, IndexError, ValueError):
            continue
        stack.extend(_children(current))
    return total


def run_process(cmd: list[str], log: Path, cwd: Path = ROOT) -> Sample:
    """Run cmd as its own process; wall time, CPU time, peak tree RSS, max single RSS."""
    load = os.getloadavg()[0]
    peak = 0
    done = threading.Event()
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("w") as out:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL)

        def sample() -> None:
            nonlocal peak
            while not done.wait(0.02):
                peak = max(peak, tree_rss(proc.pid))

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
    done.set()
    sampler.join()
    # ru_maxrss of wait4 is the largest of the process and its waited-for descendants (KiB).
    proc_mb = usage.ru_maxrss / 1024
    return Sample(seconds, usage.ru_utime + usage.ru_stime, max(peak / 2**20, proc_mb),
                  proc_mb, proc.returncode, load)


def measure(n: int | None, name: str, cmd: list[str], repeat: int, log: Path,
            before=None) -> Measurement:
    result = Measurement(n, name)
    for i in range(repeat):
        if before:
            before(i)
        sample = run_process(cmd, log)
        result.samples.append(sample)
        state = "" if sample.rc == 0 else f"  EXIT {sample.rc}, see {log}"
        print(f"  {name:<22} {sample.seconds:7.2f} s  cpu {sample.cpu:7.2f} s  "
              f"peak {sample.peak_mb:6.0f} MB  (load {sample.load:.1f}){state}", flush=True)
    return result


# --- the workspace copies -------------------------------------------------------------

def warm(folder: Path) -> None:
    """Read every input once so the first measurement does not pay for a cold cache."""
    for path in folder.rglob("*"):
        if path.is_file():
            path.read_bytes()


def fresh_copy(source: Path, target: Path) -> None:
    """A workspace with the config and the inbox, no ledger, no outputs."""
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    shutil.copy2(source / "masterplan.toml", target / "masterplan.toml")
    shutil.copytree(source / "inbox", target / "inbox")
    for folder in ("templates_xlsx", "output"):
        (target / folder).mkdir()


def run_outcome(ws: Path) -> str:
    """What the run produced, to check it did the whole job."""
    try:
        report = json.loads((ws / "output" / "laporan_validasi.json").read_text("utf-8"))
    except (OSError, ValueError):
        return "no report"
    stats = report["stats"]
    feedback = len(list((ws / "output" / "umpan_balik").glob("*.xlsx")))
    rekap = (ws / "output" / "rekap_masterplan.xlsx").exists()
    return (f"{stats['accepted']} accepted, {stats['rejected']} rejected, {feedback} feedback "
            f"workbooks, {stats['errors']} errors + {stats['warnings']} warnings"
            + ("" if rekap else ", NO REKAP"))


# --- one size -------------------------------------------------------------------------

def bench_size(n: int, repeat: int, skip: set[str]) -> list[Measurement]:
    print(f"\n## N = {n}", flush=True)
    source = generate.ensure_inbox(n)
    warm(source / "inbox")
    warm(source / "extra")
    logs = WORK / "logs"
    results: list[Measurement] = []
    inbox = source / "inbox"

    results.append(measure(n, "floor", [PY, str(HERE / "floor.py"), str(inbox),
                                        str(WORK / f"floor_{n}.xlsx")], repeat,
                           logs / f"floor_{n}.log"))

    ws = WORK / f"run_{n}"
    full = Measurement(n, "full run")
    rerun = Measurement(n, "re-run +1 file")
    extra = sorted((source / "extra").glob("*.xlsx"))
    for _ in range(repeat):
        fresh_copy(source, ws)
        full.samples += measure(n, full.name, [str(MASTERPLAN), "run", "-w", str(ws)], 1,
                                logs / f"run_{n}.log").samples
        full.note = run_outcome(ws)
        if extra:
            shutil.copy2(extra[0], ws / "inbox" / extra[0].name)
            rerun.samples += measure(n, rerun.name, [str(MASTERPLAN), "run", "-w", str(ws)], 1,
                                     logs / f"rerun_{n}.log").samples
            rerun.note = f"+{extra[0].name}: " + run_outcome(ws)
    print(f"  full run: {full.note}")
    results.append(full)
    if rerun.samples:
        print(f"  re-run:   {rerun.note}")
        results.append(rerun)

    if "pandas_openpyxl" not in skip:
        results.append(measure(n, "pandas+openpyxl",
                               [PY, str(HERE / "read_pandas_openpyxl.py"), str(inbox)],
                               repeat, logs / f"pandas_openpyxl_{n}.log"))
    if "frictionless" not in skip:
        if has_frictionless():
            results.append(measure(n, "frictionless", [PY, str(HERE / "read_frictionless.py"),
                                                       str(inbox)],
                                   repeat, logs / f"frictionless_{n}.log"))
        else:
            print("  frictionless: not installed")
    return results


def has_frictionless() -> bool:
    try:
        metadata.version("frictionless")
        return True
    except metadata.PackageNotFoundError:
        return False


def bench_startup(repeat: int) -> list[Measurement]:
    print("\n## start-up (independent of N)", flush=True)
    times = max(repeat, 5)
    logs = WORK / "logs"
    return [
        measure(None, "masterplan --help", [str(MASTERPLAN), "--help"], times,
                logs / "help.log"),
        measure(None, 'python -c "import pandas"', [PY, "-c", "import pandas"], times,
                logs / "import_pandas.log"),
    ]


# --- report ---------------------------------------------------------------------------

def floor_of(results: list[Measurement], n: int) -> float | None:
    for m in results:
        if m.n == n and m.name == "floor" and m.ok:
            return m.seconds
    return None


def find(results: list[Measurement], n: int | None, name: str) -> Measurement | None:
    return next((m for m in results if m.n == n and m.name == name and m.ok), None)


def table(results: list[Measurement], sizes: list[int]) -> list[str]:
    lines = ["| N | measurement | seconds | CPU s | peak MB | ratio to floor | notes |",
             "|---:|---|---:|---:|---:|---:|---|"]
    startup = [m for m in results if m.n is None]
    for n in sizes:
        floor = floor_of(results, n)
        for m in [m for m in results if m.n == n] + startup:
            ratio = f"{m.seconds / floor:.2f}x" if floor and m.ok else "-"
            note = m.note if m.ok else f"FAILED (exit {[s.rc for s in m.samples]})"
            if m.n is None:
                note = "start-up, same for every N"
            lines.append(f"| {n} | {m.name} | {m.seconds:.2f} | {m.cpu:.2f} | "
                         f"{m.peak_mb:.0f} | {ratio} | {note} |")
    return lines


def goals(results: list[Measurement], sizes: list[int]) -> list[str]:
    out = []

    def check(label: str, ok: bool | None, detail: str) -> None:
        verdict = "n/a" if ok is None else ("PASS" if ok else "FAIL")
        out.append(f"- **{verdict}** {label}: {detail}")

    for n in (40, 400):
        full, floor = find(results, n, "full run"), floor_of(results, n)
        if full and floor:
            ratio = full.seconds / floor
            check(f"full run <= {FULL_VS_FLOOR}x the floor at {n}", ratio <= FULL_VS_FLOOR,
                  f"{full.seconds:.2f} s / {floor:.2f} s = {ratio:.2f}x")
        else:
            check(f"full run <= {FULL_VS_FLOOR}x the floor at {n}", None, "size not measured")

    measured = sorted(n for n in sizes if find(results, n, "full run"))
    if len(measured) >= 3:
        lo, mid, hi = measured[0], measured[-2], measured[-1]
        t = {n: find(results, n, "full run").seconds for n in (lo, mid, hi)}
        slope_lo = (t[mid] - t[lo]) / (mid - lo)
        slope_hi = (t[hi] - t[mid]) / (hi - mid)
        check(f"full run linear from {lo} to {hi}", slope_hi <= LINEAR_SLACK * slope_lo,
              f"marginal {slope_lo * 1000:.1f} ms/file ({lo}->{mid}) vs "
              f"{slope_hi * 1000:.1f} ms/file ({mid}->{hi}); limit {LINEAR_SLACK}x")
    else:
        detail = "needs three sizes (e.g. --sizes 40 400 2000)"
        if len(measured) == 2:
            lo, hi = measured
            t = {n: find(results, n, "full run").seconds for n in measured}
            detail += (f"; per file: {t[lo] / lo * 1000:.0f} ms at {lo}, "
                       f"{t[hi] / hi * 1000:.0f} ms at {hi}")
        check("full run linear from 40 to 2,000", None, detail)

    full, rerun = find(results, 400, "full run"), find(results, 400, "re-run +1 file")
    if full and rerun:
        ratio = rerun.seconds / full.seconds
        check(f"re-run after one new file <= {RERUN_VS_FULL}x a full run at 400",
              ratio <= RERUN_VS_FULL,
              f"{rerun.seconds:.2f} s / {full.seconds:.2f} s = {ratio:.2f}x")
    else:
        check(f"re-run after one new file <= {RERUN_VS_FULL}x a full run at 400", None,
              "400 not measured")

    helped, pandas = (find(results, None, "masterplan --help"),
                      find(results, None, 'python -c "import pandas"'))
    if helped and pandas:
        check('`masterplan --help` faster than `python -c "import pandas"`',
              helped.seconds < pandas.seconds,
              f"{helped.seconds:.3f} s vs {pandas.seconds:.3f} s (median)")

    full = find(results, 400, "full run")
    if full:
        check(f"peak memory <= {PEAK_MB_AT_400} MB at 400", full.peak_mb <= PEAK_MB_AT_400,
              f"{full.peak_mb:.0f} MB (whole process tree; largest single process "
              f"{full.proc_mb:.0f} MB)")
    else:
        check(f"peak memory <= {PEAK_MB_AT_400} MB at 400", None, "400 not measured")

    if len(measured) >= 3 and measured[-1] >= 2000:
        lo, mid, hi = measured[0], measured[-2], measured[-1]
        mb = {n: find(results, n, "full run").peak_mb for n in (lo, mid, hi)}
        per_lo = (mb[mid] - mb[lo]) / (mid - lo)
        per_hi = (mb[hi] - mb[mid]) / (hi - mid)
        ok = mb[hi] / mb[mid] <= hi / mid and per_hi <= LINEAR_SLACK * max(per_lo, 0.01)
        check(f"memory grows no faster than the data up to {hi}", ok,
              f"{mb[lo]:.0f} / {mb[mid]:.0f} / {mb[hi]:.0f} MB at {lo} / {mid} / {hi}; "
              f"marginal {per_lo:.2f} then {per_hi:.2f} MB/file")
    else:
        check("memory grows no faster than the data at 2,000", None,
              "needs --sizes 40 400 2000")
    return out


def machine() -> list[str]:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = "?"
    try:
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f"{kib / 2**20:.1f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    versions = []
    for name in ("pandas", "pandera", "openpyxl", "xlsxwriter", "python-calamine", "numpy",
                 "frictionless"):
        try:
            versions.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{name} (not installed)")
    return [f"- nproc: {len(os.sched_getaffinity(0))} ({cpu}), memory {mem}",
            f"- Python {platform.python_version()} on {platform.platform()}",
            f"- {', '.join(versions)}",
            f"- load average at the end: {', '.join(f'{x:.2f}' for x in os.getloadavg())}"]


# --- profile --------------------------------------------------------------------------

def profile(n: int) -> None:
    """cProfile one full run at n (the parent process only) and print the top 30."""
    import pstats

    source = generate.ensure_inbox(n)
    ws = WORK / f"profile_{n}"
    fresh_copy(source, ws)
    prof = WORK / f"profile_{n}.prof"
    print(f"\n## cProfile of a full run at N = {n} (parent process only)", flush=True)
    started = time.perf_counter()
    subprocess.run([PY, "-m", "cProfile", "-o", str(prof), "-m", "pipeline", "run", "-w",
                    str(ws)], cwd=ROOT, stdout=subprocess.DEVNULL, check=True)
    print(f"  {time.perf_counter() - started:.1f} s under the profiler")
    text = WORK / f"profile_{n}.txt"
    with text.open("w") as out:
        stats = pstats.Stats(str(prof), stream=out)
        stats.sort_stats("cumulative").print_stats(30)
        stats.sort_stats("tottime").print_stats(30)
    print(f"  top 30 by cumulative and by tottime: {text}")


# --- main -----------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[40, 400],
                        help="numbers of OPD files (default: 40 400; 2000 on request)")
    parser.add_argument("--repeat", type=int, default=1,
                        help="runs per measurement; the median time is reported")
    parser.add_argument("--skip", nargs="*", default=[],
                        choices=["pandas_openpyxl", "frictionless", "startup"],
                        help="leave out slow comparisons")
    parser.add_argument("--profile", type=int, metavar="N",
                        help="also cProfile one full run at N into _work/profile_N.*")
    args = parser.parse_args(argv)
    if not MASTERPLAN.exists():
        parser.error(f"{MASTERPLAN} not found: run with the project's venv python")

    WORK.mkdir(exist_ok=True)
    skip = set(args.skip)
    sizes = sorted(set(args.sizes))
    results: list[Measurement] = []
    for n in sizes:
        results += bench_size(n, args.repeat, skip)
    if "startup" not in skip:
        results += bench_startup(args.repeat)

    lines = [f"# Benchmark results ({time.strftime('%Y-%m-%d %H:%M')})", "",
             "Each row is one whole process (median of the runs); peak MB is the summed RSS "
             "of its process tree. Ratios are wall seconds over the floor of the same N.", "",
             *table(results, sizes), "", "## Goals (issues 7 and 15)", "", *goals(results, sizes),
             "", "## Machine", "", *machine(), ""]
    report = "\n".join(lines)
    print("\n" + report)
    (WORK / "results.md").write_text(report, "utf-8")
    print(f"written to {WORK / 'results.md'}")
    if args.profile:
        profile(args.profile)
    return 0 if all(m.ok for m in results) else 1


if __name__ == "__main__":
    sys.exit(main())
