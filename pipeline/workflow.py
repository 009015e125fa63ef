"""The only orchestrator: each command's run lock, ledger and what it writes.

- `run`: ingest the inbox, read the holdings once, assemble, write every output, under
  one lock (store -> assemble -> write, see docs/ARCHITECTURE.md);
- `status`: the same report, read from the ledger without running;
- `withdraw` (`masterplan tarik`), `make_book` (`masterplan book`),
  `make_quick_win_outputs` (`masterplan quickwin`);
- `judge_arrivals`: `masterplan watch`'s verdict step.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from . import layout
from .assemble import changes, replacements, withdrawal
from .catalogue import Code, ConsoleLine
from .common.clock import now_iso
from .config import Config
from .read.reference_summary import warning_lines
from .read.references import load_config
from .results import FileEntry, Notice, NoticeKind, OpdStatus, PlanStatus, RunReport
from .rules.judge import readers
from .store import guard, ingest, service
from .store.access import AccessCodes, shown
from .store.config_key import config_key, judged_under_other_config
from .store.holdings import opd_statuses, problems_of_present_files, read_holdings
from .store.ledger import Ledger
from .store.lock import run_lock
from .store.session import locked_ledger
from .workspace import Workspace
from .write.book import (
    NO_PLAN_WARNING,
    STALE_LEDGER_WARNING,
    BookResult,
    book_outdated,
    style_path,
    write_book,
)
from .write.book import OUTDATED_WARNING as BOOK_OUTDATED_WARNING
from .write.feedback.folder import prune_feedback_folder, write_feedback_task


def run(ws: Workspace, progress: Callable[[int, int, str], None] | None = None,
        wait_seconds: float = 30.0, accept_config: bool = False) -> RunReport:
    """Process the inbox and write every output.

    accept_config: go on even when a changed config drops accepted plans (otherwise
    store.guard.ConfigWouldDrop is raised before anything is written). While
    `masterplan serve` runs on this workspace, the board shows its upload page.
    """
    upload_url = service.upload_url(ws.state)
    with locked_ledger(ws, wait_seconds) as ledger:
        # Read under the lock: a config edited while this run waited for it is the one
        # the guard checks and the judgements are stamped with.
        cfg = load_config(ws)
        if not accept_config:
            guard.refuse_config_drops(ws, cfg, ledger)
        before = ledger.get_state(changes.SNAPSHOT)
        if before is None:  # a ledger older than the change record: compare with itself
            before = changes.snapshot(read_holdings(ledger, cfg))
        result = ingest.ingest(ws, cfg, ledger, progress)
        # Loaded only after the ingest: loaded before it, a Ctrl-C while its workers
        # started ended the process by the signal, not with exit 130 (test_cli_indonesian).
        from .assemble import consolidate, quickwin
        from .write.run_outputs import write_run_outputs

        # Everything below reads these holdings, never the ledger.
        held = read_holdings(ledger, cfg, states=(quickwin.QUICK_WIN_STATE,))
        after = changes.snapshot(held)
        changed = changes.changes(cfg, held, before, after)
        replaced = replacements.replacements(cfg, held)
        report = RunReport(now_iso(), replacements.report_files(
            cfg, held.present, replacements.counted_files(held.statuses), replaced),
            held.statuses, changed, still_copying=result.still_copying, judged=result.judged)
        cons, basis = consolidate.of_counted_plans(cfg, held)
        quick_wins = quickwin.collect_quick_wins(cfg, held)
        report.notices = [
            *changes.notices(cfg, held, replaced, changed,
                             quickwin.stale_notice(cfg, held, quick_wins)),
            *cons.warnings]
        evaluations = quickwin.evaluation_results(cfg, held, quick_wins)

        report.written = write_run_outputs(ws.output, ws.root, cfg, report, held, cons,
                                           basis, evaluations, upload_url)
        report.notices += [Notice(line, NoticeKind.CONSOLE) for line in warning_lines(cfg)]
        if cfg.references and cfg.references.skipped:
            report.notices.append(Notice(ConsoleLine.RUJUKAN_DILEWATI.render(
                n=len(cfg.references.skipped)), NoticeKind.CONSOLE))
        if book_outdated(ws, config_key(cfg), basis):  # `masterplan book` is made on request only
            report.notices.append(Notice(BOOK_OUTDATED_WARNING, NoticeKind.CONSOLE))
        ledger.set_state(changes.SNAPSHOT, after)
        return report


def status(ws: Workspace, cfg: Config) -> RunReport:
    """`masterplan status`: what the ledger holds now, without running (and without the
    lock: it only reads)."""
    from .assemble import followup
    from .assemble.quickwin import QUICK_WIN_STATE

    ledger = Ledger(ws.ledger_path)
    try:
        held = read_holdings(ledger, cfg, states=(QUICK_WIN_STATE,))
    finally:
        ledger.close()
    counted = replacements.counted_files(held.statuses)
    files = [FileEntry.of_record(f, replacements.file_state(f, counted)) for f in held.files]
    # Evaluations are owed once `masterplan quickwin` handed out their templates.
    owing_evaluation = set(held.quick_wins) if held.states[QUICK_WIN_STATE] is not None else set()
    return RunReport(now_iso(), files, held.statuses,
                     replacements=replacements.replacements(cfg, held),
                     missing=replacements.missing_counted(held),
                     reminders=followup.reminders(cfg, held, owing_evaluation,
                                                  access_codes_shown(ws, cfg)))


def access_codes_shown(ws: Workspace, cfg: Config) -> dict[str, str]:
    """Every configured OPD's access code for the upload page, as printed ('ACEF-HJKM');
    made on first use."""
    codes = AccessCodes(ws.state).ensure(o.kode for o in cfg.opds)
    return {o.kode: shown(codes[o.kode]) for o in cfg.opds}


def check(ws: Workspace, paths: list[Path]) -> RunReport:
    """`masterplan check`: judge files without recording them; the report has the same
    shape as a run's (its files carry `given`: the path as the operator named it)."""
    from .store.checking import check_paths

    cfg = load_config(ws)
    files = [FileEntry(name, j.status, j.status, j.reason, j.opd, j.kind,
                       problems=j.problems, given=str(path))
             for path, name, j in check_paths(paths, cfg, ws.ledger_path)]
    return RunReport(now_iso(), files, [])


