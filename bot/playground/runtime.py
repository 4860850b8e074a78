"""The playground's engine: the emulator, the real bot on it with a manual clock, and the
clock control.

Same process, by choice: the clock control must move the bot's clock and run what comes due at
each instant on the way (as tests/harness.py's `advance_to` does), which needs the bot's
scheduler and clock in reach; a child process would need a control channel of its own for that.
The bot still reaches the emulator only through its ordinary settings (REBOUND_DISCORD_API_BASE,
REBOUND_DISCORD_GATEWAY and a token the emulator issued), read by `Settings.load` and applied by
the same `point_at_discord` a real run uses.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
import shutil
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

import discord
import discord.gateway
import discord.http

from bot.app import Bot
from bot.cli.run import point_at_discord
from bot.clock import ManualClock, SystemClock
from bot.content import Content
from bot.db import Store
from bot.logs import clamp_payload_loggers
from bot.scheduling import Scheduler
from bot.settings import CONTENT_DIR, Settings
from fakecord import FakeDiscord

from . import persist
from .world import channel_named, people, seed

log = logging.getLogger(__name__)

READY_TIMEOUT = 30.0
_MAX_STEPS = 100_000


class ErrorLog(logging.Handler):
    """Every ERROR line of the process, so the page can show it (it never hides a failure)."""

    def __init__(self, on_error: Callable[[str], None]) -> None:
        super().__init__(logging.ERROR)
        self._on_error = on_error

    def emit(self, record: logging.LogRecord) -> None:
        self._on_error(f"{record.name}: {record.getMessage()}")


def first_instant() -> datetime:
    """A fresh playground starts today at 07:00 UTC: the morning post is an hour away."""
    return SystemClock().now().replace(hour=7, minute=0, second=0, microsecond=0)


class Playground:
    """The emulator and the real bot, started and stopped together on one data folder."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.clock = ManualClock(first_instant())
        self.errors: list[str] = []
        self.version = 0
        self.changed = asyncio.Event()
        self._fake: FakeDiscord | None = None
        self._bot: Bot | None = None
        self._store: Store | None = None
        self._task: asyncio.Task[None] | None = None
        self._seen_rejections = self._seen_unknown = 0
        self._error_log = ErrorLog(self.report_error)
        self._old_addresses: tuple[str, object] | None = None
        self.lock = asyncio.Lock()

    # -- what the web app reads ----------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self._bot is not None and self._fake is not None

    @property
    def fake(self) -> FakeDiscord:
        assert self._fake is not None, "the playground is not running"
        return self._fake

    @property
    def bot(self) -> Bot:
        assert self._bot is not None, "the playground is not running"
        return self._bot

    def report_error(self, text: str) -> None:
        self.errors.append(text)
        self.touch()

    def touch(self) -> None:
        """Something the page shows changed: wake the live streams."""
        self.version += 1
        self.changed.set()
        self.changed = asyncio.Event()

    def collect_rejections(self) -> list[str]:
        """Requests the emulator refused since the last call, as errors for the page."""
        rejected = self.fake.rejected[self._seen_rejections :]
        self._seen_rejections += len(rejected)
        unknown = self.fake.unknown_routes[self._seen_unknown :]
        self._seen_unknown += len(unknown)
        found = [f"The local Discord refused a request: {r}" for r in rejected]
        found += [f"The local Discord does not know this route: {r}" for r in unknown]
        for text in found:
            self.report_error(text)
        return found

    # -- lifecycle -------------------------------------------------------------------------------
    @property
    def bot_dir(self) -> Path:
        return self.data_dir / "bot"

    async def start(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.bot_dir.mkdir(exist_ok=True)
        fake = FakeDiscord(patch=False, bot_name="Rebound", allow_rejections=True)
        saved = persist.load(fake, self.data_dir)
        fresh = saved is None
        self.clock = ManualClock(saved or first_instant())
        fake.state.use_clock(self.clock.now)
        if fresh:
            seed(fake)
        await fake.start()
        self._fake = fake
        self._seen_rejections = self._seen_unknown = 0
        fake.state.on_change.append(self.touch)
        logging.getLogger().addHandler(self._error_log)
        settings = self._settings(fake)
        self._old_addresses = (
            discord.http.Route.BASE,
            discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY,
        )
        point_at_discord(settings)
        clamp_payload_loggers()
        self._store = await Store.open(settings.db_path)
        self._bot = Bot(
            settings=settings,
            store=self._store,
            clock=self.clock,
            scheduler=Scheduler.from_settings(self._store, self.clock, settings),
            secret_key=self._secret_key(),
            content=Content.load(CONTENT_DIR),
        )
        self._task = asyncio.create_task(self._bot.start(fake.token))
        started = asyncio.create_task(self._bot.scheduler_started.wait())
        done, _ = await asyncio.wait(
            {self._task, started}, timeout=READY_TIMEOUT, return_when=asyncio.FIRST_COMPLETED
        )
        if started not in done:
            started.cancel()
            if self._task in done:
                self._task.result()
            raise TimeoutError("the bot did not become ready on the local Discord")
        await fake.settle()
        if fresh:
            await self._first_settings()
        self.save()
        self.touch()

    async def _first_settings(self) -> None:
        """Stories need a channel before Alex can share: the owner picks #stories and
        #mod-queue with the bot's own command, as a new server would."""
        fake = self.fake
        owner = people(fake)["owner"]
        await fake.invoke(
            owner,
            channel_named(fake, "general"),
            "stories settings",
            channel=channel_named(fake, "stories"),
            mod_channel=channel_named(fake, "mod-queue"),
        )

    def _settings(self, fake: FakeDiscord) -> Settings:
        environ = {
            "DISCORD_TOKEN": fake.token,
            "REBOUND_DISCORD_API_BASE": fake.api_base,
            "REBOUND_DISCORD_GATEWAY": fake.gateway_url,
            "REBOUND_DATA_DIR": str(self.bot_dir),
            "REBOUND_SECRET_KEY_FILE": str(self.data_dir / "secret.key"),
            # The clock control runs due work; the bot's own tick stays out of its way.
            "REBOUND_TICK_SECONDS": "300",
            # Never the project's .env: it may hold a real token.
            "REBOUND_ENV_FILE": str(self.data_dir / "no.env"),
        }
        return replace(Settings.load(environ), guild_ready_timeout=0.05)

    def _secret_key(self) -> bytes:
        path = self.data_dir / "secret.key"
        if not path.exists():
            path.write_text(secrets.token_hex(32))
        return path.read_text().strip().encode()

    def save(self) -> None:
        if self._fake is not None:
            persist.save(self._fake, self.clock.now(), self.data_dir)

    async def stop(self) -> None:
        if self._fake is not None:
            self.save()
        if self._bot is not None:
            await self._bot.close()
        if self._task is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        if self._store is not None:
            await self._store.close()
        if self._fake is not None:
            await self._fake.stop()
        if self._old_addresses is not None:
            discord.http.Route.BASE, gateway = self._old_addresses
            discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = gateway  # type: ignore[assignment]
            self._old_addresses = None
        logging.getLogger().removeHandler(self._error_log)
        self._fake = self._bot = self._store = self._task = None

    async def reset(self) -> None:
        """Start over: a fresh server, a fresh bot database, the first morning again."""
        await self.stop()
        # Only what the playground made: --data may name a folder that holds other things.
        shutil.rmtree(self.bot_dir, ignore_errors=True)
        for name in (persist.FILE_NAME, "secret.key"):
            (self.data_dir / name).unlink(missing_ok=True)
        self.errors = []
        await self.start()

    # -- the clock control -----------------------------------------------------------------------
    async def advance_to(self, target: datetime) -> None:
        """Move the clock to `target`, running due work at each due instant on the way."""
        scheduler = self.bot.scheduler
        for _ in range(_MAX_STEPS):
            due = await scheduler.next_due_at()
            if due is None or due > target:
                break
            if due > self.clock.now():
                self.clock.set(due)
            await scheduler.run_due()
            await self.fake.settle()
        else:
            raise RuntimeError("a job keeps coming due")
        if target > self.clock.now():
            self.clock.set(target)
        await scheduler.run_due()
        await self.fake.settle()
        self.collect_rejections()
        self.save()
        self.touch()


def clock_target(now: datetime, step: str) -> datetime:
    """Where a clock button goes: "hour" (+1 hour), "morning" (the next 08:00 UTC) or
    "monday" (next Monday 08:00 UTC)."""
    if step == "hour":
        return now + timedelta(hours=1)
    if step == "morning":
        target = now.replace(hour=8, minute=0, second=0, microsecond=0)
        return target if target > now else target + timedelta(days=1)
    if step == "monday":
        days = (7 - now.weekday()) % 7 or 7
        return (now + timedelta(days=days)).replace(hour=8, minute=0, second=0, microsecond=0)
    raise ValueError(f"unknown clock step {step!r}")
