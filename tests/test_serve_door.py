"""The upload page's door against clients that hold on, guess codes, send programs or too
much, and a watcher that cannot judge.

Each test runs the real app in this process (uvicorn on a free loopback port, the inbox
watcher in a thread, as `masterplan serve` does) so the stall timeout can be shortened to
2 s; clients come from addresses of their own on the loopback network (all of 127/8 is
this machine), as devices of the hall would. Every load is bounded in count and time.
"""

from __future__ import annotations

import contextlib
import errno
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from plans import DINKES, DISDUKCAPIL, DISHUB, good_row, make_plan
from serving import XLSX, workspace_with

from pipeline import config as config_mod
from pipeline import layout
from pipeline.catalogue import Refusal, Stall
from pipeline.read.references import load_config
from pipeline.serve import limits
from pipeline.store.access import AccessCodes, shown
from pipeline.watch import stall_of

pytestmark = pytest.mark.slow
STALL = 2.0


@dataclass
class Running:
    url: str
    port: int
    ws: object
    lines: list[str] = field(default_factory=list)

    def codes(self) -> dict[str, str]:
        return {k: shown(v) for k, v in AccessCodes(self.ws.state).load().items()}

    def client(self, source: str = "127.0.0.1") -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=30,
                            transport=httpx.HTTPTransport(local_address=source))

    def upload(self, client: httpx.Client, code: str | None, name: str, body: bytes,
               **headers: str) -> httpx.Response:
        data = {} if code is None else {"kode_akses": code}
        return client.post("/unggah", data=data, files={"berkas": (name, body, XLSX)},
                           headers={"Accept": "application/json", **headers})

    def stored(self) -> list[str]:
        folder = self.ws.inbox / layout.UPLOAD_DIR
        return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []

    def staged(self) -> list[Path]:
        folder = self.ws.state / "unggah_sementara"
        return list(folder.iterdir()) if folder.is_dir() else []


@contextlib.contextmanager
def running(ws) -> Iterator[Running]:
    """`masterplan serve`'s parts (runner.serve without its signal handling), in threads."""
    import uvicorn

    from pipeline.serve import runner
    from pipeline.serve.app import make_app
    from pipeline.serve.desk import UploadDesk
    from pipeline.watch import Events, Watcher

    cfg = load_config(ws)
    AccessCodes(ws.state).ensure(o.kode for o in cfg.opds)
    sock = runner.bind("127.0.0.1", 0)
    port = sock.getsockname()[1]
    result = Running(f"http://127.0.0.1:{port}/", port, ws)
    watcher = Watcher(ws, Events(lambda found: None, lambda summary: None,
                                 result.lines.append))
    watching = threading.Thread(target=watcher.run, daemon=True)
    desk = UploadDesk(ws, cfg, watcher, [result.url], watching.is_alive)
    server = uvicorn.Server(runner.server_config(make_app(desk)))
    serving = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    watching.start()
    serving.start()
    board = ws.output / layout.BOARD_NAME
    deadline = time.monotonic() + 60
    while not (server.started and board.is_file()) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started and board.is_file(), result.lines
    try:
        yield result
    finally:
        server.should_exit = True
        serving.join(30)
        watcher.stop.set()
        watching.join(30)
        sock.close()


@pytest.fixture
def short_stall(monkeypatch):
    monkeypatch.setattr(limits, "STALL_SECONDS", STALL)


@pytest.fixture
def plans(tmp_path):
    ws = workspace_with(tmp_path / "ws")
    cfg = load_config(ws)
    folder = tmp_path / "templates"
    return ws, {
        "dinkes": make_plan(cfg, folder, tmp_path / "Dinkes.xlsx", DINKES, [good_row(cfg)]),
        "dishub": make_plan(cfg, folder, tmp_path / "Dishub.xlsx", DISHUB, [good_row(cfg)]),
        "bad": make_plan(cfg, folder, tmp_path / "Disdukcapil.xlsx", DISDUKCAPIL,
                         [good_row(cfg, dimensi="Smart Govrnance")]),
    }


def _connect(port: int, source: str) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", port), timeout=10,
                                    source_address=(source, 0))
    sock.settimeout(0.2)
    return sock


