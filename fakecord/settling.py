"""Waiting until the bot is quiet: no REST request in flight or arriving for a moment, and time
to react to a gateway event it has not answered yet."""

from __future__ import annotations

import asyncio
import time

from .gateway import GatewayHub
from .records import Recorder

#: settle() after a gateway event the bot has not answered yet waits at least this long (s).
EVENT_REACTION_QUIET = 0.25


class Settler:
    """``fake.settler``: ``await fake.settle()`` is its :meth:`settle`."""

    def __init__(self, recorder: Recorder, hub: GatewayHub, *, quiet: float = 0.075) -> None:
        self.recorder = recorder
        self.hub = hub
        #: the default quiet period of settle() (``fake.settle_quiet``)
        self.quiet = quiet

    async def settle(self, quiet: float | None = None, timeout: float = 5.0) -> None:  # noqa: ASYNC109
        """Wait until no REST request is in flight and none arrived for ``quiet`` seconds
        (default ~75 ms), at most ``timeout`` seconds. After a gateway event the bot has not
        answered with a request yet, wait at least EVENT_REACTION_QUIET (250 ms) for it."""
        quiet = self.quiet if quiet is None else quiet
        loop = asyncio.get_running_loop()
        end = loop.time() + timeout
        rec = self.recorder
        while loop.time() < end:
            now = time.monotonic()
            # A gateway event (CHANNEL_DELETE, GUILD_DELETE …) not yet answered by any request:
            # the bot may still be reading its database before it reacts, so wait longer.
            after_event = self.hub.last_dispatch > rec.last_activity
            wanted = max(quiet, EVENT_REACTION_QUIET) if after_event else quiet
            idle = now - max(rec.last_activity, self.hub.last_dispatch)
            unsent = any(c.pending_frames for c in self.hub.connections)
            if rec.inflight == 0 and not unsent and idle >= wanted:
                return
            await asyncio.sleep(max(0.005, wanted - idle) if rec.inflight == 0 else 0.01)
