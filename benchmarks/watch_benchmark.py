"""Benchmark of issue 15: how fast `masterplan watch` answers files copied into the inbox.

    .venv/bin/python benchmarks/watch_benchmark.py [--opds 40] [--polling]

A workspace of N OPDs (benchmarks/_work/inbox_<N>/, made once by generate.py) gets an
empty inbox and a running `masterplan watch`. Its files are then copied into the inbox
one by one, the way Explorer or a USB copy writes them (in place, not renamed into
place). For each file, timed from the moment its copy is complete:

- verdict   its verdict line on watch's stdout and, for a file with problems, its
            feedback workbook in output/umpan_balik/ (goal: median <= 1 s, max <= 3 s)
- refresh   the next "diperbarui" line: reports, rekap, CSVs and board rewritten
            (goal: median <= 3 s)

The next file is copied once the refresh is done, so every file is timed on its own.
Results are printed and written to benchmarks/_work/watch_results.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import queue
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
WORK = HERE / "_work"
sys.path.insert(0, str(HERE))

import generate  # noqa: E402

from pipeline.layout import feedback_name  # noqa: E402

MASTERPLAN = Path(sys.executable).with_name("masterplan")
VERDICT_MEDIAN, VERDICT_MAX, REFRESH_MEDIAN = 1.0, 3.0, 3.0  # seconds, goals of issue 15
TIMEOUT = 60.0


def fresh_workspace(source: Path, target: Path) -> None:
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    shutil.copy2(source / "masterplan.toml", target / "masterplan.toml")
    for folder in ("inbox", "templates_xlsx", "output"):
        (target / folder).mkdir()


class Lines:
    """watch's stdout, line by line, each with the moment it was read."""

    def __init__(self, stream):
        self.queue: queue.Queue[tuple[float, str]] = queue.Queue()
        threading.Thread(target=self._read, args=(stream,), daemon=True).start()

    def _read(self, stream) -> None:
        for line in stream:
            self.queue.put((time.perf_counter(), line.rstrip("\n")))

    def wait_for(self, text: str) -> tuple[float, str]:
        deadline = time.perf_counter() + TIMEOUT
        while True:
            moment, line = self.queue.get(timeout=max(0.1, deadline - time.perf_counter()))
            if text in line:
                return moment, line


def copy_in_place(source: Path, target: Path) -> float:
    """Copy in 64 KB pieces (as a copying tool does); the moment the copy is complete."""
    with source.open("rb") as src, target.open("wb") as out:
        while piece := src.read(1 << 16):
            out.write(piece)
    return time.perf_counter()


def wait_for_file(path: Path) -> float:
    deadline = time.perf_counter() + TIMEOUT
    while not path.exists():
        if time.perf_counter() > deadline:
            raise TimeoutError(path)
        time.sleep(0.005)
    return time.perf_counter()


def measure(n: int, polling: bool) -> tuple[list[float], list[float], int]:
    source = generate.ensure_inbox(n)
    ws = WORK / f"watch_{n}"
    fresh_workspace(source, ws)
    command = [str(MASTERPLAN), "watch", "-w", str(ws), *(["--polling"] if polling else [])]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True, env={**os.environ, "COLUMNS": "300"})
    lines = Lines(process.stdout)
    verdicts: list[float] = []
    refreshes: list[float] = []
    try:
        lines.wait_for("Tekan Ctrl-C")
        for file in sorted((source / "inbox").glob("*.xlsx")):
            done = copy_in_place(file, ws / "inbox" / file.name)
            said, line = lines.wait_for(file.name)
            answered = said
            if "umpan balik" in line:
                feedback = ws / "output" / "umpan_balik" / feedback_name(file.name)
                answered = max(said, wait_for_file(feedback))
            refreshed, _ = lines.wait_for("diperbarui")
            verdicts.append(answered - done)
            refreshes.append(refreshed - done)
            print(f"  {file.name}: verdict {answered - done:.2f} s, "
                  f"refresh {refreshed - done:.2f} s", flush=True)
            time.sleep(0.3)
    finally:
        process.send_signal(signal.SIGINT)
        code = process.wait(timeout=TIMEOUT)
    return verdicts, refreshes, code


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--opds", type=int, default=40)
    parser.add_argument("--polling", action="store_true", help="watch with --polling")
    args = parser.parse_args()
    verdicts, refreshes, code = measure(args.opds, args.polling)
    mode = "polling" if args.polling else "file events"
    rows = [
        f"## `masterplan watch`, {args.opds} OPDs, files copied one by one ({mode})", "",
        "| from copy complete to | median | max | goal |", "|---|---|---|---|",
        f"| verdict line + feedback workbook | {statistics.median(verdicts):.2f} s | "
        f"{max(verdicts):.2f} s | median <= {VERDICT_MEDIAN:.0f} s, max <= "
        f"{VERDICT_MAX:.0f} s |",
        f"| reports, rekap, CSVs and board refreshed | {statistics.median(refreshes):.2f} s "
        f"| {max(refreshes):.2f} s | median <= {REFRESH_MEDIAN:.0f} s |", "",
        f"Files: {len(verdicts)}; exit code after SIGINT: {code}. {machine()}", "",
        goal("verdict median", statistics.median(verdicts), VERDICT_MEDIAN),
        goal("verdict max", max(verdicts), VERDICT_MAX),
        goal("refresh median", statistics.median(refreshes), REFRESH_MEDIAN),
    ]
    publish(rows, "watch_results.md")


def machine() -> str:
    return (f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
            f"Python {platform.python_version()}.")


def goal(what: str, seconds: float, limit: float) -> str:
    return f"- {what} <= {limit:g} s: {'MET' if seconds <= limit else 'NOT MET'}"


def publish(rows: list[str], name: str) -> None:
    """Print the results and keep them in benchmarks/_work/<name>."""
    text = "\n".join(rows)
    print("\n" + text)
    WORK.mkdir(exist_ok=True)
    (WORK / name).write_text(text + "\n")


if __name__ == "__main__":
    main()
