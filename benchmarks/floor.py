"""The floor of issue 7: the least work any pipeline on this stack must do, as one process.

Import the stack (pandas, pandera, openpyxl, xlsxwriter, python-calamine), read the
`Program` sheet of every .xlsx under INBOX with calamine (`to_python`), and write every
non-blank row once, row by row, into one sheet with xlsxwriter (`constant_memory`).

    python benchmarks/floor.py INBOX OUT.xlsx

The template's 150 input rows carry a prefilled "No"; rows with nothing else (the rows
nobody filled, which calamine returns as empty strings) are skipped, so the floor writes
the filled rows plus the title and header rows of each file, not the template's grid.
"""

from __future__ import annotations

import sys
from pathlib import Path

import openpyxl  # noqa: F401  (the floor includes importing the whole stack)
import pandas  # noqa: F401
import pandera.pandas  # noqa: F401
import xlsxwriter
from python_calamine import CalamineWorkbook


def main(inbox: Path, out: Path) -> int:
    files = sorted(p for p in inbox.rglob("*.xlsx") if p.is_file())
    book = xlsxwriter.Workbook(str(out), {"constant_memory": True,
                                          "strings_to_formulas": False,
                                          "strings_to_urls": False})
    sheet = book.add_worksheet("Program")
    r = 0
    for path in files:
        rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Program").to_python()
        for row in rows:
            if not any(v != "" and v is not None for v in row[1:]):
                continue
            for c, value in enumerate(row):
                if value != "" and value is not None:
                    sheet.write(r, c, value)
            r += 1
    book.close()
    print(f"{len(files)} files, {r} rows")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]), Path(sys.argv[2])))
