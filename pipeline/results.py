"""The status words the operator reads, each set defined once with its Indonesian label.

- file outcome (a judgement): accepted / rejected / ignored, recorded in the ledger;
- file state (what the operator should read now): an outcome, or withdrawn (masterplan
  tarik) or replaced (an accepted plan a newer accepted plan of its OPD replaced);
- OPD plan status: diterima / perlu revisi / belum mengumpulkan;
- Quick Win evaluation status: Tercapai / Sebagian / Belum / Belum dievaluasi.

`OpdStatus` is one OPD's plan status; `Holdings` what the ledger holds for the stages
after the ingest (read by `store.holdings.read_holdings`, read by `assemble` and `write`);
`RunReport` what a run (or `status`, read from the ledger) found: built by
`workflow.run` and `workflow.status`, rendered by write/reports.py (JSON, XLSX) and
cli.py (console).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from .catalogue import Code, Problem, Severity


class _Status(StrEnum):
    """A status word: its value (as the ledger, the JSON and the CSVs hold it), its
    Indonesian label and its console colour (a rich style)."""

    def __new__(cls, value: str, label: str, style: str = ""):
        member = str.__new__(cls, value)
        member._value_ = value
        member.label, member.style = label, style
        return member


class FileState(_Status):
    """A file's judgement as the ledger records it (ACCEPTED, REJECTED, IGNORED), or what
    the operator should read now: WITHDRAWN (masterplan tarik) or REPLACED (a plan a newer
    accepted plan of its OPD replaced)."""

    ACCEPTED = "accepted", "diterima", "green"
    REJECTED = "rejected", "ditolak", "red"
    IGNORED = "ignored", "diabaikan", "dim"
    WITHDRAWN = "withdrawn", "ditarik", "magenta"
    REPLACED = "replaced", "diganti", "dim"


class PlanStatus(_Status):
    """An OPD's plan status: its newest plan file accepted, rejected, or none yet."""

    ACCEPTED = "diterima", "diterima", "green"
    REVISE = "perlu revisi", "perlu revisi", "red"
    MISSING = "belum mengumpulkan", "belum mengumpulkan", "yellow"


class QuickWinStatus(_Status):
    """A Quick Win's evaluation: its target met, partly met, not met, or no evaluation yet
    (report order). The values are the labels the results workbook shows; `style` is the
    cell fill there and `chart` the colour of its bars."""

    def __new__(cls, value: str, style: str, chart: str):
        member = str.__new__(cls, value)
        member._value_ = value
        member.label, member.style, member.chart = value, style, chart
        return member

    ACHIEVED = "Tercapai", "#C6EFCE", "#548235"
    PARTIAL = "Sebagian", "#FFEB9C", "#BF9000"
    NOT_ACHIEVED = "Belum", "#FFC7CE", "#C00000"
    NOT_EVALUATED = "Belum dievaluasi", "#D9D9D9", "#A6A6A6"


class Stage(_Status):
    """The stage of a budget document in `anggaran/` (`masterplan pantau`), in the order
    of the budget year: its value is the word found in its title, folder or file name
    (and what the JSON and CSV hold), its label the column heading. A document whose
    stage is not found takes its file name as stage instead (a plain string)."""

    RENJA = "renja", "Renja"
    RKPD = "rkpd", "RKPD"
    KUA_PPAS = "kua-ppas", "KUA-PPAS"
    APBD = "apbd", "APBD"
    DPA = "dpa", "DPA"
    PERGESERAN = "pergeseran", "Pergeseran"
    PERUBAHAN = "perubahan", "APBD Perubahan"
    REALISASI = "realisasi", "Realisasi"


class BudgetStatus(_Status):
    """Whether a masterplan program planned for a year is in a budget document: money
    under its code in its OPD, its code there with 0, not there, or no nomenclature code
    to follow it by."""

    FUNDED = "dianggarkan", "dianggarkan", "green"
    LISTED = "tercantum tanpa pagu", "tercantum tanpa pagu", "yellow"
    ABSENT = "tidak ada di dokumen", "tidak ada di dokumen", "red"
    NO_CODE = "tanpa kode", "tanpa kode", "dim"


class NoticeKind(StrEnum):
    """Where a notice for the operator and the expert is shown."""

    def __new__(cls, value: str, in_rekap: bool, on_console: bool):
        member = str.__new__(cls, value)
        member._value_ = value
        member.in_rekap, member.on_console = in_rekap, on_console
        return member

    # mix-ups, replacements, counted files gone, stale Quick Win outputs
    ATTENTION = "attention", True, True
    # the Ringkasan's one line on what this run changed (the console prints it in full)
    CHANGE = "change", True, False
    # what the consolidation found (OPDs missing, dimensions without a Quick Win, ...)
    DATA = "data", True, True
    # for the operator only (skipped reference rows, the book out of date)
    CONSOLE = "console", False, True