def _multipart_head(code: str | None, boundary: str = "pagar") -> bytes:
    parts = []
    if code is not None:
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="kode_akses"'
                     f"\r\n\r\n{code}\r\n")
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="berkas"; '
                 f'filename="rencana.xlsx"\r\nContent-Type: {XLSX}\r\n\r\n')
    return "".join(parts).encode()


def _held_body(port: int, source: str, code: str | None) -> socket.socket:
    """A client that declares 5 MB, sends the form's head and 200 KB, then holds."""
    sock = _connect(port, source)
    sock.sendall(b"POST /unggah HTTP/1.1\r\nHost: x\r\nAccept: application/json\r\n"
                 b"Content-Type: multipart/form-data; boundary=pagar\r\n"
                 b"Content-Length: 5000000\r\n\r\n" + _multipart_head(code) + b"x" * 200_000)
    return sock


def _answer(sock: socket.socket) -> bytes:
    """The server's whole answer: it may come in several packets (headers, then body)."""
    received = b""
    while True:
        head, sep, body = received.partition(b"\r\n\r\n")
        if sep:
            length = next((int(line.split(b":", 1)[1]) for line in head.split(b"\r\n")
                           if line.lower().startswith(b"content-length:")), 0)
            if len(body) >= length:
                return received
        try:
            chunk = sock.recv(65536)
        except OSError:
            return received
        if not chunk:
            return received
        received += chunk


def _closed_by_server(sock: socket.socket, deadline: float) -> bool:
    """True once the server closed the connection (whatever it answered first)."""
    while time.monotonic() < deadline:
        try:
            if sock.recv(65536) == b"":
                return True
        except TimeoutError:
            continue
        except OSError:
            return True
    return False


def test_held_bodies_and_half_sent_headers_do_not_keep_a_participant_waiting(
        short_stall, plans):
    ws, files = plans
    with running(ws) as served:
        held = []
        try:
            for n in range(30):  # half their headers, two per address
                sock = _connect(served.port, f"127.0.3.{1 + n // 2}")
                sock.sendall(b"POST /unggah HTTP/1.1\r\nHost: x\r\nContent-Ty")
                held.append(sock)
            for n in range(20):  # a wrong code, then a body that never ends
                held.append(_held_body(served.port, f"127.0.4.{1 + n}", "SALA-HKOD"))
            for n in range(10):  # no code at all before the file
                held.append(_held_body(served.port, f"127.0.5.{1 + n}", None))
            time.sleep(0.5)
            assert served.staged() == []  # nothing of theirs kept anywhere
            started = time.monotonic()
            with served.client() as client:
                answer = served.upload(client, served.codes()[DINKES], "Dinkes.xlsx",
                                       files["dinkes"].read_bytes())
            assert answer.status_code == 200 and answer.json()["status"] == "diterima"
            assert time.monotonic() - started < 10
            deadline = time.monotonic() + 6 * STALL + 5
            assert all(_closed_by_server(sock, deadline) for sock in held)
            assert served.staged() == []
            with served.client() as client:
                assert client.get("/").status_code == 200
        finally:
            for sock in held:
                sock.close()
    assert len(served.stored()) == 1  # the participant's file, and only that


