"""The paced, idempotent sender every scheduled feature sends through.

`send` and `send_dm` post with a nonce, so a retry or a re-send after a crash cannot double;
`call` runs any other request that is safe to repeat. How a feature uses it, and what each
error means: docs/design.md, "Sending exactly once".
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Literal, TypeVar

import aiohttp
import discord

from bot.pacing import Pacer
from bot.scheduling import RetryLater

log = logging.getLogger(__name__)

T = TypeVar("T")

FailureReason = Literal[
    "missing_access", "missing_permissions", "unknown_channel", "dms_closed", "rejected"
]

# Discord's JSON error codes that matter here (topics/opcodes-and-status-codes).
UNKNOWN_CHANNEL = 10003
MISSING_ACCESS = 50001
CANNOT_DM = 50007
MISSING_PERMISSIONS = 50013

#: Seconds between the quick retries inside one attempt (then the scheduler takes over).
QUICK_BACKOFF = (0.5, 1.5)
#: How long everything holds after Cloudflare refused a request (a 429 without Via).
EDGE_HOLD_SECONDS = 10.0


#: How long a run waits for a server Discord reports unavailable before looking again (it is
#: also woken as soon as the server comes back: GUILD_CREATE).
GUILD_WAIT = timedelta(minutes=5)


def waiting_for_guild(guild_id: int) -> str:
    """The RetryLater detail of a run waiting for an unavailable server to come back."""
    return f"guild_unavailable:{guild_id}"


@dataclass(frozen=True, slots=True)
class Sent:
    """A message Discord stored: its id and its channel's (for a DM opened on the way, the
    channel's id is known only now)."""

    id: int
    channel_id: int


class PermanentFailure(Exception):
    """Discord refused for good (403/404, or 400 for a request it will never accept)."""

    def __init__(self, reason: FailureReason, status: int, code: int) -> None:
        super().__init__(f"{reason} (HTTP {status}, code {code})")
        self.reason: FailureReason = reason
        self.status = status
        self.code = code


def classify(exc: discord.HTTPException) -> FailureReason | None:
    """The permanent reason for a refusal, or None when it may pass."""
    if isinstance(exc, discord.Forbidden):
        if exc.code == CANNOT_DM:
            return "dms_closed"
        if exc.code == MISSING_ACCESS:
            return "missing_access"
        return "missing_permissions"
    if isinstance(exc, discord.NotFound):
        return "unknown_channel"
    if exc.status == 429 or exc.status >= 500:
        return None
    if 400 <= exc.status < 500:
        return "rejected"
    return None


