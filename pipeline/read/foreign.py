"""The identity of a template saved as .xls or .ods, so its rejection names the OPD.

Such a file is still rejected (the participant is told to save it as .xlsx), but the
hidden identity sheet it carries says which OPD sent it, so the report and `status`
attribute it ("perlu revisi") instead of leaving the OPD at "belum mengumpulkan".

Only files `safety.inspect_file` has already checked get here (size on disk; an .ods is a
zip and gets the same member checks as an .xlsx). calamine still materialises a sheet as
a dense range and expands an .ods's repeated rows, so a hostile file could make it
allocate gigabytes: the identity is read in a child process with a memory cap (where the
platform has one) and a time limit. Any failure there means: no identity, the rejection
stays unattributed.
"""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
from pathlib import Path

MEMORY_LIMIT = 1 << 30  # bytes of address space for the child: calamine plus the identity
TIME_LIMIT = 30  # seconds, a cold interpreter start included


def read_meta(path: Path) -> dict[str, str] | None:
    """Key/value pairs of the file's hidden identity sheet, or None when it cannot be read."""
    try:
        done = subprocess.run([sys.executable, "-m", "pipeline.read.foreign", str(path)],
                              capture_output=True, timeout=TIME_LIMIT, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    if done.returncode != 0:
        return None
    try:
        meta = json.loads(done.stdout)
    except ValueError:
        return None
    if not isinstance(meta, dict) or not all(isinstance(v, str) for v in meta.values()):
        return None
    return meta


def _child(path: str) -> None:
    """Runs in the child: cap memory first, then read the identity with calamine."""
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    except (ImportError, ValueError, OSError):  # no such limit here (Windows): time only
        pass
    from python_calamine import CalamineWorkbook

    from .. import layout
    from .reading import META_ROWS, meta_pairs

    book = CalamineWorkbook.from_path(path)
    if layout.SHEET_META not in book.sheet_names:
        sys.exit(1)
    rows = book.get_sheet_by_name(layout.SHEET_META).iter_rows()
    meta = meta_pairs(itertools.islice(rows, META_ROWS))
    json.dump(meta, sys.stdout)


if __name__ == "__main__":
    _child(sys.argv[1])
