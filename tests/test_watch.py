"""`masterplan watch` end to end: a real process on a temporary workspace, files dropped
into its inbox, verdict lines and outputs checked, stopped with SIGINT."""

from __future__ import annotations

import json
import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from lxml import html
from openpyxl import load_workbook
from plans import DINKES, DISHUB, good_row, make_plan

from pipeline import layout
from pipeline.layout import feedback_name
from pipeline.store.lock import run_lock

TIMEOUT = 90.0  # seconds; generous, the machine may be busy
STOPPED = "Pemantauan dihentikan; semua keluaran sudah tersimpan."


class Watch:
    """A running `masterplan watch`, its stdout read line by line."""

    def __init__(self, ws, *options: str, env: dict | None = None):
        self.process = subprocess.Popen(
            [sys.executable, "-m", "pipeline", "watch", "--workspace", str(ws.root), *options],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            env={**os.environ, "COLUMNS": "300", **(env or {})}, start_new_session=True)
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))

    def wait_for(self, text: str) -> str:
        """The next line containing text (earlier lines are kept in self.seen)."""
        deadline = time.monotonic() + TIMEOUT
        while True:
            try:
                line = self.lines.get(timeout=max(0.1, deadline - time.monotonic()))
            except queue.Empty:
                raise AssertionError(f"no line with {text!r}; seen: {self.seen}") from None
            self.seen.append(line)
            if text in line:
                return line

    def stop(self) -> tuple[int, str]:
        """Ctrl-C: SIGINT to the whole process group, as a terminal sends it (worker
        processes included); the exit code and stderr."""
        os.killpg(self.process.pid, signal.SIGINT)
        code = self.process.wait(timeout=TIMEOUT)
        time.sleep(0.1)  # let the reader thread take the last lines
        while not self.lines.empty():
            self.seen.append(self.lines.get())
        return code, self.process.stderr.read()

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


@pytest.fixture
def watching(workspace):
    """Start `masterplan watch` with options; killed at the end if a test failed."""
    started: list[Watch] = []

    def start(*options: str, env: dict | None = None) -> Watch:
        started.append(Watch(workspace, *options, env=env))
        return started[-1]

    yield start
    for running in started:
        running.kill()


@pytest.fixture
def watch(watching):
    return watching()


