"""The only orchestrator: each command's run lock, ledger and what it writes.

- `run`: ingest the inbox, then write every output, under one lock;
- `status`: the same report, read from the ledger without running;
- `withdraw` (`masterplan tarik`), `make_book` (`masterplan book`);
- `judge_arrivals`: `masterplan watch`'s verdict step.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from . import layout
from .assemble import history
from .common.parallel import cores, meanwhile
from .config import Config
from .results import OPD_MISSING, OpdStatus, RunReport
from .rules.catalogue import Problem
from .store import ingest
from .store.ledger import Ledger, now_iso
from .store.lock import run_lock
from .workspace import Workspace
from .write import board
from .write.book import (
    NO_PLAN_WARNING,
    STALE_LEDGER_WARNING,
    BookResult,
    book_outdated,
    style_path,
    write_book,
)
from .write.book import OUTDATED_WARNING as BOOK_OUTDATED_WARNING
from .write.feedback import FEEDBACK_VERSION, write_feedback
from .write.reports import write_reports

FEEDBACK_DIR = "umpan_balik"
OLD_FEEDBACK_DIR = "lama"  # feedback of files superseded or withdrawn


def run(ws: Workspace, progress: Callable[[int, int, str], None] | None = None,
        wait_seconds: float = 30.0, accept_config: bool = False) -> RunReport:
    """Process the inbox and write every output.

    accept_config: go on even when a changed config drops accepted plans (otherwise
    history.ConfigWouldDrop is raised before anything is written).
    """
    cfg = ws.load_config()
    with run_lock(ws.state, wait_seconds):
        remove_leftovers(ws)
        ledger = Ledger(ws.ledger_path)
        try:
            if not accept_config:
                history.refuse_config_drops(ws, cfg, ledger)
            before = ledger.get_state(history.SNAPSHOT) or history.snapshot(
                ledger, ingest.opd_statuses(ledger, cfg))
            result = ingest.ingest(ws, cfg, ledger, progress)
            statuses = ingest.opd_statuses(ledger, cfg)
            counted = history.counted_files(statuses)
            after = history.snapshot(ledger, statuses)
            changes = history.changes(cfg, ledger, before, after, result.files)
            replacements = history.replacements(cfg, ledger, statuses)
            entries = ingest.problems_of_present_files(ledger)
            report = RunReport(now_iso(), history.report_files(cfg, entries, counted,
                                                               replacements),
                               statuses, changes, still_copying=result.still_copying,
                               judged=result.judged)
            feedback = feedback_tasks(ws, ledger, entries, statuses)
            # The counted plans' programs are the rows the consolidation below makes.
            workers = _side_workers(len(feedback), sum(s.n_programs for s in statuses))
            cons, basis = consolidation(cfg, ledger, statuses)
            # Loaded only after the ingest: loaded before it, a Ctrl-C while its workers
            # started ended the process by the signal, not with exit 130 (test_cli_id).
            from .assemble import quickwin
            from .write import quickwin_reports, rekap

            side = [("data", ws.output / "data", cons.years, cons.wide),
                    *(("feedback", task) for task in feedback)]
            quick_wins = quickwin.collect_quick_wins(cfg, ledger, statuses)
            change_note = history.change_note(changes)
            cons.warnings = [*history.attention(cfg, ledger, statuses, replacements, changes,
                                                quickwin.stale_notice(cfg, ledger, quick_wins)),
                             *change_note, *cons.warnings]
            write_reports(ws.output, report)
            # The CSVs and the feedback workbooks are written by a worker process while
            # this one writes the rekap, the largest single job, when that is worth it;
            # then this one takes the feedback workbooks the worker has not reached.
            with meanwhile(_side_job, side, workers, chunksize=1):
                report.rekap = rekap.write_rekap(ws.output / "rekap_masterplan.xlsx", cfg,
                                                 cons, statuses, report.generated_at, basis)
                report.headline = cons.headline
                report.evaluation = quickwin_reports.write_evaluation_results(
                    ws.output / quickwin.EVALUATION_RESULTS_NAME, cfg,
                    quickwin.evaluation_results(cfg, ledger, statuses, quick_wins),
                    report.generated_at)
                board.write_board(ws.output, cfg, statuses, entries, cons, report.generated_at)
            # The console shows the changes in full instead of the Ringkasan's line.
            report.warnings = [w for w in cons.warnings if w not in change_note]
            if book_outdated(ws, basis):  # `masterplan book` is made on request only
                report.warnings.append(BOOK_OUTDATED_WARNING)
            ledger.set_state(history.SNAPSHOT, after)
            return report
        finally:
            ledger.close()


def remove_leftovers(ws: Workspace) -> None:
    """Temp files of a run that was killed: never whole, never referenced. Under the lock."""
    for folder, pattern in ((ws.output, ".*.tmp.*"), (ws.archive, ".incoming-*")):
        if folder.is_dir():
            for leftover in folder.rglob(pattern):
                leftover.unlink(missing_ok=True)


def feedback_tasks(ws: Workspace, ledger: Ledger, entries: list[tuple[dict, list[Problem]]],
                   statuses: list[OpdStatus]) -> list[tuple]:
    """Feedback workbooks to write: one per present file with problems, unless written
    before from the same bytes and problems.

    Files that still need action (their OPD's newest file of its kind, or a file of no
    known OPD) get theirs in umpan_balik/; files a newer one superseded and withdrawn
    files in umpan_balik/lama/, so the folder holds only what to hand back now.
    Feedback of files no longer present is removed.
    """
    folder = ws.output / FEEDBACK_DIR
    current = {path for s in statuses for path in (s.file, s.evaluation_file) if path}
    wanted: dict[Path, tuple[dict, list[Problem]]] = {}
    # Newest first: when two files share a stem (a returned feedback workbook beside its
    # original), the file the participant works on now gets the plain name.
    for row, problems in reversed(entries):
        if row["code"] or not problems:
            continue
        # Whole-file rejections (not a workbook we can open) have no cell to mark.
        if all(p.cell is None and p.sheet is None for p in problems):
            continue
        needs_action = not row["withdrawn_at"] and (row["opd"] is None
                                                    or row["path"] in current)
        place = folder if needs_action else folder / OLD_FEEDBACK_DIR
        target = place / layout.feedback_name(row["path"])
        if target in wanted:  # same stem in two subfolders, or a returned feedback workbook
            target = place / f"{target.stem}_{row['sha256'][:8]}.xlsx"
        wanted[target] = (row, problems)
    for place in (folder, folder / OLD_FEEDBACK_DIR):
        place.mkdir(parents=True, exist_ok=True)
        for old in [*place.glob("*.xlsx"), *place.glob(".*.sha256")]:
            target = old if old.suffix == ".xlsx" else place / old.name[1:-len(".sha256")]
            if target not in wanted:
                old.unlink()
    tasks = []
    for target, (row, problems) in wanted.items():
        stamp = target.parent / f".{target.name}.sha256"
        fingerprint = _fingerprint(row["sha256"], problems)
        if target.exists() and stamp.exists() and stamp.read_text() == fingerprint:
            continue  # written from these same bytes and problems before
        archive = ws.root / ledger.blob(row["sha256"]).archive
        tasks.append((archive, target, problems, Path(row["path"]).name, stamp, fingerprint))
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


def _side_job(job) -> object:
    kind, *args = job
    if kind == "feedback":
        return write_feedback_task(*args)
    from .write import rekap

    return rekap.write_data(*args)


# Rough costs behind the choice (benchmarks/stages.py measures them): a worker needs about
# half a second to start (spawn, import pandas), a feedback workbook about 10 ms, the CSVs
# about 0.1 ms per program. Only the ratios matter.
SIDE_WORKER_MIN_SECONDS = 0.5


def _side_workers(feedback_workbooks: int, programs: int) -> int:
    seconds = 0.01 * feedback_workbooks + 0.0001 * programs
    return 1 if seconds >= SIDE_WORKER_MIN_SECONDS and cores() > 1 else 0


def consolidation(cfg, ledger: Ledger, statuses):
    """The consolidated tables of the counted files, and the files they are based on."""
    from .assemble import consolidate

    counted = [s for s in statuses if s.counted_sha256]
    programs = ledger.programs([s.counted_sha256 for s in counted])
    basis = [{"file": s.counted_file, "opd": s.kode, "sha256": s.counted_sha256,
              "received_at": s.counted_received_at} for s in counted]
    return consolidate.build(cfg, statuses, programs), basis


def status(ws: Workspace, cfg: Config) -> RunReport:
    """`masterplan status`: what the ledger holds now, without running (and without the
    lock: it only reads)."""
    from .assemble import followup
    from .assemble.quickwin import QUICK_WIN_STATE

    ledger = Ledger(ws.ledger_path)
    try:
        statuses = ingest.opd_statuses(ledger, cfg)
        counted = history.counted_files(statuses)
        files = [dict(f) for f in ledger.files()]
        for f in files:
            f["state"] = history.file_state(f, counted)
        evaluations_made = ledger.get_state(QUICK_WIN_STATE) is not None
        with_quick_wins = (set(ingest.accepted_quick_wins(ledger, cfg, statuses))
                           if evaluations_made else set())
        return RunReport(now_iso(), files, statuses,
                         replacements=history.replacements(cfg, ledger, statuses),
                         missing=history.missing_counted(ledger, statuses),
                         reminders=followup.reminders(cfg, ledger, statuses, with_quick_wins))
    finally:
        ledger.close()


def withdraw(ws: Workspace, given: str, reason: str | None, undo: bool,
             wait_seconds: float = 30.0) -> history.Withdrawal:
    """`masterplan tarik`: withdraw a file (or undo that); the ledger changes now, the
    outputs at the next run."""
    cfg = ws.load_config()
    with run_lock(ws.state, wait_seconds):
        ledger = Ledger(ws.ledger_path)
        try:
            name = history.inbox_name(ws, ledger, given)
            versions = ledger.files_at(name)
            if undo:
                pick = next((r for r in versions if r["withdrawn_at"]), None)
                if pick is None:
                    raise history.NotWithdrawn(name)
                ledger.restore(name, pick["sha256"])
            else:
                # The version now in the inbox, else the newest one the path held.
                pick = next((r for r in versions if r["present"]), versions[0])
                ledger.withdraw(name, pick["sha256"], reason)
            blob = ledger.blob(pick["sha256"])
            opd = blob.opd if blob else None
            counted = None
            for status in ingest.opd_statuses(ledger, cfg):
                if status.kode == opd and status.counted_sha256:
                    counted = history.plan_ref(ledger, status.counted_file,
                                               status.counted_sha256)
            return history.Withdrawal(name, pick["sha256"], opd, undo, counted)
        finally:
            ledger.close()


def make_book(ws: Workspace, wait_seconds: float = 30.0) -> BookResult:
    """`masterplan book`: read the counted plans under the run lock, then write the book
    and its stamp."""
    from .assemble import consolidate

    cfg = ws.load_config()
    reference = style_path(ws, cfg.book_style)
    warnings: list[str] = []
    with run_lock(ws.state, wait_seconds):
        if ws.ledger_path.is_file():
            ledger = Ledger(ws.ledger_path)
            try:
                if ingest.judged_under_other_config(ws, ledger):
                    warnings.append(STALE_LEDGER_WARNING)
                statuses = ingest.opd_statuses(ledger, cfg)
                cons, basis = consolidation(cfg, ledger, statuses)
            finally:
                ledger.close()
        else:  # no run yet: nothing counted
            statuses = [OpdStatus(o.kode, o.nama, o.singkatan, OPD_MISSING)
                        for o in cfg.opds]
            cons, basis = consolidate.build(cfg, statuses, []), []
    if cons.wide.empty:
        warnings.append(NO_PLAN_WARNING)
    target = write_book(ws, cfg, cons, statuses, basis, reference)
    return BookResult(target, len(cons.wide), len(basis), warnings)


def judge_arrivals(ws: Workspace, ledger: Ledger) -> ingest.RunResult:
    """`masterplan watch`'s verdict step: judge what arrived and write its feedback; the
    rekap and the reports wait for the next `run`."""
    cfg = ws.load_config()
    with run_lock(ws.state, wait_seconds=0):
        # A config change that would drop accepted plans waits for the operator
        # (`masterplan run --terima-konfigurasi`), as `run` does.
        history.refuse_config_drops(ws, cfg, ledger)
        result = ingest.ingest(ws, cfg, ledger)
        entries = ingest.problems_of_present_files(ledger)
        statuses = ingest.opd_statuses(ledger, cfg)
        for task in feedback_tasks(ws, ledger, entries, statuses):
            write_feedback_task(task)
    return result


def feedback_of(ws: Workspace, path: str) -> Path | None:
    """The feedback workbook handed back now for an inbox file, if it has one."""
    feedback = ws.output / FEEDBACK_DIR / layout.feedback_name(path)
    return feedback if feedback.exists() else None


@dataclass
class QuickWinOutputs:
    profiles: Path
    templates: list[Path]
    quick_wins: list  # assemble.quickwin.QuickWin
    missing_dimensions: list[str]
    removed: list[Path] = field(default_factory=list)  # stale evaluation templates


def make_quick_win_outputs(ws: Workspace, wait_seconds: float = 30.0,
                           now: datetime | None = None) -> QuickWinOutputs:
    """`masterplan quickwin`: the profiles workbook and the evaluation templates of the
    accepted Quick Wins, under the run lock; raises NeedsRun when the ledger was judged
    under another config."""
    from .assemble import quickwin
    from .write import evaluation_templates, quickwin_reports

    cfg = ws.load_config()
    with run_lock(ws.state, wait_seconds):
        quick_wins = []
        if ws.ledger_path.is_file():
            ledger = Ledger(ws.ledger_path)
            try:
                if ingest.judged_under_other_config(ws, ledger):
                    raise quickwin.NeedsRun()
                quick_wins = quickwin.collect_quick_wins(cfg, ledger)
            finally:
                ledger.close()
        created = (now or datetime.now().astimezone()).isoformat(timespec="seconds")
        profiles = quickwin_reports.write_profiles(ws.output / quickwin.PROFILES_NAME, cfg,
                                                   quick_wins, now_iso())
        folder = ws.templates / quickwin.EVALUATION_TEMPLATE_DIR
        paths = evaluation_templates.write_evaluation_templates(cfg, folder, quick_wins, created)
        removed = evaluation_templates.remove_stale_templates(folder, paths)
        ledger = Ledger(ws.ledger_path)
        try:
            ledger.set_state(quickwin.QUICK_WIN_STATE, quickwin.quick_win_sets(quick_wins))
        finally:
            ledger.close()
    return QuickWinOutputs(profiles, paths, quick_wins,
                           quickwin.dimensions_without(cfg, quick_wins), removed)
