"""`masterplan pantau`: the budget documents in `anggaran/` against the accepted plans.

The orchestration (as workflow.py is for the other commands): the accepted plans are read
the way the book reads them (store.holdings.read_holdings -> assemble.consolidate),
every file under `anggaran/` is looked at (store.inbox.scan; lock and temp files set
aside as in the inbox), hashed, read once per distinct content (read.budget_docs), and
of two documents of one year and stage the newer counts. assemble.monitoring makes the
figures, write.monitoring writes them. Files in `anggaran/` are only ever read.
"""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from .assemble import consolidate
from .assemble.monitoring import Monitoring, monitor
from .catalogue import Code, ConsoleLine
from .common.clock import now_iso
from .common.isolation import Crashed, Pool, time_limit
from .common.parallel import cores
from .config import Config
from .read.budget_docs import BudgetDocument, SetAside, read_task, set_aside, stage_label
from .read.references import load_config
from .results import OpdStatus, PlanStatus
from .store import inbox
from .store.holdings import read_holdings
from .store.session import locked_ledger
from .workspace import Workspace


@dataclass
class Collected:
    documents: list[BudgetDocument] = field(default_factory=list)
    set_aside: list[SetAside] = field(default_factory=list)  # in the order found


@dataclass
class PantauResult:
    collected: Collected
    monitoring: Monitoring | None  # None when no document could be read
    workbook: Path | None = None
    csv: Path | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        return 0 if self.collected.documents else 2


def pantau(ws: Workspace, wait_seconds: float = 30.0) -> PantauResult:
    """Read `anggaran/`, compare with the accepted plans, write the workbook and CSV."""
    from .write.monitoring import write_monitoring

    cfg = load_config(ws)
    wide, warnings = accepted_programs(ws, cfg, wait_seconds)
    collected = collect(ws.budget_docs, cfg)
    result = PantauResult(collected, None, warnings=warnings)
    if not collected.documents:
        return result
    result.monitoring = monitor(cfg, wide, collected.documents)
    result.workbook, result.csv = write_monitoring(ws.output, cfg, result.monitoring,
                                                   collected.set_aside, now_iso())
    return result


def budget_monitoring(ws: Workspace, cfg: Config, wide) -> Monitoring | None:
    """The figures of the documents in `anggaran/` (`masterplan book`'s chapter); None
    when no document can be read."""
    collected = collect(ws.budget_docs, cfg)
    return monitor(cfg, wide, collected.documents) if collected.documents else None


def accepted_programs(ws: Workspace, cfg: Config, wait_seconds: float):
    """The consolidated accepted programs (Consolidated.wide), as the book reads them."""
    with locked_ledger(ws, wait_seconds, create=False) as ledger:
        held = read_holdings(ledger, cfg) if ledger is not None else None
    if held is None:
        statuses = [OpdStatus(o.kode, o.nama, o.singkatan, PlanStatus.MISSING) for o in cfg.opds]
        cons = consolidate.build(cfg, statuses, [])
    else:
        cons, _ = consolidate.of_counted_plans(cfg, held)
    return cons.wide, ([ConsoleLine.TANPA_RENCANA_DITERIMA.render()] if cons.wide.empty else [])


# A whole regency's download is tens of thousands of rows (a 50,000-row rekap: ~3 s on a
# quiet core): a document gets this many times a returned template's time limit.
DOCUMENT_TIME_FACTOR = 4


def collect(folder: Path, cfg: Config) -> Collected:
    """Every document under `folder`, read or set aside; one per year and stage.

    Distinct contents are read on both cores, in reader processes (common.isolation);
    what comes back is the documents' compact rows."""
    out = Collected()
    if not folder.is_dir():
        return out
    seen, links = inbox.scan(folder)
    for rel, target in links:
        out.set_aside.append(set_aside(rel, Code.TAUTAN_DILEWATI, found=target))
    by_content: dict[str, str] = {}
    to_read: list[tuple[Path, str, str, float]] = []
    for file in seen:  # arrival order: file time, then name
        ignored = inbox.ignore_code(file.rel)
        if ignored:
            out.set_aside.append(set_aside(file.rel, ignored))
            continue
        sha = _sha256(file.path)
        if not sha:
            out.set_aside.append(set_aside(file.rel, Code.ANGGARAN_TIDAK_TERBACA,
                                           detail="berkas tidak dapat dibuka"))
        elif sha in by_content:
            out.set_aside.append(set_aside(file.rel, Code.BERKAS_SAMA, found=by_content[sha]))
        else:
            by_content[sha] = file.rel
            to_read.append((file.path, file.rel, sha, file.mtime))
    years = range(cfg.first_year, cfg.first_year + cfg.n_years)
    task = functools.partial(read_task, years=years)
    kept: dict[tuple[int, str], BudgetDocument] = {}
    for document in _read_isolated(task, to_read):  # in arrival order
        if isinstance(document, SetAside):
            out.set_aside.append(document)
            continue
        older = kept.get((document.year, document.stage))
        if older is not None:
            out.set_aside.append(set_aside(
                older.file, Code.ANGGARAN_DIGANTI, expected=document.file,
                found=f"{stage_label(older.stage)} {older.year}"))
        kept[(document.year, document.stage)] = document
    out.documents = list(kept.values())
    return out


def _read_isolated(task, to_read: list[tuple[Path, str, str, float]]) -> list:
    """task(item) for each document, in reader processes that may die without taking
    pantau along (common.isolation), on both cores: a document that kills its reader or
    runs it out of memory or time is set aside like one that cannot be opened, the others
    are read. When no reader process can be started at all, they are read here."""
    if not to_read:
        return []
    readers = Pool(min(cores(), len(to_read)), warm=_warm_reader,
                   seconds=DOCUMENT_TIME_FACTOR * time_limit())
    try:
        outcomes = readers.map_or_here(task, to_read)
    finally:
        readers.close()
    return [set_aside(item[1], Code.ANGGARAN_TIDAK_TERBACA,
                      detail=f"pembacanya berhenti ({outcome.detail})")
            if isinstance(outcome, Crashed) else outcome
            for item, outcome in zip(to_read, outcomes, strict=True)]


def _warm_reader() -> None:
    from .read import budget_docs  # noqa: F401  (calamine, the SIPD reader, rapidfuzz)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    try:
        with path.open("rb") as f:
            while chunk := f.read(1 << 20):
                digest.update(chunk)
    except OSError:
        return ""
    return digest.hexdigest()
