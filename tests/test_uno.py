"""A real client fixes a feedback workbook: LibreOffice, driven through its UNO bridge.

The bridge lives in the system Python (Debian's python3-uno), not in the project's venv,
so tests/uno_client.py runs there in a subprocess: it opens the workbook, reports for
each flagged cell whether the protected sheet lets it be typed into and keeps its
validation, types the fixes and saves as .xlsx. The next `masterplan run` must accept it.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import LIBREOFFICE_TIMEOUT, find_soffice
from openpyxl import load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Protection
from plans import DINKES, good_row, make_plan

from pipeline import layout
from pipeline.cli import main
from pipeline.demo.filling import program_cell
from pipeline.layout import feedback_name

pytestmark = pytest.mark.libreoffice

SYSTEM_PYTHON = "/usr/bin/python3"
CLIENT = Path(__file__).with_name("uno_client.py")


@pytest.fixture(scope="module")
def office() -> str:
    """soffice, when both it and the UNO bridge of the system Python are installed."""
    binary = find_soffice()
    if not binary:
        pytest.skip("LibreOffice (soffice) is not installed")
    probe = subprocess.run([SYSTEM_PYTHON, "-c", "import uno"], capture_output=True,
                           check=False) if Path(SYSTEM_PYTHON).exists() else None
    if probe is None or probe.returncode != 0:
        pytest.skip("the UNO bridge (python3-uno for /usr/bin/python3) is not installed")
    return binary


def in_libreoffice(office: str, source: Path, target: Path, look, typing, tmp_path) -> dict:
    job = tmp_path / "uno_job.json"
    job.write_text(json.dumps({"source": str(source), "target": str(target),
                               "profile": str(tmp_path / "lo_profile"),
                               "look": look, "type": typing}), "utf-8")
    done = subprocess.run([SYSTEM_PYTHON, str(CLIENT), office, str(job)], capture_output=True,
                          text=True, timeout=3 * LIBREOFFICE_TIMEOUT, check=False)
    assert done.returncode == 0 and target.exists(), done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def run(root: Path) -> dict:
    result = CliRunner().invoke(main, ["run", "-w", str(root)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return json.loads((root / "output" / "laporan_validasi.json").read_text("utf-8"))


def flagged_inputs(report: dict, file: str) -> list[dict]:
    return [p for p in report["problems"] if p["file"] == file and p["cell"]
            and layout.is_input_cell(p["sheet"], p["column"], p["row"])]


def fix_for(cfg, problem: dict, feedback: Path) -> str:
    """What a participant types into a flagged cell, by its column."""
    column = problem["column"]
    if column == "Elemen":  # an element of the row's own dimension
        program = load_workbook(feedback)[layout.SHEET_PROGRAM]
        dimension = program[program_cell(program, "dimensi",
                                         problem["row"] - layout.PROGRAM_FIRST_DATA_ROW)].value
        return cfg.dimensions[dimension][0]
    if column.startswith("Target"):
        return "90"
    if column == "Satuan":
        return "dokumen"
    if column.startswith("Anggaran"):
        return "1500000000"
    if column == "Kode Nomenklatur":
        return "3.27.03"
    if column == "Sumber Dana":
        return "APBD Kabupaten"
    raise AssertionError(f"no fix known for {problem['code']} in {column}")


def fix_in_libreoffice(cfg, office, feedback: Path, problems: list[dict], target: Path,
                       tmp_path) -> None:
    """Check every flagged input cell the way the participant meets it, fix the errors."""
    errors = [p for p in problems if p["severity"] == "error"]
    typing = [[p["sheet"], p["cell"], fix_for(cfg, p, feedback)] for p in errors]
    seen = in_libreoffice(office, feedback, target,
                          [[p["sheet"], p["cell"]] for p in problems], typing, tmp_path)
    for problem, cell in zip(problems, seen["looked"], strict=True):
        assert cell["protected"] and not cell["locked"], cell
        assert cell["validation"] != "ANY" or cell["input_message"], cell  # its prompt/list
        if problem["column"] == "Elemen":
            assert cell["validation"] == "LIST", cell  # the dropdown is still there
    # A money cell shows what was typed with its thousands separators.
    assert [shown.replace(",", "") if text.isdigit() else shown
            for (*_, shown), (*_, text) in zip(seen["typed"], typing, strict=True)] \
        == [text for *_, text in typing]


def test_a_feedback_workbook_is_fixed_in_libreoffice_and_accepted(cfg, workspace, tmp_path,
                                                                  office):
    # A participant's file whose input cells came back locked (pasted with formatting),
    # with notes of their own, one on a cell we flag.
    path = make_plan(cfg, tmp_path / "tpl", tmp_path / "dinkes.xlsx", DINKES,
                     [good_row(cfg, elemen="Wajah Kota", deskripsi=None, satuan=None)])
    book = load_workbook(path)
    program = book[layout.SHEET_PROGRAM]
    for key in ("elemen", "satuan", "deskripsi"):
        program[program_cell(program, key, 0)].protection = Protection(locked=True)
    program["B4"].comment = Comment("Catatan kami sendiri", "Rina")
    program[program_cell(program, "elemen", 0)].comment = Comment("Masih dibahas", "Rina")
    book.save(workspace.inbox / "dinkes.xlsx")
    report = run(workspace.root)
    problems = flagged_inputs(report, "dinkes.xlsx")
    assert {p["column"] for p in problems} == {"Elemen", "Satuan", "Deskripsi"}

    feedback = workspace.output / "umpan_balik" / feedback_name("dinkes.xlsx")
    fixed = tmp_path / "lo" / "dinkes_umpan_balik.xlsx"
    fixed.parent.mkdir()
    fix_in_libreoffice(cfg, office, feedback, problems, fixed, tmp_path)
    shutil.copy(fixed, workspace.inbox / fixed.name)
    report = run(workspace.root)
    [entry] = [f for f in report["files"] if f["file"] == fixed.name]
    assert entry["status"] == "accepted", report["problems"]
    # LibreOffice kept the participant's notes through our comment parts.
    program = load_workbook(fixed)[layout.SHEET_PROGRAM]
    assert program["B4"].comment.text.strip() == "Catatan kami sendiri"
    assert "Masih dibahas" in program[program_cell(program, "elemen", 0)].comment.text


def test_a_demo_feedback_workbook_is_fixed_in_libreoffice_and_accepted(cfg, tmp_path, office):
    demo = tmp_path / "demo"
    result = CliRunner().invoke(main, ["demo", "-w", str(demo)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    report = json.loads((demo / "output" / "laporan_validasi.json").read_text("utf-8"))
    # Distan's file still needs action (Dishub's first file was corrected in the demo).
    source = "email/Masterplan SC Distan 2024.xlsx"
    problems = flagged_inputs(report, source)
    assert {p["code"] for p in problems} >= {"UANG_AMBIGU", "PILIHAN_TIDAK_DIKENAL"}

    feedback = demo / "output" / "umpan_balik" / feedback_name(source)
    fixed = demo / "inbox" / "email" / "Masterplan SC Distan 2024_umpan_balik.xlsx"
    fix_in_libreoffice(cfg, office, feedback, problems, fixed, tmp_path)
    report = run(demo)
    [entry] = [f for f in report["files"] if f["file"] == fixed.relative_to(demo / "inbox")
               .as_posix()]
    assert entry["status"] == "accepted", [p for p in report["problems"]
                                           if p["file"] == entry["file"]]
