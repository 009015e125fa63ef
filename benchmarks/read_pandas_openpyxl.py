"""Comparison: the same files through pandas with the openpyxl engine, as one process.

    python benchmarks/read_pandas_openpyxl.py INBOX

Reads the `Program` sheet of every .xlsx under INBOX with
`pd.read_excel(f, sheet_name="Program", header=2, engine="openpyxl")`, drops the blank
template rows and concatenates everything into one DataFrame.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd


def main(inbox: Path) -> int:
    files = sorted(p for p in inbox.rglob("*.xlsx") if p.is_file())
    frames = []
    for path in files:
        frame = pd.read_excel(path, sheet_name="Program", header=2, engine="openpyxl")
        frames.append(frame.dropna(subset=["Nama Program"]))
    data = pd.concat(frames, ignore_index=True)
    print(f"{len(files)} files, {len(data)} rows")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
