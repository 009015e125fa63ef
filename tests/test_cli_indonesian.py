"""What the operator reads from the CLI is Indonesian, click's own chrome included;
Ctrl-C stops a run cleanly (exit 130, no traceback from any
process, workers gone) and the next run is right."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from plans import good_row, make_plan

from pipeline import cli_indonesian
from pipeline import workspace as workspace_mod
from pipeline.cli import main
from pipeline.interrupt import INTERRUPTED, INTERRUPTED_EXIT

ENGLISH = ("Usage", "Options", "Commands", "Error", "Try ", "No such", "Missing", "Show this",
           "does not exist", "INTEGER", "DIRECTORY", "[OPTIONS]", "COMMAND", "default:",
           "Aborted", "not a valid", "Did you mean", "Traceback")


def cli(*args: str):
    return CliRunner().invoke(main, list(args), prog_name="masterplan")


@pytest.mark.parametrize("args", [
    ["--help"], ["run", "--help"], ["check", "--help"], ["demo", "--help"], ["status", "-h"],
    ["run", "--nope"], ["check"], ["chek"], ["demo", "--seed", "abc"], ["run", "--wait"],
    ["templates", "extra"],
])
def test_help_and_usage_errors_are_indonesian(args):
    result = cli(*args)
    assert result.exit_code == (0 if {"--help", "-h"} & set(args) else 2), result.output
    for word in ENGLISH:
        assert word not in result.output, (word, result.output)
    if result.exit_code == 2:
        assert result.output.count("Kesalahan:") == 1
    else:
        assert "Penggunaan: masterplan" in result.output and "Opsi:" in result.output


def test_usage_errors_say_what_is_wrong():
    assert "Opsi '--nope' tidak ada" in cli("run", "--nope").output
    assert "Mungkin maksudnya 'check'?" in cli("chek").output
    assert "Argumen belum diisi: 'BERKAS_ATAU_FOLDER...'" in cli("check").output
    assert "'abc' bukan angka yang sah" in cli("demo", "--seed", "abc").output
    assert "Opsi '--wait' memerlukan nilai" in cli("run", "--wait").output


# Messages about mistakes in the program's own declarations, never a user's.
FOR_DEVELOPERS = {
    "Could not determine name for option with declarations {decls!r}",
    "No options defined but a name was passed ({name}). Did you mean to declare an argument "
    "instead? Did you mean to pass '--{name}'?",
    "Arguments take exactly one parameter declaration, got {length}: {decls}.",
    "Name '{name}' defined twice", "Boolean option {decl!r} cannot use the same flag for "
    "true/false.", "Unknown color {colour!r}", "Unknown standard stream '{name}'",
    "Choice({choices})",
}


def test_every_message_click_can_show_a_user_has_a_translation():
    """Read from click's own source, so a newer click with new messages fails here."""
    import ast
    import importlib
    import inspect

    marked: dict[str, set[tuple[str, ...]]] = {"_": set(), "ngettext": set()}
    for name in cli_indonesian._CLICK_MODULES:
        tree = ast.parse(inspect.getsource(importlib.import_module(f"click.{name}")))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
                    and node.func.id in marked:
                texts = tuple(a.value for a in node.args if isinstance(a, ast.Constant)
                              and isinstance(a.value, str))
                if texts:
                    marked[node.func.id].add(texts)
    untranslated = {texts[0] for texts in marked["_"] if texts[0] not in cli_indonesian._MESSAGES}
    untranslated |= {texts[0] for texts in marked["ngettext"]
                     if texts[:2] not in cli_indonesian._PLURALS}
    assert len(marked["_"]) > 50 and len(marked["ngettext"]) > 5  # click's source was read
    assert untranslated <= FOR_DEVELOPERS, untranslated - FOR_DEVELOPERS
    assert cli_indonesian.ngettext("Option {name!r} requires an argument.",
                           "Option {name!r} requires {nargs} arguments.", 2) == \
        "Opsi {name!r} memerlukan {nargs} nilai."


# --- check takes folders ----------------------------------------------------------------

# --- Ctrl-C -----------------------------------------------------------------------------

def test_ctrl_c_swallowed_on_its_way_still_ends_the_command_as_interrupted():
    group = cli_indonesian.Group("g")

    @group.command()
    def swallow() -> None:
        try:
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(5)
        except KeyboardInterrupt:
            pass  # as Python does with an exception raised inside a __del__
        click.echo("selesai")

    # What the command found (Python's default, or SIG_IGN when this test process was
    # started in the background with Ctrl-C ignored) is what it leaves behind.
    before = signal.getsignal(signal.SIGINT)
    result = CliRunner().invoke(group, ["swallow"])
    assert result.exit_code == INTERRUPTED_EXIT
    assert "selesai" in result.output and INTERRUPTED in result.output
    assert signal.getsignal(signal.SIGINT) is before  # restored


