"""The verdict on one file: what the ledger records for a path holding judged bytes.

A pure function of what the ledger knows of these bytes and their OPD (`Known`), the
bytes' judgement (`Judged`) and the OPD the upload claims (its access code; None outside
`inbox/unggah/`). It reads no ledger and no disk, so its rules are tested directly
(tests/test_verdict.py); `store.ingest` gathers the facts and records the verdict.

The rules, in order:
1. an upload whose template names another OPD than its access code's is rejected and
   counted for neither (UNGGAH_OPD_LAIN);
2. a path seen again with the same bytes keeps its record; when the bytes were judged
   again, a copy stays a copy and a re-sent file keeps its line (BERKAS_DIHITUNG_LAGI)
   while still accepted;
3. known bytes under a new name are a copy (BERKAS_SAMA), except an accepted plan or
   evaluation sent again after a newer file of its OPD replaced it: that counts again,
   with a line saying so. Still a copy: a copy of what its OPD counts now, a copy of
   withdrawn bytes (BERKAS_SAMA_DITARIK) and, outside `inbox/unggah/`, a copy whose
   earlier files all left the inbox (a file moved or renamed, not sent again);
4. new bytes twice in one run: the second file is a copy;
5. otherwise the file carries the judgement.
"""

from __future__ import annotations

from dataclasses import dataclass

from .. import layout
from ..catalogue import Code, Problem, render
from ..config import Config
from ..results import FileRecord, FileState

COPY_CODES = (Code.BERKAS_SAMA, Code.BERKAS_SAMA_DITARIK)


@dataclass(frozen=True)
class Judged:
    """The judgement of the bytes (as the ledger holds it for them)."""

    sha256: str
    status: FileState
    reason: str
    opd: str | None = None
    kind: str | None = None


@dataclass(frozen=True)
class Known:
    """What the ledger knows of the bytes and their OPD when a file holding them arrives."""

    judged_before: bool  # the bytes had a judgement before this run's
    judged_now: bool = False  # ... and were judged again in this run
    this_path: FileRecord | None = None  # this path's record of them (judged before only)
    # the other files that held them and carry their judgement, arrival order (read when
    # this path has no record of them, or one with a note)
    earlier: tuple[FileRecord, ...] = ()
    # Read only for known bytes under a new name whose judgement is an accepted plan or
    # evaluation (rule 3): the file their OPD counts now (of their kind); whether one of
    # `earlier` is still in the inbox.
    counted: FileRecord | None = None
    earlier_in_inbox: bool = False
    first_in_run: str | None = None  # new bytes: the file of this run that held them first

    @property
    def first(self) -> str | None:
        """The earliest other file that held the bytes."""
        return min(self.earlier, key=lambda r: r.seq).path if self.earlier else None


@dataclass(frozen=True)
class Verdict:
    status: FileState
    reason: str
    code: Code | None = None  # why the file does not carry the judgement
    note: Code | None = None  # the line the reason adds to the judgement's

    @classmethod
    def of(cls, problem: Problem, status: FileState) -> Verdict:
        return cls(status, problem.message, problem.code)


def claim_refused(cfg: Config, claim: str, opd: str) -> Problem:
    """The problem of an upload sent with `claim`'s access code holding `opd`'s template."""
    return Problem(Code.UNGGAH_OPD_LAIN, opd=opd, params={"found": cfg.opd_label(opd),
                                                          "expected": cfg.opd_label(claim)})


def refused(cfg: Config, judged: Judged, claim: str | None) -> Verdict | None:
    """Rule 1: the verdict of an upload claiming another OPD, else None."""
    if claim is None or judged.opd is None or claim == judged.opd:
        return None
    return Verdict.of(claim_refused(cfg, claim, judged.opd), FileState.REJECTED)


def verdict(cfg: Config, judged: Judged, known: Known, claim: str | None) -> Verdict:
    """The verdict on a file holding judged bytes (the rules above)."""
    claimed = refused(cfg, judged, claim)
    if claimed is not None:
        return claimed
    carries = Verdict(judged.status, judged.reason)
    own = known.this_path
    if own is not None:
        if not known.judged_now or own.code in COPY_CODES:
            return Verdict(own.status, own.reason, own.code, own.note)
        if (judged.status is FileState.ACCEPTED and own.note is not None
                and known.first is not None):
            return _with_note(judged, own.note, known.first)
        return carries
    if known.judged_before:
        return _copy(judged, known, claim) if known.first is not None else carries
    if known.first_in_run is not None:
        return Verdict.of(Problem(Code.BERKAS_SAMA, params={"found": known.first_in_run}),
                          FileState.IGNORED)
    return carries


def copy_may_count(judged: Judged) -> bool:
    """Known bytes under a new name may count again (rule 3): an accepted plan or
    evaluation of an OPD. Only then does the verdict read `Known.counted` and
    `Known.earlier_in_inbox`."""
    return (judged.status is FileState.ACCEPTED and bool(judged.opd)
            and judged.kind in (layout.KIND_PLAN, layout.KIND_EVALUATION))


def _copy(judged: Judged, known: Known, claim: str | None) -> Verdict:
    first = known.first
    same = Verdict.of(Problem(Code.BERKAS_SAMA, params={"found": first}), FileState.IGNORED)
    if not copy_may_count(judged):
        return same
    if known.counted is not None and known.counted.sha256 == judged.sha256:
        return Verdict.of(Problem(Code.BERKAS_SAMA, params={"found": known.counted.path}),
                          FileState.IGNORED)
    withdrawn = next((r for r in known.earlier if r.withdrawn), None)
    if withdrawn is not None:
        return Verdict.of(Problem(Code.BERKAS_SAMA_DITARIK, params={"found": withdrawn.path}),
                          FileState.IGNORED)
    if claim is None and not known.earlier_in_inbox:
        return same
    return _with_note(judged, Code.BERKAS_DIHITUNG_LAGI, first)


def _with_note(judged: Judged, note: Code, first: str) -> Verdict:
    return Verdict(judged.status, f"{judged.reason} {render(note, found=first)}", note=note)
