"""`masterplan serve`: participants hand in their own files through a real server.

Each test talks HTTP to a real `masterplan serve` subprocess (uvicorn on a free port), with
plans built through the project's own templates, and checks what the workspace holds
afterwards (inbox/unggah/, the ledger through `masterplan status --json`, the feedback
workbook opened with openpyxl).
"""

from __future__ import annotations

import io
import json
import sqlite3
import threading
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from plans import DINKES, DISDUKCAPIL, DISHUB, good_row, make_plan, quick_win_row
from serving import Server, config_text_with, workspace_with

from pipeline import layout
from pipeline.cli import main
from pipeline.read.references import load_config
from pipeline.store.access import ALPHABET, AccessCodes, shown, typed

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    ws = workspace_with(tmp_path_factory.mktemp("serve") / "ws",
                        config_text_with("batas_mb = 1"))
    server = Server(ws)
    yield server
    server.stop()


@pytest.fixture(scope="module")
def plans(served, tmp_path_factory):
    """Returned files of three OPDs: one clean, one with mistakes, its correction."""
    cfg = load_config(served.ws)
    out = tmp_path_factory.mktemp("plans")
    folder = out / "templates"
    bad = good_row(cfg, dimensi="Smart Govrnance", **{f"anggaran_{cfg.first_year}": "satu juta"})
    return {
        "good": make_plan(cfg, folder, out / "Rencana Disdukcapil.xlsx", DISDUKCAPIL,
                          [quick_win_row(cfg)]),
        "bad": make_plan(cfg, folder, out / "Rencana Dinkes.xlsx", DINKES, [bad]),
        "fixed": make_plan(cfg, folder, out / "Rencana Dinkes (perbaikan).xlsx", DINKES,
                           [good_row(cfg)]),
        "dishub": make_plan(cfg, folder, out / "Dishub.xlsx", DISHUB, [good_row(cfg)]),
    }


def status_of(served, kode: str) -> dict:
    result = CliRunner().invoke(main, ["status", "--json", "--workspace", str(served.ws.root)])
    assert result.exit_code == 0, result.output
    return next(o for o in json.loads(result.output)["opd"] if o["kode"] == kode)


def ledger_paths(served) -> list[str]:
    with sqlite3.connect(served.ws.ledger_path) as db:
        return sorted(row[0] for row in db.execute("SELECT path FROM files"))


def test_access_codes_are_hard_to_guess_and_typed_loosely(tmp_path):
    store = AccessCodes(tmp_path)
    codes = store.ensure(["1.01", "1.02", "1.03"])
    assert len(set(codes.values())) == 3
    for code in codes.values():
        assert len(code) >= 6 and set(code) <= set(ALPHABET)
        assert not set(code) & set("0O1IL5S2Z8B")
    assert store.ensure(["1.01"]) == codes  # stored, not made again
    code = codes["1.02"]
    assert AccessCodes.opd_of(codes, f" {shown(code).lower()} ", ["1.01", "1.02"]) == "1.02"
    assert AccessCodes.opd_of(codes, code[:-1], ["1.01", "1.02", "1.03"]) is None
    assert AccessCodes.opd_of(codes, code, ["1.01"]) is None  # an OPD no longer configured
    renewed = store.renew("1.02")
    assert renewed != code and AccessCodes(tmp_path).load()["1.02"] == renewed
    assert typed("ab-cd ef") == "ABCDEF"


def test_a_clean_file_is_accepted_and_counted_for_its_opd(served, plans):
    code = served.codes()[DISDUKCAPIL]
    response = served.upload(plans["good"], shown(code))
    assert response.status_code == 200, response.text
    answer = response.json()
    assert answer["status"] == "diterima"
    assert answer["opd"] == DISDUKCAPIL
    assert answer["masalah"] == [] and answer["umpan_balik"] is None
    stored = answer["berkas"]
    assert stored.startswith(f"{layout.UPLOAD_DIR}/{DISDUKCAPIL}_")
    assert stored.endswith("_Rencana_Disdukcapil.xlsx")
    assert (served.ws.inbox / stored).read_bytes() == plans["good"].read_bytes()
    assert status_of(served, DISDUKCAPIL)["status"] == "diterima"
    assert status_of(served, DISDUKCAPIL)["counted_file"] == stored


