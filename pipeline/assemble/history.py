"""What the operator must see about the counted plans, so no total changes unseen.

- replacements: an OPD's counted plan replaced its previous one (with a mix-up check:
  a file named after another OPD, another filler, a total or program count halved);
- file states: files replaced by a newer accepted plan (`diganti`) or withdrawn
  (`ditarik`, `masterplan tarik`);
- counted files no longer in the inbox;
- changes: what each run changed since the previous run (new files, plans replaced or
  withdrawn, each changed OPD's total before and after, the new grand total).

Everything here reads the ledger's `Holdings` (store/holdings.py), never the ledger.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from .. import layout
from ..catalogue import Code, Problem
from ..common.idtext import rupiah
from ..config import Config
from ..errors import OperatorError
from ..read.normalise import key
from ..results import FileEntry, FileState, Holdings, Notice, NoticeKind


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

def file_state(row: Mapping[str, Any], counted: dict[str, tuple[str, str, int]]) -> FileState:
    """A file's status as the operator should read it now.

    counted: OPD code -> (path, sha256, arrival number) of its counted plan. A plan file
    that arrived before it, accepted or rejected, was replaced: it needs no action.
    """
    if row.get("withdrawn_at"):
        return FileState.WITHDRAWN
    plan = counted.get(row.get("opd")) if row.get("kind") == layout.KIND_PLAN else None
    if (plan and not row["code"] and row["status"] != FileState.IGNORED
            and plan[:2] != (row["path"], row["sha256"]) and row["seq"] < plan[2]):
        return FileState.REPLACED
    return FileState(row["status"])


def report_files(cfg: Config, entries: list[tuple[dict, list[Problem]]],
                 counted: dict[str, tuple[str, str, int]], replacements: list[Replacement],
                 ) -> list[FileEntry]:
    """The report's files: each with its state and its problems and, on a file that
    replaced its OPD's counted plan, a warning saying so first (the report only; the
    participant's feedback workbook is about their cells)."""
    by_file = {(r.after.file, r.after.sha256): r for r in replacements}
    files = []
    for row, problems in entries:
        replacement = by_file.get((row["path"], row["sha256"]))
        if replacement:
            problems = [replacement_problem(cfg, replacement), *problems]
        files.append(FileEntry.of_row(row, file_state(row, counted), problems))
    return files


def counted_files(statuses) -> dict[str, tuple[str, str, int]]:
    return {s.kode: (s.counted_file, s.counted_sha256, s.counted_seq)
            for s in statuses if s.counted_sha256}


def missing_counted(held: Holdings) -> list[str]:
    """Lines for counted plans whose file is no longer in the inbox."""
    present = {(r["path"], r["sha256"]) for r in held.files if r["present"]}
    return [f"{s.counted_file} ({s.singkatan}) sudah tidak ada di inbox/ tetapi tetap dihitung "
            f"(arsip menyimpannya). Untuk menariknya: masterplan tarik \"{s.counted_file}\""
            for s in held.statuses
            if s.counted_sha256 and (s.counted_file, s.counted_sha256) not in present]


# --- what changed since the previous run ------------------------------------------------------

SNAPSHOT = "counted"  # ledger state key: what the last run counted


def snapshot(held: Holdings) -> dict[str, Any]:
    opds = {s.kode: {"file": s.counted_file, "sha256": s.counted_sha256,
                     "programs": s.n_programs, "total": held.plans[s.counted_sha256].total}
            for s in held.statuses if s.counted_sha256}
    # Files numbered after last_seq arrived since: also when `masterplan watch` recorded
    # them before its refresh ran.
    return {"opd": opds, "total": sum(o["total"] for o in opds.values()),
            "last_seq": held.last_seq}


def changes(cfg: Config, held: Holdings, before: dict[str, Any],
            after: dict[str, Any]) -> dict[str, Any]:
    """New files (of those present) and their verdicts; each OPD whose counted plan
    changed; grand totals."""
    new_files = [f for f in held.files if f["present"] and f["seq"] > before.get("last_seq", 0)]
    withdrawn = {(r["path"], r["sha256"]) for r in held.files if r["withdrawn_at"]}
    order = {o.kode: i for i, o in enumerate(cfg.opds)}  # config order; unknown codes last
    opds = []
    for kode in sorted(set(before["opd"]) | set(after["opd"]),
                       key=lambda k: order.get(k, len(order))):
        old, new = before["opd"].get(kode), after["opd"].get(kode)
        if old and new and (old["sha256"], old["total"]) == (new["sha256"], new["total"]):
            continue
        if old is None:
            why = "rencana pertama diterima"
        elif old and (old["file"], old["sha256"]) in withdrawn:
            why = "berkas ditarik"
        elif new is None:
            why = ("OPD tidak ada lagi di konfigurasi" if kode not in cfg.opd_by_code
                   else "tidak lagi diterima")
        elif old["sha256"] == new["sha256"]:
            why = "dihitung ulang"
        else:
            why = "diganti berkas baru"
        opd = cfg.opd_by_code.get(kode)
        opds.append({"opd": kode, "singkatan": opd.singkatan if opd else kode, "why": why,
                     "before": old, "after": new})
    return {"new_files": [{"file": f["path"], "opd": f.get("opd"), "status": f["status"],
                           "reason": f["reason"]} for f in new_files],
            "opd": opds, "total_before": before["total"], "total_after": after["total"]}


