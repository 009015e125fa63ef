"""`masterplan run`: ingest the inbox, then write every output, under one lock."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from .build import history
from .common.parallel import cores, meanwhile
from .rules.catalogue import Problem
from .store import ingest
from .store.ledger import Ledger, now_iso
from .store.lock import run_lock
from .workspace import Workspace
from .write import board
from .write.book import OUTDATED_WARNING as BOOK_OUTDATED_WARNING
from .write.book import book_outdated
from .write.feedback import FEEDBACK_VERSION, feedback_name, write_feedback
from .write.reports import write_reports

FEEDBACK_DIR = "umpan_balik"
OLD_FEEDBACK_DIR = "lama"  # feedback of files superseded or withdrawn


@dataclass
class RunSummary:
    files: list[dict]  # present files, each with its `state` (results.FILE_LABEL)
    statuses: list[ingest.OpdStatus]
    still_copying: list[str]
    judged: int
    headline: dict = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    changes: dict = field(default_factory=dict)  # history.changes: since the previous run
    rekap: Path | None = None
    evaluation: Path | None = None  # output/evaluasi_quick_win.xlsx


def run(ws: Workspace, progress: Callable[[int, int, str], None] | None = None,
        wait_seconds: float = 30.0, accept_config: bool = False) -> RunSummary:
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
            for row in result.files:
                row["state"] = history.file_state(row, counted)
            after = history.snapshot(ledger, statuses)
            changes = history.changes(cfg, ledger, before, after, result.files)
            replacements = history.replacements(cfg, ledger, statuses)
            generated_at = now_iso()
            entries = ingest.problems_of_present_files(ledger)
            write_reports(ws.output, _with_history(cfg, entries, counted, replacements),
                          generated_at, changes)
            summary = RunSummary(result.files, statuses, result.still_copying, result.judged,
                                 changes=changes)
            notes = _attention(cfg, ledger, statuses, replacements, changes)
            cons, basis = consolidation(cfg, ledger, statuses)
            change_note = _change_note(changes)
            cons.warnings = notes + change_note + cons.warnings
            side = [("data", ws.output / "data", cons.years, cons.wide),
                    *(("feedback", task)
                      for task in feedback_tasks(ws, ledger, entries, statuses))]
            # The CSVs and the feedback workbooks are written by a worker process while
            # this one writes the rekap, the largest single job, when that is worth it;
            # then this one takes the feedback workbooks the worker has not reached.
            with meanwhile(_side_job, side, _side_workers(side, len(cons.wide)),
                           chunksize=1):
                write_rekap(ws, cfg, cons, basis, statuses, generated_at, summary)
                summary.evaluation = write_quick_win_evaluation(ws, cfg, ledger, statuses,
                                                                generated_at)
                board.write_board(ws.output, cfg, statuses, entries, cons, generated_at)
            # The console shows the changes in full instead of the Ringkasan's line.
            summary.warnings = [w for w in cons.warnings if w not in change_note]
            if book_outdated(ws, basis):  # `masterplan book` is made on request only
                summary.warnings.append(BOOK_OUTDATED_WARNING)
            ledger.set_state(history.SNAPSHOT, after)
            return summary
        finally:
            ledger.close()


def _with_history(cfg, entries: list[tuple[dict, list[Problem]]], counted: dict,
                  replacements: list) -> list[tuple[dict, list[Problem]]]:
    """Report entries with each file's state and, on a file that replaced its OPD's
    counted plan, a warning saying so (the report only; the participant's feedback
    workbook is about their cells)."""
    by_file = {(r.after.file, r.after.sha256): r for r in replacements}
    out = []
    for row, problems in entries:
        row["state"] = history.file_state(row, counted)
        replacement = by_file.get((row["path"], row["sha256"]))
        if replacement:
            problems = [history.replacement_problem(cfg, replacement), *problems]
        out.append((row, problems))
    return out


def _attention(cfg, ledger: Ledger, statuses, replacements, changes: dict) -> list[str]:
    """Lines for the Ringkasan's "Perlu Perhatian" and the console, most urgent first:
    likely mix-ups (until the file is withdrawn or replaced), this run's replacements,
    counted files gone from the inbox, stale Quick Win outputs, what changed."""
    from .build import quickwin

    changed = {item["opd"] for item in changes["opd"]}
    lines = [history.replacement_line(cfg, r) for r in replacements if r.suspicions]
    lines += [history.replacement_line(cfg, r) for r in replacements
              if r.opd in changed and not r.suspicions]
    lines += history.missing_counted(ledger, statuses)
    stale = quickwin.stale_notice(cfg, ledger, statuses)
    if stale:
        lines.append(stale)
    return lines


def _change_note(changes: dict) -> list[str]:
    """The Ringkasan's line on what this run changed (the console prints the details)."""
    n_new = len(changes["new_files"])
    if not (changes["opd"] or n_new):
        return []
    return [f"Sejak proses sebelumnya: {n_new} berkas baru, {len(changes['opd'])} OPD berubah; "
            f"total anggaran {history.rupiah(changes['total_before'])} -> "
            f"{history.rupiah(changes['total_after'])}."]


