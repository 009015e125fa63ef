"""`masterplan tarik`: naming the file to withdraw, and what the withdrawal did."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import OperatorError
from .replacements import PlanRef

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