def copy_slowly(source: Path, target: Path) -> None:
    """Copy in two pieces with a short pause, as a copying tool writes a file in place."""
    data = source.read_bytes()
    with target.open("wb") as out:
        out.write(data[: len(data) // 2])
        out.flush()
        time.sleep(0.15)
        out.write(data[len(data) // 2:])


def test_watch_answers_each_file_then_refreshes_and_stops_cleanly(cfg, workspace, watch,
                                                                  tmp_path):
    good = make_plan(cfg, tmp_path / "t", tmp_path / "dinkes.xlsx", DINKES, [good_row(cfg)])
    bad = make_plan(cfg, tmp_path / "t", tmp_path / "dishub.xlsx", DISHUB,
                    [good_row(cfg, dimensi="Smart Kota")])
    watch.wait_for("Tekan Ctrl-C")
    assert "36 belum mengumpulkan" in "\n".join(watch.seen)
    board = workspace.output / layout.BOARD_NAME
    assert board.is_file()

    copy_slowly(good, workspace.inbox / "dinkes.xlsx")
    line = watch.wait_for("dinkes.xlsx")
    assert f"DITERIMA dinkes.xlsx (OPD {DINKES}): Diterima; 1 program" in line
    copy_slowly(bad, workspace.inbox / "dishub.xlsx")
    line = watch.wait_for("dishub.xlsx")
    assert f"DITOLAK dishub.xlsx (OPD {DISHUB})" in line
    feedback = workspace.output / "umpan_balik" / feedback_name("dishub.xlsx")
    assert line.endswith(f"kirim ulang. Umpan balik: {feedback}")
    # The feedback workbook is there when its line is printed, with its notes sheet.
    book = load_workbook(feedback)
    assert any("PILIHAN_TIDAK_DIKENAL" in str(cell.value)
               for sheet in book.worksheets for row in sheet.iter_rows() for cell in row)

    line = watch.wait_for("diperbarui")
    assert "1 diterima" in line and "1 perlu revisi" in line and "34 belum" in line
    # Every output of a run is up to date: reports, rekap, board.
    report = json.loads((workspace.output / "laporan_validasi.json").read_text("utf-8"))
    assert {f["file"]: f["status"] for f in report["files"]} == {
        "dinkes.xlsx": "accepted", "dishub.xlsx": "rejected"}
    rekap = load_workbook(workspace.output / "rekap_masterplan.xlsx", read_only=True)
    assert any(row and "Layanan Akta Kelahiran Terintegrasi Puskesmas" in row
               for sheet in rekap.worksheets for row in sheet.iter_rows(values_only=True))
    tiles = {t.get("data-opd"): t.text_content()
             for t in html.fromstring(board.read_text("utf-8")).xpath("//div[@data-opd]")}
    assert tiles[DINKES].endswith("diterima") and "perlu revisi" in tiles[DISHUB]

    code, stderr = watch.stop()
    assert code == 0
    assert watch.seen[-1] == STOPPED
    assert "Traceback" not in stderr and "KeyboardInterrupt" not in stderr, stderr
    assert not list(workspace.output.rglob(".*.tmp*"))


@pytest.mark.parametrize("options", [(), ("--polling",)], ids=["events", "polling"])
def test_files_arriving_together_cause_one_refresh(cfg, workspace, watching, tmp_path,
                                                   options):
    staged = [make_plan(cfg, tmp_path / "t", tmp_path / f"{code}.xlsx", code, [good_row(cfg)])
              for code in (DINKES, DISHUB)]
    watch = watching(*options)
    watch.wait_for("Tekan Ctrl-C")
    for path in staged:
        shutil.copyfile(path, workspace.inbox / path.name)
    watch.wait_for("diperbarui")
    time.sleep(2.5)  # a second refresh would come within the quiet period + a run
    code, stderr = watch.stop()
    after_start = watch.seen[watch.seen.index(next(s for s in watch.seen if "Tekan" in s)):]
    assert sum("diperbarui" in line for line in after_start) == 1, watch.seen
    assert sum("DITERIMA" in line for line in after_start) == 2
    assert code == 0 and "Traceback" not in stderr


def test_watch_waits_for_a_run_holding_the_lock(cfg, workspace, watch, tmp_path):
    staged = make_plan(cfg, tmp_path / "t", tmp_path / "dinkes.xlsx", DINKES, [good_row(cfg)])
    watch.wait_for("Tekan Ctrl-C")
    with run_lock(workspace.state):  # as `masterplan run` in another terminal holds it
        shutil.copyfile(staged, workspace.inbox / "dinkes.xlsx")
        watch.wait_for("Proses lain")
        time.sleep(1.5)
        assert not any("DITERIMA" in line for line in watch.seen)
    assert "DITERIMA" in watch.wait_for("dinkes.xlsx")
    code, stderr = watch.stop()
    assert code == 0 and "Traceback" not in stderr


def test_watch_waits_while_a_config_change_would_drop_plans(cfg, workspace, watch,
                                                             tmp_path):
    staged = make_plan(cfg, tmp_path / "t", tmp_path / "dinkes.xlsx", DINKES, [good_row(cfg)])
    shutil.copyfile(staged, workspace.inbox / "dinkes.xlsx")
    watch.wait_for("diperbarui")
    rekap = (workspace.output / "rekap_masterplan.xlsx").read_bytes()
    text = workspace.config_path.read_text("utf-8")
    for key, year in (("tahun_awal", cfg.first_year), ("tahun_quick_win", cfg.quick_win_year)):
        text = text.replace(f"{key} = {year}", f"{key} = {year + 1}")
    workspace.config_path.write_text(text, "utf-8")
    other = make_plan(cfg, tmp_path / "t", tmp_path / "dishub.xlsx", DISHUB, [good_row(cfg)])
    shutil.copyfile(other, workspace.inbox / "dishub.xlsx")
    watch.wait_for("--terima-konfigurasi")
    # One line per plan that would drop, under the summary sentence.
    assert any(seen.strip().startswith("• Dinkes (") and "dinkes.xlsx" in seen
               for seen in watch.seen)
    time.sleep(1.5)
    assert not any("dishub.xlsx" in seen for seen in watch.seen)
    assert (workspace.output / "rekap_masterplan.xlsx").read_bytes() == rekap
    code, stderr = watch.stop()
    assert code == 0 and "Traceback" not in stderr


def test_ctrl_c_during_work_ends_cleanly_with_whole_outputs(cfg, workspace, watch, tmp_path):
    # Enough files for the judging to start a worker process, which gets Ctrl-C too.
    codes = [opd.kode for opd in cfg.opds[:10]]
    staged = [make_plan(cfg, tmp_path / "t", tmp_path / f"{code}.xlsx", code, [good_row(cfg)])
              for code in codes]
    watch.wait_for("Tekan Ctrl-C")
    for path in staged:
        shutil.copyfile(path, workspace.inbox / path.name)
    time.sleep(0.8)  # the copies are complete (0.35 s) and the judging has begun
    code, stderr = watch.stop()
    assert code == 0
    assert watch.seen[-1] == STOPPED
    assert "Traceback" not in stderr, stderr
    assert not list(workspace.output.rglob(".*.tmp*"))
    assert not list(workspace.archive.rglob(".incoming-*"))
    load_workbook(workspace.output / "rekap_masterplan.xlsx", read_only=True)
    # The files Ctrl-C came between are all judged by the next run, none lost.
    result = subprocess.run([sys.executable, "-m", "pipeline", "status", "-w",
                             str(workspace.root), "--json"], capture_output=True, text=True,
                            timeout=TIMEOUT, check=True)
    assert len(json.loads(result.stdout)["files"]) in (0, len(codes))


def test_buka_opens_the_board_in_the_default_browser(workspace, watching, tmp_path):
    # The default browser is whatever $BROWSER names: here a script noting the address.
    opened = tmp_path / "opened.txt"
    browser = tmp_path / "browser"
    browser.write_text(f"#!/bin/sh\necho \"$1\" > '{opened}'\n")
    browser.chmod(0o755)
    watch = watching("--buka", env={"BROWSER": str(browser)})
    watch.wait_for("Tekan Ctrl-C")
    deadline = time.monotonic() + TIMEOUT
    while not opened.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    board = (workspace.output / layout.BOARD_NAME).resolve()
    assert opened.read_text().strip() == board.as_uri()
    code, stderr = watch.stop()
    assert code == 0 and "Traceback" not in stderr


def test_watch_refuses_a_workspace_without_config(tmp_path):
    result = subprocess.run([sys.executable, "-m", "pipeline", "watch", "-w", str(tmp_path)],
                            capture_output=True, text=True, timeout=TIMEOUT, check=False)
    assert result.returncode == 2
    assert "masterplan.toml" in result.stderr and "Traceback" not in result.stderr


def test_an_upload_announced_by_the_desk_does_not_wait_as_a_copy_in_progress(workspace):
    """The desk announces an upload (Watcher.expect) before its file appears whole: the
    file's own event must not mark it as still being copied, which would hold back every
    other arrival of the batch for the copy check; handed in, it is ready at once."""
    from pipeline.watch import STABLE_SECONDS, Events, Watcher

    watcher = Watcher(workspace, Events(lambda found: None, lambda summary: None,
                                        lambda text: None))
    rel = f"{layout.UPLOAD_DIR}/9.0001_20261207-090000_rencana.xlsx"
    path = workspace.inbox / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    watcher.expect(rel)
    path.write_bytes(b"PK")
    now = time.monotonic()
    watcher._changed(path, now)
    assert rel not in watcher.pending and watcher.refresh_due

    watcher.hand_in(rel)
    watcher._take_handed_in()
    assert rel not in watcher.arriving and watcher._all_stable(now)

    # A file nobody announced (a USB copy) still waits until its size stops changing.
    other = workspace.inbox / "usb.xlsx"
    other.write_bytes(b"PK")
    watcher._changed(other, now)
    assert not watcher._all_stable(now + STABLE_SECONDS / 2)
