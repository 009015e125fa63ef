"""What the upload page refuses before any file is written: too many wrong access codes
from one address, and bodies over the size limit (counted while they stream in)."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import AsyncIterator

WRONG_CODES_PER_MINUTE = 10
WINDOW_SECONDS = 60.0
# Multipart framing and the access-code field around the file itself.
FORM_SLACK_BYTES = 64 * 1024
# A body over the limit is read to its end (and thrown away) so the browser shows the
# answer instead of a reset connection, but never more than this many times the limit.
DRAIN_FACTOR = 4


class TooLarge(Exception):
    pass


class WrongCodes:
    """Wrong access codes per client address, over a sliding minute."""

    def __init__(self, limit: int = WRONG_CODES_PER_MINUTE, window: float = WINDOW_SECONDS,
                 clock=time.monotonic):
        self.limit, self.window, self.clock = limit, window, clock
        self.seen: dict[str, deque[float]] = {}

    def _recent(self, address: str) -> deque[float]:
        times = self.seen.setdefault(address, deque())
        cutoff = self.clock() - self.window
        while times and times[0] <= cutoff:
            times.popleft()
        return times

    def wait_seconds(self, address: str) -> int:
        """0 when the address may try a code; otherwise how long until it may."""
        times = self._recent(address)
        if len(times) < self.limit:
            return 0
        return max(1, int(times[0] + self.window - self.clock() + 0.999))

    def record(self, address: str) -> None:
        self._recent(address).append(self.clock())


async def capped(stream: AsyncIterator[bytes], limit: int) -> AsyncIterator[bytes]:
    """The body's chunks, raising TooLarge as soon as more than `limit` bytes came."""
    seen = 0
    async for chunk in stream:
        seen += len(chunk)
        if seen > limit:
            raise TooLarge()
        yield chunk


async def drain(stream: AsyncIterator[bytes], limit: int) -> None:
    """Read what is left of a refused body without keeping it (up to `limit` bytes)."""
    seen = 0
    async for chunk in stream:
        seen += len(chunk)
        if seen > limit:
            return
