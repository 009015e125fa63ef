"""The docs stay true: the README's quick start, the reference's commands and problem codes,
and the operator's guide (every command and option, and its offline page)."""

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
REFERENCE = (ROOT / "docs" / "reference.md").read_text("utf-8")
GUIDE = (ROOT / "docs" / "panduan-operator.md").read_text("utf-8")


def quick_start() -> list[str]:
    block = README.split("## Quick start", 1)[1].split("```bash", 1)[1].split("```", 1)[0]
    return [line.strip() for line in block.strip().splitlines()]


@pytest.mark.parametrize("name", sorted(main.commands))
def test_every_command_is_documented_and_has_help(name):
    command = main.commands[name]
    assert f"`masterplan {name}" in REFERENCE, f"docs/reference.md lacks `masterplan {name}`"
    assert f"`masterplan {name}" in GUIDE, f"the operator's guide lacks `masterplan {name}`"
    assert command.help and command.get_short_help_str().strip()
    for param in command.params:
        if param.param_type_name == "option" and not param.hidden:
            assert param.help, f"{name} {param.opts} has no help text"
            longest = max(param.opts, key=len)
            assert f"`{longest}" in GUIDE or f" {longest}" in GUIDE, \
                f"the operator's guide does not name {name} {longest}"


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
    for doc in (REFERENCE, GUIDE):  # in English, and in Indonesian for the operator
        assert catalogue.update_code_table(doc) == doc, \
            "problem codes drifted: run `python -m pipeline.catalogue`"
        documented = set(re.findall(r"^\| `([A-Z_]+)` \|", doc, flags=re.M))
        assert documented == set(catalogue.Code)
    assert "| `BERKAS_KOSONG` | Kesalahan | Berkas kosong |" in GUIDE


def test_every_problem_code_has_one_catalogue_entry():
    from pipeline.catalogue import Code, Severity

    assert all(code.severity in Severity and code.title and code.template for code in Code)


def test_the_guides_offline_page_is_the_guide_as_it_is_now():
    from pipeline import guide

    rendered = guide.render(GUIDE, ROOT / "docs")
    assert guide.PACKAGED.read_text("utf-8") == rendered, \
        "the guide's page is stale: run `python -m pipeline.guide`"


def test_init_leaves_the_guide_as_one_page_that_needs_nothing_else(tmp_path):
    from click.testing import CliRunner
    from lxml import html

    from pipeline import guide

    result = CliRunner().invoke(main, ["init", "--workspace", str(tmp_path / "ws")])
    assert result.exit_code == 0, result.output
    page = tmp_path / "ws" / guide.GUIDE_NAME
    assert page.read_bytes() == guide.PACKAGED.read_bytes()
    assert guide.GUIDE_NAME in result.output
    document = html.fromstring(page.read_bytes())
    assert document.get("lang") == "id"
    assert not document.xpath("//script|//link|//iframe|//object|//embed|//@style")
    pictures = document.xpath("//img/@src")
    assert len(pictures) == len(re.findall(r"!\[[^]]*\]\(", GUIDE)) >= 5
    assert all(src.startswith("data:image/") for src in pictures)
    ids = set(document.xpath("//@id"))
    for href in document.xpath("//@href"):
        assert href.startswith("#") and href[1:] in ids, href
    # Every section of the guide's table of contents is there.
    assert {"kalau-keliru", "semua-perintah", "quick-win", "buku-masterplan"} <= ids


def test_the_guide_opens_offline_in_a_browser(browser, tmp_path):
    from pipeline import guide

    page_path = guide.install(tmp_path)
    page = browser.new_page()
    requested = []
    page.route("**/*", lambda route: (requested.append(route.request.url),
                                      route.continue_() if route.request.url.startswith(
                                          ("file:", "data:")) else route.abort()))
    page.goto(page_path.as_uri())
    loaded = page.evaluate("[...document.images].map(i => i.complete && i.naturalWidth > 0)")
    page.close()
    assert loaded and all(loaded)
    assert all(url.startswith(("file:", "data:")) for url in requested)
