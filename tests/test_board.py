"""The status board output/papan_status.html: written by every run, one tile per OPD,
participant text escaped, and loaded by a real browser (headless Chromium)."""

from __future__ import annotations

import shutil
import struct
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
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
        [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
         "--no-first-run", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", f"--user-data-dir={profile}", *args],
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
