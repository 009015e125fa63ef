"""The operator's guide as one offline page: `panduan_operator.html` in every workspace.

The guide is written in docs/panduan-operator.md (Indonesian) with its pictures beside it
in docs/. `render` makes one self-contained HTML page of it: Markdown by markdown-it-py
(CommonMark with tables), every picture embedded as a data URI, links between the
guide's own sections kept as in-page anchors, links to other files (the English
reference) left as their text, inline CSS and nothing from the network, so it opens with
a double-click on the operator's laptop. The page is shipped in this package
(`panduan_operator.html`, regenerated with `python -m pipeline.guide`; tests/test_docs.py
checks it is the rendering of the guide as it is now), and `install` copies it into a
workspace (`masterplan init`, the demo).
"""

from __future__ import annotations

import base64
import re
import shutil
from html import escape
from pathlib import Path

GUIDE_NAME = "panduan_operator.html"
PACKAGED = Path(__file__).with_name(GUIDE_NAME)
SOURCE = Path("docs") / "panduan-operator.md"  # relative to the repository


def install(root: Path) -> Path:
    """Copy the guide's page into the workspace folder `root` (always the newest)."""
    target = root / GUIDE_NAME
    shutil.copyfile(PACKAGED, target)
    return target


def slug(heading: str) -> str:
    """GitHub's anchor of a heading (lower case, punctuation dropped, spaces to dashes),
    so a link written for the Markdown works in the page."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower().replace("`", ""))
    return text.replace(" ", "-")


def render(markdown: str, pictures: Path) -> str:
    """The guide as one HTML page; `pictures` is the folder its image paths are relative to."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark").enable("table")
    tokens = md.parse(markdown)
    title = "Panduan Operator"
    for i, token in enumerate(tokens):
        if token.type == "heading_open":
            text = tokens[i + 1].content
            token.attrSet("id", slug(text))
            if token.tag == "h1":
                title = text
        links = []  # for each open link: whether it stays a link
        for child in token.children or []:
            if child.type == "image":
                child.attrSet("src", _data_uri(pictures / str(child.attrGet("src"))))
            elif child.type == "link_open":
                # Another file (the English reference) is not in the workspace: the
                # link's text stays, without the link.
                links.append(str(child.attrGet("href")).startswith("#"))
                if not links[-1]:
                    _make_empty(child)
            elif child.type == "link_close" and not links.pop():
                _make_empty(child)
    body = md.renderer.render(tokens, md.options, {})
    return (f'<!DOCTYPE html>\n<html lang="id"><head><meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{escape(title)}</title>\n<style>{_CSS}</style></head>\n"
            f"<body><main>\n{body}</main></body></html>\n")


def _make_empty(token) -> None:
    """A token that renders as nothing."""
    token.type, token.tag, token.attrs, token.content = "html_inline", "", {}, ""


def _data_uri(path: Path) -> str:
    kind = {".png": "image/png", ".jpg": "image/jpeg", ".svg": "image/svg+xml"}[path.suffix]
    return f"data:{kind};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


_CSS = """
body{margin:0;background:#f6f8fa;color:#1f2328;font:16px/1.55 "Segoe UI",Arial,sans-serif}
main{max-width:58rem;margin:0 auto;padding:1.5rem 2rem 4rem;background:#fff}
h1{font-size:2rem;border-bottom:3px solid #1f883d;padding-bottom:.3rem}
h2{font-size:1.5rem;margin-top:2.5rem;border-bottom:1px solid #d0d7de;padding-bottom:.2rem}
h3{font-size:1.2rem;margin-top:1.8rem}
code{background:#eff1f3;padding:.1em .3em;border-radius:4px;font-size:.92em}
pre{background:#eff1f3;padding:.8rem 1rem;overflow-x:auto;border-radius:6px}
pre code{padding:0;background:none}
table{border-collapse:collapse;margin:1rem 0;font-size:.93rem}
th,td{border:1px solid #d0d7de;padding:.4rem .6rem;vertical-align:top;text-align:left}
th{background:#f6f8fa}
img{max-width:100%;border:1px solid #d0d7de;margin:.5rem 0}
a{color:#0969da}
@media print{body{background:#fff}main{max-width:none;padding:0}}
"""
