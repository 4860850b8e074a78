"""Exactly once for what Discord gives no nonce for: a thread on a message, a forum post, a
private thread (and any other create, through `Creator.once`).

Intent first (a scheduled job), one request per attempt, look before trying again. The three
rules and the API (`bot.creator`): docs/design.md, "Creating what takes no nonce".
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import contextvars
import hashlib
import hmac
import logging
from collections.abc import Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import timedelta
from types import SimpleNamespace
from typing import Any, TypeVar

import aiohttp
import discord

from bot.pacing import Pacer
from bot.scheduling import RetryLater
from bot.sending import QUICK_BACKOFF, PermanentFailure, classify

log = logging.getLogger(__name__)

T = TypeVar("T")

#: "A thread has already been created for this message" (on a thread-from-message create).
THREAD_ALREADY_CREATED = 160004
#: Discord's longest thread name.
THREAD_NAME_LIMIT = 100
#: Pages of archived threads read per look-up at most (100 threads a page).
ARCHIVED_PAGES = 5
#: Characters of a marker.
MARKER_LENGTH = 8

_single_attempt: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "rebound_single_attempt", default=False
)


class OutcomeUnknown(Exception):
    """Discord answered 5xx to a request made under :func:`single_attempt`: it may or may not
    have done the work. Raised instead of letting discord.py send the request again."""

    def __init__(self, status: int) -> None:
        super().__init__(f"HTTP {status}: the outcome is unknown")
        self.status = status


@contextlib.contextmanager
def single_attempt() -> Iterator[None]:
    """Requests made inside go out once: a 5xx raises OutcomeUnknown (see install_on)."""
    token = _single_attempt.set(True)
    try:
        yield
    finally:
        _single_attempt.reset(token)


def install_on(trace: aiohttp.TraceConfig) -> aiohttp.TraceConfig:
    """Add the single-attempt hook to the trace config discord.py's session runs (the bot's
    `http_trace`). Outside :func:`single_attempt` it changes nothing."""

    async def on_request_end(
        session: aiohttp.ClientSession,
        context: SimpleNamespace,
        params: aiohttp.TraceRequestEndParams,
    ) -> None:
        if _single_attempt.get() and params.response.status >= 500:
            # aiohttp closes the response; discord.py never sees it, so it cannot retry.
            raise OutcomeUnknown(params.response.status)

    trace.on_request_end.append(on_request_end)
    return trace


def marked_name(title: str, marker: str) -> str:
    """A thread name that ends with `marker`, the title shortened to fit Discord's limit."""
    suffix = f" · {marker}"
    room = THREAD_NAME_LIMIT - len(suffix)
    if len(title) > room:
        title = title[: room - 1].rstrip() + "…"
    return f"{title}{suffix}"


@dataclass(frozen=True, slots=True)
class CreatedPost:
    """A forum post: its thread and its first message (the same id on Discord)."""

    thread_id: int
    message_id: int


