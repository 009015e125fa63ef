"""Run the upload desk: uvicorn in the main thread, the inbox watcher in another.

The socket is bound here (not by uvicorn) so a taken port is one Indonesian sentence,
and `--port 0` picks a free one (tests, benchmarks). Ctrl-C or SIGTERM stops uvicorn
gracefully (answers in flight are sent), then the watcher finishes its step and stops.
"""

from __future__ import annotations

import contextlib
import errno
import ipaddress
import signal
import socket
import threading
from collections.abc import Callable, Iterator

from ..errors import OperatorError
from ..store import service
from ..store.access import AccessCodes
from ..watch import Events, Watcher
from ..workspace import Workspace


class ServeError(OperatorError):
    """The server cannot start (port taken, address unknown): one sentence for the CLI."""


def bind(host: str, port: int) -> socket.socket:
    try:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        return socket.create_server((host, port), family=family, backlog=256)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise ServeError(f"Port {port} sudah dipakai program lain (mungkin masterplan serve "
                             f"yang lain). Jalankan dengan --port lain, misalnya --port "
                             f"{port + 1}.") from exc
        if exc.errno in (errno.EACCES, errno.EPERM):
            raise ServeError(f"Port {port} tidak boleh dipakai tanpa hak administrator. "
                             "Pakai port di atas 1024, misalnya --port 8750.") from exc
        raise ServeError(f"Alamat {host}:{port} tidak dapat dipakai ({exc.strerror}). Periksa "
                         "--host: 0.0.0.0 untuk semua jaringan laptop ini.") from exc


def addresses(host: str, port: int) -> list[str]:
    """The addresses participants can open: each LAN address of this laptop when serving
    on all of them (private networks first: the hall's Wi-Fi or the laptop's hotspot)."""
    if host not in ("0.0.0.0", "::", ""):
        shown = f"[{host}]" if ":" in host else host
        return [f"http://{shown}:{port}/"]
    import psutil

    found = []
    for entries in psutil.net_if_addrs().values():
        for entry in entries:
            if entry.family != socket.AF_INET:
                continue
            ip = ipaddress.ip_address(entry.address.split("%")[0])
            if not ip.is_loopback:
                found.append(ip)
    found.sort(key=lambda ip: (not ip.is_private, ip.is_link_local, str(ip)))
    return [f"http://{ip}:{port}/" for ip in dict.fromkeys(found)] or \
        [f"http://127.0.0.1:{port}/"]


def serve(ws: Workspace, host: str, port: int, events: Events,
          ready: Callable[[list[str]], None], polling: bool = False) -> None:
    """Serve until Ctrl-C or SIGTERM; `ready` gets the addresses once listening."""
    import uvicorn

    from ..read.references import load_config
    from .app import make_app
    from .desk import UploadDesk

    cfg = load_config(ws)
    AccessCodes(ws.state).ensure(o.kode for o in cfg.opds)
    sock = bind(host, port)
    urls = addresses(host, sock.getsockname()[1])
    watcher = Watcher(ws, events, polling)
    thread = threading.Thread(target=watcher.run, name="masterplan-watch", daemon=True)
    desk = UploadDesk(ws, cfg, watcher, urls, thread.is_alive)
    desk.clear_staging()
    app = make_app(desk)
    server = uvicorn.Server(server_config(app))
    service.announce(ws.state, urls[0])
    thread.start()
    ready(urls)
    with _signals_as_stop():
        try:
            server.run(sockets=[sock])
        finally:
            watcher.stop.set()
            thread.join()
            sock.close()
            service.withdraw(ws.state)


def server_config(app):
    """uvicorn's settings: our h11 protocol (connections), a cap on connections, stalled
    clients dropped, no proxy headers trusted (the address a limit counts is the real
    peer's, whatever the environment says)."""
    import uvicorn

    from .connections import MAX_CONNECTIONS, MAX_HEADER_BYTES, GuardedH11Protocol
    from .limits import STALL_SECONDS

    return uvicorn.Config(
        app, http=GuardedH11Protocol, log_level="warning", access_log=False,
        lifespan="off", timeout_graceful_shutdown=10, timeout_keep_alive=int(STALL_SECONDS),
        limit_concurrency=MAX_CONNECTIONS, h11_max_incomplete_event_size=MAX_HEADER_BYTES,
        proxy_headers=False, server_header=False)


@contextlib.contextmanager
def _signals_as_stop() -> Iterator[None]:
    """uvicorn handles Ctrl-C and SIGTERM itself, then raises them again once stopped:
    met by these handlers, that second delivery ends the command normally."""
    previous = {sig: signal.signal(sig, lambda signum, frame: None)
                for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
