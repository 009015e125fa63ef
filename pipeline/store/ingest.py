"""Process the inbox: every file ends in exactly one recorded state.

For each file in `inbox/` (subfolders too; links not followed, see `store.inbox`): archive
its bytes under their hash, then ignore it (lock/temp file), re-use the judgement of bytes
already judged under the same config, or judge it; each file's verdict (a copy, a re-sent
file, an upload claiming another OPD) comes from `store.verdict`. New files are judged
together (one validation call). The inbox is never modified.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from .. import layout
from ..catalogue import Code, Problem, errors_in, render, why_rejected
from ..common.clock import now_iso
from ..config import Config
from ..results import FileRecord, FileState
from ..rules import judge as judge_mod
from ..workspace import Workspace
from .config_key import config_key, config_part, evaluation_key
from .holdings import OpdFiles, evaluable_quick_wins, files_by_opd
from .inbox import Seen, archive, ignore_code, scan
from .ledger import BlobRecord, Ledger
from .verdict import Judged, Known, Verdict, copy_may_count, refused, verdict


@dataclass
class IngestResult:
    files: list[FileRecord] = field(default_factory=list)  # this run's present files
    still_copying: list[str] = field(default_factory=list)
    judged: int = 0  # files parsed in this run (others re-used the ledger)
    problems: dict[str, list] = field(default_factory=dict)  # path -> its Problems (watch)


ARCHIVE_THREADS = 8


def ingest(ws: Workspace, cfg: Config, ledger: Ledger,
           progress: Callable[[int, int, str], None] | None = None) -> IngestResult:
    """Bring the ledger up to date with the inbox under `cfg`, the config in use (its key
    stamps the judgements). The caller holds the run lock."""
    result = IngestResult()
    key = config_key(cfg)
    found, links = scan(ws.inbox) if ws.inbox.is_dir() else ([], [])
    present: list[tuple[str, str]] = []
    to_judge: dict[str, list[Seen]] = {}  # sha -> files holding those bytes

    for rel, target in links:
        sha = "tautan-" + hashlib.sha256(f"{rel}->{target}".encode()).hexdigest()[:32]
        ledger.record_file(rel, sha, 0, 0.0, FileState.IGNORED,
                           render(Code.TAUTAN_DILEWATI, found=target), Code.TAUTAN_DILEWATI)
        present.append((rel, sha))

    # Archiving is mostly waiting for the disk (fsync): several files at a time.
    with ThreadPoolExecutor(ARCHIVE_THREADS) as threads:
        archived = threads.map(functools.partial(archive, ws), found)
        for number, (seen, whole) in enumerate(zip(found, archived, strict=True), start=1):
            if progress:
                progress(number, len(found), seen.rel)
            if not whole:
                result.still_copying.append(seen.rel)
                continue
            present.append((seen.rel, seen.sha256))
            code = ignore_code(seen.rel)
            if code:
                ledger.record_file(seen.rel, seen.sha256, seen.size, seen.mtime,
                                   FileState.IGNORED, render(code), code)
                continue
            if seen.sha256 in to_judge:  # the same new bytes twice in this run
                to_judge[seen.sha256].append(seen)
                continue
            blob = ledger.blob(seen.sha256)
            if blob and config_part(blob.config_key) == key:
                judged = _judged(blob)
                _record(ledger, seen, verdict(cfg, judged, _known(
                    ledger, ws.inbox, seen, judged, ledger.file(seen.rel, seen.sha256)),
                    layout.upload_claim(seen.rel)))
            else:
                seen.known = blob is not None
                to_judge[seen.sha256] = [seen]

    # Bytes judged under another config (period, lists, OPDs changed) are judged again
    # from the archive, so the consolidation always follows the current config.
    for blob in ledger.stored_blobs():
        if config_part(blob.config_key) != key and blob.sha256 not in to_judge:
            to_judge[blob.sha256] = [_archived(ws, blob)]

    quick_wins = evaluable_quick_wins(ledger, cfg) if to_judge else {}
    _judge_and_record(ws, cfg, ledger, to_judge, key, quick_wins)
    result.judged = len(to_judge) + _rejudge_evaluations(ws, cfg, ledger, key)
    ledger.mark_present(present)
    result.files = ledger.files(present_only=True)
    return result


def _judged(blob: BlobRecord) -> Judged:
    return Judged(blob.sha256, blob.status, blob.reason, blob.opd, blob.kind)


def _known(ledger: Ledger, inbox: Path, seen: Seen, judged: Judged,
           this_path: FileRecord | None, judged_now: bool = False) -> Known:
    """What the ledger knows of bytes judged before, for the verdict on `seen` (the other
    holders only when the verdict reads them: no record at this path, or one with a note)."""
    earlier: tuple[FileRecord, ...] = ()
    if this_path is None or this_path.note is not None:
        earlier = tuple(r for r in ledger.files_holding(seen.sha256) if r.path != seen.rel)
    counted, in_inbox = None, False
    if this_path is None and earlier and copy_may_count(judged):
        own = files_by_opd(ledger.files()).get(judged.opd, OpdFiles())
        if judged.kind == layout.KIND_PLAN:
            counted = own.accepted_plans[-1] if own.accepted_plans else None
        else:
            counted = own.accepted_evaluation
        in_inbox = any((inbox / r.path).is_file() for r in earlier)
    return Known(True, judged_now, this_path, earlier, counted, in_inbox)


def _record(ledger: Ledger, seen: Seen, given: Verdict) -> None:
    ledger.record_file(seen.rel, seen.sha256, seen.size, seen.mtime, given.status,
                       given.reason, given.code, given.note)


def _archived(ws: Workspace, blob: BlobRecord) -> Seen:
    """A stored blob to judge again from the archive (not a file seen in this run)."""
    return Seen("", ws.root / blob.archive, sha256=blob.sha256,
                archived=ws.root / blob.archive, known=True)


def _rejudge_evaluations(ws: Workspace, cfg: Config, ledger: Ledger, key: str) -> int:
    """Evaluations judged against another Quick Win set than their OPD's current one.

    Runs after the plan files of this run are recorded, so an evaluation arriving with
    (or before) the plan that makes its programs Quick Wins is accepted in the same run.
    Evaluations never change the Quick Win sets, so one pass settles them.
    """
    blobs = ledger.stored_blobs(layout.KIND_EVALUATION)
    if not blobs:
        return 0
    quick_wins = evaluable_quick_wins(ledger, cfg)
    outdated = {blob.sha256: [_archived(ws, blob)] for blob in blobs
                if blob.config_key != evaluation_key(key, quick_wins.get(blob.opd, []))}
    _judge_and_record(ws, cfg, ledger, outdated, key, quick_wins)
    return len(outdated)


def _judge_and_record(ws: Workspace, cfg: Config, ledger: Ledger,
                      to_judge: dict[str, list[Seen]], key: str,
                      quick_wins: dict[str, list[tuple[int | None, str]]]) -> None:
    shas = list(to_judge)
    # Batches keep memory bounded while still validating many files per pandera call.
    for start in range(0, len(shas), 200):
        batch = shas[start:start + 200]
        paths = [to_judge[sha][0].archived for sha in batch]
        judgements = judge_mod.judge_files(paths, cfg, quick_wins=quick_wins)
        for sha, judgement in zip(batch, judgements, strict=True):
            holders = to_judge[sha]
            # Only bytes judged before need the earlier judgement (none in a first run).
            previous = ledger.blob(sha) if holders[0].known else None
            blob = _blob(ws, ledger, sha, holders[0].archived, judgement, previous, key,
                         quick_wins)
            # Read before save_blob, which gives every file of these bytes the new judgement.
            records = {seen.rel: ledger.file(seen.rel, sha) if previous else None
                       for seen in holders if seen.rel}
            ledger.save_blob(blob, judgement.problems,
                             judgement.programs if blob.status == FileState.ACCEPTED else [],
                             judgement.contact)
            _record_holders(cfg, ledger, ws.inbox, blob, holders, records, previous is not None)


def _record_holders(cfg: Config, ledger: Ledger, inbox: Path, blob: BlobRecord,
                    holders: list[Seen], records: dict[str, FileRecord | None],
                    judged_before: bool) -> None:
    """The verdicts on this run's files holding freshly judged bytes (a re-judged archive
    entry has no rel: not a file seen in this run). Uploads claiming another OPD first,
    then the others in arrival order (the first of new bytes carries the judgement)."""
    judged = _judged(blob)
    holders = [seen for seen in holders if seen.rel]
    claims = {seen.rel: layout.upload_claim(seen.rel) for seen in holders}
    others = []
    for seen in holders:
        claimed = refused(cfg, judged, claims[seen.rel])
        if claimed is None:
            others.append(seen)
        else:
            _record(ledger, seen, claimed)
    for number, seen in enumerate(others):
        if judged_before:
            known = _known(ledger, inbox, seen, judged, records[seen.rel], judged_now=True)
        else:
            known = Known(False, True, first_in_run=others[0].rel if number else None)
        _record(ledger, seen, verdict(cfg, judged, known, claims[seen.rel]))


def _blob(ws: Workspace, ledger: Ledger, sha: str, archived: Path,
          judgement: judge_mod.Judgement, previous: BlobRecord | None, key: str,
          quick_wins: dict[str, list[tuple[int | None, str]]]) -> BlobRecord:
    """The ledger's record of a judgement (the judgement gets the config note first when
    a confirmed config change dropped it)."""
    reason = judgement.reason
    dropped = _dropped_by_config(ledger, previous, judgement, key)
    if dropped:
        note = Problem(Code.KONFIGURASI_BERUBAH,
                       params={"found": why_rejected(judgement.problems)})
        judgement.problems.insert(0, note)
        reason = f"{note.message} {judgement.reason}"
        # Still that OPD's file (a template of another period names no OPD now),
        # so the OPD reads "perlu revisi" with it, not "belum mengumpulkan".
        judgement.opd = judgement.opd or dropped.opd
        judgement.kind = judgement.kind or dropped.kind
        judgement.version = judgement.version or dropped.template_version
    errors = len(errors_in(judgement.problems))
    judged_under = key
    if judgement.kind == layout.KIND_EVALUATION and judgement.opd:
        judged_under = evaluation_key(key, quick_wins.get(judgement.opd, []))
    return BlobRecord(sha256=sha, size=archived.stat().st_size,
                      archive=archived.relative_to(ws.root).as_posix(),
                      status=judgement.status, reason=reason, opd=judgement.opd,
                      kind=judgement.kind, template_version=judgement.version,
                      config_key=judged_under, judged_at=now_iso(),
                      n_programs=len(judgement.programs), n_errors=errors,
                      n_warnings=len(judgement.problems) - errors)


def _dropped_by_config(ledger: Ledger, old: BlobRecord | None,
                       judgement: judge_mod.Judgement, key: str) -> BlobRecord | None:
    """The earlier judgement of bytes accepted under an earlier config and rejected under
    this one (run with --terima-konfigurasi), else None. Their judgement then says so first
    (KONFIGURASI_BERUBAH), and keeps saying so while they stay rejected through later
    config changes."""
    if (judgement.status != FileState.REJECTED or old is None
            or config_part(old.config_key) == key):
        return None
    if old.status == FileState.ACCEPTED or any(p.code == Code.KONFIGURASI_BERUBAH
                                               for p in ledger.problems(old.sha256)):
        return old
    return None
