"""Process the inbox: every file ends in exactly one recorded state.

For each file in `inbox/` (subfolders too; links not followed): archive its bytes under
their hash, then ignore it (lock/temp file, byte-identical copy), re-use the judgement of
bytes already judged under the same config, or judge it. New files are judged together
(one validation call). The inbox is never modified.
"""

from __future__ import annotations

import functools
import hashlib
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from .. import layout
from ..catalogue import Code, Problem, errors_in, render, why_rejected
from ..config import Config
from ..results import FileState
from ..rules import judge as judge_mod
from ..workspace import Workspace
from .archive import archive_copy
from .holdings import OpdFiles, evaluable_quick_wins, files_by_opd
from .ledger import Blob, Ledger, now_iso

# Names participants' machines leave behind; never a submission.
_TEMP_SUFFIXES = (*layout.TEMP_SUFFIXES, "~")
_TEMP_NAMES = {"thumbs.db", "desktop.ini", ".ds_store"}

# An evaluation's judgement also depends on its OPD's accepted Quick Wins: its blob's
# config_key is "<config key>+qw:<fingerprint of that Quick Win set>", so an evaluation
# is judged again when the set changes (a revised plan), and only then.
_QW_MARK = "+qw:"


@dataclass
class Seen:
    rel: str  # path relative to the inbox, with forward slashes
    path: Path
    size: int = 0
    mtime: float = 0.0
    sha256: str = ""
    archived: Path | None = None
    known: bool = False  # its bytes were judged before (another config, another name)


@dataclass
class IngestResult:
    files: list[dict] = field(default_factory=list)  # this run's present files, for the summary
    still_copying: list[str] = field(default_factory=list)
    judged: int = 0  # files parsed in this run (others re-used the ledger)
    problems: dict[str, list] = field(default_factory=dict)  # path -> its Problems (watch)


def config_key(ws: Workspace) -> str:
    """Judgements depend on the config and the [rujukan] lists it names: a change of
    either re-judges from the archive. Without lists, the hash of the config alone."""
    data = ws.config_path.read_bytes()
    lists = _reference_digest(ws, data)
    return hashlib.sha256(data + lists.encode()).hexdigest()[:16]


def _reference_digest(ws: Workspace, data: bytes) -> str:
    if b"rujukan" not in data:
        return ""
    from ..config import load
    from ..read.references import files_digest

    return files_digest(ws.root, load(ws.config_path).reference_files)


def judged_under_other_config(ws: Workspace, ledger: Ledger) -> bool:
    """True when stored judgements predate the current config (`run` has not run since)."""
    key = config_key(ws)
    return any(config_part(stored) != key for stored in ledger.config_keys())


def config_part(blob_key: str) -> str:
    return blob_key.split(_QW_MARK, 1)[0]


def evaluation_key(key: str, quick_wins: Sequence[tuple[int | None, str]]) -> str:
    from ..rules.evaluation import fingerprint

    return f"{key}{_QW_MARK}{fingerprint(quick_wins)}"


def ignore_code(rel: str) -> str | None:
    parts = rel.split("/")
    name = parts[-1]
    if name.startswith("~$"):
        return Code.BERKAS_KUNCI
    lowered = name.lower()
    if (any(p.startswith(".") for p in parts) or lowered in _TEMP_NAMES
            or lowered.endswith(_TEMP_SUFFIXES) or name.startswith("~")
            or "__macosx" in (p.lower() for p in parts)):
        return Code.BERKAS_SEMENTARA
    return None


def scan(inbox: Path) -> tuple[list[Seen], list[tuple[str, str]]]:
    """Files under the inbox, and links found (not followed): (rel, target)."""
    files: list[Seen] = []
    links: list[tuple[str, str]] = []
    for dirpath, dirnames, filenames in os.walk(inbox, followlinks=False):
        base = Path(dirpath)
        for name in sorted(dirnames):
            if (base / name).is_symlink():
                links.append((_rel(inbox, base / name), os.readlink(base / name)))
        dirnames.sort()
        for name in sorted(filenames):
            path = base / name
            rel = _rel(inbox, path)
            if path.is_symlink():
                links.append((rel, os.readlink(path)))
            elif path.is_file():
                files.append(Seen(rel, path, mtime=path.stat().st_mtime))
    # Arrival order: file time, then name (shortest stem first, so 'X.xlsx' comes before
    # its copies 'X - Copy.xlsx' and 'X (1).xlsx', which keep its time on Windows). The
    # ledger numbers files in this order: of identical bytes the first one counts, and of
    # two plans of one OPD the later one is the newer.
    files.sort(key=lambda seen: (seen.mtime, Path(seen.rel).stem, seen.rel))
    return files, links


def _rel(inbox: Path, path: Path) -> str:
    return path.relative_to(inbox).as_posix()