def remove_leftovers(ws: Workspace) -> None:
    """Temp files of a run that was killed: never whole, never referenced. Under the lock."""
    for folder, pattern in ((ws.output, ".*.tmp.*"), (ws.archive, ".incoming-*")):
        if folder.is_dir():
            for leftover in folder.rglob(pattern):
                leftover.unlink(missing_ok=True)


def feedback_tasks(ws: Workspace, ledger: Ledger, entries: list[tuple[dict, list[Problem]]],
                   statuses: list[ingest.OpdStatus]) -> list[tuple]:
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
        target = place / feedback_name(row["path"])
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


# Measured on the benchmark machine: a worker costs about half a second to start (spawn,
# import pandas); a feedback workbook about 10 ms, the CSVs about 0.1 ms per program.
SIDE_WORKER_MIN_SECONDS = 0.5


def _side_workers(side: list, programs: int) -> int:
    seconds = 0.01 * sum(kind == "feedback" for kind, *_ in side) + 0.0001 * programs
    return 1 if seconds >= SIDE_WORKER_MIN_SECONDS and cores() > 1 else 0


def consolidation(cfg, ledger: Ledger, statuses):
    """The consolidated tables of the counted files, and the files they are based on."""
    from .build import consolidate

    counted = [s for s in statuses if s.counted_sha256]
    programs = ledger.programs([s.counted_sha256 for s in counted])
    basis = [{"file": s.counted_file, "opd": s.kode, "sha256": s.counted_sha256,
              "received_at": s.counted_received_at} for s in counted]
    return consolidate.build(cfg, statuses, programs), basis


def write_rekap(ws, cfg, cons, basis: list[dict], statuses, generated_at: str,
                summary: RunSummary) -> None:
    from .write import rekap

    summary.rekap = rekap.write_rekap(ws.output / "rekap_masterplan.xlsx", cfg, cons, statuses,
                                      generated_at, basis)
    summary.headline = cons.headline
    summary.warnings = cons.warnings


def write_quick_win_evaluation(ws, cfg, ledger: Ledger, statuses, generated_at: str) -> Path:
    """Each accepted Quick Win with its newest accepted evaluation (or none yet)."""
    from .build import quickwin
    from .write.quickwin_reports import write_evaluation_results

    results = quickwin.evaluation_results(cfg, ledger, statuses)
    return write_evaluation_results(ws.output / quickwin.EVALUATION_RESULTS_NAME, cfg,
                                    results, generated_at)


@dataclass
class QuickWinOutputs:
    profiles: Path
    templates: list[Path]
    quick_wins: list  # build.quickwin.QuickWin
    missing_dimensions: list[str]
    removed: list[Path] = field(default_factory=list)  # stale evaluation templates


def make_quick_win_outputs(ws: Workspace, wait_seconds: float = 30.0,
                           now: datetime | None = None) -> QuickWinOutputs:
    """`masterplan quickwin`: the profiles workbook and the evaluation templates of the
    accepted Quick Wins, under the run lock; raises NeedsRun when the ledger was judged
    under another config."""
    from .build import quickwin
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