@dataclass(frozen=True)
class Notice:
    """One sentence for the operator or the expert; when it is about many OPDs (or files),
    the sentence sums them up and `items` holds one line each, shown as a list on the
    console and one row each in a workbook, never as one paragraph."""

    text: str
    kind: NoticeKind
    urgent: bool = False  # a likely mix-up (PERIKSA): shown louder
    items: tuple[str, ...] = ()

    def lines(self) -> list[str]:
        """The sentence, then an indented line per item (a sheet's rows, a plain text)."""
        return [self.text, *(f"{ITEM_MARK}{item}" for item in self.items)]


ITEM_MARK = "  • "  # how an item under a summary sentence starts, in text and in sheets


def opd_line(singkatan: str, nama: str | None = None, detail: str | None = None) -> str:
    """One OPD as an item of a list: its short name, its full name when it says more, and
    what the list says about it."""
    line = f"{singkatan} ({nama})" if nama and nama != singkatan else singkatan
    return f"{line}: {detail}" if detail else line


@dataclass
class OpdStatus:
    kode: str
    nama: str
    singkatan: str
    status: PlanStatus
    file: str | None = None  # newest plan file of this OPD
    sha256: str | None = None
    received_at: str | None = None
    counted_file: str | None = None  # the accepted file in the consolidation
    counted_sha256: str | None = None
    counted_received_at: str | None = None
    counted_seq: int = 0  # its arrival number in the ledger
    n_programs: int = 0
    n_errors: int = 0
    n_warnings: int = 0
    previous_file: str | None = None  # the accepted plan the counted one replaced
    previous_sha256: str | None = None
    contact: dict[str, str] = field(default_factory=dict)  # of the counted (or latest) file
    evaluation_file: str | None = None  # newest Quick Win evaluation file
    evaluation_sha256: str | None = None
    evaluation_status: PlanStatus | None = None  # ACCEPTED / REVISE, None: none received
    evaluated_file: str | None = None  # newest accepted evaluation file (its results count)
    evaluated_sha256: str | None = None


def withdrawn_over(status: FileState, withdrawn_at: str | None) -> FileState:
    """A withdrawn file (masterplan tarik) reads WITHDRAWN over its judgement: decided here
    only, for a ledger record and a report entry alike."""
    return FileState.WITHDRAWN if withdrawn_at else status


@dataclass(frozen=True)
class FileRecord:
    """One file the ledger received (a path with the bytes it held), with its bytes' OPD,
    kind and counts and its withdrawal if any: what `store.ledger.Ledger.files` returns."""

    path: str  # relative to the inbox
    sha256: str
    size: int
    mtime: float
    received_at: str  # first time these bytes were seen at this path
    seq: int  # arrival order
    status: FileState  # its verdict: the bytes' judgement, or IGNORED / REJECTED (code)
    reason: str  # the verdict as the operator reads it
    code: Code | None = None  # why it does not carry its bytes' judgement (a copy, ...)
    note: Code | None = None  # a line added to the judgement (BERKAS_DIHITUNG_LAGI)
    present: bool = True  # in the inbox at the last ingest
    opd: str | None = None  # of its bytes' judgement
    kind: str | None = None  # layout.KIND_PLAN / KIND_EVALUATION
    archive: str | None = None  # its bytes in the archive, relative to the workspace
    n_programs: int = 0
    n_errors: int = 0
    n_warnings: int = 0
    withdrawn_at: str | None = None
    withdrawn_reason: str | None = None

    @property
    def carries_judgement(self) -> bool:
        """It holds its bytes' judgement (not an ignored copy, temp file or refused upload):
        only such a file counts for its OPD."""
        return self.code is None

    @property
    def withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    @property
    def standing(self) -> FileState:
        """Its judgement, or WITHDRAWN (see `withdrawn_over`)."""
        return withdrawn_over(self.status, self.withdrawn_at)


@dataclass
class PlanFacts:
    """One plan file's bytes, as replacements and the change record show them."""

    programs: int
    total: int  # Rupiah, the sum of its programs' totals
    contact: dict[str, str] = field(default_factory=dict)


