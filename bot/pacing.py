"""Keeps scheduled requests (a morning's posts, DMs, admin notices) under Discord's global limit.

Discord allows 50 requests per second per bot token and counts every response 429 towards a
ban of 10,000 invalid requests per 10 minutes. discord.py only learns of the global limit from a
429, so every request the scheduled path makes waits here first: the post itself, opening a DM
channel, an admin notice. Interaction replies do not (Discord exempts them).

The rule is a sliding window, the same shape as Discord's: at most ``rate`` requests in any
window of one second plus a small guard (for the moment between leaving here and reaching
Discord). A token bucket with a burst on top of its rate lets ``rate + burst`` requests through
in one second, which is how a rate of 48 used to collect 429s; here no accepted setting (1 to 50
per second) can exceed the limit.

``hold(seconds)`` stops everything for a while: after a 429 without ``Via`` (Cloudflare, not
Discord, answered: the IP is being refused) more requests would only extend the ban.

Real time, not the injected Clock: this paces requests on the wire, not business time.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Awaitable, Callable

#: Seconds added to Discord's one-second window: scheduling jitter between leaving the pacer and
#: reaching Discord must not squeeze two windows' worth of requests into one.
GUARD_SECONDS = 0.03
_EPSILON = 1e-9


class Pacer:
    def __init__(
        self,
        rate_per_second: float,
        *,
        window: float = 1.0 + GUARD_SECONDS,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        if rate_per_second < 1 or window <= 0:
            raise ValueError("the rate must be at least 1 request per second")
        self.rate = rate_per_second
        self.limit = int(rate_per_second)
        self.window = window
        self._monotonic = monotonic
        self._sleep = sleep
        self._sent: deque[float] = deque()
        self._held_until = 0.0
        self._lock = asyncio.Lock()
        #: requests let through so far (benchmarks and tests read it)
        self.requests = 0

    async def wait(self) -> None:
        """Return when one more request may go out; counts it as sent."""
        async with self._lock:
            while True:
                now = self._monotonic()
                if now < self._held_until:
                    await self._sleep(self._held_until - now)
                    continue
                while self._sent and self._sent[0] + self.window <= now + _EPSILON:
                    self._sent.popleft()
                if len(self._sent) < self.limit:
                    self._sent.append(now)
                    self.requests += 1
                    return
                await self._sleep(self._sent[0] + self.window - now)

    def hold(self, seconds: float) -> None:
        """Let nothing through for `seconds` (extends, never shortens, a hold in place)."""
        self._held_until = max(self._held_until, self._monotonic() + seconds)
