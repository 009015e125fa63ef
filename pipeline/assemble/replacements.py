"""Replacements and file states: what a newer plan did to its OPD's counted one.

- replacements: an OPD's counted plan replaced its previous one (with a mix-up check: a
  file named after another OPD, another filler, a total or program count halved);
- file states: files replaced by a newer accepted plan (`diganti`) or withdrawn
  (`ditarik`, `masterplan tarik`), and the report's file entries;
- counted files no longer in the inbox.

Everything here reads the ledger's `Holdings` (store/holdings.py), never the ledger.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from .. import layout
from ..catalogue import Code, Problem
from ..common.idtext import rupiah
from ..config import Config
from ..read.normalise import key
from ..results import FileEntry, FileRecord, FileState, Holdings


@dataclass
class PlanRef:
    """One counted (or formerly counted) plan file of an OPD."""

    file: str
    sha256: str
    programs: int
    total: int
    contact: dict[str, str] = field(default_factory=dict)

    def text(self) -> str:
        return f"{self.file} ({self.programs} program, {rupiah(self.total)})"


def plan_ref(held: Holdings, path: str, sha: str) -> PlanRef:
    facts = held.plans[sha]
    return PlanRef(path, sha, facts.programs, facts.total, facts.contact)


@dataclass
class Replacement:
    opd: str  # OPD code
    before: PlanRef
    after: PlanRef
    suspicions: list[str] = field(default_factory=list)  # Indonesian clauses

    def text(self) -> str:
        return f"{self.before.text()} -> {self.after.text()}"


def replacements(cfg: Config, held: Holdings) -> list[Replacement]:
    """For each OPD whose counted plan replaced an earlier accepted one: both, and why
    the replacement looks like a mix-up, if it does."""
    found = []
    for status in held.statuses:
        if not (status.counted_sha256 and status.previous_sha256):
            continue
        before = plan_ref(held, status.previous_file, status.previous_sha256)
        after = plan_ref(held, status.counted_file, status.counted_sha256)
        found.append(Replacement(status.kode, before, after,
                                 mixup_suspicions(cfg, status.kode, before, after)))
    return found


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", key(text))


def _contains(words: list[str], part: list[str]) -> bool:
    n = len(part)
    return n > 0 and any(words[i:i + n] == part for i in range(len(words) - n + 1))


def named_opds(cfg: Config, file_name: str, own: str) -> list[str]:
    """Codes of other configured OPDs that a file name names (singkatan or full name)."""
    words = _words(PurePosixPath(file_name).stem.replace("_", " "))
    own_opd = cfg.opd_by_code[own]
    own_names = [_words(own_opd.singkatan), _words(own_opd.nama)]
    named = []
    for opd in cfg.opds:
        if opd.kode == own:
            continue
        for name in (_words(opd.singkatan), _words(opd.nama)):
            # "Dinas Kesehatan" inside the own "Dinas Kesehatan Hewan" names nobody else.
            if _contains(words, name) and not any(_contains(o, name) for o in own_names):
                named.append(opd.kode)
                break
    return named


def mixup_suspicions(cfg: Config, opd: str, before: PlanRef, after: PlanRef) -> list[str]:
    reasons = []
    for other in named_opds(cfg, after.file, opd):
        o = cfg.opd_by_code[other]
        reasons.append(f"nama berkasnya menyebut OPD lain, {o.nama} ({o.singkatan})")
    for field_key, label in (("nama_pengisi", "pengisinya"), ("nip", "NIP pengisinya")):
        old, new = before.contact.get(field_key), after.contact.get(field_key)
        if old and new and key(old) != key(new):
            reasons.append(f"{label} berbeda ({old} sebelumnya, kini {new})")
            break
    if before.total > 0 and after.total * 2 <= before.total:
        reasons.append(f"total anggarannya turun dari {rupiah(before.total)} menjadi "
                       f"{rupiah(after.total)}")
    if before.programs > 0 and after.programs * 2 <= before.programs:
        reasons.append(f"jumlah programnya turun dari {before.programs} menjadi "
                       f"{after.programs}")
    return reasons


def replacement_problem(cfg: Config, replacement: Replacement) -> Problem:
    """The report's warning on the file that replaced a counted plan."""
    opd = cfg.opd_by_code[replacement.opd]
    params = {"opd_name": f"{opd.nama} ({opd.kode})", "found": replacement.text(),
              "file_name": replacement.after.file}
    if replacement.suspicions:
        return Problem(Code.RENCANA_MENGGANTIKAN_CURIGA, file=replacement.after.file,
                       opd=opd.kode,
                       params={**params, "suspicion": "; ".join(replacement.suspicions)})
    return Problem(Code.RENCANA_MENGGANTIKAN, file=replacement.after.file, opd=opd.kode,
                   params=params)


def replacement_line(cfg: Config, replacement: Replacement) -> str:
    """One line for the console and the Ringkasan."""
    opd = cfg.opd_by_code[replacement.opd]
    line = f"{opd.singkatan}: {replacement.text()}"
    if replacement.suspicions:
        return f"PERIKSA {line}; mungkin salah OPD: {'; '.join(replacement.suspicions)}."
    return f"Rencana {line}."


# --- file states -----------------------------------------------------------------------------

def file_state(record: FileRecord, counted: dict[str, tuple[str, str, int]]) -> FileState:
    """A file's status as the operator should read it now: withdrawn over its judgement
    (`FileRecord.standing`), else REPLACED for a plan its OPD's counted plan replaced.

    counted: OPD code -> (path, sha256, arrival number) of its counted plan. A plan file
    that arrived before it, accepted or rejected, was replaced: it needs no action.
    """
    plan = counted.get(record.opd) if record.kind == layout.KIND_PLAN else None
    if (plan and not record.withdrawn and record.carries_judgement
            and record.status is not FileState.IGNORED
            and plan[:2] != (record.path, record.sha256) and record.seq < plan[2]):
        return FileState.REPLACED
    return record.standing


def report_files(cfg: Config, entries: list[tuple[FileRecord, list[Problem]]],
                 counted: dict[str, tuple[str, str, int]], replacements: list[Replacement],
                 ) -> list[FileEntry]:
    """The report's files: each with its state and its problems and, on a file that
    replaced its OPD's counted plan, a warning saying so first (the report only; the
    participant's feedback workbook is about their cells)."""
    by_file = {(r.after.file, r.after.sha256): r for r in replacements}
    files = []
    for record, problems in entries:
        replacement = by_file.get((record.path, record.sha256))
        if replacement:
            problems = [replacement_problem(cfg, replacement), *problems]
        files.append(FileEntry.of_record(record, file_state(record, counted), problems))
    return files


def counted_files(statuses) -> dict[str, tuple[str, str, int]]:
    return {s.kode: (s.counted_file, s.counted_sha256, s.counted_seq)
            for s in statuses if s.counted_sha256}


def missing_counted(held: Holdings) -> list[str]:
    """Lines for counted plans whose file is no longer in the inbox."""
    present = {(r.path, r.sha256) for r in held.files if r.present}
    return [f"{s.counted_file} ({s.singkatan}) sudah tidak ada di inbox/ tetapi tetap dihitung "
            f"(arsip menyimpannya). Untuk menariknya: masterplan tarik \"{s.counted_file}\""
            for s in held.statuses
            if s.counted_sha256 and (s.counted_file, s.counted_sha256) not in present]


