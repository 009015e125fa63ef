"""What the ledger holds, as the later stages need it: read once after the ingest.

`opd_statuses` decides each OPD's counted plan (its newest accepted plan, not withdrawn)
and status. `read_holdings` reads, in one go, everything `assemble` and `write` need about
the counted plans, the files and the pipeline's state (a `results.Holdings`), so those
stages work on data and never query the ledger themselves.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from .. import layout
from ..catalogue import Problem
from ..config import Config
from ..results import FileRecord, FileState, Holdings, OpdStatus, PlanFacts, PlanStatus
from .ledger import Ledger


def read_holdings(ledger: Ledger, cfg: Config, states: tuple[str, ...] = ()) -> Holdings:
    """Everything the later stages read, from one ledger; `states`: state keys to load."""
    files = ledger.files()  # read once: statuses, present files and Holdings.files
    statuses = opd_statuses(ledger, cfg, files)
    plan_shas = [sha for s in statuses for sha in (s.counted_sha256, s.previous_sha256) if sha]
    totals = ledger.totals(plan_shas)
    n_programs = {record.sha256: record.n_programs for record in files}
    # A counted plan's contact is its status's; only replaced plans' are read here.
    contacts = {s.counted_sha256: s.contact for s in statuses if s.counted_sha256}
    plans = {sha: PlanFacts(n_programs[sha], totals[sha],
                            contacts[sha] if sha in contacts else ledger.contact(sha))
             for sha in plan_shas}
    return Holdings(
        statuses=statuses,
        files=files,
        present=problems_of_present_files(ledger, files),
        plans=plans,
        programs=ledger.programs([s.counted_sha256 for s in statuses if s.counted_sha256]),
        quick_wins=accepted_quick_wins(ledger, cfg, statuses),
        evaluations={s.kode: [row for _, row in ledger.programs([s.evaluated_sha256])]
                     for s in statuses if s.evaluated_sha256},
        to_fix={sha: ledger.problems(sha) for s in statuses
                for sha, status in ((s.sha256, s.status), (s.evaluation_sha256,
                                                           s.evaluation_status))
                if sha and status == PlanStatus.REVISE},
        last_seq=ledger.last_seq(),
        states={name: ledger.get_state(name) for name in states},
    )


@dataclass
class OpdFiles:
    """The files that count for one OPD code, in arrival order (ignored and withdrawn
    files left out, as if they had never arrived)."""

    newest_plan: FileRecord | None = None
    accepted_plans: list[FileRecord] = field(default_factory=list)  # the last one is counted
    newest_evaluation: FileRecord | None = None
    accepted_evaluation: FileRecord | None = None  # the newest accepted evaluation


def files_by_opd(files: Sequence[FileRecord]) -> dict[str, OpdFiles]:
    """OPD code -> its files, for every code in the ledger (configured or not); `files`:
    the ledger's records (`Ledger.files`), in arrival order."""
    out: dict[str, OpdFiles] = {}
    for record in files:
        if not record.carries_judgement or not record.opd or record.withdrawn:
            continue
        own = out.setdefault(record.opd, OpdFiles())
        accepted = record.status is FileState.ACCEPTED
        if record.kind == layout.KIND_EVALUATION:
            own.newest_evaluation = record
            if accepted:
                own.accepted_evaluation = record
        elif record.kind == layout.KIND_PLAN:
            own.newest_plan = record
            if accepted:
                own.accepted_plans.append(record)
    return out


def opd_statuses(ledger: Ledger, cfg: Config,
                 files: Sequence[FileRecord] | None = None) -> list[OpdStatus]:
    """Each configured OPD: its newest plan file decides diterima / perlu revisi (`files`:
    the ledger's records when already read).

    Only plan files count: an OPD's evaluation file never changes its plan status, and a
    withdrawn file (masterplan tarik) counts as if it had never arrived.
    """
    by_opd = files_by_opd(ledger.files() if files is None else files)
    statuses = []
    for opd in cfg.opds:
        files = by_opd.get(opd.kode, OpdFiles())
        latest, chain = files.newest_plan, files.accepted_plans
        used = chain[-1] if chain else None
        previous = chain[-2] if len(chain) > 1 else None
        if latest is None:
            status = PlanStatus.MISSING
        elif latest.status is FileState.ACCEPTED:
            status = PlanStatus.ACCEPTED
        else:
            status = PlanStatus.REVISE
        evaluation, evaluated = files.newest_evaluation, files.accepted_evaluation
        statuses.append(OpdStatus(
            kode=opd.kode, nama=opd.nama, singkatan=opd.singkatan, status=status,
            file=latest.path if latest else None,
            sha256=latest.sha256 if latest else None,
            received_at=latest.received_at if latest else None,
            counted_file=used.path if used else None,
            counted_sha256=used.sha256 if used else None,
            counted_received_at=used.received_at if used else None,
            counted_seq=used.seq if used else 0,
            n_programs=used.n_programs if used else 0,
            n_errors=latest.n_errors if latest else 0,
            n_warnings=latest.n_warnings if latest else 0,
            previous_file=previous.path if previous else None,
            previous_sha256=previous.sha256 if previous else None,
            contact=ledger.contact((used or latest).sha256) if latest else {},
            evaluation_file=evaluation.path if evaluation else None,
            evaluation_sha256=evaluation.sha256 if evaluation else None,
            evaluation_status=(None if evaluation is None else PlanStatus.ACCEPTED
                               if evaluation.status is FileState.ACCEPTED
                               else PlanStatus.REVISE),
            evaluated_file=evaluated.path if evaluated else None,
            evaluated_sha256=evaluated.sha256 if evaluated else None,
        ))
    return statuses


def accepted_quick_wins(ledger: Ledger, cfg: Config,
                        statuses: list[OpdStatus] | None = None) -> dict[str, list[dict]]:
    """OPD code -> the Quick Win rows of its counted plan (the newest accepted one)."""
    out: dict[str, list[dict]] = {}
    for status in statuses if statuses is not None else opd_statuses(ledger, cfg):
        if not status.counted_sha256:
            continue
        programs = ledger.quick_win_rows(status.counted_sha256)
        if programs:
            out[status.kode] = programs
    return out


def evaluable_quick_wins(ledger: Ledger, cfg: Config,
                         ) -> dict[str, list[tuple[int | None, str]]]:
    """OPD code -> (row in the plan, name) of its accepted Quick Wins, in plan order: what
    its evaluation may evaluate."""
    return {opd: [(row.get("row"), row["nama_program"]) for row in rows]
            for opd, rows in accepted_quick_wins(ledger, cfg).items()}


def problems_of_present_files(ledger: Ledger, files: Sequence[FileRecord] | None = None,
                              ) -> list[tuple[FileRecord, list[Problem]]]:
    """Every file now in the inbox with its problems (file and OPD filled in); `files`:
    the ledger's records when already read."""
    out = []
    records = ledger.files(present_only=True) if files is None else [r for r in files
                                                                     if r.present]
    for record in records:
        problems = ledger.problems(record.sha256) if record.carries_judgement else []
        for problem in problems:
            problem.file = record.path
            problem.opd = record.opd
        out.append((record, problems))
    return out
