"""`masterplan run`: ingest the inbox, then write every output, under one lock."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from . import board, ingest
from .catalogue import Problem
from .feedback import feedback_name, write_feedback
from .ledger import Ledger, now_iso, run_lock
from .parallel import cores, meanwhile
from .reports import write_reports
from .workspace import Workspace

FEEDBACK_DIR = "umpan_balik"


@dataclass
class RunSummary:
    files: list[dict]
    statuses: list[ingest.OpdStatus]
    still_copying: list[str]
    judged: int
    headline: dict = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    rekap: Path | None = None
    evaluation: Path | None = None  # output/evaluasi_quick_win.xlsx


def run(ws: Workspace, progress: Callable[[int, int, str], None] | None = None,
        wait_seconds: float = 30.0) -> RunSummary:
    cfg = ws.load_config()
    with run_lock(ws.state, wait_seconds):
        remove_leftovers(ws)
        ledger = Ledger(ws.ledger_path)
        try:
            result = ingest.ingest(ws, cfg, ledger, progress)
            statuses = ingest.opd_statuses(ledger, cfg)
            generated_at = now_iso()
            entries = ingest.problems_of_present_files(ledger)
            write_reports(ws.output, entries, generated_at)
            summary = RunSummary(result.files, statuses, result.still_copying, result.judged)
            cons, basis = consolidation(cfg, ledger, statuses)
            side = [("data", ws.output / "data", cons.years, cons.wide),
                    *(("feedback", task) for task in feedback_tasks(ws, ledger, entries))]
            # The CSVs and the feedback workbooks are written by a worker process while
            # this one writes the rekap, the largest single job, when that is worth it;
            # then this one takes the feedback workbooks the worker has not reached.
            with meanwhile(_side_job, side, _side_workers(side, len(cons.wide)),
                           chunksize=1):
                write_rekap(ws, cfg, cons, basis, statuses, generated_at, summary)
                summary.evaluation = write_quick_win_evaluation(ws, cfg, ledger, statuses,
                                                                generated_at)
                board.write_board(ws.output, cfg, statuses, entries, cons, generated_at)
            return summary
        finally:
            ledger.close()


def remove_leftovers(ws: Workspace) -> None:
    """Temp files of a run that was killed: never whole, never referenced. Under the lock."""
    for folder, pattern in ((ws.output, ".*.tmp.*"), (ws.archive, ".incoming-*")):
        if folder.is_dir():
            for leftover in folder.rglob(pattern):
                leftover.unlink(missing_ok=True)


def feedback_tasks(ws: Workspace, ledger: Ledger,
                   entries: list[tuple[dict, list[Problem]]]) -> list[tuple]:
    """Feedback workbooks to write: one per present file with problems, unless written
    before from the same bytes and problems. Stale ones are removed here."""
    folder = ws.output / FEEDBACK_DIR
    wanted: dict[str, tuple[dict, list[Problem]]] = {}
    # Newest first: when two files share a stem (a returned feedback workbook beside its
    # original), the file the participant works on now gets the plain name.
    for row, problems in reversed(entries):
        if row["code"] or not problems:
            continue
        # Whole-file rejections (not a workbook we can open) have no cell to mark.
        if all(p.cell is None and p.sheet is None for p in problems):
            continue
        name = feedback_name(row["path"])
        if name in wanted:  # same stem in two subfolders
            name = f"{Path(name).stem}_{row['sha256'][:8]}.xlsx"
        wanted[name] = (row, problems)
    folder.mkdir(parents=True, exist_ok=True)
    for old in [*folder.glob("*.xlsx"), *folder.glob(".*.sha256")]:
        if old.name not in wanted and old.name[1:-len(".sha256")] not in wanted:
            old.unlink()
    tasks = []
    for name, (row, problems) in wanted.items():
        target = folder / name
        stamp = folder / f".{name}.sha256"
        fingerprint = _fingerprint(row["sha256"], problems)
        if target.exists() and stamp.exists() and stamp.read_text() == fingerprint:
            continue  # written from these same bytes and problems before
        archive = ws.root / ledger.blob(row["sha256"]).archive
        tasks.append((archive, target, problems, Path(row["path"]).name, stamp, fingerprint))
    return tasks


def _fingerprint(sha: str, problems: list[Problem]) -> str:
    """Same bytes judged the same way: the feedback workbook need not be written again."""
    marks = json.dumps([(p.code, p.sheet, p.cell, p.message) for p in problems], default=str)
    return f"{sha}:{hashlib.sha256(marks.encode()).hexdigest()[:16]}"


def _write_one(task) -> bool:
    archive, target, problems, source_name, stamp, fingerprint = task
    try:
        write_feedback(archive, target, problems, source_name)
    except Exception:  # a file neither road of write_feedback can mark: report-only
        return False
    stamp.write_text(fingerprint)
    return True


def _side_job(job) -> object:
    kind, *args = job
    if kind == "feedback":
        return _write_one(*args)
    from . import rekap

    return rekap.write_data(*args)


# Measured on the benchmark machine: a worker costs about half a second to start (spawn,
# import pandas); a feedback workbook about 10 ms, the CSVs about 0.1 ms per program.
SIDE_WORKER_MIN_SECONDS = 0.5


def _side_workers(side: list, programs: int) -> int:
    seconds = 0.01 * sum(kind == "feedback" for kind, *_ in side) + 0.0001 * programs
    return 1 if seconds >= SIDE_WORKER_MIN_SECONDS and cores() > 1 else 0


def consolidation(cfg, ledger: Ledger, statuses):
    """The consolidated tables of the counted files, and the files they are based on."""
    from . import consolidate

    counted = [s for s in statuses if s.counted_sha256]
    programs = ledger.programs([s.counted_sha256 for s in counted])
    basis = [{"file": s.counted_file, "opd": s.kode, "sha256": s.counted_sha256,
              "received_at": s.counted_received_at} for s in counted]
    return consolidate.build(cfg, statuses, programs), basis


def write_rekap(ws, cfg, cons, basis: list[dict], statuses, generated_at: str,
                summary: RunSummary) -> None:
    from . import rekap

    summary.rekap = rekap.write_rekap(ws.output / "rekap_masterplan.xlsx", cfg, cons, statuses,
                                      generated_at, basis)
    summary.headline = cons.headline
    summary.warnings = cons.warnings


def write_quick_win_evaluation(ws, cfg, ledger: Ledger, statuses, generated_at: str) -> Path:
    """Each accepted Quick Win with its newest accepted evaluation (or none yet)."""
    from . import quickwin

    results = quickwin.evaluation_results(cfg, ledger, statuses)
    return quickwin.write_evaluation_results(ws.output / quickwin.EVALUATION_RESULTS_NAME, cfg,
                                             results, generated_at)
