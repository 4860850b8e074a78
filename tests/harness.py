"""Runs the real Rebound bot (the `bot` package with every cog) against the local Discord.

    async with FakeDiscord() as fake:
        start = datetime(2026, 3, 8, 6, 0, tzinfo=UTC)
        async with running_bot(fake, data_dir=tmp_path, now=start) as app:
            app.bot                         # the real Bot, connected and ready
            await app.advance(minutes=90)   # move the fake clock, running all work that came due
            await app.advance_to(datetime(...))
            await app.restart()             # stop and start again on the same data dir

Only time is simulated: the bot's Clock is a ManualClock, and `advance` runs the scheduler at
every due instant on the way, as a bot that never stopped would. Everything else is real: the
discord.py client, HTTP, the websocket, SQLite files in `data_dir`.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bot.app import Bot
from bot.clock import ManualClock
from bot.content import Content
from bot.db import Store
from bot.logs import clamp_payload_loggers
from bot.scheduling import Scheduler
from bot.settings import CONTENT_DIR, Settings
from fakecord import FakeDiscord
from tests.helpers import postgres

DEFAULT_START = datetime(2026, 3, 2, 6, 0, tzinfo=UTC)
TEST_SECRET = "test-secret-key-" + "0" * 48
READY_TIMEOUT = 20.0
_MAX_STEPS = 100_000


def harness_settings(data_dir: Path, **overrides: Any) -> Settings:
    base = Settings(
        discord_token=None,
        secret_key=TEST_SECRET,
        dev_guild_id=None,
        data_dir=data_dir,
        db_path=data_dir / "rebound.db",
        content_dir=CONTENT_DIR,
        log_level="INFO",
        # The harness runs due work itself; APScheduler's own tick stays out of the way.
        tick_seconds=300,
        guild_ready_timeout=0.05,
    )
    # A feature's setting (bot/features.py) is overridden by its key, like the core's own.
    core = {name for name in Settings.__dataclass_fields__}
    features = {k: v for k, v in overrides.items() if k not in core}
    core_overrides = {k: v for k, v in overrides.items() if k in core}
    if features:
        core_overrides["feature_values"] = {**base.feature_values, **features}
    return replace(base, **core_overrides)


_content_cache: Content | None = None
#: On PostgreSQL: the database of each data folder a harness bot ran on.
_pg_databases: dict[Path, str] = {}


def forget_databases() -> list[str]:
    """The harness's PostgreSQL databases so far (forgotten: the caller drops them)."""
    urls = list(_pg_databases.values())
    _pg_databases.clear()
    return urls


def _content() -> Content:
    global _content_cache
    if _content_cache is None:
        _content_cache = Content.load(CONTENT_DIR)
    return _content_cache


class RunningBot:
    def __init__(self, fake: FakeDiscord, settings: Settings, clock: ManualClock) -> None:
        self.fake = fake
        self.settings = settings
        self.clock = clock
        self._bot: Bot | None = None
        self._store: Store | None = None
        self._task: asyncio.Task[None] | None = None
        self.starts = 0

    @property
    def bot(self) -> Bot:
        assert self._bot is not None, "the bot is not running"
        return self._bot

    @property
    def store(self) -> Store:
        assert self._store is not None, "the bot is not running"
        return self._store

    @property
    def now(self) -> datetime:
        return self.clock.now()

    async def start(self) -> None:
        clamp_payload_loggers()
        if postgres.on_postgres() and self.settings.database_url is None:
            # One database per data folder, kept across restarts (REBOUND_TEST_STORE).
            url = _pg_databases.get(self.settings.data_dir)
            if url is None:
                url = _pg_databases[
                    self.settings.data_dir
                ] = await postgres.server().fresh_database()
            self.settings = replace(self.settings, database_url=url)
        self._store = await Store.open(self.settings.store_target)
        try:
            await self._start_bot()
        except BaseException:
            # A bot that never became ready (refused by Discord, a start-up error) leaves no
            # open store behind: its SQLite thread would keep the test process from exiting.
            await self._abandon()
            raise
        self.starts += 1
        await self.fake.settle()

    async def _start_bot(self) -> None:
        assert self._store is not None
        scheduler = Scheduler.from_settings(self._store, self.clock, self.settings)
        self._bot = Bot(
            settings=self.settings,
            store=self._store,
            clock=self.clock,
            scheduler=scheduler,
            secret_key=self.settings.secret_key.encode() if self.settings.secret_key else b"",
            content=_content(),
        )
        await self.before_start(self._bot, scheduler)
        self._task = asyncio.create_task(self._bot.start(self.fake.token))
        started = asyncio.create_task(self._bot.scheduler_started.wait())
        done, _ = await asyncio.wait(
            {self._task, started}, timeout=READY_TIMEOUT, return_when=asyncio.FIRST_COMPLETED
        )
        if started not in done:
            started.cancel()
            if self._task in done:
                self._task.result()  # raises what stopped the bot
            raise TimeoutError("the bot did not become ready on the local Discord")

    async def _abandon(self) -> None:
        if self._bot is not None:
            with contextlib.suppress(Exception):
                await self._bot.close()
        if self._task is not None:
            if not self._task.done():
                self._task.cancel()
            with contextlib.suppress(BaseException):
                await self._task
        if self._store is not None:
            await self._store.close()
        self._bot = self._store = self._task = None

    async def before_start(self, bot: Bot, scheduler: Scheduler) -> None:
        """Called with the bot built, before it connects (a fleet process takes its leases)."""

    async def stop(self) -> None:
        if self._bot is not None:
            await self._bot.close()
        if self._task is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        if self._store is not None:
            await self._store.close()
        self._bot = self._store = self._task = None

    async def restart(self) -> None:
        """Stop and start again on the same data dir and clock, as after a crash or deploy."""
        await self.stop()
        await self.start()

    async def run_due(self) -> None:
        await self.bot.scheduler.run_due()
        await self.fake.settle()

    async def advance_to(self, target: datetime) -> None:
        """Move the clock to `target`, running due work at each due instant on the way."""
        if target.tzinfo is None:
            raise ValueError("advance_to needs an aware datetime")
        for _ in range(_MAX_STEPS):
            due = await self.bot.scheduler.next_due_at()
            if due is None or due > target:
                break
            if due > self.clock.now():
                self.clock.set(due)
            await self.bot.scheduler.run_due()
        else:
            raise RuntimeError("advance_to made no progress: a job keeps coming due")
        if target > self.clock.now():
            self.clock.set(target)
        await self.run_due()

    async def advance(
        self, *, days: float = 0, hours: float = 0, minutes: float = 0, seconds: float = 0
    ) -> None:
        delta = timedelta(days=days, hours=hours, minutes=minutes, seconds=seconds)
        await self.advance_to(self.clock.now() + delta)


@contextlib.asynccontextmanager
async def running_bot(
    fake: FakeDiscord,
    *,
    data_dir: Path,
    now: datetime | None = None,
    **setting_overrides: Any,
) -> AsyncIterator[RunningBot]:
    """The real bot, connected to `fake` and ready, with a fake clock starting at `now`."""
    clock = ManualClock(now or DEFAULT_START)
    app = RunningBot(fake, harness_settings(Path(data_dir), **setting_overrides), clock)
    await app.start()
    try:
        yield app
    finally:
        await app.stop()