def attention(cfg: Config, held: Holdings, replacements: list[Replacement],
              changes: dict[str, Any], stale_quick_wins: str | None) -> list[str]:
    """Lines for the Ringkasan's "Perlu Perhatian" and the console, most urgent first:
    likely mix-ups (until the file is withdrawn or replaced), this run's replacements,
    counted files gone from the inbox, stale Quick Win outputs (`quickwin.stale_notice`)."""
    changed = {item["opd"] for item in changes["opd"]}
    lines = [replacement_line(cfg, r) for r in replacements if r.suspicions]
    lines += [replacement_line(cfg, r) for r in replacements
              if r.opd in changed and not r.suspicions]
    lines += missing_counted(held)
    if stale_quick_wins:
        lines.append(stale_quick_wins)
    return lines


def notices(cfg: Config, held: Holdings, replacements: list[Replacement],
            changes: dict[str, Any], stale_quick_wins: str | None) -> list[Notice]:
    """This run's notices from the history, tagged: the attention lines, then the change
    note (see results.NoticeKind for where each is shown)."""
    mixups = {replacement_line(cfg, r) for r in replacements if r.suspicions}
    return [*(Notice(line, NoticeKind.ATTENTION, urgent=line in mixups)
              for line in attention(cfg, held, replacements, changes, stale_quick_wins)),
            *(Notice(line, NoticeKind.CHANGE) for line in change_note(changes))]


def change_note(changes: dict[str, Any]) -> list[str]:
    """The Ringkasan's line on what this run changed (the console prints the details)."""
    n_new = len(changes["new_files"])
    if not (changes["opd"] or n_new):
        return []
    return [f"Sejak proses sebelumnya: {n_new} berkas baru, {len(changes['opd'])} OPD berubah; "
            f"total anggaran {rupiah(changes['total_before'])} -> "
            f"{rupiah(changes['total_after'])}."]


def change_lines(change: dict[str, Any]) -> list[str]:
    """The changes as short Indonesian lines, for the console and the Ringkasan."""
    lines = []
    for item in change["opd"]:
        old, new = item["before"], item["after"]
        old_text = f"{rupiah(old['total'])} ({old['programs']} program)" if old else "-"
        new_text = f"{rupiah(new['total'])} ({new['programs']} program)" if new else "-"
        lines.append(f"{item['singkatan']}: {item['why']}; {old_text} -> {new_text}")
    if lines:
        lines.append(f"Total anggaran: {rupiah(change['total_before'])} -> "
                     f"{rupiah(change['total_after'])}")
    return lines


# --- masterplan tarik ---------------------------------------------------------------------------

class UnknownFile(OperatorError):
    def __init__(self, given: str):
        self.given = given

    def __str__(self) -> str:
        return (f"Berkas '{self.given}' tidak ada dalam catatan pipeline. Tulis nama berkas "
                "seperti di laporan validasi atau `masterplan status` (relatif terhadap inbox/), "
                "atau jalur ke berkas itu di inbox/.")


def inbox_name(ws, known: set[str], given: str) -> str:
    """The ledger's name of a file (`known`: every path the ledger holds), as the report
    names it or as a path to it."""
    text = given.replace("\\", "/")
    candidates = [text, text.removeprefix("./"), text.removeprefix("inbox/")]
    path = Path(given)
    for base in (Path.cwd(), ws.root):
        full = (path if path.is_absolute() else base / path).resolve()
        if full.is_relative_to(ws.inbox.resolve()):
            candidates.append(full.relative_to(ws.inbox.resolve()).as_posix())
    for name in candidates:
        if name in known:
            return name
    raise UnknownFile(given)


@dataclass
class Withdrawal:
    file: str
    sha256: str
    opd: str | None
    undone: bool
    counted: PlanRef | None  # what the OPD counts now (after the next run's outputs)


class NotWithdrawn(OperatorError):
    def __init__(self, name: str):
        self.name = name

    def __str__(self) -> str:
        return f"Berkas '{self.name}' tidak sedang ditarik; tidak ada yang dibatalkan."