def _archive(ws: Workspace, seen: Seen) -> bool:
    """Archive a file's bytes; False when it changed while being copied (or vanished)."""
    try:
        before = seen.path.stat()
        sha, size, archived = archive_copy(seen.path, ws.archive)
        after = seen.path.stat()
    except OSError:
        return False
    if (before.st_size, before.st_mtime_ns) != (after.st_size, after.st_mtime_ns):
        return False
    seen.sha256, seen.size, seen.mtime, seen.archived = sha, size, after.st_mtime, archived
    return True


ARCHIVE_THREADS = 8


def ingest(ws: Workspace, cfg: Config, ledger: Ledger,
           progress: Callable[[int, int, str], None] | None = None) -> IngestResult:
    """Bring the ledger up to date with the inbox. The caller holds the run lock."""
    result = IngestResult()
    key = config_key(ws)
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
        archived = threads.map(functools.partial(_archive, ws), found)
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
                _record_known(cfg, ledger, seen, blob, ws.inbox)
            else:
                seen.known = blob is not None
                to_judge[seen.sha256] = [seen]

    # Bytes judged under another config (period, lists, OPDs changed) are judged again
    # from the archive, so the consolidation always follows the current config.
    for row in ledger.stored_blobs():
        if config_part(row["config_key"]) != key and row["sha256"] not in to_judge:
            to_judge[row["sha256"]] = [_archived(ws, row)]

    quick_wins = evaluable_quick_wins(ledger, cfg) if to_judge else {}
    _judge_and_record(ws, cfg, ledger, to_judge, key, quick_wins)
    result.judged = len(to_judge) + _rejudge_evaluations(ws, cfg, ledger, key)
    ledger.mark_present(present)
    result.files = [dict(r) for r in ledger.files(present_only=True)]
    return result


def _archived(ws: Workspace, row) -> Seen:
    """A stored blob to judge again from the archive (not a file seen in this run)."""
    return Seen("", ws.root / row["archive"], sha256=row["sha256"],
                archived=ws.root / row["archive"], known=True)


def _rejudge_evaluations(ws: Workspace, cfg: Config, ledger: Ledger, key: str) -> int:
    """Evaluations judged against another Quick Win set than their OPD's current one.

    Runs after the plan files of this run are recorded, so an evaluation arriving with
    (or before) the plan that makes its programs Quick Wins is accepted in the same run.
    Evaluations never change the Quick Win sets, so one pass settles them.
    """
    rows = ledger.stored_blobs(layout.KIND_EVALUATION)
    if not rows:
        return 0
    quick_wins = evaluable_quick_wins(ledger, cfg)
    outdated = {row["sha256"]: [_archived(ws, row)] for row in rows
                if row["config_key"] != evaluation_key(key, quick_wins.get(row["opd"], []))}
    _judge_and_record(ws, cfg, ledger, outdated, key, quick_wins)
    return len(outdated)


def _record_known(cfg: Config, ledger: Ledger, seen: Seen, blob: Blob, inbox: Path) -> None:
    """Bytes already judged: same path again, or the same bytes under another name."""
    if _refuse_claim(cfg, ledger, seen, blob.opd):
        return
    row = ledger.file(seen.rel, seen.sha256)
    if row:
        ledger.record_file(seen.rel, seen.sha256, seen.size, seen.mtime, row["status"],
                           row["reason"], row["code"])
        return
    first = ledger.first_path_of(seen.sha256, seen.rel)
    if first:
        status, reason, code = _copy_verdict(ledger, seen, blob, first, inbox)
        ledger.record_file(seen.rel, seen.sha256, seen.size, seen.mtime, status, reason, code)
    else:
        ledger.record_file(seen.rel, seen.sha256, seen.size, seen.mtime, blob.status,
                           blob.reason)


