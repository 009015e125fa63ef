"""Check returned Quick Win evaluations against the OPD's accepted Quick Wins.

Reading the file is `pipeline.read.evaluation`; the cell rules are
pipeline.rules.schemas.EVALUATION. `check_quick_wins` needs the ledger's state: every
evaluated program must be one of the OPD's accepted Quick Wins, matched by Nama Program
(normalised key); among Quick Wins of the same name, the row's Baris Rencana (the Quick
Win's row in the plan) says which one, and each is evaluated at most once.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

from .. import layout
from ..catalogue import Code, Problem
from ..read.evaluation import cell_problem
from ..read.normalise import key
from ..read.reading import FilledSheet

# --- the cross-file check ----------------------------------------------------------------

def check_quick_wins(sheet: FilledSheet, records: list[dict[str, Any]],
                     quick_wins: Sequence[tuple[int | None, str]]) -> list[Problem]:
    """Every evaluated program must be one of this OPD's accepted Quick Wins, each
    evaluated once. quick_wins: (row in the plan, Nama Program), in plan order.

    A row is matched by its name; among Quick Wins of that name its Baris Rencana picks
    one, else the first not yet evaluated (templates list them in plan order). Matched
    rows take the plan's own spelling of the name and the Quick Win's plan row
    (`baris_rencana`, what the results are keyed by).
    """
    if not quick_wins:
        return [Problem(Code.EVALUASI_TANPA_QUICK_WIN)]
    by_name: dict[str, list[tuple[int | None, str]]] = {}
    for plan_row, name in quick_wins:
        by_name.setdefault(key(name), []).append((plan_row, name))
    listed = "; ".join(f"'{name}'" for _, name in quick_wins)
    name_column = layout.Column("nama_program", "Nama Program", "prefilled")
    evaluated_at: dict[tuple[int | None, str], int] = {}  # Quick Win -> its Excel row here
    problems = []
    for record in records:
        name_key = record["_name_key"]
        if name_key is None:
            continue  # already reported: a row without a name
        candidates = by_name.get(name_key)
        if not candidates:
            problems.append(cell_problem(sheet, Code.EVALUASI_BUKAN_QUICK_WIN, name_column,
                                         record["_row"], record["nama_program"],
                                         options=listed))
            continue
        named = [c for c in candidates if c[0] == record["_plan_row"]]
        free = [c for c in candidates if c not in evaluated_at]
        chosen = (named or free or candidates)[0]
        if chosen in evaluated_at:
            problems.append(cell_problem(sheet, Code.EVALUASI_GANDA, name_column, record["_row"],
                                         record["nama_program"], found=evaluated_at[chosen]))
            continue
        evaluated_at[chosen] = record["_row"]
        record[layout.PLAN_ROW], record["nama_program"] = chosen
    return problems


def fingerprint(quick_wins: Sequence[tuple[int | None, str]]) -> str:
    """A short hash of a Quick Win set (plan rows and names): an evaluation judged against
    another set is judged again."""
    text = "\n".join(sorted(f"{row}:{key(name)}" for row, name in quick_wins))
    return hashlib.sha256(text.encode()).hexdigest()[:12]
