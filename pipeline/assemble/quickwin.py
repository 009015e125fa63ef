"""Quick Win collection and scoring: the model behind the Quick Win outputs.

- `collect_quick_wins`: the Quick Wins of every OPD's counted plan (the newest accepted
  one, as in the rekap), in dimension, OPD and row order.
- `evaluation_results`: each Quick Win with its newest accepted evaluation, scored.
- `stale_notice`: whether the profiles and evaluation templates of the last
  `masterplan quickwin` still show the accepted Quick Wins.

The writers draw the outputs (`write/templates/evaluation.py`, `write/quickwin_reports.py`);
`workflow.make_quick_win_outputs` runs `masterplan quickwin`.

Percentages are computed against the accepted plan in the ledger, never against the copies
prefilled in the evaluation file. Capaian Target = realised / target x 100; when the target
is 0 (or below) there is nothing to divide by: the percentage stays blank with a note, and
the status is Tercapai, because any realisation (>= 0) meets a target of 0. Serapan
Anggaran = realised / planned budget x 100, blank with a note when the budget is 0. The
status follows Capaian only: Tercapai from `[evaluasi] tercapai` %, Sebagian from
`sebagian` %, else Belum; a Quick Win without an accepted evaluation is Belum dievaluasi.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from .. import layout
from ..common.idtext import number_text
from ..config import Config, Opd
from ..errors import OperatorError
from ..read.normalise import key
from ..results import Holdings, Notice, NoticeKind, PlanStatus, QuickWinStatus, opd_line


@dataclass(frozen=True)
class QuickWin:
    """One Quick Win of an OPD's counted plan."""

    opd: Opd
    program: dict[str, Any]  # the normalised plan row, as stored in the ledger
    file: str | None  # the plan file it comes from

    @property
    def name(self) -> str:
        return self.program["nama_program"]


def collect_quick_wins(cfg: Config, held: Holdings) -> list[QuickWin]:
    """Every accepted Quick Win, by dimension (config order), OPD (config order), row."""
    files = {s.kode: s.counted_file for s in held.statuses}
    dimension_order = {d: i for i, d in enumerate(cfg.dimensions)}
    opd_order = {o.kode: i for i, o in enumerate(cfg.opds)}
    found = [QuickWin(cfg.opd_by_code[kode], program, files.get(kode))
             for kode, programs in held.quick_wins.items() for program in programs]
    return sorted(found, key=lambda q: (dimension_order.get(q.program.get("dimensi"), 99),
                                        opd_order[q.opd.kode], q.program.get("row") or 0))


def by_opd(quick_wins: Sequence[QuickWin]) -> dict[str, list[QuickWin]]:
    """OPD code -> its Quick Wins in plan row order (the order of its evaluation template)."""
    grouped: dict[str, list[QuickWin]] = {}
    for qw in sorted(quick_wins, key=lambda q: q.program.get("row") or 0):
        grouped.setdefault(qw.opd.kode, []).append(qw)
    return grouped


def dimensions_without(cfg: Config, quick_wins: Sequence[QuickWin]) -> list[str]:
    used = {q.program.get("dimensi") for q in quick_wins}
    return [d for d in cfg.dimensions if d not in used]



class NeedsRun(OperatorError):
    """The ledger was judged under another config: `masterplan run` must come first."""

    def __str__(self) -> str:
        return ("Konfigurasi (masterplan.toml) berubah sejak `masterplan run` terakhir. "
                "Jalankan `masterplan run` dulu agar Quick Win mengikuti konfigurasi baru, "
                "lalu `masterplan quickwin` lagi.")



QUICK_WIN_STATE = "quickwin"  # ledger state: the Quick Win sets of the last `quickwin`


def quick_win_sets(quick_wins: Sequence[QuickWin]) -> dict[str, list]:
    """OPD code -> its Quick Wins as (plan row, name), what profiles and templates show."""
    sets: dict[str, list] = {}
    for qw in quick_wins:
        sets.setdefault(qw.opd.kode, []).append([qw.program.get("row"), qw.name])
    return {kode: sorted(items, key=str) for kode, items in sets.items()}


def stale_notice(cfg: Config, held: Holdings, quick_wins: Sequence[QuickWin]) -> Notice | None:
    """A notice, naming the OPDs, when the accepted Quick Wins (collect_quick_wins) differ
    from those of the last `quickwin` (held.states must hold QUICK_WIN_STATE)."""
    made = held.states[QUICK_WIN_STATE]
    if made is None:
        return None
    now = quick_win_sets(quick_wins)
    changed = [opd_line(cfg.opd_by_code[k].singkatan, cfg.opd_by_code[k].nama)
               if k in cfg.opd_by_code else k
               for k in sorted(set(made) | set(now)) if made.get(k) != now.get(k)]
    if not changed:
        return None
    return Notice(f"Quick Win yang diterima berubah sejak `masterplan quickwin` terakhir di "
                  f"{len(changed)} OPD: profil_quick_win.xlsx dan template evaluasi sudah "
                  "usang. Jalankan: masterplan quickwin. OPD yang berubah:",
                  NoticeKind.ATTENTION, items=tuple(changed))



