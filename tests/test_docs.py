"""The README stays true: commands, quick start, problem codes."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from pipeline import catalogue
from pipeline.cli import main

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text("utf-8")


def quick_start() -> list[str]:
    block = README.split("## Quick start", 1)[1].split("```bash", 1)[1].split("```", 1)[0]
    return [line.strip() for line in block.strip().splitlines()]


@pytest.mark.parametrize("name", sorted(main.commands))
def test_every_command_is_documented_and_has_help(name):
    command = main.commands[name]
    assert f"`masterplan {name}" in README, f"README does not mention `masterplan {name}`"
    assert command.help and command.get_short_help_str().strip()
    for param in command.params:
        if param.param_type_name == "option" and not param.hidden:
            assert param.help, f"{name} {param.opts} has no help text"


def test_quick_start_is_install_and_demo_then_tests():
    first, second = quick_start()
    assert first.endswith("masterplan demo") and "pip install -e ." in first
    assert "pytest" in second and "[test]" in second
    # CI runs exactly the README's test command.
    assert second in (ROOT / ".ci" / "run").read_text("utf-8").splitlines()
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    assert project["project"]["scripts"]["masterplan"] == "pipeline.entry:main"
    assert "test" in project["project"]["optional-dependencies"]


def test_the_quick_start_entry_points_answer():
    for args in (["--help"], ["demo", "--help"], ["--version"]):
        result = subprocess.run([sys.executable, "-m", "pipeline", *args], capture_output=True,
                                text=True, timeout=60, check=False)
        assert result.returncode == 0, result.stderr
        assert "Traceback" not in result.stderr


def test_problem_code_table_matches_the_catalogue():
    assert catalogue.update_readme(README) == README, \
        "README problem codes drifted: run `python -m pipeline.catalogue README.md`"
    documented = set(re.findall(r"^\| `([A-Z_]+)` \|", README, flags=re.M))
    assert documented == set(catalogue.Code)


def test_every_problem_code_has_one_catalogue_entry():
    from pipeline.catalogue import Code, Severity

    assert all(code.severity in Severity and code.title and code.template for code in Code)
