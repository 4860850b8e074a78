"""Keeps bulk sends (a morning's posts to every server) under Discord's global limit.

discord.py only learns of the global limit (50 requests/s) from a 429, and every 429 counts
towards the 10,000-invalid-requests-per-10-minutes ban. A token bucket in front of scheduled
sends keeps the bot below the limit instead of bouncing off it. Real time, not the injected
Clock: this paces requests on the wire, not business time.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable


class Pacer:
    def __init__(
        self,
        rate_per_second: float,
        *,
        burst: int = 10,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        if rate_per_second <= 0 or burst < 1:
            raise ValueError("rate and burst must be positive")
        self.rate = rate_per_second
        self.burst = burst
        self._monotonic = monotonic
        self._sleep = sleep
        self._tokens = float(burst)
        self._updated = monotonic()
        self._lock = asyncio.Lock()

    def _refill(self) -> None:
        now = self._monotonic()
        self._tokens = min(self.burst, self._tokens + (now - self._updated) * self.rate)
        self._updated = now

    async def wait(self) -> None:
        """Return when one more request may go out."""
        async with self._lock:
            self._refill()
            if self._tokens < 1:
                await self._sleep((1 - self._tokens) / self.rate)
                self._refill()
            self._tokens -= 1
