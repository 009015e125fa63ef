"""Every sheet of an operator's workbook or CSV, as rows of cell values, after the safety pass.

The [rujukan] lists and the SIPD downloads are files the operator drops into the
workspace, downloaded or passed on by others: they go through read.safety like every file
a participant returns, so a zip bomb, an entity expansion or a file that only calls itself
.xlsx is refused with one Indonesian line (`UnreadableFile`), never read and never a crash.
An .xls or .ods within the limits is read (calamine reads both); a CSV is split on the
delimiter its first lines use most (`;` from Excel with Indonesian settings, `,`, tab).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from ..catalogue import Code
from .safety import MAX_BYTES, inspect_file

# A SIPD download of a whole regency is tens of thousands of rows; a sheet claiming more
# than this is refused before calamine allocates it.
MAX_SHEET_ROWS = 1_000_000
CSV_SUFFIXES = (".csv", ".txt")
SNIFF_LINES = 30


class UnreadableFile(Exception):
    """The file is no spreadsheet this reader can open; str() says why, in Indonesian,
    after the file's name ("berkas 'x.xlsx' <why>")."""


def load_sheets(path: Path) -> list[tuple[str, list[list[object]]]]:
    """(sheet name, rows) of every sheet; raises UnreadableFile."""
    if path.suffix.lower() in CSV_SUFFIXES:
        return [(path.stem, csv_rows(path))]
    verdict = inspect_file(path)
    if not verdict.ok and not verdict.foreign_readable:
        title = Code(verdict.code).title if verdict.code else "ditolak"
        raise UnreadableFile(f"tidak dapat dibaca: ditolak pemeriksaan berkas, {title.lower()} "
                             f"({verdict.detail}); unduh ulang atau simpan ulang dari Excel "
                             "sebagai .xlsx.")
    longest = max(verdict.sheet_rows.values(), default=0)
    if longest > MAX_SHEET_ROWS:
        raise UnreadableFile(f"ditolak: satu lembarnya mencapai baris {longest:,}, lebih dari "
                             f"{MAX_SHEET_ROWS:,} baris yang dibaca.".replace(",", "."))
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_path(str(path))
        # Worksheets only: a chart sheet or a macro sheet holds no rows.
        names = [sheet.name for sheet in workbook.sheets_metadata
                 if str(sheet.typ).endswith("WorkSheet")]
        return [(name, workbook.get_sheet_by_name(name).to_python(skip_empty_area=False))
                for name in names]
    except Exception as exc:  # broken zip, password, not a spreadsheet: all the same here
        raise UnreadableFile("tidak dapat dibaca sebagai lembar kerja (.xlsx, .xls, .ods "
                             "atau .csv); simpan ulang dari Excel sebagai .xlsx.") from exc


def csv_rows(path: Path) -> list[list[object]]:
    """The rows of a CSV export as text cells; raises UnreadableFile for a binary file."""
    try:
        if path.stat().st_size > MAX_BYTES * 4:
            raise UnreadableFile("terlalu besar untuk berkas .csv yang dibaca.")
        data = path.read_bytes()
    except OSError as exc:
        raise UnreadableFile(f"tidak dapat dibaca ({exc.strerror or exc}).") from exc
    if b"\x00" in data[:4096]:
        raise UnreadableFile("bukan berkas teks .csv; simpan ulang dari Excel sebagai .xlsx "
                             "atau CSV.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    sample = "\n".join(text.splitlines()[:SNIFF_LINES])
    delimiter = max(",;\t", key=sample.count)
    return [list(row) for row in csv.reader(io.StringIO(text), delimiter=delimiter)]
