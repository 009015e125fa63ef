"""The upload desk: from a handed-in file to its answer, without HTTP.

`UploadDesk.opd_for` checks an access code; `store` names a staged upload (`door`) into
`inbox/unggah/`, under the suffix of its bytes (never over another file: the name is
taken with a hard link, or with an exclusive create where the disk has no links, e.g. a
FAT USB stick); `answer` hands it to the watcher and waits for its verdict, which
becomes an `Answer`.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from urllib.parse import quote

from .. import layout
from ..catalogue import Code, Problem, Refusal, Severity, Stall
from ..config import Config, Opd
from ..read.sniff import suffix_of
from ..results import FileState
from ..store.access import AccessCodes
from ..store.verdict import claim_refused
from ..watch import Verdict, Watcher
from ..workspace import Workspace
from ..write.feedback.folder import feedback_of

# An upload's answer waits this long for the watcher (a busy workspace, a config being
# fixed); after that the participant is told the file is kept and will be judged.
ANSWER_TIMEOUT_SECONDS = 60.0
PENDING = "pending"
LABELS = {**{state: state.label for state in FileState}, PENDING: "menunggu"}
_STAGING = "unggah_sementara"  # under .masterplan/: same disk as the inbox, never scanned
# A stored upload's name, as layout.upload_name makes it (feedback names add a suffix).
_STORED_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,199}")


@dataclass
class Answer:
    """What the participant reads after handing in a file."""

    status: str  # FileState.ACCEPTED / FileState.REJECTED / FileState.IGNORED (results), or PENDING
    reason: str
    opd: Opd  # the OPD whose access code sent it
    file: str  # where it is in the inbox (unggah/...)
    given_name: str  # the name on the participant's machine
    problems: list[Problem] = field(default_factory=list)
    feedback: str | None = None  # name for /umpan-balik/<name>, when there is a workbook
    of_earlier_copy: bool = False  # an ignored copy: the problems are the earlier file's

    @property
    def label(self) -> str:
        return LABELS[self.status]

    @property
    def errors(self) -> int:
        return sum(p.severity == Severity.ERROR for p in self.problems)

    @property
    def warnings(self) -> int:
        return len(self.problems) - self.errors

    def to_json(self, base_url: str) -> dict:
        return {
            "status": self.label,
            "opd": self.opd.kode,
            "nama_opd": self.opd.nama,
            "berkas": self.file,
            "nama_asli": self.given_name,
            "alasan": self.reason,
            "masalah": [{"sheet": p.sheet, "sel": p.cell, "kolom": p.column,
                         "nilai": None if p.value is None else str(p.value), "kode": p.code,
                         "tingkat": Severity(p.severity).label.lower(), "pesan": p.message}
                        for p in self.problems],
            "umpan_balik": f"{base_url}umpan-balik/{quote(self.feedback)}"
                           if self.feedback else None,
        }


class UploadDesk:
    def __init__(self, ws: Workspace, cfg: Config, watcher: Watcher, urls: list[str],
                 watcher_alive: Callable[[], bool] = lambda: True):
        self.ws, self.cfg, self.watcher = ws, cfg, watcher
        self.urls = urls  # the addresses the server printed: links never use Host
        self.watcher_alive = watcher_alive
        self.staging = ws.state / _STAGING
        self.codes = AccessCodes(ws.state)
        self.limit_bytes = cfg.upload_limit_mb * 1024 * 1024

    def clear_staging(self) -> None:
        """Remove what a server killed mid-upload left in the staging folder."""
        for leftover in self.staging.glob("*") if self.staging.is_dir() else []:
            with contextlib.suppress(OSError):
                leftover.unlink()

    def opd_for(self, given_code: str | None) -> Opd | None:
        """The OPD whose access code this is (read anew: `masterplan akses --baru` takes
        effect at once)."""
        kode = AccessCodes.opd_of(self.codes.load(), given_code,
                                  [o.kode for o in self.cfg.opds])
        return self.cfg.opd_by_code[kode] if kode else None

    def store(self, opd: Opd, given_name: str, staged: Path) -> str:
        """Give a staged upload its name in inbox/unggah/ (whole before it appears there,
        ending in the format its bytes are: read.sniff); its path relative to the inbox."""
        folder = self.ws.inbox / layout.UPLOAD_DIR
        folder.mkdir(parents=True, exist_ok=True)
        try:
            with open(staged, "rb+") as f:
                os.fsync(f.fileno())
                suffix = suffix_of(f)
            at = datetime.now().strftime("%Y%m%d-%H%M%S")
            for attempt in range(1, 1000):
                stamp = at if attempt == 1 else f"{at}-{attempt}"
                target = folder / layout.upload_name(opd.kode, stamp, given_name, suffix)
                rel = f"{layout.UPLOAD_DIR}/{target.name}"
                self.watcher.expect(rel)
                if _claim(staged, target):
                    return rel
                self.watcher.expect(rel, coming=False)
            raise FileExistsError(target)
        finally:
            with contextlib.suppress(FileNotFoundError):
                staged.unlink()

    async def answer(self, rel: str, opd: Opd, given_name: str) -> Answer:
        """Hand the stored file to the watcher and wait for its verdict."""
        try:
            verdict: Verdict = await asyncio.wait_for(
                asyncio.wrap_future(self.watcher.hand_in(rel)), ANSWER_TIMEOUT_SECONDS)
        except (TimeoutError, OSError):
            return Answer(PENDING, Refusal.PEMERIKSAAN_TERTUNDA.render(), opd, rel,
                          given_name)
        return self.answer_of(verdict, opd, given_name)

    def answer_of(self, verdict: Verdict, opd: Opd, given_name: str) -> Answer:
        record = verdict.record
        status = record.status
        problems = list(verdict.problems)
        if record.code is Code.UNGGAH_OPD_LAIN:
            problems = [claim_refused(self.cfg, opd.kode, record.opd)]
        feedback = verdict.feedback.name if verdict.feedback else None
        reason = record.reason
        if status == FileState.REJECTED:
            reason += (" Rencana OPD Anda yang sudah diterima sebelumnya (bila ada) tetap "
                       "dipakai sampai berkas perbaikan diterima.")
        return Answer(status, reason, opd, record.path, given_name, problems, feedback,
                      of_earlier_copy=record.code is Code.BERKAS_SAMA and bool(problems))

    def feedback_file(self, opd: Opd, name: str) -> Path | None:
        """The feedback workbook of one of this OPD's uploads, if it has one now (None for
        a name no upload can have: too long, or with characters a stored name never has)."""
        if not _STORED_NAME.fullmatch(name):
            return None
        rel = f"{layout.UPLOAD_DIR}/{name}"
        if layout.upload_claim(rel) != opd.kode:
            return None
        try:
            return feedback_of(self.ws.output, rel)
        except OSError:
            return None

    def base_url(self, local: tuple[str, int] | None) -> str:
        """The printed address a participant reached: the one of the socket's own local
        address (`local`, from the kernel, never from the request), else the first."""
        if local:
            host, port = local
            url = f"http://[{host}]:{port}/" if ":" in host else f"http://{host}:{port}/"
            if url in self.urls:
                return url
        return self.urls[0]

    def stall(self) -> Stall | None:
        """Why the watcher cannot judge now (None while it can)."""
        if not self.watcher_alive():
            return Stall.TAK_TERDUGA
        return self.watcher.stall


def _claim(tmp: Path, target: Path) -> bool:
    """Give `tmp`'s bytes the name `target` unless that name is taken; True when done."""
    try:
        os.link(tmp, target)
        return True
    except FileExistsError:
        return False
    except OSError:  # no hard links on this disk: an exclusive create, then the bytes
        try:
            with open(target, "xb") as out, open(tmp, "rb") as src:
                shutil.copyfileobj(src, out, 1024 * 1024)
            return True
        except FileExistsError:
            return False

