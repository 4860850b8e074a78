"""Keeps the bot's requests under Discord's global limit: 50 per second per bot token.

Every request under the bot's token waits here, evenly spaced; `hold(seconds)` stops them all
for a while. Why it sits on the wire and why evenly spaced: docs/design.md, "Pacing requests".
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from types import SimpleNamespace

import aiohttp
from yarl import URL

#: Seconds added to each second: jitter between leaving the pacer and reaching Discord must not
#: squeeze more than the limit into one of Discord's windows. At 50/s this sends 48 per second.
GUARD_SECONDS = 0.04
#: How much lateness a request may make up for (a sleep's usual oversleep, not a stall).
CATCH_UP_SECONDS = 0.003


class Pacer:
    def __init__(
        self,
        rate_per_second: float,
        *,
        guard: float = GUARD_SECONDS,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        if rate_per_second < 1 or guard < 0:
            raise ValueError("the rate must be at least 1 request per second")
        self.rate = rate_per_second
        self._guard = guard
        self.interval = (1.0 + guard) / rate_per_second
        self._monotonic = monotonic
        self._sleep = sleep
        self._next = 0.0
        self._last = -1e9
        self._held_until = 0.0
        #: A rate that holds only until this instant (monotonic), then `_then` (set_rate).
        self._until: float | None = None
        self._then = rate_per_second
        self._lock = asyncio.Lock()
        #: requests let through so far (benchmarks and tests read it)
        self.requests = 0

    async def wait(self) -> None:
        """Return when one more request may go out; counts it as sent."""
        async with self._lock:
            entered = self._monotonic()
            while True:
                now = self._monotonic()
                self._lapse(now)
                start = max(entered, self._next, self._held_until)
                if start <= now:
                    break
                delay = start - now
                if self._until is not None:
                    # Wake at the end of a borrowed rate, so the slower one spaces from then.
                    delay = min(delay, max(self._until - now, 0.0))
                await self._sleep(delay)
            # The next slot follows this one, not the moment the sleep ended: oversleeping by a
            # millisecond a time would otherwise lose a few requests per second. But a request
            # that left late (the event loop stalled) does not let the next ones catch up in a
            # burst: that would squeeze more than the limit into one of Discord's windows. At
            # most CATCH_UP_SECONDS of lateness is made up.
            departed = max(entered, self._next, self._held_until, now - CATCH_UP_SECONDS)
            self._last = departed
            self._next = departed + self.interval
            self.requests += 1

    def set_rate(
        self, rate_per_second: float, *, until: float | None = None, then: float | None = None
    ) -> None:
        """Pace at a new rate from the next request on: a fleet process's share of the token's
        limit changes as processes join, leave, or lend their unused part (bot/fleet). With
        `until` (an instant of this pacer's monotonic clock), the rate holds until then and
        `then` after it, whether or not anyone calls again: a rate borrowed from a neighbour
        ends when the neighbour's promise does, even if this process stalls."""
        if rate_per_second <= 0 or (then is not None and then <= 0):
            raise ValueError("the rate must be positive")
        self._apply(rate_per_second)
        self._until = until
        self._then = then if then is not None else rate_per_second
        self._lapse(self._monotonic())

    def _apply(self, rate_per_second: float) -> None:
        slower = rate_per_second < self.rate
        self.rate = rate_per_second
        self.interval = (1.0 + self._guard) / rate_per_second
        if slower:
            # The next slot was spaced at the faster rate: space it from the last request at
            # the slower one, so no window holds more than the new rate allows.
            self._next = max(self._next, self._last + self.interval)

    def _lapse(self, now: float) -> None:
        if self._until is not None and now >= self._until:
            self._until = None
            self._apply(self._then)

    def hold(self, seconds: float) -> None:
        """Let nothing through for `seconds` (extends, never shortens, a hold in place)."""
        self._held_until = max(self._held_until, self._monotonic() + seconds)

    def trace_config(self, paced: Callable[[URL], bool]) -> aiohttp.TraceConfig:
        """An aiohttp trace hook that makes every request for which `paced(url)` holds wait
        here first (pass it to discord.py as `http_trace`)."""

        async def on_request_start(
            session: aiohttp.ClientSession,
            context: SimpleNamespace,
            params: aiohttp.TraceRequestStartParams,
        ) -> None:
            if paced(params.url):
                await self.wait()

        trace = aiohttp.TraceConfig()
        trace.on_request_start.append(on_request_start)
        return trace
