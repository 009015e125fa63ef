"""Where a `masterplan run` spends its time, stage by stage (low overhead, unlike cProfile).

    python benchmarks/stages.py WORKSPACE [--serial]

Runs `masterplan run -w WORKSPACE` in this process with a wall-clock timer wrapped around
each stage function of the pipeline (the pipeline itself is not changed; the wrappers
are set on the module attributes the pipeline calls through). The heavy imports are done
first and timed on their own, so no stage is charged for them.

The per-file work (safety, calamine read, normalise) runs in the reader processes
(`judge.readers()`), where these wrappers do not reach: the report then shows
`judge._prepare_all` as one block. `--serial` gives judge no reader processes, so the
per-file work runs here and its sub-stages are timed too (total time is then that of a
serial run).
"""

from __future__ import annotations

import functools
import sys
import time
from collections import defaultdict

T0 = time.perf_counter()
TOTALS: dict[str, float] = defaultdict(float)
COUNTS: dict[str, int] = defaultdict(int)
ACTIVE: list[str] = []


MISSING: list[str] = []


def timed(owner, attr: str, label: str | None = None) -> None:
    """Time every call of owner.attr; a name the pipeline no longer has is listed, not fatal."""
    original = getattr(owner, attr, None)
    if original is None:
        MISSING.append(f"{getattr(owner, '__name__', owner)}.{attr}")
        return
    label = label or f"{getattr(owner, '__name__', owner)}.{attr}"

    @functools.wraps(original)
    def wrapper(*args, **kwargs):
        if label in ACTIVE:  # recursion: count the outer call only
            return original(*args, **kwargs)
        ACTIVE.append(label)
        started = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            TOTALS[label] += time.perf_counter() - started
            COUNTS[label] += 1
            ACTIVE.pop()

    setattr(owner, attr, wrapper)


class _NoReaders:
    """Stands for judge's reader processes when none can be started: all is done here."""

    def map_or_here(self, function, items):
        return [function(item) for item in items]


def main() -> int:
    serial = "--serial" in sys.argv
    workspace = next(a for a in sys.argv[1:] if not a.startswith("--"))

    imports = {}
    for name in ("click", "pipeline.cli", "pandas", "pandera.pandas", "openpyxl", "xlsxwriter",
                 "python_calamine", "rich.progress"):
        started = time.perf_counter()
        __import__(name)
        imports[name] = time.perf_counter() - started

    from pipeline import cli, workflow
    from pipeline.assemble import consolidate
    from pipeline.read import plan_rows, reading, safety
    from pipeline.rules import judge, registry
    from pipeline.store import holdings, ingest, ledger
    from pipeline.write import feedback, rekap, reports, run_outputs
    from pipeline.write.feedback import folder as feedback_folder

    if serial:
        judge.readers = _NoReaders
        run_outputs.SIDE_WORKER_MIN_SECONDS = float("inf")
    timed(ingest, "scan")
    timed(ingest, "archive", "inbox.archive (sha256 + copy + fsync)")
    timed(ingest, "_known")
    timed(ingest, "_record")
    timed(judge, "judge_files")
    timed(judge, "_prepare_all", "judge._prepare_all (safety+read+normalise, all files)")
    timed(safety, "inspect_file", "  safety.inspect_file")
    timed(judge, "read_plan", "  reading.read_plan (calamine)")
    timed(judge, "read_plan", "  judge.read_plan (calamine)")
    timed(reading, "read_meta", "    reading.read_meta")
    timed(reading, "open_workbook", "    reading.open_workbook")
    timed(reading, "read_program", "    reading.read_program")
    timed(plan_rows, "normalise_rows", "  plan_rows.normalise_rows")
    timed(registry, "validate", "registry.validate (pandera)")
    timed(registry, "failure_problem", "registry.failure_problem")
    for name in ("save_blob", "record_file", "mark_present", "files", "problems", "programs",
                 "blob", "file", "first_path_of"):
        timed(ledger.Ledger, name, f"Ledger.{name}")
    timed(holdings, "read_holdings")
    timed(holdings, "opd_statuses", "  holdings.opd_statuses")
    timed(holdings, "problems_of_present_files", "  holdings.problems_of_present_files")
    timed(run_outputs, "write_reports", "reports.write_reports")
    timed(reports, "write_json", "  reports.write_json")
    timed(reports, "write_xlsx", "  reports.write_xlsx")
    timed(run_outputs, "feedback_tasks")
    timed(feedback_folder, "write_feedback", "  feedback.write_feedback")
    timed(consolidate, "build", "  consolidate.build (pandas)")
    timed(rekap, "write_rekap", "  rekap.write_rekap (xlsxwriter)")
    timed(rekap, "write_data", "  rekap.write_data (csv)")
    for name in ("_matrix_sheet", "_programs_sheet", "_quick_win_sheet", "_status_sheet",
                 "_roadmap_sheet", "summary_sheet"):
        timed(rekap, name, f"    rekap.{name}")
    import openpyxl
    import xlsxwriter

    timed(xlsxwriter.Workbook, "close", "    xlsxwriter Workbook.close (all workbooks)")
    timed(openpyxl, "load_workbook", "    openpyxl.load_workbook (feedback of a re-saved package)")
    timed(openpyxl.Workbook, "save", "    openpyxl Workbook.save (feedback of a re-saved package)")
    timed(workflow, "run", "workflow.run (everything under the lock)")
    timed(cli, "_print_run_summary", "cli._print_run_summary (rich table)")
    _ = feedback  # imported for its module to be loaded like in a run

    code = 0
    sys.argv = ["masterplan", "run", "-w", workspace]
    try:
        cli.main(standalone_mode=False)
    except SystemExit as exc:
        code = exc.code or 0
    total = time.perf_counter() - T0

    out = sys.stderr
    print(f"\nstages of `masterplan run -w {workspace}`{' (serial)' if serial else ''}",
          file=out)
    print(f"{'stage':<60} {'calls':>6} {'seconds':>8} {'share':>6}", file=out)
    for name, seconds in imports.items():
        print(f"{'import ' + name:<60} {1:>6} {seconds:8.2f} {seconds / total:6.1%}", file=out)
    for label, seconds in TOTALS.items():
        print(f"{label:<60} {COUNTS[label]:>6} {seconds:8.2f} {seconds / total:6.1%}",
              file=out)
    print(f"{'total (process start to end)':<60} {'':>6} {total:8.2f}", file=out)
    if MISSING:
        print(f"not in this version of the pipeline (not timed): {', '.join(MISSING)}",
              file=out)
    return code


if __name__ == "__main__":
    sys.exit(main())
