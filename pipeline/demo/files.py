"""Writing the demo's submissions into inbox/ as they arrive at a workshop.

Each submission is filled into its OPD's template (`filling.fill_plan`), then given what
its scenario asks for: a renamed header, a re-save through headless LibreOffice, the
Office lock file left beside it, a second download. Round 2's correction is typed into
the feedback workbook, as the participant is invited to.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

from .. import layout
from .. import workspace as workspace_mod
from ..results import FileState
from .mistakes import Planted, Submission

LIBREOFFICE_TIMEOUT = 120  # seconds; a first start with a fresh profile takes a while

def _rename_header(path: Path, old: str, new: str) -> None:
    from openpyxl import load_workbook

    book = load_workbook(path)
    sheet = book[layout.SHEET_PROGRAM]
    for cell in sheet[layout.PROGRAM_HEADER_ROW]:
        if cell.value == old:
            cell.value = new
    book.save(path)


def _lock_bytes(owner: str) -> bytes:
    """Roughly what Excel leaves beside an open workbook: the owner's name, twice, padded."""
    ansi = owner[:53].encode("latin-1", "replace")
    wide = owner[:53].encode("utf-16-le")
    return bytes([len(ansi)]) + ansi.ljust(53, b" ") + wide.ljust(110, b"\x00")


def find_soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def resave_with_libreoffice(path: Path, soffice: str, work: Path) -> str | None:
    """Open and save `path` in place with headless LibreOffice; None, or why it failed.

    A private profile keeps it from clashing with a LibreOffice the operator has open.
    The process group is killed on timeout (soffice starts a child process).
    """
    source_dir, out_dir, profile = work / "lo_in", work / "lo_out", work / "lo_profile"
    source_dir.mkdir(parents=True, exist_ok=True)
    source = source_dir / "berkas.xlsx"  # a plain name: no quoting trouble on any platform
    shutil.copyfile(path, source)
    command = [soffice, "--headless", "--norestore", f"-env:UserInstallation={profile.as_uri()}",
               "--convert-to", "xlsx", "--outdir", str(out_dir), str(source)]
    try:
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                   start_new_session=True)
    except OSError as exc:
        return f"LibreOffice tidak dapat dijalankan ({exc})"
    try:
        process.communicate(timeout=LIBREOFFICE_TIMEOUT)
    except subprocess.TimeoutExpired:
        _kill_group(process)
        return f"LibreOffice tidak selesai dalam {LIBREOFFICE_TIMEOUT} detik"
    except BaseException:  # Ctrl-C: its own session does not get it, so stop it here
        _kill_group(process)
        raise
    result = out_dir / "berkas.xlsx"
    if process.returncode != 0 or not result.is_file() or result.stat().st_size == 0:
        return f"LibreOffice gagal menyimpan berkas (kode {process.returncode})"
    shutil.copyfile(result, path)
    return None


def _kill_group(process: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    process.communicate()


def write_round_one(submissions: list[Submission], ws: workspace_mod.Workspace,
                    soffice: str | None, echo: Callable[[str], None]) -> str | None:
    """Drop every submission into inbox/; returns the file re-saved by LibreOffice."""
    from .filling import fill_plan

    libreoffice_file = None
    with tempfile.TemporaryDirectory(prefix="masterplan_demo_") as tmp:
        for sub in submissions:
            target = ws.inbox / sub.name
            template = ws.templates / layout.template_filename(sub.opd)
            fill_plan(template, target, sub.rows, sub.identity)
            if sub.rename_header:
                _rename_header(target, *sub.rename_header)
            if sub.libreoffice and soffice:
                why = resave_with_libreoffice(target, soffice, Path(tmp))
                if why:
                    echo(f"  Catatan: {why}; berkas {sub.name} dikirim tanpa LibreOffice.")
                else:
                    libreoffice_file = sub.name
                    sub.planted.append(Planted(
                        sub.opd.kode, sub.name, "Dibuka dan disimpan ulang dengan LibreOffice "
                        "Calc (bukan Excel)", FileState.ACCEPTED))
            if sub.lock_file:
                lock = target.with_name("~$" + target.name)
                lock.write_bytes(_lock_bytes(sub.identity["nama_pengisi"]))
            if sub.duplicate:
                shutil.copyfile(target, ws.inbox / sub.duplicate)
    return libreoffice_file


def write_correction(sub: Submission, ws: workspace_mod.Workspace) -> str:
    """Round 2: the participant fixes the marked cells in the feedback workbook and sends
    it back under a new name (as the feedback invites); without one, refills the template."""
    from openpyxl import load_workbook

    from .filling import fill_plan

    assert sub.correction and sub.clean_rows is not None
    target = ws.inbox / sub.correction
    feedback = ws.output / layout.FEEDBACK_DIR / layout.feedback_name(sub.name)
    fixes = [p for p in sub.planted if p.code and p.cell and p.row]
    how = "memperbaiki sel yang ditandai di berkas umpan balik"
    try:
        book = load_workbook(feedback)
        sheet = book[layout.SHEET_PROGRAM]
        for p in fixes:
            sheet[p.cell].value = p.expected
        book.save(target)
    except Exception:  # no feedback workbook (or unreadable): the participant starts over
        fill_plan(ws.templates / layout.template_filename(sub.opd), target, sub.clean_rows,
                  sub.identity)
        how = "mengisi ulang template"
    return how