def test_a_rejected_file_names_every_problem_and_its_feedback_is_for_its_opd_only(
        served, plans):
    codes = served.codes()
    response = served.upload(plans["bad"], codes[DINKES])
    answer = response.json()
    assert answer["status"] == "ditolak"
    found = {(p["sheet"], p["kode"]) for p in answer["masalah"]}
    assert ("Program", "PILIHAN_TIDAK_DIKENAL") in found
    assert ("Program", "UANG_TIDAK_TERBACA") in found
    dimension = next(p for p in answer["masalah"] if p["kode"] == "PILIHAN_TIDAK_DIKENAL")
    assert dimension["sel"] == f"D{layout.PROGRAM_FIRST_DATA_ROW}"
    assert "Smart Governance" in dimension["pesan"]  # what to type
    assert dimension["nilai"] == "Smart Govrnance" and dimension["tingkat"] == "kesalahan"
    url = answer["umpan_balik"]
    assert url.startswith(served.url) and "/umpan-balik/" in url

    assert served.client.post(url).status_code == 403  # no code
    assert served.client.post(url, data={"kode_akses": "AAAA-AAAA"}).status_code == 403
    other = served.client.post(url, headers={"X-Kode-Akses": codes[DISDUKCAPIL]})
    assert other.status_code == 404 and b"PK" not in other.content[:2]
    download = served.client.post(url, data={"kode_akses": codes[DINKES].lower()})
    assert download.status_code == 200
    assert download.headers["content-type"].startswith(layout_xlsx())
    book = openpyxl.load_workbook(io.BytesIO(download.content))
    assert book.sheetnames[0] == "Catatan Validasi"
    marked = book[layout.SHEET_PROGRAM][dimension["sel"]]
    assert marked.comment is not None and "Smart Governance" in marked.comment.text
    assert status_of(served, DINKES)["status"] == "perlu revisi"

    # The participant fixes it and hands it in again: accepted, the old feedback retired.
    fixed = served.upload(plans["fixed"], codes[DINKES]).json()
    assert fixed["status"] == "diterima"
    assert served.client.post(url, data={"kode_akses": codes[DINKES]}).status_code == 404
    assert status_of(served, DINKES)["status"] == "diterima"
    assert status_of(served, DINKES)["counted_file"] == fixed["berkas"]


def layout_xlsx() -> str:
    return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_the_same_file_sent_twice_is_ignored_with_why(served, plans):
    code = served.codes()[DISDUKCAPIL]
    answer = served.upload(plans["good"], code).json()
    assert answer["status"] == "diabaikan"
    assert "sama persis" in answer["alasan"]


def test_wrong_or_missing_codes_are_refused_and_write_nothing(served, plans):
    before_files, before_ledger = served.uploads(), ledger_paths(served)
    for code in (None, "", "   ", "WRONG-CODE", served.codes()[DINKES][:-1]):
        response = served.upload(plans["good"], code)
        assert response.status_code == 403, (code, response.text)
        assert response.json()["status"] == "ditolak"
        assert "kode akses" in response.json()["pesan"].lower()
    page = served.upload(plans["good"], "SALAH", json_answer=False)
    assert page.status_code == 403 and "Kode akses salah" in page.text
    assert served.uploads() == before_files and ledger_paths(served) == before_ledger


def test_no_file_empty_file_and_too_large_file_are_refused_and_write_nothing(served, plans):
    code = served.codes()[DISHUB]
    before_files, before_ledger = served.uploads(), ledger_paths(served)
    nothing = served.upload(None, code)
    assert nothing.status_code == 400 and "Pilih berkas" in nothing.json()["pesan"]
    empty = served.upload(None, code, name="kosong.xlsx", content=b"")
    assert empty.status_code == 400 and "kosong" in empty.json()["pesan"]
    big = served.upload(None, code, name="besar.xlsx", content=b"x" * (2 * 1024 * 1024))
    assert big.status_code == 413 and "1 MB" in big.json()["pesan"]
    assert served.uploads() == before_files and ledger_paths(served) == before_ledger


def test_a_body_without_length_is_refused_while_it_streams(served):
    """Chunked transfer: no Content-Length to refuse on; the count while reading does it."""
    code = served.codes()[DISHUB]
    boundary = "batas123"
    head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"kode_akses\"\r\n\r\n"
            f"{code}\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"berkas\"; "
            f"filename=\"besar.xlsx\"\r\nContent-Type: application/octet-stream\r\n\r\n")
    sent = {"bytes": 0}

    def body():
        yield head.encode()
        for _ in range(400):  # 400 x 64 KiB = 25 MiB, far over the 1 MB limit
            sent["bytes"] += 65536
            yield b"x" * 65536
        yield f"\r\n--{boundary}--\r\n".encode()

    before = served.uploads()
    response = served.client.post(
        "/unggah", content=body(), headers={
            "Content-Type": f"multipart/form-data; boundary={boundary}",
            "Accept": "application/json"})
    assert response.status_code == 413
    assert served.uploads() == before


