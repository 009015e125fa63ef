"""uvicorn's HTTP/1.1 protocol (h11) with what it lacks against a client that holds on.

uvicorn drops a connection idle between requests (`timeout_keep_alive`) and caps them all
(`limit_concurrency`), but a client that sends half its headers and then nothing is kept
as long as it likes. Here a connection must finish each request's headers within
STALL_SECONDS of connecting or of its previous answer, and one address holds at most
CONNECTIONS_PER_ADDRESS connections; a stalled body is the app's (`limits.Body`). uvicorn's
own 400 for a request it cannot parse carries the pages' security headers too.
"""

from __future__ import annotations

import asyncio

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

from . import limits
from .pages import security_headers

CONNECTIONS_PER_ADDRESS = 32  # a browser opens about six; a hall shares no address
MAX_CONNECTIONS = 512  # uvicorn's limit_concurrency: beyond it, new requests get 503
MAX_HEADER_BYTES = 16 * 1024  # h11_max_incomplete_event_size: headers larger are refused


class GuardedH11Protocol(H11Protocol):
    headers_timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        host = self.client[0] if self.client else None
        same = sum(1 for other in self.connections
                   if getattr(other, "client", None) and other.client[0] == host)
        if host is not None and same > CONNECTIONS_PER_ADDRESS:
            transport.close()
            return
        self._expect_headers()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing():
            self._expect_headers()

    def connection_lost(self, exc: Exception | None) -> None:
        self._stop_timer()
        super().connection_lost(exc)

    def _expect_headers(self) -> None:
        """Close the connection unless a new request's headers are complete in time."""
        self._stop_timer()
        self.headers_timer = self.loop.call_later(limits.STALL_SECONDS, self._headers_due,
                                                  self.cycle)

    def _headers_due(self, cycle_then: object) -> None:
        if self.cycle is cycle_then and not self.transport.is_closing():
            self.transport.close()

    def _stop_timer(self) -> None:
        if self.headers_timer is not None:
            self.headers_timer.cancel()
            self.headers_timer = None

    def send_400_response(self, msg: str) -> None:
        headers = [(b"content-type", b"text/plain; charset=utf-8"), (b"connection", b"close"),
                   *((k.encode("latin-1"), v.encode("latin-1"))
                     for k, v in security_headers().items())]
        for event in (h11.Response(status_code=400, headers=headers, reason=b"Bad Request"),
                      h11.Data(data=msg.encode("ascii")), h11.EndOfMessage()):
            self.transport.write(self.conn.send(event))
        self.transport.close()
