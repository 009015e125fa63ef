"""The `umpan_balik/` folder: which feedback workbooks to hand back now.

Only files with something to fix get one: a signature block under the table alone
(`TANDA_TANGAN_DIABAIKAN`) is a warning for the report, nothing to hand back.
Files that still need action (their OPD's newest file of its kind, or a file of no known
OPD) get theirs in umpan_balik/; files a newer one superseded and withdrawn files in
umpan_balik/lama/, so the folder holds only what to hand back now. Feedback of files no
longer present is removed, and a workbook written before from the same bytes and
problems is not written again.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from ... import layout
from ...catalogue import Code, Problem
from ...results import FileRecord, OpdStatus
from . import FEEDBACK_VERSION, write_feedback


def prune_feedback_folder(output: Path, root: Path,
                          present: list[tuple[FileRecord, list[Problem]]],
                          statuses: list[OpdStatus]) -> list[tuple]:
    """Remove the feedback workbooks no longer wanted (and move none: a file that moves
    between umpan_balik/ and lama/ is written anew there); return the ones still to write
    (see the module docstring): one per present file with problems (`present`: ledger rows
    with their problems; `root`: the workspace, which archive paths are relative to)."""
    folder = output / layout.FEEDBACK_DIR
    current = {path for s in statuses for path in (s.file, s.evaluation_file) if path}
    wanted: dict[Path, tuple[FileRecord, list[Problem]]] = {}
    # Newest first: when two files share a stem (a returned feedback workbook beside its
    # original), the file the participant works on now gets the plain name.
    for record, problems in reversed(present):
        if not record.carries_judgement or not problems:
            continue
        # Whole-file rejections (not a workbook we can open) have no cell to mark.
        if all(p.cell is None and p.sheet is None for p in problems):
            continue
        # A recognised signature block needs no change: nothing to hand back for it alone.
        if all(p.code == Code.TANDA_TANGAN_DIABAIKAN for p in problems):
            continue
        needs_action = not record.withdrawn and (record.opd is None or record.path in current)
        place = folder if needs_action else folder / layout.OLD_FEEDBACK_DIR
        target = place / layout.feedback_name(record.path)
        if target in wanted:  # same stem in two subfolders, or a returned feedback workbook
            target = place / f"{target.stem}_{record.sha256[:8]}.xlsx"
        wanted[target] = (record, problems)
    for place in (folder, folder / layout.OLD_FEEDBACK_DIR):
        place.mkdir(parents=True, exist_ok=True)
        for old in [*place.glob("*.xlsx"), *place.glob(".*.sha256")]:
            target = old if old.suffix == ".xlsx" else place / old.name[1:-len(".sha256")]
            if target not in wanted:
                old.unlink()
    tasks = []
    for target, (record, problems) in wanted.items():
        stamp = target.parent / f".{target.name}.sha256"
        fingerprint = _fingerprint(record.sha256, problems)
        if target.exists() and stamp.exists() and stamp.read_text() == fingerprint:
            continue  # written from these same bytes and problems before
        archive = root / record.archive
        tasks.append((archive, target, problems, Path(record.path).name, stamp, fingerprint))
    return tasks


def _fingerprint(sha: str, problems: list[Problem]) -> str:
    """Same bytes judged the same way: the feedback workbook need not be written again."""
    marks = json.dumps([(p.code, p.sheet, p.cell, p.message) for p in problems], default=str)
    return f"{sha}:{FEEDBACK_VERSION}:{hashlib.sha256(marks.encode()).hexdigest()[:16]}"


def write_feedback_task(task) -> bool:
    archive, target, problems, source_name, stamp, fingerprint = task
    try:
        write_feedback(archive, target, problems, source_name)
    except Exception:  # a file write_feedback cannot mark, even re-saved: report-only
        return False
    stamp.write_text(fingerprint)
    return True


def feedback_of(output: Path, path: str) -> Path | None:
    """The feedback workbook handed back now for an inbox file, if it has one."""
    feedback = output / layout.FEEDBACK_DIR / layout.feedback_name(path)
    return feedback if feedback.exists() else None