class Sender:
    def __init__(
        self,
        client: discord.Client,
        pacer: Pacer,
        *,
        stopping: asyncio.Event | None = None,
        backoff: Sequence[float] = QUICK_BACKOFF,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.client = client
        self.pacer = pacer
        self.stopping = stopping or asyncio.Event()
        self._backoff = tuple(backoff)
        self._sleep = sleep
        #: how long all sending holds after Cloudflare's 429 (seconds)
        self.edge_hold = EDGE_HOLD_SECONDS
        #: transient failures seen (retried); tests and benchmarks read it
        self.transient_failures = 0

    async def call(self, request: Callable[[], Awaitable[T]]) -> T:
        """Run `request`, retrying what passes (its HTTP requests wait for the pacer)."""
        detail = "unknown"
        for attempt in range(len(self._backoff) + 1):
            if self.stopping.is_set():
                # Tried again as soon as the bot is back (the stop interrupted nothing sent).
                raise RetryLater("stopping", after=timedelta(0))
            try:
                return await request()
            except discord.HTTPException as exc:
                reason = classify(exc)
                if reason is not None:
                    raise PermanentFailure(reason, exc.status, exc.code) from exc
                detail = f"http_{exc.status}"
                if exc.status == 429:  # no Via (discord.py handles Discord's own 429s)
                    self.pacer.hold(self.edge_hold)
            except (aiohttp.ClientError, OSError, TimeoutError) as exc:
                detail = type(exc).__name__
            self.transient_failures += 1
            if attempt < len(self._backoff):
                log.info("A scheduled request failed (%s); retrying", detail)
                await self._pause(self._backoff[attempt])
        raise RetryLater(detail)

    def check_guild_available(self, guild_id: int) -> None:
        """RetryLater if Discord reports the server unavailable (an outage): its channels are
        unknown for now, which is no reason to pause anything. The bot wakes such runs when
        the server comes back (Scheduler.retry_waiting with waiting_for_guild)."""
        guild = self.client.get_guild(guild_id)
        if guild is not None and guild.unavailable:
            raise RetryLater(waiting_for_guild(guild_id), after=GUILD_WAIT)

    async def _pause(self, seconds: float) -> None:
        """Sleep, but wake at once when the bot starts stopping."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.stopping.wait(), timeout=seconds)

    async def send(
        self,
        channel_id: int,
        *,
        nonce: str,
        guild_id: int | None = None,
        content: str | None = None,
        embed: discord.Embed | None = None,
        view: discord.ui.View | None = None,
        allowed_mentions: discord.AllowedMentions | None = None,
    ) -> Sent:
        """Post to a channel by id (no fetch first), idempotently by `nonce`."""
        if guild_id is not None:
            self.check_guild_available(guild_id)
        mentions = allowed_mentions or discord.AllowedMentions.none()
        return await self.call(
            lambda: self._create(channel_id, nonce, content, embed, view, mentions, guild_id)
        )

    async def _create(
        self,
        channel_id: int,
        nonce: str,
        content: str | None,
        embed: discord.Embed | None,
        view: discord.ui.View | None,
        mentions: discord.AllowedMentions,
        guild_id: int | None = None,
        private: bool = False,
    ) -> Sent:
        """One create-message request. Without a view, through discord.py's HTTP layer
        directly: the same request `channel.send` makes, without building a `Message` from the
        answer that nobody reads (a tenth of a post's CPU on a busy morning). A view goes
        through `channel.send`, which also registers it for its buttons."""
        if view is not None:
            channel = self.client.get_partial_messageable(
                channel_id,
                guild_id=guild_id,
                type=discord.ChannelType.private if private else None,
            )
            kwargs: dict[str, Any] = {"content": content, "embed": embed, "view": view}
            message = await channel.send(nonce=nonce, allowed_mentions=mentions, **kwargs)
            return Sent(message.id, message.channel.id)
        with discord.http.handle_message_parameters(
            content=content,
            embed=embed if embed is not None else discord.utils.MISSING,
            nonce=nonce,
            allowed_mentions=mentions,
            previous_allowed_mentions=self.client.allowed_mentions,
        ) as params:
            data = await self.client.http.send_message(channel_id, params=params)
        return Sent(int(data["id"]), int(data["channel_id"]))

    async def open_dm(self, user_id: int) -> int:
        """The id of the bot's DM channel with a member (one paced request)."""
        dm = await self.call(lambda: self.client.create_dm(discord.Object(user_id)))
        return dm.id

    async def send_dm(
        self,
        user_id: int,
        *,
        nonce: str,
        channel_id: int | None = None,
        content: str | None = None,
        embed: discord.Embed | None = None,
        view: discord.ui.View | None = None,
    ) -> Sent:
        """DM a member, idempotently by `nonce`. With the stored DM `channel_id` it is one
        request; without it (or if that id stopped working) the channel is opened first.
        Closed DMs raise PermanentFailure("dms_closed")."""
        none = discord.AllowedMentions.none()

        def create(target: int) -> Awaitable[Sent]:
            return self._create(target, nonce, content, embed, view, none, private=True)

        if channel_id is not None:
            stored = channel_id
            try:
                return await self.call(lambda: create(stored))
            except PermanentFailure as failure:
                if failure.reason != "unknown_channel":
                    raise
        opened = await self.open_dm(user_id)
        return await self.call(lambda: create(opened))