@dataclass
class Holdings:
    """The ledger's content that a run's outputs (and `status`) are made from."""

    statuses: list[OpdStatus]  # configured OPDs, config order
    files: list[FileRecord]  # every file ever received, arrival order (ledger.files)
    # files in the inbox, each with its problems (catalogue.Problem)
    present: list[tuple[FileRecord, list[Problem]]]
    plans: dict[str, PlanFacts]  # sha256 -> facts, for every counted and replaced plan
    programs: list[tuple[str, dict[str, Any]]]  # the counted plans' rows: (sha256, row)
    quick_wins: dict[str, list[dict[str, Any]]]  # OPD code -> its counted plan's Quick Wins
    evaluations: dict[str, list[dict[str, Any]]]  # OPD code -> rows of its counted evaluation
    to_fix: dict[str, list[Any]]  # sha256 -> problems, of each OPD's rejected newest files
    last_seq: int  # arrival number of the newest file
    states: dict[str, Any]  # the pipeline's own state (ledger `state` table) by key


@dataclass
class FileEntry:
    """One file as a report holds it (a run's files in the inbox, `status`'s every file
    ever received, `check`'s files named)."""

    path: str  # relative to the inbox (check: the name shown)
    status: FileState  # the judgement the ledger records
    state: FileState  # what to read now: the judgement, WITHDRAWN or REPLACED
    reason: str
    opd: str | None = None
    kind: str | None = None  # layout.KIND_PLAN / KIND_EVALUATION
    sha256: str = ""
    received_at: str | None = None
    withdrawn_at: str | None = None
    withdrawn_reason: str | None = None
    present: bool = True  # still in the inbox
    problems: list[Problem] = field(default_factory=list)
    given: str | None = None  # check: the path as the operator named it

    @classmethod
    def of_record(cls, record: FileRecord, state: FileState,
                  problems: list[Problem] | None = None) -> FileEntry:
        """From a ledger record (`Ledger.files`)."""
        return cls(record.path, record.status, state, record.reason, record.opd, record.kind,
                   record.sha256, record.received_at, record.withdrawn_at,
                   record.withdrawn_reason, record.present, list(problems or []))

    @property
    def standing(self) -> FileState:
        """Its judgement, or WITHDRAWN (see `withdrawn_over`)."""
        return withdrawn_over(self.status, self.withdrawn_at)


@dataclass
class RunStats:
    """The one set of counts a report is read by: console, JSON, XLSX, board, exit codes."""

    files: int
    by_state: dict[FileState, int]  # as the report shows them (withdrawn over judgement)
    errors: int
    warnings: int
    plans: dict[PlanStatus, int]  # OPDs per plan status, in the order they first appear

    def to_json(self) -> dict[str, int]:
        return {"files": self.files,
                **{state.value: self.by_state.get(state, 0)
                   for state in (FileState.ACCEPTED, FileState.REJECTED, FileState.IGNORED,
                                 FileState.WITHDRAWN)},
                "errors": self.errors, "warnings": self.warnings}


def opds_by_status(statuses: list[OpdStatus]) -> dict[PlanStatus, list[OpdStatus]]:
    """The OPDs in each plan status, statuses in the order they first appear."""
    groups: dict[PlanStatus, list[OpdStatus]] = {}
    for status in statuses:
        groups.setdefault(status.status, []).append(status)
    return groups


def plan_counts(statuses: list[OpdStatus]) -> dict[PlanStatus, int]:
    return {status: len(opds) for status, opds in opds_by_status(statuses).items()}


@dataclass
class Written:
    """What a run's writers wrote, for the console (write.run_outputs)."""

    rekap: Path
    evaluation: Path  # output/evaluasi_quick_win.xlsx
    headline: dict[str, Any]  # programs, Quick Wins, total budget of the consolidation


@dataclass
class RunReport:
    """What a run found (`workflow.run`), what `check` found (`workflow.check`), or what
    the ledger holds now (`workflow.status`).

    files: the files (a run: those in the inbox; status: every file ever received;
    check: the files named), each with its state and its problems (a replacement warning
    first where one applies).
    """

    generated_at: str
    files: list[FileEntry]
    statuses: list[OpdStatus]  # in config order
    changes: dict[str, Any] | None = None  # assemble.changes.changes: since the previous run
    notices: list[Notice] = field(default_factory=list)  # most urgent first (run only)
    still_copying: list[str] = field(default_factory=list)
    judged: int = 0
    written: Written | None = None  # what the run's writers wrote (run only)
    # `status` only: plan replacements, counted files gone, reminders to send.
    replacements: list[Any] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    reminders: list[Any] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        """No file in the report is rejected (what `check` and `run --strict` exit by)."""
        return not any(f.status is FileState.REJECTED for f in self.files)

    @property
    def stats(self) -> RunStats:
        by_state: dict[FileState, int] = {}
        errors = warnings = 0
        for f in self.files:
            by_state[f.standing] = by_state.get(f.standing, 0) + 1
            for problem in f.problems:
                errors += problem.severity is Severity.ERROR
                warnings += problem.severity is Severity.WARNING
        return RunStats(len(self.files), by_state, errors, warnings,
                        plan_counts(self.statuses))
