"""`output/papan_status.html`: the status board for the projector in the workshop hall.

One self-contained page (inline CSS, nothing loaded from anywhere, no script) that reloads
itself every few seconds, so a browser opened once on the file follows every run and
`masterplan watch`. It shows a tile per configured OPD coloured by status, the progress
toward all OPDs, the latest arrivals, budget and Quick Wins per dimension and the
problems most frequent in this workshop; under `masterplan serve`, the upload page's
address and its QR code (segno, inline SVG), so the hall can open it from the projector.
Sizes are in viewport units so the same page reads from the back of the hall at 1280x720
and at 1920x1080.

Every text that is not the page's own (file names as participants chose them, names from
the config, problem titles) is escaped with html.escape: it is data, never markup.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from html import escape
from pathlib import Path

from .. import layout
from ..assemble import replacements
from ..catalogue import Code, Problem
from ..common.atomic import write_text
from ..common.idtext import rupiah_short as rupiah
from ..config import Config
from ..results import FileRecord, FileState, OpdStatus, PlanStatus, plan_counts

REFRESH_SECONDS = 5
LATEST_SHOWN = 6
PROBLEMS_SHOWN = 5
# Lock and temp files are noise on a projector; everything else that arrived is shown.
_NOISE_CODES = {Code.BERKAS_KUNCI, Code.BERKAS_SEMENTARA}
# A file's verdict in the hall's words: a rejected plan is one to revise.
# A file's verdict on the board, by its state (results.FILE_LABEL): a replaced or
# withdrawn file needs no action any more and is shown grey.
_FILE_VERDICT = {FileState.ACCEPTED: PlanStatus.ACCEPTED, FileState.REJECTED: PlanStatus.REVISE,
                 **{state: state.label for state in (FileState.IGNORED, FileState.REPLACED,
                                                     FileState.WITHDRAWN)}}
_CSS_CLASS = {PlanStatus.ACCEPTED: "ok", PlanStatus.REVISE: "revisi", PlanStatus.MISSING: "belum"}

# The tile area, in viewport heights of a 16:9 screen (the page's other columns take
# the rest); tiles are laid out as a grid that fills it.
_TILE_AREA_WIDTH_VH = 108.0
_TILE_AREA_HEIGHT_VH = 62.0
MIN_LABEL_VH = 1.0  # 7 px at 720 lines


@dataclass
class DimensionRow:
    name: str
    budget: int  # Rupiah over the whole period
    quick_wins: int
    quick_win_budget: int  # Rupiah in the Quick Win year


def dimension_rows(cfg: Config, cons) -> list[DimensionRow]:
    """Budget and Quick Wins of each configured dimension, from the consolidation."""
    from ..assemble.consolidate import TOTAL

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
    return "\n".join([
        "<!DOCTYPE html>",
        '<html lang="id"><head><meta charset="utf-8">',
        f'<meta http-equiv="refresh" content="{REFRESH_SECONDS}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>Status Pengumpulan Masterplan {escape(cfg.region_name)}</title>",
        f"<style>{_CSS}{_tile_css(statuses)}</style></head><body>",
        "<header>",
        f"<h1>{escape(cfg.region_name)}</h1>",
        f'<p class="sub">Status pengumpulan masterplan {escape(cfg.period_label)} · '
        f'diperbarui pukul <b id="jam">{escape(clock)}</b></p>',
        "</header>",
        '<section class="progress">',
        f'<div class="bar"><span style="width:{percent:.1f}%"></span></div>',
        f'<p><b id="kemajuan">{done} dari {total} OPD diterima</b>'
        f'<span class="chip revisi">{counts[PlanStatus.REVISE]} perlu revisi</span>'
        f'<span class="chip belum">{counts[PlanStatus.MISSING]} belum mengumpulkan</span>'
        f"{_reference_chip(references)}</p>",
        "</section>",
        '<main><section class="tiles" id="opd">',
        *(_tile(s) for s in statuses),
        "</section><aside>",
        *_upload(upload_url),
        *_latest(cfg, entries, replacements.counted_files(statuses)),
        *_frequent_problems(entries),
        "</aside></main>",
        *_dimensions(dimensions, cfg.quick_win_year),
        "</body></html>",
        "",
    ])


def _reference_chip(references: tuple[int, int] | None) -> str:
    if references is None or not references[1]:
        return ""
    valid, total = references
    return (f'<span class="chip ok" id="rujukan">{100 * valid / total:.0f}% program '
            f"beracuan RPJMD dan berkode sah ({valid} dari {total})</span>")


def _tile(status: OpdStatus) -> str:
    css = _CSS_CLASS[status.status]
    label = status.status
    if status.status == PlanStatus.REVISE:
        label = f"perlu revisi · {status.n_errors + status.n_warnings} masalah"
    return (f'<div class="tile {css}" data-opd="{escape(status.kode)}" '
            f'title="{escape(status.nama)}"><b>{escape(status.singkatan)}</b>'
            f"<span>{escape(label)}</span></div>")


def _latest(cfg: Config, entries: list[tuple[FileRecord, list[Problem]]],
            counted: dict[str, tuple[str, str, int]]) -> list[str]:
    arrived = [(record, problems) for record, problems in entries
               if record.code not in _NOISE_CODES]
    arrived.sort(key=lambda item: (item[0].received_at, item[0].seq), reverse=True)
    lines = ["<h2>Berkas terakhir masuk</h2>", '<ul class="latest" id="terbaru">']
    for record, problems in arrived[:LATEST_SHOWN]:
        state = _FILE_VERDICT[replacements.file_state(record, counted)]
        verdict = f"{state} ({len(problems)})" if state == PlanStatus.REVISE else state
        # An upload is shown as its sender's (the OPD whose access code sent it), also
        # when its template names another OPD.
        opd = cfg.opd_by_code.get(layout.upload_claim(record.path) or record.opd or "")
        who = opd.singkatan if opd else "OPD tidak dikenal"
        lines.append(f'<li class="{_CSS_CLASS.get(state, "belum")}">'
                     f'<time>{escape(record.received_at[11:16])}</time>'
                     f'<b>{escape(who)}</b><span class="verdict">{escape(verdict)}</span>'
                     f'<small>{escape(record.path)}</small></li>')
    if not arrived:
        lines.append('<li class="belum"><span>Belum ada berkas masuk.</span></li>')
    lines.append("</ul>")
    return lines


def _upload(url: str | None) -> list[str]:
    """Where to hand in files, as text and as a QR code a phone camera opens."""
    if not url:
        return []
    import segno

    qr = segno.make(url, error="m").svg_inline(scale=1, border=2, omitsize=True,
                                               dark="#000", light="#fff")
    return ['<section class="upload" id="unggah">', f'<div class="qr">{qr}</div>',
            f"<p>Kirim berkas Anda di<b>{escape(url.removeprefix('http://').rstrip('/'))}</b>"
            "<small>Kode akses OPD ada di lembar Petunjuk template.</small></p>",
            "</section>"]


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


def _dimensions(dimensions: list[DimensionRow], quick_win_year: int) -> list[str]:
    """A strip of cards under the tiles: budget and Quick Wins of each dimension."""
    lines = ['<footer class="dims" id="dimensi">']
    for d in dimensions:
        lines.append(f'<div><b>{escape(d.name)}</b><span>{rupiah(d.budget)}</span>'
                     f"<small>{d.quick_wins} QW {quick_win_year} · "
                     f"{rupiah(d.quick_win_budget)}</small></div>")
    lines.append(f'<div class="total"><b>Total</b>'
                 f"<span>{rupiah(sum(d.budget for d in dimensions))}</span>"
                 f"<small>{sum(d.quick_wins for d in dimensions)} QW · "
                 f"{rupiah(sum(d.quick_win_budget for d in dimensions))}</small></div>")
    lines.append("</footer>")
    return lines


def _tile_css(statuses: list[OpdStatus]) -> str:
    """A grid that fills the tile area, with the column count that gives the largest type
    the longest name allows (a long single word cannot wrap)."""
    n = max(len(statuses), 1)
    longest = max((len(word) for s in statuses for word in s.singkatan.split()), default=4)
    best = (0.0, 1, 1, 1.0)
    for cols in range(1, n + 1):
        rows = math.ceil(n / cols)
        width, height = _TILE_AREA_WIDTH_VH / cols, _TILE_AREA_HEIGHT_VH / rows
        # A bold character is about 0.6 of the type size wide; names take up to 3 lines.
        name = min(height * 0.26, 0.9 * width / (0.6 * max(longest, 4)))
        if name > best[0]:
            best = (name, cols, rows, width)
    name, cols, rows, width = best
    label = min(name * 0.75, 0.9 * width / (0.58 * len("mengumpulkan")))
    # Too small to read (hundreds of OPDs): the colour says the status alone.
    label_css = f"font-size:{label:.2f}vh" if label >= MIN_LABEL_VH else "display:none"
    return (f".tiles{{grid-template-columns:repeat({cols},1fr);"
            f"grid-template-rows:repeat({rows},1fr)}}"
            f".tile b{{font-size:{name:.2f}vh}}.tile span{{{label_css}}}")


_CSS = """
*{box-sizing:border-box;margin:0;padding:0}
html,body{height:100%;background:#0b0f14;color:#f4f6f8;
font-family:"DejaVu Sans","Segoe UI",Arial,sans-serif;overflow:hidden}
body{display:flex;flex-direction:column;padding:1.6vh 1.6vw;gap:1.2vh}
header{display:flex;align-items:baseline;justify-content:space-between;gap:2vw}
h1{font-size:4.4vh;font-weight:800;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.sub{font-size:2.8vh;color:#c9d1d9;white-space:nowrap}
.sub b{color:#fff}
.progress{display:flex;align-items:center;gap:1.5vw}
.bar{flex:1;height:3.6vh;background:#30363d;border-radius:1.8vh;overflow:hidden}
.bar span{display:block;height:100%;background:#2ea043}
.progress p{font-size:3.4vh;white-space:nowrap;display:flex;gap:1vw;align-items:center}
.chip{font-size:2.6vh;padding:.3vh .8vw;border-radius:1vh;font-weight:700}
main{flex:1;display:flex;gap:1.6vw;min-height:0}
.tiles{display:grid;gap:.8vh;width:62%;height:100%}
.tile{border-radius:1vh;padding:.6vh .5vw;display:flex;flex-direction:column;
justify-content:center;align-items:center;text-align:center;overflow:hidden;min-width:0}
.tile b{font-weight:800;line-height:1.1}
.tile span{margin-top:.4vh;line-height:1.1;font-weight:600}
.ok{background:#1f883d;color:#fff}
.revisi{background:#cf222e;color:#fff}
.belum{background:#3d444d;color:#e6edf3}
aside{flex:1;display:flex;flex-direction:column;gap:.8vh;min-width:0;overflow:hidden}
h2{font-size:2.7vh;color:#9fb3c8;text-transform:uppercase;letter-spacing:.04em;
border-bottom:.3vh solid #30363d;padding-bottom:.3vh;margin-top:.6vh}
ul{list-style:none;display:flex;flex-direction:column;gap:.5vh}
.latest li{display:grid;grid-template-columns:auto 1fr auto;column-gap:.8vw;
align-items:baseline;padding:.4vh .6vw;border-radius:.8vh;font-size:2.6vh}
.latest time{font-weight:700}
.latest b{overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.latest .verdict{font-weight:700;white-space:nowrap}
.latest small{grid-column:1/-1;font-size:1.9vh;opacity:.9;overflow:hidden;
text-overflow:ellipsis;white-space:nowrap}
table{width:100%;border-collapse:collapse;font-size:2.5vh}
td,th{padding:.25vh .3vw;vertical-align:baseline}
th{font-size:2.1vh;color:#9fb3c8;font-weight:600}
td small{font-size:1.7vh;color:#9fb3c8}
.problems td:first-child{max-width:0;width:100%;white-space:nowrap;overflow:hidden;
text-overflow:ellipsis}
.num{text-align:right;white-space:nowrap}
.problems td.num{font-weight:700;color:#ffb4a9}
.dims{display:flex;gap:.8vw}
.dims div{flex:1;background:#161b22;border-radius:1vh;padding:.6vh .6vw;min-width:0;
display:flex;flex-direction:column}
.dims b{font-size:1.9vh;color:#9fb3c8;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.dims span{font-size:2.9vh;font-weight:800;white-space:nowrap}
.dims small{font-size:1.8vh;color:#c9d1d9;white-space:nowrap;overflow:hidden;
text-overflow:ellipsis}
.dims .total{background:#1f3a5f}
.upload{display:flex;gap:1vw;align-items:center;background:#161b22;border-radius:1vh;
padding:.8vh .6vw}
.upload .qr{flex:none;width:19vh;height:19vh}
.upload .qr svg{width:100%;height:100%;display:block}
.upload p{font-size:2.4vh;display:flex;flex-direction:column;gap:.6vh;min-width:0}
.upload b{font-size:3.4vh;color:#fff;overflow-wrap:anywhere}
.upload small{font-size:1.9vh;color:#c9d1d9}
"""