# --- evaluation results ------------------------------------------------------------------

@dataclass
class EvaluationResult:
    quick_win: QuickWin
    target: float | int | None
    budget: int
    realised: float | int | None = None
    spent: int | None = None
    respondents: int | None = None
    satisfaction: float | None = None
    achievement: float | None = None  # Capaian Target (%)
    absorption: float | None = None  # Serapan Anggaran (%)
    status: str = QuickWinStatus.NOT_EVALUATED
    notes: list[str] = field(default_factory=list)
    evidence: str | None = None
    obstacles: str | None = None
    file: str | None = None  # the evaluation file used


def percent(part: float | int | None, whole: float | int | None) -> float | None:
    """part / whole x 100; None when there is nothing to divide by (whole 0 or missing)."""
    if part is None or whole is None or whole <= 0:
        return None
    return part / whole * 100


def status_for(achievement: float | None, cfg: Config) -> str:
    """Status of an evaluated Quick Win; None (target 0 or below) counts as met."""
    if achievement is None or achievement >= cfg.eval_achieved:
        return QuickWinStatus.ACHIEVED
    if achievement >= cfg.eval_partial:
        return QuickWinStatus.PARTIAL
    return QuickWinStatus.NOT_ACHIEVED


def assess(cfg: Config, quick_win: QuickWin, evaluation: dict | None,
           file: str | None, note_missing: str | None = None) -> EvaluationResult:
    qw = cfg.quick_win_year
    target = quick_win.program.get(f"target_{qw}")
    budget = int(quick_win.program.get(f"anggaran_{qw}") or 0)
    result = EvaluationResult(quick_win, target, budget)
    if evaluation is None:
        result.notes.append(note_missing or "Belum ada evaluasi yang diterima.")
        return result
    result.file = file
    result.realised = evaluation.get("realisasi_target")
    result.spent = evaluation.get("realisasi_anggaran")
    result.respondents = evaluation.get("jumlah_responden")
    result.satisfaction = evaluation.get("kepuasan")
    result.evidence = evaluation.get("bukti_dukung")
    result.obstacles = evaluation.get("kendala")
    result.achievement = percent(result.realised, target)
    result.absorption = percent(result.spent, budget)
    result.status = status_for(result.achievement, cfg)
    if result.achievement is None:
        shown = "kosong" if target is None else number_text(target)
        result.notes.append(f"Target {shown}: capaian tidak dapat dihitung; dinilai Tercapai "
                            "karena realisasi tidak di bawah target. Periksa target di rencana.")
    if result.absorption is None:
        result.notes.append("Anggaran rencana 0: serapan tidak dapat dihitung.")
    if result.satisfaction is not None and (result.respondents or 0) < cfg.eval_min_respondents:
        result.notes.append(f"Responden {result.respondents or 0} kurang dari "
                            f"{cfg.eval_min_respondents}: kepuasan kurang dapat dipercaya.")
    if result.satisfaction is None:
        result.notes.append("Kepuasan masyarakat belum diisi.")
    return result


def evaluation_results(cfg: Config, held: Holdings,
                       quick_wins: Sequence[QuickWin]) -> list[EvaluationResult]:
    """Each accepted Quick Win (collect_quick_wins) with its OPD's newest accepted
    evaluation, if any."""
    by_code = {s.kode: s for s in held.statuses}
    # OPD -> the Quick Win's plan row (or, for rows judged before evaluations carried
    # it, its name key) -> evaluation row
    rows = {kode: {_evaluated_quick_win(r): r for r in evaluation}
            for kode, evaluation in held.evaluations.items()}
    results = []
    for quick_win in quick_wins:
        status = by_code[quick_win.opd.kode]
        used = status.evaluated_file
        rejected = status.evaluation_file if status.evaluation_status == PlanStatus.REVISE else None
        note = None
        if used:
            note = f"Tidak diisi di berkas evaluasi {used}."
        if rejected:
            note = f"Berkas evaluasi terbaru ({rejected}) ditolak: lihat laporan validasi."
        own = rows.get(status.kode, {})
        evaluation = own.get(quick_win.program.get("row")) or own.get(key(quick_win.name))
        result = assess(cfg, quick_win, evaluation, used, note)
        if evaluation is not None and rejected:
            result.notes.append(f"Berkas evaluasi terbaru ({rejected}) ditolak; dipakai "
                                "berkas sebelumnya.")
        results.append(result)
    return results


def _evaluated_quick_win(evaluation: dict) -> int | str:
    plan_row = evaluation.get(layout.PLAN_ROW)
    return plan_row if plan_row is not None else key(evaluation["nama_program"])

