"""The status board output/papan_status.html: written by every run, one tile per OPD,
participant text escaped, and loaded by a real browser (headless Chromium)."""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import CHROMIUM_FLAGS
from lxml import html
from plans import DINKES, DISHUB, good_row, make_plan, quick_win_row

from pipeline import layout
from pipeline.catalogue import Code
from pipeline.cli import main
from pipeline.write.board import rupiah

HOSTILE_NAME = "<script>alert(1)</script>.xlsx"  # a subfolder "<script>alert(1)<" + file
CHROMIUM_TIMEOUT = 120


def run_cli(ws) -> None:
    result = CliRunner().invoke(main, ["run", "--workspace", str(ws.root)],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output


@pytest.fixture
def board_workspace(cfg, workspace, tmp_path):
    """Dinkes accepted (one Quick Win), Dishub rejected under a hostile file name."""
    make_plan(cfg, tmp_path / "t", workspace.inbox / "dinkes.xlsx", DINKES, dinkes_rows(cfg))
    hostile = workspace.inbox / HOSTILE_NAME
    hostile.parent.mkdir()
    make_plan(cfg, tmp_path / "t", hostile, DISHUB,
              [good_row(cfg, dimensi="Smart Kota"), good_row(cfg, satuan=None)])
    run_cli(workspace)
    return workspace


def dinkes_rows(cfg) -> list[dict]:
    return [good_row(cfg), quick_win_row(cfg, nama_program="Antrean Puskesmas Daring")]


def tiles(document) -> dict[str, html.HtmlElement]:
    return {tile.get("data-opd"): tile for tile in document.xpath("//div[@data-opd]")}


def test_every_run_writes_a_board_with_a_tile_per_opd_coloured_by_status(cfg,
                                                                         board_workspace):
    page = (board_workspace.output / layout.BOARD_NAME).read_text("utf-8")
    document = html.fromstring(page)
    found = tiles(document)
    assert list(found) == [opd.kode for opd in cfg.opds]
    assert "ok" in found[DINKES].classes and "diterima" in found[DINKES].text_content()
    # Dishub's tile says how many problems its newest file has, as the ledger counted.
    status = CliRunner().invoke(main, ["status", "-w", str(board_workspace.root), "--json"])
    import json

    dishub_file = next(f for f in json.loads(status.output)["files"] if f["opd"] == DISHUB)
    problems = json.loads((board_workspace.output / "laporan_validasi.json").read_text())
    n_dishub = sum(p["file"] == dishub_file["file"] for p in problems["problems"])
    assert n_dishub >= 2
    assert "revisi" in found[DISHUB].classes
    assert found[DISHUB].text_content().endswith(f"perlu revisi · {n_dishub} masalah")
    others = [code for code in found if code not in (DINKES, DISHUB)]
    assert all("belum mengumpulkan" in found[c].text_content() for c in others)
    assert all("belum" in found[c].classes for c in others)
    assert document.get_element_by_id("kemajuan").text == f"1 dari {len(cfg.opds)} OPD diterima"
    # It reloads itself and loads nothing from anywhere.
    assert document.xpath("//meta[@http-equiv='refresh']/@content") == ["5"]
    assert not document.xpath("//script|//link|//img|//iframe|//@src|//@href")


def test_board_shows_arrivals_problems_and_budget_per_dimension(cfg, board_workspace):
    document = html.fromstring((board_workspace.output / layout.BOARD_NAME).read_text("utf-8"))
    latest = document.get_element_by_id("terbaru").xpath("./li")
    assert [li.xpath("string(./small)") for li in latest] == [HOSTILE_NAME, "dinkes.xlsx"]
    assert "perlu revisi" in latest[0].text_content()
    assert "diterima" in latest[1].text_content()
    problem_rows = document.get_element_by_id("masalah").xpath("./tr")
    codes = [row.xpath("string(./td/small)") for row in problem_rows]
    assert "PILIHAN_TIDAK_DIKENAL" in codes
    for row, code in zip(problem_rows, codes, strict=True):
        assert row.text_content().startswith(Code(code).title)
        assert row.xpath("string(./td[@class='num'])") == "1 berkas"
    # Dinkes' two programs are both Smart Governance; the Quick Win has 200 jt in the
    # Quick Win year.
    cards = {card.xpath("string(./b)"): card
             for card in document.get_element_by_id("dimensi").xpath("./div")}
    assert list(cards) == [*cfg.dimensions, "Total"]
    qw_year = cfg.quick_win_year
    budget = sum(amount or 0 for row in dinkes_rows(cfg) for key, amount in row.items()
                 if key.startswith("anggaran_"))
    governance = cards["Smart Governance"]
    assert governance.xpath("string(./span)") == rupiah(budget)
    assert governance.xpath("string(./small)") == f"1 QW {qw_year} · Rp 200 jt"
    assert cards["Smart Economy"].xpath("string(./span)") == "Rp 0"


def test_participant_text_is_escaped(board_workspace):
    page = (board_workspace.output / layout.BOARD_NAME).read_text("utf-8")
    assert "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;.xlsx" in page


def test_names_from_the_config_are_escaped_too(workspace):
    text = workspace.config_path.read_text("utf-8")
    workspace.config_path.write_text(
        text.replace('singkatan = "Setda"', 'singkatan = "Setda <i>&amp"', 1), "utf-8")
    run_cli(workspace)
    page = (workspace.output / layout.BOARD_NAME).read_text("utf-8")
    assert "<i>" not in page and "<b>Setda &lt;i&gt;&amp;amp</b>" in page


def test_rupiah_is_short_and_indonesian():
    assert rupiah(0) == "Rp 0"
    assert rupiah(950_000) == "Rp 950.000"
    assert rupiah(1_500_000) == "Rp 1,5 jt"
    assert rupiah(200_000_000) == "Rp 200 jt"
    assert rupiah(12_345_000_000) == "Rp 12,3 M"
    assert rupiah(2 * 10**12) == "Rp 2 T"


# --- a real browser ------------------------------------------------------------------------

@pytest.fixture(scope="session")
def chromium() -> str:
    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    if not binary:
        pytest.skip("headless Chromium (Debian package `chromium`) is not installed; "
                    ".ci/run installs it")
    return binary


def browse(chromium: str, profile: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [chromium, "--headless", *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args],
        capture_output=True, text=True, timeout=CHROMIUM_TIMEOUT, check=False)


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_chromium_renders_the_board_with_every_opd(cfg, board_workspace, chromium, tmp_path):
    board = board_workspace.output / layout.BOARD_NAME
    result = browse(chromium, tmp_path / "profile", "--dump-dom", board.as_uri())
    assert result.returncode == 0, result.stderr
    document = html.fromstring(result.stdout)
    found = tiles(document)
    assert list(found) == [opd.kode for opd in cfg.opds]
    singkatan = [tile.xpath("string(./b)") for tile in found.values()]
    assert singkatan == [opd.singkatan for opd in cfg.opds]
    # The hostile name is text in the browser's DOM, not an element.
    assert not document.xpath("//body//script")
    assert HOSTILE_NAME in document.get_element_by_id("terbaru").text_content()

    shot = tmp_path / "board.png"
    result = browse(chromium, tmp_path / "profile", "--hide-scrollbars",
                    f"--screenshot={shot}", "--window-size=1280,720", board.as_uri())
    assert result.returncode == 0, result.stderr
    assert png_size(shot) == (1280, 720)
    assert shot.stat().st_size > 20_000  # a drawn page, not a blank one


# --- the board fits every projector ---------------------------------------------------------

SCREENS = [(1024, 768), (1280, 720), (1366, 768), (1920, 1080)]
LONG_REGION = "Kabupaten Kepulauan Siau Tagulandang Biar"[:40]
# The page's own layout, as the browser laid it out: every element's box against the
# viewport, its content against its box (a cut text is wider or taller than its box; only
# file names, `small` with an ellipsis, may be), and the boxes of elements side by side
# against each other.
LAYOUT_FAULTS = """() => {
  const faults = [], W = innerWidth, H = innerHeight;
  const describe = e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
    + (e.className ? '.' + e.className : '') + ' "' + e.textContent.trim().slice(0, 40) + '"';
  const boxes = [...document.body.querySelectorAll('*')]
    .filter(e => !e.closest('svg') && e.getClientRects().length)
    .map(e => [e, e.getBoundingClientRect()]);
  for (const [e, r] of boxes) {
    if (r.left < -0.5 || r.top < -0.5 || r.right > W + 0.5 || r.bottom > H + 0.5)
      faults.push('off screen: ' + describe(e));
    const mayEllipsis = e.matches('small') && getComputedStyle(e).textOverflow === 'ellipsis';
    if (!mayEllipsis && (e.scrollWidth > e.clientWidth + 1 || e.scrollHeight > e.clientHeight + 1))
      faults.push(`cut (${e.scrollWidth}x${e.scrollHeight} in ${e.clientWidth}x${e.clientHeight}): `
                  + describe(e));
  }
  for (const [a, ra] of boxes) for (const [b, rb] of boxes) {
    if (a === b || a.contains(b) || b.contains(a) || a.compareDocumentPosition(b) & 2) continue;
    const w = Math.min(ra.right, rb.right) - Math.max(ra.left, rb.left);
    const h = Math.min(ra.bottom, rb.bottom) - Math.max(ra.top, rb.top);
    if (w > 1 && h > 1) faults.push('overlap: ' + describe(a) + ' / ' + describe(b));
  }
  return faults;
}"""


@pytest.fixture(scope="module")
def demo_boards(tmp_path_factory) -> dict[str, Path]:
    """The demo's board; the same under `masterplan serve` (upload address and QR code);
    and with a 40-character region name and 12-character OPD short names."""
    import json
    import os

    root = tmp_path_factory.mktemp("boards")
    ws = root / "demo"
    result = CliRunner().invoke(main, ["demo", "--workspace", str(ws)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    boards = {"demo": root / "demo.html"}
    shutil.copy(ws / "output" / layout.BOARD_NAME, boards["demo"])
    # A server of this workspace, as `masterplan serve` announces it (this process is alive).
    (ws / ".masterplan" / "layanan.json").write_text(json.dumps(
        {"alamat": "http://192.168.100.200:8750/", "pid": os.getpid()}), "utf-8")
    run_cli(type("W", (), {"root": ws}))
    boards["serve"] = root / "serve.html"
    shutil.copy(ws / "output" / layout.BOARD_NAME, boards["serve"])
    # Room for a banner above the header (the watcher's warning that it cannot judge).
    boards["banner"] = root / "banner.html"
    boards["banner"].write_text(boards["serve"].read_text("utf-8").replace(
        "<body>", '<body><p style="font-size:calc(2.6*var(--u));padding:.4em;background:#9a6700">'
        "Pemantau tidak dapat menilai berkas: disk penuh. Berkas yang masuk disimpan dan "
        "dinilai setelah masalahnya teratasi.</p>", 1), "utf-8")

    config = ws / "masterplan.toml"
    text = config.read_text("utf-8")
    text = text.replace('nama = "Kabupaten Tapanuli Tengah"', f'nama = "{LONG_REGION}"', 1)
    names = iter(f"{word[:10]}{n:02d}".upper() for n, word in
                 enumerate(["Kesbangpolin", "Disdukcapilx", "Bapperidanew"] * 20))
    text = re.sub(r'^singkatan = "[^"]*"$', lambda m: f'singkatan = "{next(names)}"', text,
                  flags=re.M)
    config.write_text(text, "utf-8")
    result = CliRunner().invoke(main, ["run", "--workspace", str(ws), "--terima-konfigurasi"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    boards["long"] = ws / "output" / layout.BOARD_NAME

    # A province-sized workshop: 150 OPDs (the tiles' status labels give way to colour).
    from pipeline.read.references import load_config
    from pipeline.results import OpdStatus, PlanStatus
    from pipeline.workspace import Workspace
    from pipeline.write.board import render_board

    cfg = load_config(Workspace(ws))
    statuses = [OpdStatus(f"9.{n:03d}", f"Dinas Nomor {n}", f"DINAS {n:03d}",
                          list(PlanStatus)[n % 3], n_errors=n % 7) for n in range(150)]
    boards["many"] = root / "many.html"
    boards["many"].write_text(render_board(cfg, statuses, [], [], "2026-12-07T10:00:00",
                                           upload_url="http://10.0.0.1:8750/"), "utf-8")
    return boards



@pytest.mark.slow
@pytest.mark.parametrize("board", ["demo", "serve", "banner", "long", "many"])
def test_the_board_fits_every_projector(browser, demo_boards, board, tmp_path):
    page_path = demo_boards[board]
    text = page_path.read_text("utf-8")
    if board == "long":
        assert LONG_REGION in text and len(LONG_REGION) == 40
        assert len(re.findall(r"<b>[A-Z]{10}\d\d</b>", text)) >= 36
    if board in ("serve", "banner"):
        assert "192.168.100.200:8750" in text
    for width, height in SCREENS:
        page = browser.new_page(viewport={"width": width, "height": height})
        try:
            page.goto(page_path.as_uri())
            faults = page.evaluate(LAYOUT_FAULTS)
            page.screenshot(path=str(tmp_path / f"{board}_{width}x{height}.png"))
            # Every OPD's tile is drawn with its name and status in full.
            tiles = 150 if board == "many" else 36
            assert page.locator("#opd .tile").count() == tiles
            assert page.locator(".tile span:visible").count() == (0 if board == "many" else 36)
        finally:
            page.close()
        assert not faults, f"{board} at {width}x{height}:\n" + "\n".join(faults)