def withdraw(ws: Workspace, given: str, reason: str | None, undo: bool,
             wait_seconds: float = 30.0) -> withdrawal.Withdrawal:
    """`masterplan tarik`: withdraw a file (or undo that); the ledger changes now, the
    outputs at the next run."""
    with locked_ledger(ws, wait_seconds) as ledger:
        cfg = load_config(ws)
        name = withdrawal.inbox_name(ws, ledger.paths(), given)
        versions = ledger.files_at(name)
        if undo:
            pick = next((r for r in versions if r.withdrawn), None)
            if pick is None:
                raise withdrawal.NotWithdrawn(name)
            ledger.restore(name, pick.sha256)
        else:
            # The version now in the inbox, else the newest one the path held.
            pick = next((r for r in versions if r.present), versions[0])
            ledger.withdraw(name, pick.sha256, reason)
        held = read_holdings(ledger, cfg)
    opd = pick.opd
    counted = next((replacements.plan_ref(held, s.counted_file, s.counted_sha256)
                    for s in held.statuses if s.kode == opd and s.counted_sha256), None)
    return withdrawal.Withdrawal(name, pick.sha256, opd, undo, counted)


def make_book(ws: Workspace, wait_seconds: float = 30.0) -> BookResult:
    """`masterplan book`: read the counted plans under the run lock, then write the book
    and its stamp."""
    from .assemble import consolidate
    from .pantau import budget_monitoring

    warnings: list[str] = []
    with locked_ledger(ws, wait_seconds, create=False) as ledger:
        cfg = load_config(ws)
        reference = style_path(ws, cfg.book_style)
        if ledger is not None:
            if judged_under_other_config(cfg, ledger):
                warnings.append(STALE_LEDGER_WARNING)
            held = read_holdings(ledger, cfg)
    if ledger is not None:
        cons, basis = consolidate.of_counted_plans(cfg, held)
        statuses = held.statuses
    else:  # no run yet: nothing counted
        statuses = [OpdStatus(o.kode, o.nama, o.singkatan, PlanStatus.MISSING) for o in cfg.opds]
        cons, basis = consolidate.build(cfg, statuses, []), []
    if cons.wide.empty:
        warnings.append(NO_PLAN_WARNING)
    # The Keterlaksanaan chapter, from the same figures as `masterplan pantau`.
    monitoring = None if cons.wide.empty else budget_monitoring(ws, cfg, cons.wide)
    target = write_book(ws, cfg, config_key(cfg), cons, statuses, basis, reference, monitoring)
    return BookResult(target, len(cons.wide), len(basis), warnings)


def judge_arrivals(ws: Workspace, ledger: Ledger) -> ingest.IngestResult:
    """`masterplan watch`'s verdict step: judge what arrived and write its feedback; the
    rekap and the reports wait for the next `run`."""
    with run_lock(ws.state, wait_seconds=0):
        cfg = load_config(ws)
        # A config change that would drop accepted plans waits for the operator
        # (`masterplan run --terima-konfigurasi`), as `run` does.
        guard.refuse_config_drops(ws, cfg, ledger)
        result = ingest.ingest(ws, cfg, ledger)
        files = ledger.files()
        present = problems_of_present_files(ledger, files)
        # A byte-identical copy is not judged again: its answer shows the earlier file's
        # problems (a participant re-sending a rejected file unchanged).
        result.problems = {record.path: problems or (ledger.problems(record.sha256)
                                                     if record.code is Code.BERKAS_SAMA
                                                     else [])
                           for record, problems in present}
        _write_feedback(prune_feedback_folder(ws.output, ws.root, present,
                                              opd_statuses(ledger, cfg, files)))
    return result


def _write_feedback(tasks: list) -> None:
    """The verdict step's feedback workbooks, in the reader processes (rules.judge): on
    both cores while the answers wait for them, and where a workbook that exhausts or
    kills its writer costs only that workbook (the verdict stands; the next refresh tries
    it again), never the serving process. Written here when no reader process starts."""
    if tasks:
        readers().map_or_here(write_feedback_task, tasks)


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
    from .write import quickwin_reports
    from .write.templates import evaluation

    with locked_ledger(ws, wait_seconds) as ledger:
        cfg = load_config(ws)
        if judged_under_other_config(cfg, ledger):
            raise quickwin.NeedsRun()
        quick_wins = quickwin.collect_quick_wins(cfg, read_holdings(ledger, cfg))
        created = (now or datetime.now().astimezone()).isoformat(timespec="seconds")
        profiles = quickwin_reports.write_profiles(ws.output / layout.PROFILES_NAME, cfg,
                                                   quick_wins, now_iso())
        folder = ws.templates / layout.EVALUATION_TEMPLATE_DIR
        paths = evaluation.write_evaluation_templates(
            cfg, folder, quick_wins, created, access_codes_shown(ws, cfg))
        removed = evaluation.remove_stale_templates(folder, paths)
        ledger.set_state(quickwin.QUICK_WIN_STATE, quickwin.quick_win_sets(quick_wins))
    return QuickWinOutputs(profiles, paths, quick_wins,
                           quickwin.dimensions_without(cfg, quick_wins), removed)