class Creator:
    def __init__(
        self,
        client: discord.Client,
        pacer: Pacer,
        *,
        marker_key: bytes,
        stopping: asyncio.Event | None = None,
        backoff: Sequence[float] = QUICK_BACKOFF,
    ) -> None:
        self.client = client
        self.pacer = pacer
        self.stopping = stopping or asyncio.Event()
        self._marker_key = marker_key
        self._backoff = tuple(backoff)
        #: how long all sending holds after Cloudflare's 429 (seconds)
        self.edge_hold = 10.0
        #: creates that turned out to exist already (160004, or found by a look-up)
        self.found_existing = 0

    # -- markers --------------------------------------------------------------------------------

    def marker(self, kind: str, key: str) -> str:
        """An opaque tag of (kind, key), keyed with the bot's secret: stable across restarts,
        meaningless to anyone else (a job key naming a member stays unreadable)."""
        digest = hmac.new(self._marker_key, f"{kind}\x1f{key}".encode(), hashlib.sha256)
        return base64.b32encode(digest.digest()).decode("ascii").lower()[:MARKER_LENGTH]

    # -- the creates ----------------------------------------------------------------------------

    async def thread_on_message(
        self,
        channel_id: int,
        message_id: int,
        *,
        name: str,
        auto_archive_minutes: int = 1440,
    ) -> int:
        """The id of the thread on `message_id` (the message's id), made once: a repeat after
        an unknown outcome answers 160004 and counts as made."""
        http = self.client.http

        async def create() -> int:
            try:
                data = await http.start_thread_with_message(
                    channel_id,
                    message_id,
                    name=name[:THREAD_NAME_LIMIT],
                    auto_archive_duration=auto_archive_minutes,  # type: ignore[arg-type]
                )
            except discord.HTTPException as exc:
                if exc.code == THREAD_ALREADY_CREATED:
                    self.found_existing += 1
                    return message_id
                raise
            return int(data["id"])

        return await self.once(create)

    async def forum_post(
        self,
        forum: discord.ForumChannel,
        *,
        name: str,
        look_first: bool = False,
        **message: Any,
    ) -> CreatedPost:
        """A post in `forum` named `name` (unique among the bot's posts there: carry a marker),
        made once. `message` goes to ForumChannel.create_thread (content, embed, view,
        applied_tags, auto_archive_duration); mentions are off unless given."""
        message.setdefault("allowed_mentions", discord.AllowedMentions.none())
        guild_id = forum.guild.id

        async def look() -> CreatedPost | None:
            found = await self.find_thread(guild_id, forum.id, name, private=False)
            return None if found is None else CreatedPost(found, found)

        async def create() -> CreatedPost:
            created = await forum.create_thread(name=name[:THREAD_NAME_LIMIT], **message)
            return CreatedPost(created.thread.id, created.message.id)

        return await self.once(create, look=look, look_first=look_first)

    async def private_thread(
        self,
        channel_id: int,
        *,
        guild_id: int,
        name: str,
        look_first: bool = False,
        invitable: bool = False,
        auto_archive_minutes: int = 10080,
    ) -> int:
        """A private thread (no starter message) in a text channel, named `name` (carry a
        marker), made once; returns its id. Add members afterwards (idempotent)."""
        http = self.client.http

        async def look() -> int | None:
            return await self.find_thread(guild_id, channel_id, name, private=True)

        async def create() -> int:
            data = await http.start_thread_without_message(
                channel_id,
                name=name[:THREAD_NAME_LIMIT],
                auto_archive_duration=auto_archive_minutes,  # type: ignore[arg-type]
                type=discord.ChannelType.private_thread.value,
                invitable=invitable,
            )
            return int(data["id"])

        return await self.once(create, look=look, look_first=look_first)

    # -- the rule -------------------------------------------------------------------------------

    async def once(
        self,
        create: Callable[[], Awaitable[T]],
        *,
        look: Callable[[], Awaitable[T | None]] | None = None,
        look_first: bool = False,
    ) -> T:
        """Run `create` (one request, never retried blindly); after an unknown outcome, `look`
        for what it may have made before creating again. A few quick tries, then RetryLater."""
        detail = "unknown"
        looking = look_first
        for attempt in range(len(self._backoff) + 1):
            if self.stopping.is_set():
                raise RetryLater("stopping", after=timedelta(0))
            try:
                if look is not None and looking:
                    with single_attempt():
                        found = await look()
                    if found is not None:
                        self.found_existing += 1
                        log.info("A create found what an earlier attempt had made")
                        return found
                with single_attempt():
                    return await create()
            except OutcomeUnknown as exc:
                detail = f"http_{exc.status}"
            except discord.HTTPException as exc:
                reason = classify(exc)
                if reason is not None:
                    raise PermanentFailure(reason, exc.status, exc.code) from exc
                detail = f"http_{exc.status}"
                if exc.status == 429:  # Cloudflare's (no Via): the request did not pass
                    self.pacer.hold(self.edge_hold)
            except (aiohttp.ClientError, OSError, TimeoutError) as exc:
                detail = type(exc).__name__
            looking = True
            if attempt < len(self._backoff):
                log.info("A create without a nonce failed (%s); looking, then trying again", detail)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self.stopping.wait(), timeout=self._backoff[attempt])
        raise RetryLater(detail)

    async def find_thread(
        self, guild_id: int, parent_id: int, name: str, *, private: bool
    ) -> int | None:
        """The id of the bot's thread named `name` under `parent_id`, active or archived."""
        http = self.client.http
        me = self.client.user.id if self.client.user else None

        def match(threads: list[Any]) -> int | None:
            for thread in threads:
                if (
                    thread.get("name") == name
                    and str(thread.get("parent_id")) == str(parent_id)
                    and str(thread.get("owner_id")) == str(me)
                ):
                    return int(thread["id"])
            return None

        active = await http.get_active_threads(guild_id)
        found = match(list(active.get("threads", [])))
        if found is not None:
            return found
        if private:
            # The bot owns (so joined) what it made: its own archived private threads.
            listing = http.get_joined_private_archived_threads
            return await self._archived(listing, parent_id, match, by_id=True)
        return await self._archived(http.get_public_archived_threads, parent_id, match)

    @staticmethod
    async def _archived(
        listing: Callable[..., Awaitable[Any]],
        parent_id: int,
        match: Callable[[list[Any]], int | None],
        *,
        by_id: bool = False,
    ) -> int | None:
        """Page through an archived listing (newest first) until `match` finds it."""
        before: str | None = None
        for _ in range(ARCHIVED_PAGES):
            page = await listing(parent_id, before=before, limit=100)
            threads = list(page.get("threads", []))
            found = match(threads)
            if found is not None or not page.get("has_more") or not threads:
                return found
            last = threads[-1]
            by = last["id"] if by_id else last["thread_metadata"]["archive_timestamp"]
            before = str(by)
        return None
