"""Every output of `masterplan run`, written together from the assembled data.

The validation report first; then the rekap in this process while a worker process
writes the CSVs and the feedback workbooks (when that is worth it: `_side_workers`);
then the Quick Win evaluation workbook and the status board. Each file is written to a
temp file and renamed (`common/atomic.py`).
"""

from __future__ import annotations

from pathlib import Path

from .. import layout
from ..assemble.consolidate import Consolidated
from ..assemble.quickwin import EvaluationResult
from ..common.parallel import cores, meanwhile
from ..config import Config
from ..results import Holdings, RunReport, Written
from . import board, rekap
from .feedback.folder import prune_feedback_folder, write_feedback_task
from .quickwin_reports import write_evaluation_results
from .reports import write_reports


def write_run_outputs(output: Path, root: Path, cfg: Config, report: RunReport,
                      held: Holdings, cons: Consolidated, basis: list[dict],
                      evaluations: list[EvaluationResult],
                      upload_url: str | None = None) -> Written:
    """Write them all into `output` (root: the workspace, for archived files); returns
    what the console names (the rekap, the evaluation workbook, the headline)."""
    feedback = prune_feedback_folder(output, root, held.present, held.statuses)
    write_reports(output, report)
    side = [("data", output / layout.DATA_DIR, cons.years, cons.wide),
            *(("feedback", task) for task in feedback)]
    workers = _side_workers(len(feedback), len(held.programs))
    with meanwhile(_side_job, side, workers, chunksize=1):
        written = Written(
            rekap.write_rekap(output / layout.REKAP_NAME, cfg, cons, held.statuses,
                              report.generated_at, basis, report.notices),
            write_evaluation_results(output / layout.EVALUATION_RESULTS_NAME, cfg, evaluations,
                                     report.generated_at),
            cons.headline)
        board.write_board(output, cfg, held.statuses, held.present, cons, report.generated_at,
                          upload_url)
    return written


def _side_job(job) -> object:
    kind, *args = job
    if kind == "feedback":
        return write_feedback_task(*args)
    return rekap.write_data(*args)


# Rough costs behind the choice (benchmarks/stages.py measures them): a worker needs about
# half a second to start (spawn, import pandas), a feedback workbook about 10 ms, the CSVs
# about 0.1 ms per program. Only the ratios matter.
SIDE_WORKER_MIN_SECONDS = 0.5


def _side_workers(feedback_workbooks: int, programs: int) -> int:
    seconds = 0.01 * feedback_workbooks + 0.0001 * programs
    return 1 if seconds >= SIDE_WORKER_MIN_SECONDS and cores() > 1 else 0
