"""The CLI as the operator runs it, for the tests of a workshop's slips (test_tarik,
test_replacements, test_config_guard, test_status): commands, the report and status JSON,
rekap figures."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
from pathlib import Path

from click.testing import CliRunner
from openpyxl import load_workbook
from plans import DISHUB, good_row, make_plan

from pipeline.cli import main

DISKOMINFO = "2.16.01"
BAPPERIDA = "5.01.01"


def cli(*args: str, columns: int = 200):
    return CliRunner(env={"COLUMNS": str(columns)}).invoke(main, list(args),
                                                            catch_exceptions=False)


def run(ws, *extra: str):
    result = cli("run", "--workspace", str(ws.root), *extra)
    assert result.exit_code == 0, result.output
    return result


def report(ws) -> dict:
    return json.loads((ws.output / "laporan_validasi.json").read_text("utf-8"))


def status_json(ws) -> dict:
    result = cli("status", "--workspace", str(ws.root), "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def rekap_total(ws) -> int:
    sheet = load_workbook(ws.output / "rekap_masterplan.xlsx", read_only=True)["OPD per Tahun"]
    rows = list(sheet.iter_rows(values_only=True))
    total_row = next(r for r in rows if r and r[0] == "Total")
    return int(total_row[-1])


def ringkasan_text(ws) -> str:
    sheet = load_workbook(ws.output / "rekap_masterplan.xlsx", read_only=True)["Ringkasan"]
    return "\n".join(str(v) for row in sheet.iter_rows(values_only=True) for v in row if v)


def kominfo_rows(cfg) -> list[dict]:
    first = cfg.first_year
    return [good_row(cfg, nama_program=name, **{f"anggaran_{first}": amount,
                                                 f"anggaran_{first + 1}": None})
            for name, amount in (("Satu Data Tapteng", 3_000_000_000),
                                 ("Command Center", 4_000_000_000),
                                 ("Literasi Digital Desa", 250_000_000))]


def files_of(ws) -> dict[str, dict]:
    return {f["file"]: f for f in report(ws)["files"]}


def counted_file(ws, kode: str) -> str:
    return next(o for o in status_json(ws)["opd"] if o["kode"] == kode)["counted_file"]


def two_versions(cfg, ws, tmp_path) -> Path:
    """Dishub's v1 (Rp 325.000.000) replaced by v2 (Rp 7.250.000.000); returns v1."""
    v1 = make_plan(cfg, tmp_path / "tpl", ws.inbox / "v1.xlsx", DISHUB, [good_row(cfg)])
    run(ws)
    make_plan(cfg, tmp_path / "tpl", ws.inbox / "v2.xlsx", DISHUB, kominfo_rows(cfg))
    run(ws)
    assert counted_file(ws, DISHUB) == "v2.xlsx"
    return v1


def dinkes_reminder(ws) -> str:
    messages = cli("status", "--pesan", "--workspace", str(ws.root)).output
    return messages.split("=== Dinkes")[1].split("\n===")[0]


def next_period(cfg, ws) -> None:
    text = ws.config_path.read_text("utf-8")
    text = text.replace(f"tahun_awal = {cfg.first_year}", f"tahun_awal = {cfg.first_year + 1}")
    text = text.replace(f"tahun_quick_win = {cfg.quick_win_year}",
                        f"tahun_quick_win = {cfg.quick_win_year + 1}")
    ws.config_path.write_text(text, "utf-8")


def waiting_for_the_lock(process: subprocess.Popen, lock: Path) -> bool:
    """The process has the run lock file open (it waits for the lock: test holds it)."""
    fds = Path(f"/proc/{process.pid}/fd")
    with contextlib.suppress(OSError):
        return any(os.readlink(fd) == str(lock) for fd in fds.iterdir())
    return False
