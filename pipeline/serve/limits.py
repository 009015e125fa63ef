"""What the upload page counts so no client can hold it up or fill the disk: wrong access
codes per address, uploads open at once per address, each OPD's uploads and megabytes in
the last hour, and a request body that stalls or runs past the size limit.

Everything here runs on the server's event loop only, and every check-and-count is one
synchronous step (no `await` inside): requests arriving at the same moment are counted one
after another, never both let through on the same count.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import datetime

from starlette.requests import ClientDisconnect

WRONG_CODES_PER_MINUTE = 10
WINDOW_SECONDS = 60.0
OPEN_UPLOADS_PER_ADDRESS = 4
QUOTA_WINDOW_SECONDS = 3600.0
# A client that sends nothing for this long, while sending headers or a body, is dropped.
STALL_SECONDS = 30.0
# However steadily it trickles, a body takes no longer than this (20 MB at 40 KB/s).
BODY_SECONDS = 600.0
# Multipart framing and the access-code field around the file itself.
FORM_SLACK_BYTES = 64 * 1024
# A refused body is read to its end (and thrown away) so the browser shows the answer
# instead of a reset connection, but never more than this many times the limit.
DRAIN_FACTOR = 4


class TooLarge(Exception):
    pass


class Stalled(Exception):
    pass


class WrongCodes:
    """Code attempts per client address, over a sliding minute. An attempt is counted
    before its code is checked, and forgiven when the code was right."""

    def __init__(self, limit: int = WRONG_CODES_PER_MINUTE, window: float = WINDOW_SECONDS,
                 clock: Callable[[], float] = time.monotonic):
        self.limit, self.window, self.clock = limit, window, clock
        self.seen: dict[str, deque[float]] = {}
        self.swept = clock()

    def _recent(self, address: str) -> deque[float]:
        self._sweep()
        times = self.seen.setdefault(address, deque())
        cutoff = self.clock() - self.window
        while times and times[0] <= cutoff:
            times.popleft()
        return times

    def _sweep(self) -> None:
        """Forget the addresses with no attempt left in the window (once a window)."""
        now = self.clock()
        if now - self.swept < self.window:
            return
        self.swept = now
        for address in [a for a, times in self.seen.items()
                        if not times or times[-1] <= now - self.window]:
            del self.seen[address]

    def blocked(self, address: str) -> int:
        """0 when the address may try a code; otherwise the seconds until it may."""
        times = self._recent(address)
        if len(times) < self.limit:
            return 0
        return max(1, int(times[0] + self.window - self.clock() + 0.999))

    def attempt(self, address: str) -> int:
        """Count one attempt (before its code is checked); like `blocked`, the seconds to
        wait when the address is over the limit (and then nothing is counted)."""
        wait = self.blocked(address)
        if not wait:
            self.seen[address].append(self.clock())
        return wait

    def forgive(self, address: str) -> None:
        """The attempt just counted had the right code."""
        times = self.seen.get(address)
        if times:
            times.pop()


class OpenUploads:
    """Uploads each address is sending right now."""

    def __init__(self, limit: int = OPEN_UPLOADS_PER_ADDRESS):
        self.limit = limit
        self.open: dict[str, int] = {}

    def enter(self, address: str) -> bool:
        if self.open.get(address, 0) >= self.limit:
            return False
        self.open[address] = self.open.get(address, 0) + 1
        return True

    def leave(self, address: str) -> None:
        left = self.open.get(address, 1) - 1
        if left > 0:
            self.open[address] = left
        else:
            self.open.pop(address, None)  # a quiet address is forgotten


@dataclass
class QuotaFull(Exception):
    used: str  # what the OPD sent in the window, in words ("30 berkas", "200 MB")
    quota: str  # its quota, in words
    again_at: float  # wall-clock time from which it may send again

    def when(self) -> tuple[str, int]:
        """('HH:MM' local time, minutes from now) when the OPD may send again."""
        minutes = max(1, int((self.again_at - time.time()) / 60 + 0.999))
        return datetime.fromtimestamp(self.again_at).strftime("%H:%M"), minutes


class Quota:
    """Uploads and bytes per OPD over a sliding hour (`[layanan] kuota_berkas`,
    `kuota_mb`). A slot is taken before the file streams in, so OPDs sending at once are
    counted as they arrive; a refused upload gives its slot back."""

    def __init__(self, files: int, megabytes: int, window: float = QUOTA_WINDOW_SECONDS,
                 clock: Callable[[], float] = time.time):
        self.files, self.bytes = files, megabytes * 1024 * 1024
        self.megabytes, self.window, self.clock = megabytes, window, clock
        self.taken: dict[str, list[list[float]]] = {}  # opd -> [[time, bytes], ...]

    def _recent(self, opd: str) -> list[list[float]]:
        cutoff = self.clock() - self.window
        entries = [e for e in self.taken.get(opd, []) if e[0] > cutoff]
        if entries:
            self.taken[opd] = entries
        else:
            self.taken.pop(opd, None)
        return entries

    def take(self, opd: str) -> Ticket:
        entries = self._recent(opd)
        if len(entries) >= self.files:
            raise self._full(entries, f"{len(entries)} berkas", f"{self.files} berkas")
        if sum(e[1] for e in entries) >= self.bytes:
            raise self._full(entries, f"{self.megabytes} MB", f"{self.megabytes} MB")
        entry = [self.clock(), 0]
        self.taken.setdefault(opd, []).append(entry)
        return Ticket(self, opd, entry)

    def _full(self, entries: list[list[float]], used: str, quota: str) -> QuotaFull:
        return QuotaFull(used, quota, min(e[0] for e in entries) + self.window)


@dataclass
class Ticket:
    """One upload's slot in its OPD's quota; its bytes are added as they stream in."""

    quota: Quota
    opd: str
    entry: list[float]

    def add(self, n: int) -> None:
        self.entry[1] += n
        entries = self.quota._recent(self.opd)
        if sum(e[1] for e in entries) > self.quota.bytes:
            mb = self.quota.megabytes
            raise self.quota._full(entries, f"lebih dari {mb} MB", f"{mb} MB")

    def cancel(self) -> None:
        entries = self.quota.taken.get(self.opd, [])
        if self.entry in entries:
            entries.remove(self.entry)


class Body:
    """A request's body, straight from the ASGI `receive` (never spooled): chunks as they
    come, each within STALL_SECONDS and all within BODY_SECONDS (else `Stalled`), more
    than `limit` bytes in all raising `TooLarge`, a client gone raising `ClientDisconnect`.
    What a refusal leaves unread is drained."""

    def __init__(self, receive: Callable, limit: int):
        self.receive, self.limit = receive, limit
        self.seen = 0
        self.done = False
        self.deadline = asyncio.get_running_loop().time() + BODY_SECONDS

    async def chunks(self) -> AsyncIterator[bytes]:
        while not self.done:
            left = self.deadline - asyncio.get_running_loop().time()
            try:
                async with asyncio.timeout(max(0.0, min(STALL_SECONDS, left))):
                    message = await self.receive()
            except TimeoutError:
                self.done = True  # nothing more is read from a client that stalled
                raise Stalled() from None
            if message["type"] == "http.disconnect":
                self.done = True
                raise ClientDisconnect()
            self.done = not message.get("more_body", False)
            chunk = message.get("body", b"")
            self.seen += len(chunk)
            if self.seen > self.limit:
                raise TooLarge()
            if chunk:
                yield chunk

    async def drain(self) -> None:
        """Read what is left without keeping it, up to DRAIN_FACTOR times the limit."""
        self.limit *= DRAIN_FACTOR
        try:
            async for _ in self.chunks():
                pass
        except (TooLarge, Stalled, ClientDisconnect):
            pass