def test_wrong_codes_sent_at_once_meet_the_limit(plans):
    ws, files = plans
    with running(ws) as served:
        def feedback_guesses(statuses: list[int], barrier: threading.Barrier) -> None:
            with served.client("127.0.6.1") as client:
                barrier.wait()
                for n in range(5):  # each with another X-Forwarded-For: not trusted
                    statuses.append(client.post(
                        "/umpan-balik/x.xlsx", headers={
                            "X-Kode-Akses": f"SALA-H{n:03d}", "Accept": "application/json",
                            "X-Forwarded-For": f"10.9.{n}.{len(statuses) % 250}"}
                    ).status_code)

        def upload_guesses(statuses: list[int], barrier: threading.Barrier) -> None:
            with served.client("127.0.6.2") as client:
                barrier.wait()
                for _ in range(5):
                    statuses.append(served.upload(client, "SALA-HKOD", "r.xlsx",
                                                  files["dinkes"].read_bytes()).status_code)

        for guesses in (feedback_guesses, upload_guesses):
            statuses: list[int] = []
            barrier = threading.Barrier(30)
            threads = [threading.Thread(target=guesses, args=(statuses, barrier))
                       for _ in range(30)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(60)
            assert len(statuses) == 150
            assert statuses.count(403) == limits.WRONG_CODES_PER_MINUTE, guesses
            assert set(statuses) == {403, 429}
        with served.client("127.0.6.1") as client:  # the right code waits its turn too
            late = served.upload(client, served.codes()[DINKES], "Dinkes.xlsx",
                                 files["dinkes"].read_bytes())
            assert late.status_code == 429 and "detik" in late.json()["pesan"]
        with served.client("127.0.6.3") as client:  # another device is not held up
            answer = served.upload(client, served.codes()[DINKES], "Dinkes.xlsx",
                                   files["dinkes"].read_bytes())
            assert answer.json()["status"] == "diterima"
        assert len(served.stored()) == 1 and served.staged() == []


def test_an_upload_cut_off_midway_is_not_kept(plans):
    ws, files = plans
    data = files["dinkes"].read_bytes()
    with running(ws) as served:
        sock = _connect(served.port, "127.0.0.1")
        head = _multipart_head(served.codes()[DINKES])
        sock.sendall(b"POST /unggah HTTP/1.1\r\nHost: x\r\n"
                     b"Content-Type: multipart/form-data; boundary=pagar\r\n"
                     + f"Content-Length: {len(head) + len(data) + 12}\r\n\r\n".encode()
                     + head + data[: len(data) // 2])
        deadline = time.monotonic() + 10  # however busy the machine is
        while not served.staged() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(served.staged()) == 1  # the right code: its bytes are being kept
        sock.close()  # the Wi-Fi drops
        deadline = time.monotonic() + 10
        while served.staged() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert served.staged() == [] and served.stored() == []
        with served.client() as client:
            answer = served.upload(client, served.codes()[DINKES], "Dinkes.xlsx", data)
        assert answer.json()["status"] == "diterima" and len(served.stored()) == 1


def test_a_body_that_stalls_with_the_right_code_is_dropped_and_not_kept(short_stall, plans):
    ws, _ = plans
    with running(ws) as served:
        sock = _held_body(served.port, "127.0.0.1", served.codes()[DINKES])
        # The body's first 200 KB are staged once the server has read them (within the
        # stall time, however busy the machine is).
        deadline = time.monotonic() + STALL
        while not served.staged() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(served.staged()) == 1
        sock.settimeout(6 * STALL)
        answer = _answer(sock)
        sock.close()
        assert answer.startswith(b"HTTP/1.1 408") and b"detik tanpa data" in answer
        assert served.staged() == [] and served.stored() == []


@pytest.mark.parametrize(("name", "kind"), [
    ("rencana.bat", "xlsx"), ("Rencana Dinkes.xlsm", "xlsx"), ("setup.exe", "exe"),
    ("halaman.html", "html"), ("app.hta", "html"), ("pintasan.lnk", "lnk"),
    ("tanpa nama", "xlsx")])
def test_an_upload_is_kept_under_the_format_of_its_bytes(plans, name, kind):
    ws, files = plans
    body = {"xlsx": files["dinkes"].read_bytes(), "exe": b"MZ\x90\x00" + b"\x00" * 500,
            "html": b"<html><script>alert(1)</script></html>",
            "lnk": b"L\x00\x00\x00\x01\x14\x02\x00" + b"\x00" * 200}[kind]
    with running(ws) as served, served.client() as client:
        answer = served.upload(client, served.codes()[DINKES], name, body).json()
    [stored] = served.stored()
    archived = [p.suffix for p in ws.archive.rglob("*") if p.is_file()]
    expected = ".xlsx" if kind == "xlsx" else ".bin"
    assert stored.endswith(expected) and answer["berkas"] == f"unggah/{stored}"
    assert archived == [expected]
    assert answer["status"] == ("diterima" if kind == "xlsx" else "ditolak")


def test_each_opd_has_a_quota_per_hour_and_is_told_when_to_send_again(tmp_path):
    text = (config_mod.default_text().replace("kuota_berkas = 30", "kuota_berkas = 2")
            .replace("kuota_mb = 200", "kuota_mb = 1"))
    ws = workspace_with(tmp_path / "ws", text)
    cfg = load_config(ws)
    folder = tmp_path / "templates"
    versions = [make_plan(cfg, folder, tmp_path / f"Dinkes {n}.xlsx", DINKES,
                          [good_row(cfg, nama_program=f"Program versi {n}")])
                for n in range(3)]
    dishub = make_plan(cfg, folder, tmp_path / "Dishub.xlsx", DISHUB, [good_row(cfg)])
    with running(ws) as served, served.client() as client:
        codes = served.codes()
        for path in versions[:2]:
            assert served.upload(client, codes[DINKES], path.name,
                                 path.read_bytes()).json()["status"] == "diterima"
        third = served.upload(client, codes[DINKES], versions[2].name,
                              versions[2].read_bytes())
        assert third.status_code == 429
        message = third.json()["pesan"]
        assert "2 berkas" in message and "pukul" in message and "menit lagi" in message
        assert served.upload(client, codes[DISHUB], dishub.name,
                             dishub.read_bytes()).json()["status"] == "diterima"
        big = served.upload(client, codes[DISHUB], "besar.xlsx", b"PK" + b"\x00" * 1_200_000)
        assert big.status_code == 429 and "1 MB" in big.json()["pesan"]
        assert len(served.stored()) == 3 and served.staged() == []


def test_a_watcher_that_cannot_judge_says_so_and_judges_what_waited_once_it_can(
        plans, tmp_path):
    ws, files = plans
    board = ws.output / layout.BOARD_NAME
    with running(ws) as served, served.client() as client:
        board.unlink()
        board.mkdir()  # a folder where the board goes: every refresh fails
        shutil.copy(files["dinkes"], ws.inbox / "Dinkes.xlsx")
        deadline = time.monotonic() + 30
        while client.get("/").status_code != 503 and time.monotonic() < deadline:
            time.sleep(0.2)
        page = client.get("/")
        assert page.status_code == 503 and Stall.TERHALANG.cause in page.text
        assert "content-security-policy" in page.headers
        refused = served.upload(client, served.codes()[DISHUB], "Dishub.xlsx",
                                files["dishub"].read_bytes())
        assert refused.status_code == 503 and served.stored() == []
        assert Stall.TERHALANG.notice in client.get("/papan").text
        told = [line for line in served.lines if str(board) in line]
        assert told and "menghalangi" in told[0] and "\n" not in told[0]
        shutil.copy(files["dishub"], ws.inbox / "Dishub.xlsx")  # arrives meanwhile
        board.rmdir()
        deadline = time.monotonic() + 40
        while client.get("/").status_code != 200 and time.monotonic() < deadline:
            time.sleep(0.2)
        assert client.get("/").status_code == 200
        assert Stall.PULIH.render() in served.lines
        while "pemantauan-henti" in _read(board) and time.monotonic() < deadline:
            time.sleep(0.2)
        text = _read(board)
        assert "pemantauan-henti" not in text and "Dishub.xlsx" in text


def _read(path: Path) -> str:
    try:
        return path.read_text("utf-8")
    except OSError:
        return "pemantauan-henti"  # not (yet) a file again


@pytest.mark.parametrize(("exc", "stall", "names"), [
    (OSError(errno.ENOSPC, "No space left on device", "/ws/output/rekap.xlsx"),
     Stall.DISK_PENUH, "/ws/output/rekap.xlsx"),
    (IsADirectoryError(errno.EISDIR, "Is a directory", "/ws/output/papan_status.html"),
     Stall.TERHALANG, "/ws/output/papan_status.html"),
    (PermissionError(errno.EACCES, "Permission denied", "/ws/inbox"),
     Stall.TANPA_IZIN, "/ws/inbox"),
    (OSError(errno.EMFILE, "Too many open files"), Stall.BERKAS_TERBUKA_HABIS, ""),
    (RuntimeError("sesuatu yang aneh"), Stall.TAK_TERDUGA, "sesuatu yang aneh"),
])
def test_each_cause_of_a_failed_step_is_one_line_with_its_fix(exc, stall, names):
    found, line = stall_of(exc)
    assert found is stall and names in line and "\n" not in line
    assert "mencoba lagi" in line


def test_odd_feedback_names_are_404_and_every_error_carries_the_headers(plans):
    ws, _ = plans
    with running(ws) as served, served.client() as client:
        code = served.codes()[DINKES]
        for name in ("a" * 5000, "a" * 250 + ".xlsx", "%2e%2e", ".%2e", "%2F..%2Fx", "%00",
                     "é" * 300, f"{DINKES}_20261201-100000_{'x' * 400}.xlsx"):
            response = client.post(f"/umpan-balik/{name}", headers={"X-Kode-Akses": code})
            assert response.status_code == 404, name
            assert any(r.title in response.text for r in (
                Refusal.UMPAN_BALIK_TIDAK_ADA, Refusal.HALAMAN_TIDAK_ADA))  # (a path apart)
        for method, path, status in (("GET", "/tidak-ada", 404), ("GET", "/unggah", 405),
                                     ("DELETE", "/", 405)):
            response = client.request(method, path)
            assert response.status_code == status
            assert response.headers["x-content-type-options"] == "nosniff"
            assert "default-src 'none'" in response.headers["content-security-policy"]
        sock = _connect(served.port, "127.0.0.1")
        sock.settimeout(5)
        sock.sendall(b"GET / HTTP/1.1\r\nHost x\r\n\r\n")  # a header line h11 cannot parse
        raw = _answer(sock).lower()
        sock.close()
        assert raw.startswith(b"http/1.1 400") and b"content-security-policy" in raw


def test_a_server_error_is_the_page_with_its_headers(plans, monkeypatch):
    from pipeline.serve.desk import UploadDesk

    ws, _ = plans

    def broken(self, opd, name):
        raise RuntimeError("rusak")

    monkeypatch.setattr(UploadDesk, "feedback_file", broken)
    with running(ws) as served, served.client() as client:
        response = client.post("/umpan-balik/x.xlsx",
                               headers={"X-Kode-Akses": served.codes()[DINKES]})
        assert response.status_code == 500
        assert Refusal.KESALAHAN_SERVER.title in response.text
        assert "default-src 'none'" in response.headers["content-security-policy"]


def test_the_feedback_link_is_the_printed_address_whatever_the_host_header(plans):
    ws, files = plans
    with running(ws) as served, served.client() as client:
        answer = served.upload(client, served.codes()[DISDUKCAPIL], "Disdukcapil.xlsx",
                               files["bad"].read_bytes(), Host="jebakan.example").json()
    assert answer["status"] == "ditolak"
    assert answer["umpan_balik"].startswith(f"{served.url}umpan-balik/")


def test_the_suffix_is_read_from_the_bytes(tmp_path):
    import io
    import zipfile

    from pipeline.read.sniff import suffix_of

    def zipped(members: dict[str, bytes]) -> io.BytesIO:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as archive:
            for name, data in members.items():
                archive.writestr(name, data)
        return out

    ods = zipped({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet",
                  "content.xml": b"<x/>"})
    odt = zipped({"mimetype": b"application/vnd.oasis.opendocument.text"})
    docx = zipped({"[Content_Types].xml": b"<x/>", "word/document.xml": b"<x/>"})
    xlsm = zipped({"[Content_Types].xml": b"<x/>", "xl/workbook.xml": b"<x/>",
                   "xl/vbaProject.bin": b"\x00"})
    many = zipped({f"x/{n}": b"" for n in range(10_001)} | {"xl/workbook.xml": b""})
    ole = io.BytesIO(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    cut = io.BytesIO(xlsm.getvalue()[:-30])
    assert [suffix_of(f) for f in (ods, odt, docx, xlsm, many, ole, cut, io.BytesIO(b""))] \
        == [".ods", ".bin", ".bin", ".xlsx", ".bin", ".xls", ".bin", ".bin"]


def test_quiet_addresses_and_old_uploads_are_forgotten():
    now = [1000.0]
    wrong = limits.WrongCodes(clock=lambda: now[0])
    for n in range(300):
        assert wrong.attempt(f"10.0.{n // 250}.{n % 250}") == 0
    now[0] += limits.WINDOW_SECONDS + 1
    assert wrong.blocked("10.9.9.9") == 0 and list(wrong.seen) == ["10.9.9.9"]

    quota = limits.Quota(files=2, megabytes=1, clock=lambda: now[0])
    first = quota.take("1.02.01")
    quota.take("1.02.01")
    with pytest.raises(limits.QuotaFull) as full:
        quota.take("1.02.01")
    assert full.value.again_at == now[0] + limits.QUOTA_WINDOW_SECONDS
    first.cancel()  # a refused upload gives its slot back
    third = quota.take("1.02.01")
    with pytest.raises(limits.QuotaFull):
        third.add(2 * 1024 * 1024)
    now[0] += limits.QUOTA_WINDOW_SECONDS + 1
    quota.take("1.02.01")
    assert len(quota.taken["1.02.01"]) == 1
