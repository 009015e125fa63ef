"""The package layout holds: the demo stays out of the runtime, modules stay small,
imports follow the stages, and every data file in the package ships with a plain
(non-editable) install."""

from __future__ import annotations

import ast
import fnmatch
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "pipeline"
MAX_LINES = 600
# Besides the demo itself, only the command layer reaches it (inside the `demo` command).
DEMO_USERS = {"pipeline.cli"}


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def is_demo(name: str) -> bool:
    return name == "pipeline.demo" or name.startswith("pipeline.demo.")


def imported_modules(source: str, name: str, is_package: bool) -> set[str]:
    """Every module an import statement anywhere in source names, relative ones resolved;
    `from X import y` counts as both X and X.y (y may be a submodule)."""
    package = name.split(".") if is_package else name.split(".")[:-1]
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = package[:len(package) - node.level + 1] if node.level else []
            module = ".".join(base + ([node.module] if node.module else []))
            found.add(module)
            found |= {f"{module}.{alias.name}" for alias in node.names}
    return found


def line_count(path: Path) -> int:
    return len(path.read_text("utf-8").splitlines())


@pytest.mark.parametrize(("source", "name", "is_package", "reaches_demo"), [
    ("from ...demo.workshop import make_demo", "pipeline.write.rekap", True, True),
    ("from ...demo import workshop", "pipeline.write.rekap.summary", False, True),
    ("from ..demo import workshop", "pipeline.write.rekap.summary", False, False),
    ("from .. import demo", "pipeline.read.reading", False, True),
    ("from . import demo", "pipeline", True, True),
    ("from .demo import filling", "pipeline.workflow", False, True),
    ("import pipeline.demo.filling", "pipeline.config", False, True),
    ("from pipeline import demo", "pipeline.config", False, True),
    ("def f():\n    from .demo.ideas import IDEAS\n", "pipeline.workflow", False, True),
    ("from .demography import x", "pipeline.workflow", False, False),
    ("from ..write.demo_board import x", "pipeline.store.ledger", False, False),
    ("from .. import workflow", "pipeline.demo", True, False),
])
def test_the_import_check_resolves_relative_and_absolute_imports(source, name, is_package,
                                                                 reaches_demo):
    assert any(map(is_demo, imported_modules(source, name, is_package))) is reaches_demo


def test_runtime_modules_import_nothing_of_the_demo():
    runtime = {n: p for n, p in MODULES.items() if not is_demo(n) and n not in DEMO_USERS}
    assert "pipeline.workflow" in runtime and "pipeline.demo.workshop" in MODULES
    offenders = {
        name: sorted(filter(is_demo, imported_modules(path.read_text("utf-8"), name,
                                                      path.name == "__init__.py")))
        for name, path in runtime.items()
    }
    assert {name: found for name, found in offenders.items() if found} == {}


def test_no_module_is_over_the_line_limit():
    too_long = {name: line_count(path) for name, path in MODULES.items()
                if line_count(path) > MAX_LINES}
    assert not too_long, too_long


def test_every_data_file_in_the_package_ships_as_package_data():
    """A file setuptools leaves out works in an editable install and breaks a plain one."""
    patterns = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"][
        "setuptools"]["package-data"]
    data_files = [p for p in PACKAGE.rglob("*") if p.is_file() and p.suffix not in (".py", ".pyc")
                  and "__pycache__" not in p.parts]
    assert PACKAGE / "demo" / "content.toml" in data_files
    unshipped = [
        str(path.relative_to(ROOT)) for path in data_files
        if not any(fnmatch.fnmatch(path.name, pattern)
                   for pattern in patterns.get(module_name(path.parent / "__init__.py"), []))
    ]
    assert unshipped == []


# The stages' order (docs/ARCHITECTURE.md): a module imports only modules of a lower rank,
# or of its own package. store and assemble share a rank and never import each other:
# assemble works on the data store reads (results.Holdings), never on the ledger.
RANKS = {
    "pipeline.errors": -1,  # the operator's errors: every stage raises them
    "pipeline.common": 0, "pipeline.config": 0, "pipeline.interrupt": 0,
    "pipeline.catalogue": 0,  # the problem codes and messages: readers raise them too
    "pipeline.guide": 0,  # the operator's guide, which init copies into the workspace
    "pipeline.results": 1,  # statuses and the run report (which counts the catalogue's)
    "pipeline.layout": 1, "pipeline.workspace": 1, "pipeline.cli_indonesian": 1,
    "pipeline.read": 2,
    "pipeline.rules": 3,
    "pipeline.store": 4, "pipeline.assemble": 4,
    "pipeline.write": 5,  # the package itself (its __init__ imports nothing); inside it:
    "pipeline.write.xlsheet": 5.1,  # xlbook's fast worksheet
    "pipeline.write.xlbook": 5.2,  # what the rekap and pantau's workbook share
    "pipeline.write.templates": 5.2,  # its parts draw the Quick Win profiles too
    # one package (or module) per output: each imports the shared ones, never another
    "pipeline.write.rekap": 5.3, "pipeline.write.monitoring": 5.3, "pipeline.write.book": 5.3,
    "pipeline.write.feedback": 5.3, "pipeline.write.board": 5.3, "pipeline.write.reports": 5.3,
    "pipeline.write.quickwin_reports": 5.3,
    "pipeline.write.run_outputs": 5.4,  # every output of `run`
    "pipeline.pantau": 5.5,  # pantau's orchestration; workflow.make_book takes its figures
    "pipeline.workflow": 6,
    "pipeline.watch": 7, "pipeline.demo": 7,
    "pipeline.serve": 8,
    "pipeline.cli": 9, "pipeline.entry": 10, "pipeline.__main__": 11, "pipeline": 11,
}


