"""The operator's console speaks from the catalogue: every sentence a command prints is a
`catalogue.ConsoleLine` (or a Code, Refusal, Stall, or an OperatorError's own text); the
click layer only adds colour, indentation and the values it fills in."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from pipeline.catalogue import ConsoleLine

ROOT = Path(__file__).resolve().parent.parent
CLI_SOURCES = sorted((ROOT / "pipeline" / "cli").glob("*.py"))
# console.print, click.echo / click.secho, the watcher's `say`; and what prints a heading
# (`_print_list`'s head, a table's title).
SPEAKERS = {"print", "echo", "secho", "say", "_print_list", "Table"}
MARKUP = re.compile(r"\[/?[a-z #{}]*\]")  # rich's style tags: [bold], [{style}], [/]
WORD = re.compile(r"[^\W\d_]{2,}")


def literal_text(node: ast.AST) -> str:
    """The text an argument spells out itself, each filled-in value as "{}": a call (a
    catalogue sentence's `render`, `escape`, `json.dumps`) is a value, never looked into."""
    if isinstance(node, ast.Constant):
        return node.value if isinstance(node.value, str) else "{}"
    if isinstance(node, ast.JoinedStr):
        return "".join(literal_text(v) if isinstance(v, ast.Constant) else "{}"
                       for v in node.values)
    if isinstance(node, ast.BinOp):
        return literal_text(node.left) + literal_text(node.right)
    if isinstance(node, ast.IfExp):
        return literal_text(node.body) + " " + literal_text(node.orelse)
    return "{}"


def spoken_words(source: str) -> list[str]:
    """`line N: words` for each printing call whose own text holds words, once rich's
    markup and the filled values are set aside."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        if name not in SPEAKERS:
            continue
        # Keywords are styles and switches (fg="red", soft_wrap=True), but for a title.
        for arg in [*node.args, *(k.value for k in node.keywords if k.arg == "title")]:
            words = WORD.findall(MARKUP.sub("", literal_text(arg)))
            if words:
                found.append(f"line {node.lineno}: {' '.join(words)}")
    return found


@pytest.mark.parametrize(("source", "found"), [
    ('console.print(f"Rekap: {path}")', ["line 1: Rekap"]),
    ('click.echo(f"{n} template ditulis ke {folder}")', ["line 1: template ditulis ke"]),
    ('click.secho("Gagal membaca", fg="red", err=True)', ["line 1: Gagal membaca"]),
    ('console.print("[yellow]Perhatian:[/] " + escape(text))', ["line 1: Perhatian"]),
    ('self.say(f"Memantau {x}." if a else "Selesai")', ["line 1: Memantau Selesai"]),
    ('Table(title="Berkas di inbox", expand=True)', ["line 1: Berkas di inbox"]),
    ('console.print(ConsoleLine.REKAP.render(path=p))', []),
    ('console.print("  " + ConsoleLine.WILAYAH.render(region=r))', []),
    ('console.print(f"[yellow]{ConsoleLine.PERHATIAN.render()}[/] {escape(w)}")', []),
    ('console.print(f"[{s.style}]{s.label.upper()}[/] {escape(p)}: {escape(r)}")', []),
    ('console.print(f"    [bold]{url}[/]")', []),
    ('click.echo(json.dumps(data, ensure_ascii=False, indent=2))', []),
    ('console.print(escape(line), soft_wrap=True)', []),
    ('print(f"{n:>5} {name}")', []),
])
def test_the_check_finds_sentences_spelled_in_the_cli(source, found):
    assert spoken_words(source) == found


def test_the_cli_prints_no_sentence_of_its_own():
    offenders = {path.name: found for path in CLI_SOURCES
                 if (found := spoken_words(path.read_text("utf-8")))}
    assert offenders == {}, "move these sentences to catalogue.ConsoleLine"


def test_every_console_line_is_said_somewhere():
    sources = "\n".join(path.read_text("utf-8")
                        for path in (ROOT / "pipeline").rglob("*.py")
                        if "catalogue" not in path.parts)
    unused = [line.name for line in ConsoleLine if f"ConsoleLine.{line.name}" not in sources]
    assert unused == []


def test_a_console_line_fills_its_placeholders_by_name():
    assert ConsoleLine.TEMPLATE_DITULIS.render(n=3, folder="templates_xlsx") == \
        "3 template ditulis ke templates_xlsx"
    assert ConsoleLine.OPD_KINI_MEMAKAI.render(opd="DISKOMINFO") == "OPD DISKOMINFO kini memakai: ."
