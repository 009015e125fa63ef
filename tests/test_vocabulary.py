"""The typed model holds: every vocabulary is defined once, as an enum, and nothing in
pipeline/ compares a severity or a status as a string; every link in the docs resolves."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from pipeline.catalogue import Code, Severity
from pipeline.results import (
    BudgetStatus,
    FileState,
    NoticeKind,
    PlanStatus,
    QuickWinStatus,
    Stage,
)

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "pipeline"
VOCABULARIES = (Severity, FileState, PlanStatus, QuickWinStatus, NoticeKind, Stage, BudgetStatus)
# The words people read or the ledger stores, values and labels: spelled nowhere else as a
# whole string (NoticeKind's values are internal tags, common words like "data").
WORDS = {str(word) for enum in VOCABULARIES if enum is not NoticeKind for member in enum
         for word in (member.value, getattr(member, "label", member.value))}


def constant_strings(node: ast.AST) -> list[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        return [s for element in node.elts for s in constant_strings(element)]
    return []


def string_comparisons(source: str) -> list[str]:
    """`x == "error"`, `status != "rejected"`, `s in ("diterima", ...)`: a vocabulary
    word compared as a string."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Compare):
            for side in (node.left, *node.comparators):
                found += [f"line {node.lineno}: {word!r}"
                          for word in constant_strings(side) if word in WORDS]
    return found


def enum_bodies(tree: ast.AST) -> set[int]:
    """Line numbers inside the vocabularies' own class bodies."""
    names = {enum.__name__ for enum in VOCABULARIES}
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef) and node.name in names:
            lines |= set(range(node.lineno, node.end_lineno + 1))
    return lines


def second_definitions(source: str) -> list[str]:
    """A module-level or class-level name bound to a vocabulary word (`ACCEPTED =
    "accepted"`, `LABELS = {"error": ...}` keys), outside the vocabularies themselves."""
    tree = ast.parse(source)
    inside = enum_bodies(tree)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.Assign, ast.AnnAssign)) and node.lineno not in inside:
            value = node.value
            words = constant_strings(value) if value is not None else []
            if isinstance(value, ast.Dict):
                words = [s for key in value.keys if key is not None
                         for s in constant_strings(key)]
            found += [f"line {node.lineno}: {w!r}" for w in words if w in WORDS]
    return found


SOURCES = sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize(("source", "found"), [
    ('if p.severity == "error": pass', ["line 1: 'error'"]),
    ('ok = status in ("diterima", "perlu revisi")', ["line 1: 'diterima'",
                                                     "line 1: 'perlu revisi'"]),
    ('if row["status"] != "rejected": pass', ["line 1: 'rejected'"]),
    ("if p.severity is Severity.ERROR: pass", []),
    ('if name == "Program": pass', []),
])
def test_the_check_finds_string_comparisons(source, found):
    assert string_comparisons(source) == found


def test_no_severity_or_status_is_compared_as_a_string():
    offenders = {str(path.relative_to(ROOT)): found for path in SOURCES
                 if (found := string_comparisons(path.read_text("utf-8")))}
    assert offenders == {}


def test_each_vocabulary_is_defined_once():
    offenders = {str(path.relative_to(ROOT)): found for path in SOURCES
                 if (found := second_definitions(path.read_text("utf-8")))}
    assert offenders == {}
    for enum in VOCABULARIES:
        values = [member.value for member in enum]
        assert len(values) == len(set(values)), enum


def test_every_problem_code_carries_its_kind():
    for code in Code:
        assert code.value == code.name
        assert isinstance(code.severity, Severity) and code.title and code.template
    assert {s.label for s in Severity} == {"Kesalahan", "Peringatan", "Diabaikan"}


# --- the docs -------------------------------------------------------------------------------

DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md")),
        ROOT / "benchmarks" / "README.md"]


def anchors(markdown: str) -> set[str]:
    """GitHub's heading anchors: lower case, punctuation dropped, spaces to dashes."""
    out = set()
    for heading in re.findall(r"^#+ (.+)$", markdown, flags=re.M):
        slug = re.sub(r"[^\w\- ]", "", heading.strip().lower().replace("`", ""))
        out.add(slug.replace(" ", "-"))
    return out


def test_every_link_in_the_docs_resolves():
    broken = []
    for doc in DOCS:
        text = doc.read_text("utf-8")
        for target in re.findall(r"\]\(([^)\s]+)\)", text):
            if re.match(r"https?://", target):
                continue
            path, _, anchor = target.partition("#")
            file = (doc.parent / path) if path else doc
            if not file.exists():
                broken.append(f"{doc.name}: {target}")
            elif anchor and file.suffix == ".md" and \
                    anchor not in anchors(file.read_text("utf-8")):
                broken.append(f"{doc.name}: {target} (no such heading)")
    assert broken == []


def test_every_doc_the_code_points_at_exists():
    named = {(path.relative_to(ROOT), doc) for path in [*SOURCES, ROOT / "pyproject.toml"]
             for doc in re.findall(r"\b((?:docs|pipeline|tests|benchmarks)/[\w/.-]+\.(?:md|py))",
                                   path.read_text("utf-8"))}
    missing = sorted(f"{where}: {doc}" for where, doc in named if not (ROOT / doc).exists())
    assert missing == []