# Besides the order, stages that never import the other, whatever their ranks: write renders
# what it is given, and the ledger and the config key stay with the orchestrator (workflow
# hands the book writer its config key).
APART = {("pipeline.write", "pipeline.store")}


def within(module: str, package: str) -> bool:
    return module == package or module.startswith(f"{package}.")


def owner(module: str) -> str | None:
    """The RANKS entry a module belongs to (its package, or itself)."""
    parts = module.split(".")
    for n in range(min(len(parts), 3), 0, -1):
        if ".".join(parts[:n]) in RANKS:
            return ".".join(parts[:n])
    return None


def against_the_stages(source: str, name: str, is_package: bool) -> list[str]:
    """The imports in source that reach a module of the same or a higher rank, or of a
    stage kept APART from its own."""
    own = owner(name)
    wrong = []
    for target in sorted(imported_modules(source, name, is_package)):
        other = owner(target) if target.startswith("pipeline") else None
        if any(within(name, one) and within(target, apart) for one, apart in APART):
            wrong.append(f"{name} imports {target}")
        elif other is None or other == own or other == "pipeline":
            continue  # not ours, our own package, or the package face
        elif RANKS[other] >= RANKS[own]:
            wrong.append(f"{name} imports {target}")
    return wrong


@pytest.mark.parametrize(("source", "name", "allowed"), [
    ("from ..store.ledger import Ledger", "pipeline.assemble.changes", False),
    ("from ..assemble import changes", "pipeline.store.ingest", False),
    ("from ... import workflow", "pipeline.write.rekap.summary", False),
    ("from ..write.feedback import x", "pipeline.assemble.followup", False),
    ("from ...store.ledger import now_iso", "pipeline.write.book.document", False),
    ("from ...store import config_key", "pipeline.write.book.document", False),
    ("import pipeline.store.ledger", "pipeline.write.rekap.summary", False),
    ("from ...common.clock import now_iso", "pipeline.write.book.document", True),
    ("from ..rekap import write_rekap", "pipeline.write.board.textwidth", False),
    ("from .rekap import write_rekap", "pipeline.write.reports", False),
    ("from ..run_outputs import x", "pipeline.write.feedback.folder", False),
    ("from ..xlbook import Book", "pipeline.write.monitoring.summary", True),
    ("from .xlsheet import FastWorkbook", "pipeline.write.xlbook", True),
    ("from .xlbook import Book", "pipeline.write.xlsheet", False),
    ("from .templates.parts import Styles", "pipeline.write.quickwin_reports", True),
    ("from . import board, rekap", "pipeline.write.run_outputs", True),
    ("from .summary import summary_sheet", "pipeline.write.rekap.alignment", True),
    ("from ..rules.judge import judge_files", "pipeline.read.reading", False),
    ("from ..catalogue import Code", "pipeline.read.reading", True),
    ("from ..results import Holdings", "pipeline.assemble.changes", True),
    ("from .ledger import Ledger", "pipeline.store.holdings", True),
    ("from .assemble import changes", "pipeline.workflow", True),
    ("import pandas", "pipeline.common.xlstyle", True),
])
def test_the_stage_check_flags_imports_that_climb(source, name, allowed):
    assert (against_the_stages(source, name, False) == []) is allowed


def test_every_module_of_write_has_its_rank():
    """A new writer joins an output's package or gets its own rank beside them."""
    unranked = [name for name in MODULES
                if owner(name) == "pipeline.write" and name != "pipeline.write"]
    assert "pipeline.write.rekap.summary" in MODULES and unranked == []


def test_imports_follow_the_stages():
    assert {owner(name) for name in MODULES} <= set(RANKS)
    wrong = [line for name, path in MODULES.items()
             for line in against_the_stages(path.read_text("utf-8"), name,
                                            path.name == "__init__.py")]
    assert wrong == []
