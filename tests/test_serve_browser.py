"""A participant in a real browser: headless Chromium (the system's, driven by Playwright)
opens the upload page of a real `masterplan serve`, chooses the file, types the code,
sends it, reads every problem, downloads the feedback workbook, fixes the file in it and
hands it in again until it reads `diterima`."""

from __future__ import annotations

import openpyxl
import pytest
from plans import DINKES, good_row, make_plan
from serving import Server, workspace_with

from pipeline import layout
from pipeline.read.references import load_config
from pipeline.store.access import shown

pytestmark = pytest.mark.slow

def test_a_participant_hands_in_fixes_and_hands_in_again_in_a_browser(browser, tmp_path):
    ws = workspace_with(tmp_path / "ws")
    cfg = load_config(ws)
    first = cfg.first_year
    sent = make_plan(cfg, tmp_path / "templates", tmp_path / "Rencana Dinkes.xlsx", DINKES,
                     [good_row(cfg, dimensi="Smart Govrnance",
                               **{f"anggaran_{first}": "seratus juta"})])
    server = Server(ws)
    try:
        code = shown(server.codes()[DINKES])
        page = browser.new_page(viewport={"width": 412, "height": 915})  # a phone
        page.goto(server.url)
        page.set_input_files("#berkas", str(sent))
        page.fill("#kode_akses", code.lower())
        page.click("#tombol")
        page.wait_for_selector("#putusan")
        assert page.inner_text("#putusan h2") == "DITOLAK"
        problems = page.inner_text("#masalah")
        assert "sel D4" in problems and "Smart Governance" in problems
        assert "seratus juta" in problems  # the value found, shown back
        assert page.locator("#masalah li").count() >= 2
        page.screenshot(path=str(tmp_path / "jawaban.png"), full_page=True)

        with page.expect_download() as download_info:
            page.click("#unduh button")
        feedback = tmp_path / download_info.value.suggested_filename
        download_info.value.save_as(feedback)
        assert feedback.name.endswith("_umpan_balik.xlsx")

        # Fix it in the feedback workbook itself, as the participant does.
        book = openpyxl.load_workbook(feedback)
        program = book[layout.SHEET_PROGRAM]
        program[f"D{layout.PROGRAM_FIRST_DATA_ROW}"] = "Smart Governance"
        header = [c.value for c in program[layout.PROGRAM_HEADER_ROW]]
        money = header.index(layout.budget_label(first)) + 1
        program.cell(layout.PROGRAM_FIRST_DATA_ROW, money, 100_000_000)
        fixed = tmp_path / "Rencana Dinkes perbaikan.xlsx"
        book.save(fixed)

        # The answer page offers the form again, with the code already filled in.
        assert page.input_value("#kode_akses").upper() == code.upper()
        page.set_input_files("#berkas", str(fixed))
        page.click("#tombol")
        page.wait_for_selector("#putusan h2:text('DITERIMA')")
        assert DINKES in page.inner_text("main")
        page.goto(server.url + "papan")
        assert page.locator("#unggah svg").count() == 1
    finally:
        server.stop()
    stored = sorted((ws.inbox / layout.UPLOAD_DIR).iterdir())
    assert len(stored) == 2 and all(p.name.startswith(f"{DINKES}_") for p in stored)


def test_the_page_refuses_a_too_large_file_before_sending_it(browser, tmp_path):
    from serving import config_text_with

    ws = workspace_with(tmp_path / "ws", config_text_with("batas_mb = 1"))
    big = tmp_path / "besar.xlsx"
    big.write_bytes(b"x" * (2 * 1024 * 1024))
    server = Server(ws)
    try:
        page = browser.new_page()
        page.goto(server.url)
        page.set_input_files("#berkas", str(big))
        page.fill("#kode_akses", shown(server.codes()[DINKES]))
        messages = []
        page.on("dialog", lambda dialog: (messages.append(dialog.message), dialog.accept()))
        page.click("#tombol")
        page.wait_for_timeout(300)
        assert messages and "terlalu besar" in messages[0]
        assert page.url == server.url  # still the form: nothing was sent
    finally:
        server.stop()
    assert not (ws.inbox / layout.UPLOAD_DIR).exists()
