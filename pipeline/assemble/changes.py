"""What each run changed since the previous one, and the notices it gives.

New files, plans replaced or withdrawn, each changed OPD's total before and after, the
new grand total (kept in the ledger's state as a snapshot of what was counted); the
attention lines and the change note, as tagged `results.Notice`s.
"""

from __future__ import annotations

from typing import Any

from ..common.idtext import rupiah
from ..config import Config
from ..results import Holdings, Notice, NoticeKind
from .replacements import Replacement, missing_counted, replacement_line

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
    new_files = [f for f in held.files if f.present and f.seq > before.get("last_seq", 0)]
    withdrawn = {(r.path, r.sha256) for r in held.files if r.withdrawn}
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
    return {"new_files": [{"file": f.path, "opd": f.opd, "status": f.status,
                           "reason": f.reason} for f in new_files],
            "opd": opds, "total_before": before["total"], "total_after": after["total"]}


def notices(cfg: Config, held: Holdings, replacements: list[Replacement],
            changes: dict[str, Any], stale_quick_wins: Notice | None) -> list[Notice]:
    """This run's notices from the history, tagged (see results.NoticeKind for where each
    is shown), most urgent first: likely mix-ups (until the file is withdrawn or
    replaced), this run's replacements, counted files gone from the inbox, stale Quick
    Win outputs (`quickwin.stale_notice`); then the change note."""
    changed = {item["opd"] for item in changes["opd"]}
    attention = [Notice(replacement_line(cfg, r), NoticeKind.ATTENTION, urgent=True)
                 for r in replacements if r.suspicions]
    attention += [Notice(replacement_line(cfg, r), NoticeKind.ATTENTION)
                  for r in replacements if r.opd in changed and not r.suspicions]
    attention += [Notice(line, NoticeKind.ATTENTION) for line in missing_counted(held)]
    if stale_quick_wins:
        attention.append(stale_quick_wins)
    return [*attention, *(Notice(line, NoticeKind.CHANGE) for line in change_note(changes))]


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


