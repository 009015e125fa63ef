"""`output/papan_status.html`: the status board for the projector in the workshop hall.

One self-contained page (inline CSS, nothing loaded from anywhere, no script) that reloads
itself every few seconds, so a browser opened once on the file follows every run and
`masterplan watch`. It shows a tile per configured OPD coloured by status, the progress
toward all OPDs, the latest arrivals, budget and Quick Wins per dimension and the
problems most frequent in this workshop; under `masterplan serve`, the upload page's
address and its QR code (segno, inline SVG), so the hall can open it from the projector.
Every size follows the screen, so the page reads from the back of the hall on a 1024x768
projector as on a 1920x1080 one: the unit `--u` is 1% of the height of the largest 4:3
box the window holds, and every text that must not be cut (names, statuses, figures,
the headline) takes the largest size up to its design size at which its own text fits
its box, measured in container units (`cqw`, `cqh`) against the fonts' own character
widths (`textwidth.em_width`). Only file names may end in an ellipsis. A banner above the
header (a direct child of `body`) takes its height from the main area, whose tiles
follow it.

Every text that is not the page's own (file names as participants chose them, names from
the config, problem titles) is escaped with html.escape: it is data, never markup.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from html import escape
from pathlib import Path

from ... import layout
from ...assemble import replacements
from ...catalogue import Code, Problem
from ...common.atomic import write_text
from ...common.idtext import rupiah_short as rupiah
from ...config import Config
from ...results import FileRecord, FileState, OpdStatus, PlanStatus, plan_counts
from .textwidth import em_width

REFRESH_SECONDS = 5
LATEST_SHOWN = 5
LATEST_SHOWN_WITH_UPLOAD = 3  # the upload address and its QR code take the room of two
PROBLEMS_SHOWN = 5
# Lock and temp files are noise on a projector; everything else that arrived is shown.
_NOISE_CODES = {Code.BERKAS_KUNCI, Code.BERKAS_SEMENTARA}
# A file's verdict on the board, by its state (results.FILE_LABEL): a rejected plan is
# one to revise; a replaced or withdrawn file needs no action any more and is shown grey.
_FILE_VERDICT = {FileState.ACCEPTED: PlanStatus.ACCEPTED, FileState.REJECTED: PlanStatus.REVISE,
                 **{state: state.label for state in (FileState.IGNORED, FileState.REPLACED,
                                                     FileState.WITHDRAWN)}}
_CSS_CLASS = {PlanStatus.ACCEPTED: "ok", PlanStatus.REVISE: "revisi", PlanStatus.MISSING: "belum"}

# The tile area's width over its height: on a wide screen (16:9) and on a 4:3 one. The
# grid's column count is chosen for each; the type then follows the area's real size.
_TILE_AREA_ASPECT = {"wide": 1.4, "square": 0.95}
_TILE_GAP_CQ = 1.0  # gap between tiles, % of the tile area's height and width (as a
# percentage: the area's own container units would measure the area around it)
_TILE_PAD_CQ = 0.5  # a tile's padding, % of the tile area's height
LINE = 1.15  # line height of every text that may wrap
# Below this share of the tile area's height a status label is unreadable (hundreds of
# OPDs): the colour says the status alone.
MIN_LABEL_CQH = 1.4
_LONGEST_LABEL_WORD = "mengumpulkan"


@dataclass
class DimensionRow:
    name: str
    budget: int  # Rupiah over the whole period
    quick_wins: int
    quick_win_budget: int  # Rupiah in the Quick Win year


def dimension_rows(cfg: Config, cons) -> list[DimensionRow]:
    """Budget and Quick Wins of each configured dimension, from the consolidation."""
    from ...assemble.consolidate import TOTAL

    totals = cons.by_dimension[TOTAL]
    quick_wins = cons.quick_wins
    rows = []
    for name in cfg.dimensions:
        chosen = quick_wins[quick_wins["dimensi"] == name]
        rows.append(DimensionRow(name, int(totals.get(name, 0)), len(chosen),
                                 int(chosen["anggaran"].sum())))
    return rows


def write_board(output: Path, cfg: Config, statuses: list[OpdStatus],
                entries: list[tuple[FileRecord, list[Problem]]], cons, generated_at: str,
                upload_url: str | None = None) -> Path:
    """Write the board of a run atomically (a reloading browser never sees half a page)."""
    path = output / layout.BOARD_NAME
    write_text(path, render_board(cfg, statuses, entries, dimension_rows(cfg, cons),
                                  generated_at, reference_share(cfg, statuses, entries),
                                  upload_url))
    return path


# Problems that leave a program without a valid [rujukan] reference.
_BAD_REFERENCE = {Code.ACUAN_RPJMD_TIDAK_DIKENAL, Code.NOMENKLATUR_TIDAK_ADA}


def reference_share(cfg: Config, statuses: list[OpdStatus],
                    entries: list[tuple[FileRecord, list[Problem]]]) -> tuple[int, int] | None:
    """(programs with a valid RPJMD reference and code, programs) in each OPD's newest
    plan file; None without [rujukan] lists."""
    if cfg.references is None:
        return None
    newest = {s.file for s in statuses if s.file}
    plans = [(record, problems) for record, problems in entries
             if record.path in newest and record.kind == layout.KIND_PLAN]
    total = sum(record.n_programs for record, _ in plans)
    bad = sum(len({p.row for p in problems if p.code in _BAD_REFERENCE})
              for _, problems in plans)
    return total - bad, total


def render_board(cfg: Config, statuses: list[OpdStatus],
                 entries: list[tuple[FileRecord, list[Problem]]], dimensions: list[DimensionRow],
                 generated_at: str, references: tuple[int, int] | None = None,
                 upload_url: str | None = None) -> str:
    # The run report's counts come from the same statuses (RunStats.plans).
    counts = Counter(plan_counts(statuses))
    total = len(statuses)
    done = counts[PlanStatus.ACCEPTED]
    percent = 100 * done / total if total else 0
    clock = generated_at.replace("T", " ")[-8:-3]
    latest, latest_css = _latest(cfg, entries, replacements.counted_files(statuses),
                                 LATEST_SHOWN_WITH_UPLOAD if upload_url else LATEST_SHOWN)
    footer, footer_css = _dimensions(dimensions, cfg.quick_win_year)
    css = "".join([_CSS, _fit_css("h1", cfg.region_name, 5.0, "100vw - 3.2*var(--u)", bold=True),
                   _tile_css(statuses), latest_css, footer_css, _upload_css(upload_url)])
    return "\n".join([
        "<!DOCTYPE html>",
        '<html lang="id"><head><meta charset="utf-8">',
        f'<meta http-equiv="refresh" content="{REFRESH_SECONDS}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>Status Pengumpulan Masterplan {escape(cfg.region_name)}</title>",
        f"<style>{css}</style></head><body>",
        "<header>",
        f"<h1>{escape(cfg.region_name)}</h1>",
        f'<p class="sub">Status pengumpulan masterplan {escape(cfg.period_label)} · '
        f'diperbarui pukul <b id="jam">{escape(clock)}</b></p>',
        "</header>",
        '<section class="progress">',
        f'<div class="bar"><span style="width:{percent:.1f}%"></span></div>',
        f'<b id="kemajuan">{done} dari {total} OPD diterima</b>'
        f'<span class="chip revisi">{counts[PlanStatus.REVISE]} perlu revisi</span>'
        f'<span class="chip belum">{counts[PlanStatus.MISSING]} belum mengumpulkan</span>'
        f"{_reference_chip(references)}",
        "</section>",
        '<main><section class="tiles" id="opd">',
        *(_tile(s) for s in statuses),
        "</section><aside>",
        *_upload(upload_url),
        *latest,
        *_frequent_problems(entries),
        "</aside></main>",
        *footer,
        "</body></html>",
        "",
    ])


def _fit_css(selector: str, text: str, design_u: float, room: str, bold: bool = False) -> str:
    """The type size of `selector`: its design size (in units of --u), or smaller when
    `text` on one line would not fit `room` (a CSS length expression)."""
    return (f"{selector}{{font-size:min(calc({design_u}*var(--u)),"
            f"calc(({room})/{max(em_width(text, bold), 1):.2f}))}}")


def _reference_chip(references: tuple[int, int] | None) -> str:
    if references is None or not references[1]:
        return ""
    valid, total = references
    return (f'<span class="chip ok" id="rujukan">{100 * valid / total:.0f}% program '
            f"beracuan RPJMD dan berkode sah ({valid} dari {total})</span>")


def _tile_label(status: OpdStatus) -> str:
    if status.status == PlanStatus.REVISE:
        return f"perlu revisi · {status.n_errors + status.n_warnings} masalah"
    return status.status


def _tile(status: OpdStatus) -> str:
    css = _CSS_CLASS[status.status]
    label = _tile_label(status)
    return (f'<div class="tile {css}" data-opd="{escape(status.kode)}" '
            f'title="{escape(status.nama)}"><b>{escape(status.singkatan)}</b>'
            f"<span>{escape(label)}</span></div>")


def _latest(cfg: Config, entries: list[tuple[FileRecord, list[Problem]]],
            counted: dict[str, tuple[str, str, int]], shown: int) -> tuple[list[str], str]:
    """The newest arrivals, and the type size at which the widest line (time, OPD,
    verdict) fits the column."""
    arrived = [(record, problems) for record, problems in entries
               if record.code not in _NOISE_CODES]
    arrived.sort(key=lambda item: (item[0].received_at, item[0].seq), reverse=True)
    lines = ["<h2>Berkas terakhir masuk</h2>", '<ul class="latest" id="terbaru">']
    widest = em_width("00:00 OPD tidak dikenal", bold=True)
    for record, problems in arrived[:shown]:
        state = _FILE_VERDICT[replacements.file_state(record, counted)]
        verdict = f"{state} ({len(problems)})" if state == PlanStatus.REVISE else state
        # An upload is shown as its sender's (the OPD whose access code sent it), also
        # when its template names another OPD.
        opd = cfg.opd_by_code.get(layout.upload_claim(record.path) or record.opd or "")
        who = opd.singkatan if opd else "OPD tidak dikenal"
        when = record.received_at[11:16]
        widest = max(widest, em_width(f"{when} {who} {verdict}", bold=True))
        lines.append(f'<li class="{_CSS_CLASS.get(state, "belum")}">'
                     f"<time>{escape(when)}</time>"
                     f'<b>{escape(who)}</b><span class="verdict">{escape(verdict)}</span>'
                     f'<small>{escape(record.path)}</small></li>')
    if not arrived:
        lines.append('<li class="belum"><span>Belum ada berkas masuk.</span></li>')
    lines.append("</ul>")
    # The room: the column less the item's padding and the two gaps between its parts.
    room = "100cqw - 3.4*var(--u)"
    return lines, (f".latest li{{font-size:min(calc(var(--latest)*var(--u)),"
                   f"calc(({room})/{widest:.2f}))}}")


def _upload(url: str | None) -> list[str]:
    """Where to hand in files, as text and as a QR code a phone camera opens."""
    if not url:
        return []
    import segno

    qr = segno.make(url, error="m").svg_inline(scale=1, border=2, omitsize=True,
                                               dark="#000", light="#fff")
    return ['<section class="upload" id="unggah">', f'<div class="qr">{qr}</div>',
            f"<p>Kirim berkas Anda di<b>{escape(_shown_address(url))}</b>"
            "<small>Kode akses OPD ada di lembar Petunjuk template.</small></p>",
            "</section>"]


def _shown_address(url: str) -> str:
    return url.removeprefix("http://").rstrip("/")


def _upload_css(url: str | None) -> str:
    """The address on one line beside the QR code (never broken inside the port)."""
    if not url:
        return ""
    return _fit_css(".upload b", _shown_address(url), 3.4, "100cqw - (var(--qr) + 3)*var(--u)",
                    bold=True)


def _frequent_problems(entries: list[tuple[FileRecord, list[Problem]]]) -> list[str]:
    """Codes by the number of files they occur in: what to explain to the whole hall."""
    files_with = Counter(code for _, problems in entries
                         for code in {p.code for p in problems})
    lines = ["<h2>Masalah paling sering</h2>", '<table class="problems" id="masalah">']
    # Ties in code order, so the same workshop always shows the same list.
    ranked = sorted(files_with.items(), key=lambda item: (-item[1], item[0]))
    for code, n_files in ranked[:PROBLEMS_SHOWN]:
        lines.append(f"<tr><td>{escape(Code(code).title)} "
                     f"<small>{escape(code)}</small></td>"
                     f'<td class="num">{n_files} berkas</td></tr>')
    if not files_with:
        lines.append("<tr><td>Belum ada masalah ditemukan.</td></tr>")
    lines.append("</table>")
    return lines


def _dimensions(dimensions: list[DimensionRow], quick_win_year: int) -> tuple[list[str], str]:
    """A strip of cards under the tiles: budget and Quick Wins of each dimension, each
    text at the size at which the longest of its kind fits a card."""
    cards = [(d.name, rupiah(d.budget),
              f"{d.quick_wins} QW {quick_win_year} · {rupiah(d.quick_win_budget)}")
             for d in dimensions]
    cards.append(("Total", rupiah(sum(d.budget for d in dimensions)),
                  f"{sum(d.quick_wins for d in dimensions)} QW · "
                  f"{rupiah(sum(d.quick_win_budget for d in dimensions))}"))
    lines = ['<footer class="dims" id="dimensi">']
    for i, (name, budget, quick_wins) in enumerate(cards):
        total = ' class="total"' if i == len(cards) - 1 else ""
        lines.append(f"<div{total}><b>{escape(name)}</b><span>{budget}</span>"
                     f"<small>{quick_wins}</small></div>")
    lines.append("</footer>")
    css = "".join(_fit_css(f".dims {tag}", max((card[i] for card in cards),
                                               key=lambda text: em_width(text, bold)),
                           size, "100cqw", bold=bold)
                  for i, (tag, size, bold) in enumerate([("b", 1.9, True), ("span", 2.9, True),
                                                         ("small", 1.7, False)]))
    return lines, css


def _wrapped_lines(text: str, width_em: float, bold: bool) -> int:
    """How many lines `text` takes when wrapped at spaces into `width_em` ems."""
    lines, used = 1, 0.0
    for word in text.split():
        size = em_width(word, bold)
        space = em_width(" ", bold) if used else 0
        if used and used + space + size > width_em:
            lines, used = lines + 1, size
        else:
            used += space + size
    return lines


def _tile_type(statuses: list[OpdStatus], width: float, height: float) -> tuple[float, float]:
    """The largest name size (and its label size) at which every tile's name and label,
    wrapped, fit a tile of `width` x `height` (any one unit); 0 when none does."""
    texts = [(s.singkatan, _tile_label(s)) for s in statuses]
    longest = max((em_width(word, bold=True) for name, _ in texts for word in name.split()),
                  default=1.0)
    label_em = em_width(_LONGEST_LABEL_WORD, bold=True)

    def label_size(name: float) -> float:
        return min(0.72 * name, width / label_em)

    def fits(name: float) -> bool:
        label = label_size(name)
        return all(LINE * (name * _wrapped_lines(text, width / name, True)
                           + label * _wrapped_lines(tag, width / label, True))
                   + 0.2 * label <= height for text, tag in texts)

    low, high = 0.0, width / longest
    if fits(high):
        return high, label_size(high)
    for _ in range(30):
        middle = (low + high) / 2
        low, high = (middle, high) if fits(middle) else (low, middle)
    return low, label_size(low)


def _tile_css(statuses: list[OpdStatus]) -> str:
    """A grid that fills the tile area, with the column count that gives the largest type
    at which every name and status fits its tile (wrapped at spaces; a long single word
    cannot wrap), for a wide and for a 4:3 screen. Sizes are in container units of the
    tile area, so they follow its real size; a wider or narrower area than assumed only
    makes the width the tighter bound."""
    n = max(len(statuses), 1)
    css = []
    for screen, aspect in _TILE_AREA_ASPECT.items():
        best = (0.0, 0.0, 1, n)
        for cols in range(1, n + 1):
            rows = math.ceil(n / cols)
            # A tile's inner box, in % of the tile area's height (cqh).
            width = aspect * ((100 - (cols - 1) * _TILE_GAP_CQ) / cols - 2 * _TILE_PAD_CQ)
            height = (100 - (rows - 1) * _TILE_GAP_CQ) / rows - 2 * _TILE_PAD_CQ
            name, label = _tile_type(statuses, 0.97 * width, height)
            if name > best[0]:
                best = (name, label, cols, rows)
        name, label, cols, rows = best
        label_css = (f"font-size:min({label:.2f}cqh,{label / aspect:.2f}cqw)"
                     if label >= MIN_LABEL_CQH else "display:none")
        rule = (f".tiles{{grid-template-columns:repeat({cols},minmax(0,1fr));"
                f"grid-template-rows:repeat({rows},minmax(0,1fr))}}"
                f".tile b{{font-size:min({name:.2f}cqh,{name / aspect:.2f}cqw)}}"
                f".tile span{{{label_css}}}")
        css.append(f"@media (min-aspect-ratio:3/2){{{rule}}}" if screen == "wide" else rule)
    # The 4:3 rule first: the wide screen's, under its media query, overrides it.
    return "".join(reversed(css))


_CSS = f"""
*{{box-sizing:border-box;margin:0;padding:0}}
:root{{--u:min(1vh,.75vw);--qr:14;--latest:2.4;--list:2.2}}
@media (max-aspect-ratio:3/2){{:root{{--qr:12;--latest:2.1;--list:2}}}}
html,body{{height:100%;background:#0b0f14;color:#f4f6f8;
font-family:"DejaVu Sans","Segoe UI",Arial,sans-serif;overflow:hidden;line-height:{LINE}}}
body{{display:flex;flex-direction:column;padding:1.6vh 1.6vw;gap:1vh}}
header{{display:flex;flex-wrap:wrap;align-items:baseline;justify-content:space-between;
column-gap:2vw}}
h1{{font-weight:800;white-space:nowrap}}
.sub{{font-size:calc(2.4*var(--u));color:#c9d1d9}}
.sub b{{color:#fff}}
.progress{{display:flex;flex-wrap:wrap;align-items:center;gap:.6vh 1vw}}
.bar{{flex:1 1 calc(20*var(--u));height:calc(3*var(--u));background:#30363d;
border-radius:calc(1.5*var(--u));overflow:hidden}}
.bar span{{display:block;height:100%;background:#2ea043}}
#kemajuan{{font-size:calc(3.2*var(--u));white-space:nowrap}}
.chip{{font-size:calc(2.3*var(--u));padding:.2em .5em;border-radius:.4em;font-weight:700;
white-space:nowrap}}
main{{flex:1;display:grid;grid-template-columns:minmax(0,1.5fr) minmax(0,1fr);
gap:1.6vw;min-height:0}}
@media (max-aspect-ratio:3/2){{main{{grid-template-columns:minmax(0,1.2fr) minmax(0,1fr)}}}}
.tiles{{display:grid;gap:{_TILE_GAP_CQ}% {_TILE_GAP_CQ}%;container-type:size;min-height:0}}
.tile{{border-radius:.8cqh;padding:{_TILE_PAD_CQ}cqh {_TILE_PAD_CQ}cqw;display:flex;
flex-direction:column;justify-content:center;align-items:center;text-align:center;
overflow:hidden;min-width:0;min-height:0}}
.tile b{{font-weight:800;line-height:{LINE}}}
.tile span{{margin-top:.2em;line-height:{LINE};font-weight:700}}
.ok{{background:#1f883d;color:#fff}}
.revisi{{background:#cf222e;color:#fff}}
.belum{{background:#3d444d;color:#e6edf3}}
aside{{display:flex;flex-direction:column;gap:calc(.7*var(--u));min-width:0;min-height:0;
overflow:hidden;container-type:inline-size}}
h2{{font-size:calc(var(--list)*var(--u));color:#9fb3c8;text-transform:uppercase;letter-spacing:.04em;
border-bottom:calc(.3*var(--u)) solid #30363d;padding-bottom:calc(.2*var(--u))}}
ul{{list-style:none;display:flex;flex-direction:column;gap:calc(.5*var(--u))}}
.latest li{{display:grid;grid-template-columns:auto auto 1fr;column-gap:calc(.8*var(--u));
align-items:baseline;padding:calc(.3*var(--u)) calc(.9*var(--u));border-radius:.4em}}
.latest time,.latest b{{font-weight:700;white-space:nowrap}}
.latest .verdict{{font-weight:700;white-space:nowrap;text-align:right}}
.latest small{{grid-column:1/-1;font-size:.78em;opacity:.9;overflow:hidden;
text-overflow:ellipsis;white-space:nowrap}}
table{{width:100%;border-collapse:collapse;font-size:calc(var(--list)*var(--u))}}
td{{padding:calc(.25*var(--u)) calc(.3*var(--u));vertical-align:baseline}}
td small{{display:block;font-size:.7em;color:#9fb3c8;overflow-wrap:anywhere}}
.problems td:first-child{{width:100%}}
.num{{text-align:right;white-space:nowrap}}
.problems td.num{{font-weight:700;color:#ffb4a9}}
.dims{{display:flex;gap:.8vw}}
.dims div{{flex:1 1 0;background:#161b22;border-radius:calc(.8*var(--u));
padding:calc(.5*var(--u)) calc(.7*var(--u));min-width:0;display:flex;flex-direction:column}}
.dims div{{container-type:inline-size}}
.dims b{{color:#9fb3c8;white-space:nowrap}}
.dims span{{font-weight:800;white-space:nowrap}}
.dims small{{color:#c9d1d9;white-space:nowrap}}
.dims .total{{background:#1f3a5f}}
.upload{{display:flex;gap:calc(1*var(--u));align-items:center;background:#161b22;
border-radius:calc(.8*var(--u));padding:calc(.6*var(--u))}}
.upload .qr{{flex:none;width:calc(var(--qr)*var(--u));height:calc(var(--qr)*var(--u))}}
.upload .qr svg{{width:100%;height:100%;display:block}}
.upload p{{font-size:calc(2.2*var(--u));display:flex;flex-direction:column;
gap:calc(.4*var(--u));min-width:0}}
.upload b{{color:#fff;white-space:nowrap}}
.upload small{{font-size:calc(1.7*var(--u));color:#c9d1d9}}
"""


# --- while the watcher cannot judge ---------------------------------------------------------
# One element at the top of the page, with its own class and inline style (the board's
# stylesheet is left alone): written into the last board while the watcher is stalled,
# and gone with the next board the recovered watcher writes.
STALL_CLASS = "pemantauan-henti"
_STALL_STYLE = ("margin:0;padding:1.2vh 2vw;background:#9a3412;color:#fff;"
                "font-size:2.4vh;font-weight:700")


def stall_element(message: str) -> str:
    return (f'<p class="{STALL_CLASS}" id="henti" style="{_STALL_STYLE}">'
            f"{escape(message)}</p>")


def with_stall(html: str, message: str) -> str:
    """The board's HTML with the stall element first in its body (replacing an older one)."""
    html = re.sub(rf'<p class="{STALL_CLASS}".*?</p>', "", html, count=1, flags=re.S)
    head, found, body = html.partition("<body>")
    if not found:
        return html + stall_element(message)
    return f"{head}<body>{stall_element(message)}{body}"


def mark_stalled(output: Path, message: str) -> None:
    """Put the stall element into the board on disk, if there is one to put it in."""
    path = output / layout.BOARD_NAME
    if path.is_file():
        write_text(path, with_stall(path.read_text("utf-8"), message))