def test_a_name_with_path_parts_is_stored_clean_inside_the_upload_folder(served, plans):
    code = served.codes()[DISHUB]
    answer = served.upload(plans["dishub"], code,
                           name="..\\..\\C:\\tmp/../../<b>evil</b> file?.xlsx").json()
    stored = served.ws.inbox / answer["berkas"]
    assert stored.parent == served.ws.inbox / layout.UPLOAD_DIR and stored.is_file()
    assert stored.name.startswith(f"{DISHUB}_") and stored.name.endswith("_b_file.xlsx")
    assert set(stored.name) <= set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                   "0123456789._-")
    assert answer["status"] == "diterima"


def test_participant_text_is_escaped_on_the_answer_page(served, plans):
    code = served.codes()[DISHUB]
    page = served.upload(plans["bad"], code, name="<img src=x onerror=alert(1)>.xlsx",
                         json_answer=False)
    assert page.status_code == 200
    assert "<img src=x" not in page.text and "&lt;img src=x" in page.text
    assert "script-src 'nonce-" in page.headers["content-security-policy"]


def test_a_non_workbook_gets_the_inbox_rejection_with_how_to_save_as_xlsx(served):
    code = served.codes()[DISHUB]
    answer = served.upload(None, code, name="rencana.pdf",
                           content=b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n").json()
    assert answer["status"] == "ditolak"
    assert [p["kode"] for p in answer["masalah"]] == ["BERKAS_PDF"]
    assert ".xlsx" in answer["masalah"][0]["pesan"]
    # kept under a suffix no laptop runs, judged by its bytes all the same
    assert answer["berkas"].endswith("_rencana.bin")


def test_another_opds_file_sent_with_a_code_counts_for_neither(served, plans, tmp_path):
    cfg = load_config(served.ws)
    codes = served.codes()
    other = "1.01.01"  # an OPD that has sent nothing
    before = status_of(served, other)["status"]
    sent = make_plan(cfg, tmp_path / "t", tmp_path / "Dishub lain.xlsx", DISHUB,
                     [good_row(cfg, nama_program="Program Dishub yang lain")])
    answer = served.upload(sent, codes[other]).json()
    assert answer["status"] == "ditolak"
    assert [p["kode"] for p in answer["masalah"]] == ["UNGGAH_OPD_LAIN"]
    assert "Dinas Perhubungan" in answer["alasan"]
    assert status_of(served, other)["status"] == before
    assert status_of(served, DISHUB)["counted_file"] != answer["berkas"]
    # The board (after the next refresh) shows it as the sender's, not as Dishub's.
    from pipeline.store.holdings import problems_of_present_files
    from pipeline.store.ledger import Ledger
    from pipeline.write.board import render_board

    ledger = Ledger(served.ws.ledger_path)
    try:
        entries = problems_of_present_files(ledger)
    finally:
        ledger.close()
    html = render_board(cfg, [], entries, [], "2026-12-04T10:00:00")
    line = next(li for li in html.split("<li") if answer["berkas"] in li).split("</li>")[0]
    assert f"<b>{cfg.opd_by_code[other].singkatan}</b>" in line and "<b>Dishub</b>" not in line


def test_the_board_is_served_with_the_upload_address_and_its_qr_code(served):
    response = served.client.get("/papan")
    assert response.status_code == 200
    assert served.url.removeprefix("http://").rstrip("/") in response.text
    assert "<svg" in response.text
    assert 'id="unggah"' in response.text
    index = served.client.get("/")
    assert index.status_code == 200 and 'name="kode_akses"' in index.text
    assert 'type="file"' in index.text
    # Nothing from the internet: the hall may have none.
    assert "http://" not in index.text and "https://" not in index.text


def test_forty_opds_uploading_at_once_are_each_judged_once(tmp_path):
    """40 OPDs at the same second: every file answered and recorded once, none lost."""
    ws = workspace_with(tmp_path / "ws")
    cfg = load_config(ws)
    opds = cfg.opds[:36]
    folder = tmp_path / "templates"
    files = {o.kode: make_plan(cfg, folder, tmp_path / f"{o.singkatan}.xlsx", o.kode,
                               [good_row(cfg, nama_program=f"Program {o.singkatan}")])
             for o in opds}
    # Four OPDs send a second, different version at the same time.
    for o in opds[:4]:
        files[o.kode + "#2"] = make_plan(cfg, folder, tmp_path / f"{o.singkatan} v2.xlsx",
                                         o.kode, [good_row(cfg, nama_program="Versi dua")])
    server = Server(ws)
    try:
        codes = server.codes()
        answers: dict[str, dict] = {}
        start = threading.Barrier(len(files))

        def send(number: int, key: str, path: Path) -> None:
            start.wait()  # each OPD from a device (an address) of its own
            answers[key] = server.upload(path, codes[key.split("#")[0]],
                                         source=f"127.0.2.{1 + number}").json()

        threads = [threading.Thread(target=send, args=(number, *item))
                   for number, item in enumerate(files.items())]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(120)
    finally:
        server.stop()
    assert len(answers) == 40
    assert {a["status"] for a in answers.values()} == {"diterima"}
    stored = [a["berkas"] for a in answers.values()]
    assert len(set(stored)) == 40 and len(server.uploads()) == 40
    with sqlite3.connect(ws.ledger_path) as db:
        rows = db.execute("SELECT path, status FROM files").fetchall()
    assert sorted(path for path, _ in rows) == sorted(stored)
    result = CliRunner().invoke(main, ["status", "--json", "--workspace", str(ws.root)])
    statuses = {o["kode"]: o for o in json.loads(result.output)["opd"]}
    assert all(statuses[o.kode]["status"] == "diterima" for o in opds)


def test_repeated_wrong_codes_from_one_address_are_slowed_down(tmp_path, plans):
    ws = workspace_with(tmp_path / "ws")
    server = Server(ws)
    try:
        right = server.codes()[DISDUKCAPIL]
        statuses = [server.upload(plans["good"], f"SALAH{n:03d}").status_code
                    for n in range(12)]
        blocked = server.upload(plans["good"], right)
    finally:
        server.stop()
    assert statuses[:10] == [403] * 10 and statuses[10:] == [429, 429]
    assert blocked.status_code == 429 and "Tunggu" in blocked.json()["pesan"]
    assert server.uploads() == []


def test_akses_lists_renews_and_the_code_is_on_the_template(workspace):
    runner = CliRunner()
    listed = runner.invoke(main, ["akses", "--json", "--workspace", str(workspace.root)])
    assert listed.exit_code == 0, listed.output
    codes = json.loads(listed.output)
    cfg = load_config(workspace)
    assert list(codes) == [o.kode for o in cfg.opds]
    made = runner.invoke(main, ["templates", "--opd", DISHUB, "--workspace",
                                str(workspace.root)])
    assert made.exit_code == 0, made.output
    template = workspace.templates / layout.template_filename(cfg.opd_by_code[DISHUB])
    guide = openpyxl.load_workbook(template)[layout.SHEET_GUIDE]
    values = {cell.value for row in guide.iter_rows() for cell in row}
    assert codes[DISHUB] in values
    assert not any(codes[o.kode] in values for o in cfg.opds if o.kode != DISHUB)

    renewed = runner.invoke(main, ["akses", "--baru", DISHUB, "--workspace",
                                   str(workspace.root)])
    assert renewed.exit_code == 0 and f"templates --opd {DISHUB}" in renewed.output
    again = json.loads(runner.invoke(main, ["akses", "--json", "--workspace",
                                            str(workspace.root)]).output)
    assert again[DISHUB] != codes[DISHUB]
    assert {k: v for k, v in again.items() if k != DISHUB} == \
        {k: v for k, v in codes.items() if k != DISHUB}
    unknown = runner.invoke(main, ["akses", "--baru", "9.99", "--workspace",
                                   str(workspace.root)])
    assert unknown.exit_code == 2 and "tidak dikenal" in unknown.output

    reminders = runner.invoke(main, ["status", "--pesan", "--workspace", str(workspace.root)])
    assert reminders.exit_code == 0
    block = reminders.output.split(f"({DISHUB}) ===")[1].split("\n===")[0]
    assert again[DISHUB] in block


def test_a_taken_port_is_one_sentence_and_exit_2(workspace):
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(main, ["serve", "--port", str(port), "--host", "127.0.0.1",
                                           "--workspace", str(workspace.root)])
    assert result.exit_code == 2
    assert f"Port {port} sudah dipakai" in result.output


def test_a_run_from_another_terminal_keeps_the_upload_address_on_the_board(tmp_path):
    """The board file shows where to hand in files while the server runs, whoever writes
    it; once the server stops, a run's board no longer points at it."""
    ws = workspace_with(tmp_path / "ws")
    server = Server(ws)
    try:
        result = CliRunner().invoke(main, ["run", "--workspace", str(ws.root)])
        assert result.exit_code == 0, result.output
        board = (ws.output / layout.BOARD_NAME).read_text("utf-8")
        assert 'id="unggah"' in board
        assert server.url.removeprefix("http://").rstrip("/") in board
    finally:
        server.stop()
    assert not (ws.state / "layanan.json").exists()
    CliRunner().invoke(main, ["run", "--workspace", str(ws.root)])
    assert 'id="unggah"' not in (ws.output / layout.BOARD_NAME).read_text("utf-8")
