"""Benchmark of issue 20: how fast `masterplan serve` answers uploads, alone and 40 at once.

    .venv/bin/python benchmarks/serve_benchmark.py [--opds 40] [--singles 10] [--rounds 3]

A workspace of N OPDs (benchmarks/_work/inbox_<N>/, made once by generate.py: 30
programs per file, 5% of the files with an error) gets an empty inbox and a running
`masterplan serve` (a real uvicorn on a free port of this machine). Answer time is from
the moment the client starts sending to the moment the whole answer (verdict, problems,
feedback link) has arrived; the client is httpx, in threads of this process.

- one upload: `--singles` files handed in one at a time, each after the previous upload's
  refresh of the outputs ("diperbarui" on serve's stdout), so each is timed on its own
  (goal: median <= 0.5 s);
- N at once: every OPD hands in its file at the same moment (a barrier releases N
  threads), `--rounds` times, each round in a fresh workspace once its server is ready
  and its first refresh done (goal: every answer <= 1.5 s). After each round the script
  checks that every file was judged once, none lost.

Results are printed and written to benchmarks/_work/serve_results.md.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

HERE = Path(__file__).resolve().parent
WORK = HERE / "_work"
sys.path.insert(0, str(HERE))

import generate  # noqa: E402
from watch_benchmark import Lines, fresh_workspace, goal, machine, publish  # noqa: E402

MASTERPLAN = Path(sys.executable).with_name("masterplan")
SINGLE_MEDIAN, CONCURRENT_MAX = 0.5, 1.5  # seconds, goals of issue 25 (issue 20: 1 and 3)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class Served:
    def __init__(self, ws: Path):
        self.ws = ws
        self.process = subprocess.Popen(
            [str(MASTERPLAN), "serve", "-w", str(ws), "--port", "0", "--host", "127.0.0.1"],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            env={**os.environ, "COLUMNS": "300", "PYTHONUNBUFFERED": "1"})
        self.lines = Lines(self.process.stdout)
        # Ready when the page listens (its address printed) and the watcher's first refresh
        # (imports, every output) is done, in whichever order they come: uploads sent
        # before that refresh ends would wait for it.
        self.url, refreshed = None, False
        while self.url is None or not refreshed:
            _, line = self.lines.wait_for("")
            found = re.search(r"http://127\.0\.0\.1:\d+/", line)
            self.url = self.url or (found.group(0) if found else None)
            refreshed = refreshed or "diperbarui" in line
        self.codes = json.loads((ws / ".masterplan" / "akses.json").read_text("utf-8"))

    def upload(self, client: httpx.Client, path: Path, opd: str) -> tuple[float, dict]:
        body = path.read_bytes()
        started = time.perf_counter()
        response = client.post(self.url + "unggah", data={"kode_akses": self.codes[opd]},
                               files={"berkas": (path.name, body, XLSX)},
                               headers={"Accept": "application/json"})
        seconds = time.perf_counter() - started
        response.raise_for_status()
        return seconds, response.json()

    def stop(self) -> int:
        self.process.send_signal(signal.SIGINT)
        return self.process.wait(timeout=60)


def files_by_opd(source: Path) -> list[tuple[str, Path]]:
    """(OPD code, its file) for every generated file, in OPD order."""
    out = []
    for path in sorted((source / "inbox").glob("*.xlsx")):
        code = re.search(r"(9\.\d{4})", path.name).group(1)
        out.append((code, path))
    return out


def singles(source: Path, count: int) -> list[float]:
    ws = WORK / "serve_single"
    fresh_workspace(source, ws)
    served = Served(ws)
    times = []
    try:
        with httpx.Client(timeout=60) as client:
            for opd, path in files_by_opd(source)[:count]:
                seconds, answer = served.upload(client, path, opd)
                times.append(seconds)
                print(f"  one upload {path.name}: {answer['status']} in {seconds:.2f} s",
                      flush=True)
                served.lines.wait_for("diperbarui")
    finally:
        served.stop()
    return times


def at_once(source: Path, round_no: int) -> list[float]:
    ws = WORK / "serve_concurrent"
    fresh_workspace(source, ws)
    served = Served(ws)
    items = files_by_opd(source)
    times: dict[str, float] = {}
    answers: dict[str, dict] = {}
    barrier = threading.Barrier(len(items))

    def send(number: int, opd: str, path: Path) -> None:
        # Each from an address of its own (all of 127/8 is this machine), as in the hall:
        # the page lets one address send only a few uploads at once.
        transport = httpx.HTTPTransport(local_address=f"127.0.1.{1 + number}")
        with httpx.Client(timeout=60, transport=transport) as client:
            barrier.wait()
            times[opd], answers[opd] = served.upload(client, path, opd)

    try:
        threads = [threading.Thread(target=send, args=(number, *item))
                   for number, item in enumerate(items)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        served.stop()
    with sqlite3.connect(ws / ".masterplan" / "ledger.sqlite3") as db:
        recorded = db.execute("SELECT COUNT(*), COUNT(DISTINCT path) FROM files").fetchone()
    stored = {a["berkas"] for a in answers.values()}
    assert len(answers) == len(items) == len(stored), "an upload was lost or merged"
    assert recorded == (len(items), len(items)), f"ledger holds {recorded}"
    verdicts = sorted(a["status"] for a in answers.values())
    median = statistics.median(times.values())
    print(f"  round {round_no}: {len(items)} at once, median {median:.2f} s, worst "
          f"{max(times.values()):.2f} s; {verdicts.count('diterima')} diterima, "
          f"{verdicts.count('ditolak')} ditolak; ledger rows {recorded[0]}", flush=True)
    return list(times.values())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--opds", type=int, default=40)
    parser.add_argument("--singles", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    source = generate.ensure_inbox(args.opds)
    one = singles(source, args.singles)
    many = [seconds for n in range(1, args.rounds + 1) for seconds in at_once(source, n)]
    rows = [
        f"## `masterplan serve`, {args.opds} OPDs: upload to answer (verdict + problems + "
        "feedback link)", "",
        "| uploads | answers | median | worst | goal |", "|---|---:|---:|---:|---|",
        f"| 1 at a time | {len(one)} | {statistics.median(one):.2f} s | {max(one):.2f} s | "
        f"median <= {SINGLE_MEDIAN:g} s |",
        f"| {args.opds} at once ({args.rounds} rounds) | {len(many)} | "
        f"{statistics.median(many):.2f} s | {max(many):.2f} s | every answer <= "
        f"{CONCURRENT_MAX:g} s |", "",
        machine(), "",
        goal("one upload, median", statistics.median(one), SINGLE_MEDIAN),
        goal(f"{args.opds} at once, worst", max(many), CONCURRENT_MAX),
    ]
    publish(rows, "serve_results.md")


if __name__ == "__main__":
    main()