def _copy_verdict(ledger: Ledger, seen: Seen, blob: Blob, first: str,
                  inbox: Path) -> tuple[str, str, str | None]:
    """Status, reason and code of known bytes arriving under a new name (`first`: the
    earliest file that held them).

    A copy is ignored (BERKAS_SAMA), except an accepted file sent again after a newer file
    of its OPD replaced it: that is the OPD's newest submission, recorded with its
    judgement (so it counts again) and a line saying so. Still ignored: a copy of the
    file its OPD counts now (also a second copy in the same run), a copy of withdrawn
    bytes (BERKAS_SAMA_DITARIK: the operator withdrew them on purpose) and, outside
    `inbox/unggah/`, a copy whose earlier files all left the inbox (a file moved or
    renamed inside the inbox, not sent again).
    """
    same = (FileState.IGNORED, render(Code.BERKAS_SAMA, found=first), Code.BERKAS_SAMA)
    if (blob.status != FileState.ACCEPTED or not blob.opd
            or blob.kind not in (layout.KIND_PLAN, layout.KIND_EVALUATION)):
        return same
    own = files_by_opd(ledger.files()).get(blob.opd, OpdFiles())
    if blob.kind == layout.KIND_PLAN:
        counted = own.accepted_plans[-1] if own.accepted_plans else None
    else:
        counted = own.accepted_evaluation
    if counted and counted["sha256"] == seen.sha256:
        return (FileState.IGNORED, render(Code.BERKAS_SAMA, found=counted["path"]),
                Code.BERKAS_SAMA)
    earlier = [row for row in ledger.files_holding(seen.sha256) if row["path"] != seen.rel]
    withdrawn = next((row for row in earlier if row["withdrawn_at"]), None)
    if withdrawn:
        return (FileState.IGNORED,
                render(Code.BERKAS_SAMA_DITARIK, found=withdrawn["path"]),
                Code.BERKAS_SAMA_DITARIK)
    if layout.upload_claim(seen.rel) is None and not any(
            (inbox / row["path"]).is_file() for row in earlier):
        return same
    return (blob.status, f"{blob.reason} {render(Code.BERKAS_DIHITUNG_LAGI, found=first)}",
            None)


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
            archived = holders[0].archived
            reason = judgement.reason
            # Only bytes judged before need the earlier judgement (none in a first run).
            previous = ledger.blob(sha) if holders[0].known else None
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
            blob = Blob(sha256=sha, size=archived.stat().st_size,
                        archive=archived.relative_to(ws.root).as_posix(),
                        status=judgement.status, reason=reason, opd=judgement.opd,
                        kind=judgement.kind,
                        template_version=judgement.version, config_key=judged_under,
                        judged_at=now_iso(), n_programs=len(judgement.programs),
                        n_errors=errors,
                        n_warnings=len(judgement.problems) - errors)
            programs = judgement.programs if judgement.status == FileState.ACCEPTED else []
            # Read before save_blob, which gives every arrival of these bytes its reason.
            rows = {seen.rel: ledger.file(seen.rel, sha) if previous else None
                    for seen in holders if seen.rel}
            ledger.save_blob(blob, judgement.problems, programs, judgement.contact)
            holders = [seen for seen in holders
                       if seen.rel and not _refuse_claim(cfg, ledger, seen, blob.opd)]
            # (a re-judged archive entry has no rel: not a file seen in this run)
            for number, seen in enumerate(holders):
                verdict: tuple[str, str, str | None] = (blob.status, blob.reason, None)
                row = rows[seen.rel]
                if row is not None:  # judged before: an arrival stays one, a copy a copy
                    if row["code"] in (Code.BERKAS_SAMA, Code.BERKAS_SAMA_DITARIK):
                        verdict = (row["status"], row["reason"], row["code"])
                    elif (blob.status == FileState.ACCEPTED and previous
                          and row["reason"].startswith(f"{previous.reason} ")):
                        # a line added to the reason (BERKAS_DIHITUNG_LAGI) stays
                        note = row["reason"][len(previous.reason):]
                        verdict = (blob.status, f"{blob.reason}{note}", None)
                elif previous is not None:  # bytes known before, judged again (new config)
                    first = ledger.first_path_of(sha, seen.rel)
                    if first:
                        verdict = _copy_verdict(ledger, seen, blob, first, ws.inbox)
                elif number > 0:
                    verdict = (FileState.IGNORED, render(Code.BERKAS_SAMA, found=holders[0].rel),
                               Code.BERKAS_SAMA)
                ledger.record_file(seen.rel, sha, seen.size, seen.mtime, *verdict)


def _dropped_by_config(ledger: Ledger, old: Blob | None, judgement: judge_mod.Judgement,
                       key: str) -> Blob | None:
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


def _refuse_claim(cfg: Config, ledger: Ledger, seen: Seen, opd: str | None) -> bool:
    """An upload sent with one OPD's access code (its name says which, see
    layout.upload_claim) whose template belongs to another OPD is rejected and counted for
    neither; True when it was."""
    claim = layout.upload_claim(seen.rel)
    if claim is None or opd is None or claim == opd:
        return False
    ledger.record_file(seen.rel, seen.sha256, seen.size, seen.mtime, FileState.REJECTED,
                       claim_refused(cfg, claim, opd).message, Code.UNGGAH_OPD_LAIN)
    return True


def claim_refused(cfg: Config, claim: str, opd: str) -> Problem:
    """The problem of an upload sent with `claim`'s access code holding `opd`'s template."""
    return Problem(Code.UNGGAH_OPD_LAIN, opd=opd, params={"found": cfg.opd_label(opd),
                                                          "expected": cfg.opd_label(claim)})


def check(paths: list[Path], cfg: Config, ledger_path: Path | None = None,
          ) -> list[tuple[Path, judge_mod.Judgement]]:
    """Judge files without writing to any ledger (the `check` command).

    An evaluation file is checked against the Quick Wins accepted in the workspace's
    ledger, read when it exists.
    """
    quick_wins: dict[str, list[tuple[int | None, str]]] = {}
    if ledger_path is not None and ledger_path.is_file():
        ledger = Ledger(ledger_path)
        try:
            quick_wins = evaluable_quick_wins(ledger, cfg)
        finally:
            ledger.close()
    judgements = judge_mod.judge_files(paths, cfg, quick_wins=quick_wins)
    for path, judgement in zip(paths, judgements, strict=True):
        for problem in judgement.problems:
            problem.file = path.name
            problem.opd = judgement.opd
    return list(zip(paths, judgements, strict=True))