def test_ctrl_c_in_a_command_is_one_indonesian_line_and_exit_130():
    group = cli_indonesian.Group("g")

    @group.command()
    def wait() -> None:
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(5)

    result = CliRunner().invoke(group, ["wait"])
    assert result.exit_code == INTERRUPTED_EXIT
    assert result.output.strip() == INTERRUPTED


def inbox_of(cfg, root: Path, tmp_path: Path, copies: int) -> workspace_mod.Workspace:
    """A workspace with `copies` distinct files: six filled plans, each copied with its
    own zip comment (other bytes, same content), enough for worker processes."""
    ws = workspace_mod.init(root)
    bases = [make_plan(cfg, tmp_path / "tpl", tmp_path / f"base_{code}.xlsx", code,
                       [good_row(cfg, nama_program=f"Program {code} {i}") for i in range(30)])
             for code in [o.kode for o in cfg.opds[:6]]]
    for n in range(copies):
        target = ws.inbox / f"kiriman_{n:03d}.xlsx"
        shutil.copy(bases[n % len(bases)], target)
        with zipfile.ZipFile(target, "a") as package:
            package.comment = f"salinan {n}".encode()
    return ws


def run_cli(ws: workspace_mod.Workspace) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipeline", "run", "--workspace",
                           str(ws.root)], capture_output=True, text=True, timeout=300)


def other_processes_in_group(group: int) -> list[int]:
    """Processes of a process group besides its leader (Linux: read from /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # ended while we looked
        if int(fields[2]) == group and int(stat.parent.name) != group:
            found.append(int(stat.parent.name))
    return found


def interrupt_run(ws: workspace_mod.Workspace, ready, settle: float,
                  ) -> subprocess.CompletedProcess:
    """Start `masterplan run` in its own process group, and `settle` seconds after
    ready(group) holds, press Ctrl-C as a terminal does: SIGINT to every process of the
    group."""
    process = subprocess.Popen([sys.executable, "-m", "pipeline", "run", "--workspace",
                                str(ws.root)], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, start_new_session=True)
    deadline = time.monotonic() + 120
    while not ready(process.pid) and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    time.sleep(settle)
    os.killpg(process.pid, signal.SIGINT)
    out, err = process.communicate(timeout=120)
    for _ in range(250):  # every worker (and helper) process of the run is gone
        try:
            os.killpg(process.pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.02)
    else:
        pytest.fail("processes of the interrupted run are still alive")
    return subprocess.CompletedProcess(process.args, process.returncode, out, err)


def outputs(ws: workspace_mod.Workspace) -> dict:
    report = json.loads((ws.output / "laporan_validasi.json").read_text("utf-8"))
    status = json.loads(cli("status", "--workspace", str(ws.root), "--json").output)
    return {
        "program.csv": (ws.output / "data" / "program.csv").read_bytes(),
        "anggaran.csv": (ws.output / "data" / "anggaran.csv").read_bytes(),
        "files": [(f["file"], f["status"], f["reason"]) for f in report["files"]],
        "problems": [(p["file"], p["code"], p["cell"]) for p in report["problems"]],
        "opd": [(o["kode"], o["status"], o["file"], o["programs"]) for o in status["opd"]],
        "feedback": sorted(p.name for p in (ws.output / "umpan_balik").iterdir()),
    }


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc (Linux)")
def test_ctrl_c_stops_a_run_cleanly_and_the_next_run_is_right(cfg, tmp_path):
    clean = inbox_of(cfg, tmp_path / "bersih", tmp_path, copies=300)
    interrupted = workspace_mod.Workspace(tmp_path / "disela")
    shutil.copytree(clean.root, interrupted.root)
    assert run_cli(clean).returncode == 0

    phases = {  # (ready, settle): as the workers start up and judge, then while outputs
        # are written (a worker writes the feedback workbooks and the CSVs)
        "starting workers": (other_processes_in_group, 0.1),
        "judging": (other_processes_in_group, 0.6),
        "writing": (lambda _: (interrupted.output / "laporan_validasi.json").exists(), 0),
    }
    for phase, (ready, settle) in phases.items():
        result = interrupt_run(interrupted, ready, settle)
        # 130, or ended by the signal itself after the line was printed: a race in Python's
        # own exit (about 1 run in 10 under load, seen before and after this round's
        # changes), which the shell reports as 130 too. The line, no traceback, no temp
        # file and a right next run are what the operator relies on.
        assert result.returncode in (INTERRUPTED_EXIT, -signal.SIGINT), \
            (phase, result.stdout, result.stderr)
        said = result.stdout + result.stderr
        assert INTERRUPTED in said, phase
        for word in ("Traceback", "KeyboardInterrupt", "InvalidStateError", "CANCELLED",
                     "Aborted"):
            assert word not in said, (phase, said)
        leftovers = [p for p in interrupted.root.rglob(".*") if ".tmp" in p.name or
                     p.name.startswith(".incoming-")]
        assert not leftovers, (phase, leftovers)

    again = run_cli(interrupted)
    assert again.returncode == 0, again.stderr
    assert outputs(interrupted) == outputs(clean)
