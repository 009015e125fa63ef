"""Benchmark of issue 14: `masterplan book` against a full `masterplan run`.

    .venv/bin/python benchmarks/book.py [--sizes 40 100] [--repeat 3]

For each size N (default 40, a regency, and 100): the generated workspace of N OPDs x 30
programs (benchmarks/generate.py, cached in _work/inbox_<N>/), copied fresh; a full
`masterplan run` on it, then `masterplan book`, each a separate process timed with
time.perf_counter(); the median of --repeat runs. Goal: book <= 3x run.

Also measured (in this process): building one table of 3,000 rows x 14 columns with
python-docx's per-cell API against pipeline.write.book.document.add_table (one XML
string, parsed once), which is why the book builds its tables that way.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402
from run_benchmarks import WORK, fresh_copy  # noqa: E402

MASTERPLAN = Path(sys.executable).with_name("masterplan")
GOAL = 3.0
TABLE_ROWS, TABLE_COLUMNS = 3000, 14


def timed(*args: str) -> float:
    started = time.perf_counter()
    subprocess.run([str(MASTERPLAN), *args], check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def run_and_book(n: int, repeat: int) -> tuple[float, float, int]:
    source = generate.ensure_inbox(n)
    runs, books = [], []
    for _ in range(repeat):
        ws = WORK / f"book_{n}"
        fresh_copy(source, ws)
        runs.append(timed("run", "-w", str(ws)))
        books.append(timed("book", "-w", str(ws)))
    size = (ws / "output" / "buku_masterplan.docx").stat().st_size
    return statistics.median(runs), statistics.median(books), size


def table_building() -> tuple[float, float]:
    """Seconds for one big table: python-docx cell by cell, and book.document.add_table."""
    from docx import Document

    from pipeline.write.book import document as book_document

    rows = [[f"{r}.{c}" for c in range(TABLE_COLUMNS)] for r in range(TABLE_ROWS)]
    document = Document()
    started = time.perf_counter()
    table = document.add_table(rows=1, cols=TABLE_COLUMNS)
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = value
    per_cell = time.perf_counter() - started

    document, styles = book_document.new_document(None)
    columns = [book_document.Column(str(c), 1) for c in range(TABLE_COLUMNS)]
    started = time.perf_counter()
    book_document.add_table(document, styles, columns, rows)
    as_xml = time.perf_counter() - started
    return per_cell, as_xml


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[40, 100])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    per_cell, as_xml = table_building()
    print(f"table of {TABLE_ROWS} rows x {TABLE_COLUMNS} columns: python-docx cells "
          f"{per_cell:.2f} s, one XML string {as_xml:.2f} s ({per_cell / as_xml:.0f}x)")
    # Other processes on the same cores move wall times: the load is printed beside them.
    print("| OPDs x programs | full run (s) | book (s) | book / run | goal <= 3x | book size "
          "| load (1 min) |")
    print("|---|---|---|---|---|---|---|")
    for n in args.sizes:
        run_s, book_s, size = run_and_book(n, args.repeat)
        ratio = book_s / run_s
        print(f"| {n} x {generate.PROGRAMS_PER_FILE} | {run_s:.1f} | {book_s:.1f} | "
              f"{ratio:.2f} | {'PASS' if ratio <= GOAL else 'FAIL'} | {size / 1e6:.1f} MB | "
              f"{os.getloadavg()[0]:.1f} |")


if __name__ == "__main__":
    main()
