"""The real bot as its own process (`python -m bot`) on the local Discord, measured from outside.

    async with FakeDiscord(patch=False) as fake:        # the emulator, in this process
        ... build guilds, channels, members ...
        async with BotProcess(fake, data_dir) as bot:   # python -m bot, pointed at it
            await bot.ready()                           # on_ready (all guilds delivered)
            r = await fake.start_invoke(member, channel, "about")
            await fake.answered(r)
            r.bot_latency                               # INTERACTION_CREATE -> callback, s
            bot.sample()                                # the child's CPU seconds and RSS

Nothing in the child is patched: it reads REBOUND_DISCORD_API_BASE / REBOUND_DISCORD_GATEWAY /
REBOUND_DATA_DIR / REBOUND_TICK_SECONDS / REBOUND_ENV_FILE like `make run` would. CPU and memory
come from /proc/<pid> of the child, so they are the bot's alone, apart from the emulator's.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import os
import signal
import sqlite3
import statistics
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

from fakecord import FakeDiscord

ROOT = Path(__file__).resolve().parents[1]
SECRET = "benchmark-secret-key-" + "0" * 43
_TICKS = os.sysconf("SC_CLK_TCK")
_PAGE = os.sysconf("SC_PAGE_SIZE")


@dataclass(frozen=True)
class ProcSample:
    """CPU seconds used so far (user + system) and resident memory of one process."""

    cpu_seconds: float
    rss_bytes: int
    peak_rss_bytes: int

    @property
    def rss_mb(self) -> float:
        return self.rss_bytes / 1e6

    @property
    def peak_rss_mb(self) -> float:
        return self.peak_rss_bytes / 1e6


def sample(pid: int) -> ProcSample:
    """Read /proc/<pid>: utime+stime and VmRSS / VmHWM (peak)."""
    with open(f"/proc/{pid}/stat", encoding="ascii") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    cpu = (int(fields[11]) + int(fields[12])) / _TICKS  # utime, stime (fields 14, 15)
    rss = peak = 0
    with open(f"/proc/{pid}/status", encoding="ascii") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                rss = int(line.split()[1]) * 1024
            elif line.startswith("VmHWM:"):
                peak = int(line.split()[1]) * 1024
    return ProcSample(cpu, rss, peak)


def bot_env(fake: FakeDiscord, data_dir: Path, **extra: str) -> dict[str, str]:
    """The child's environment: this one without any DISCORD_/REBOUND_ settings, plus ours."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "REBOUND_"))}
    env.update(
        DISCORD_TOKEN=fake.token,
        REBOUND_DISCORD_API_BASE=fake.api_base,
        REBOUND_DISCORD_GATEWAY=fake.gateway_url,
        REBOUND_DATA_DIR=str(data_dir),
        REBOUND_ENV_FILE=str(data_dir / "no.env"),
        REBOUND_SECRET_KEY=SECRET,
        PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    return env


class BotProcess:
    """`python -m bot` in a child process; its stderr goes to `<data_dir>/bot-<n>.log`."""

    READY_LINE = "Connected as bot"

    def __init__(self, fake: FakeDiscord, data_dir: Path, **env: str) -> None:
        self.fake = fake
        self.data_dir = Path(data_dir)
        self.env = env
        self.proc: asyncio.subprocess.Process | None = None
        self.spawned_at = 0.0
        self.starts = 0
        self.log_path = self.data_dir / "bot-0.log"
        self._identifies_before = 0

    @property
    def pid(self) -> int:
        assert self.proc is not None, "the bot is not running"
        return self.proc.pid

    @property
    def db_path(self) -> Path:
        return self.data_dir / "rebound.db"

    async def start(self) -> None:
        """Spawn the child and return at once (see `connected`, `ready`)."""
        assert self.proc is None or self.proc.returncode is not None, "already running"
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.starts += 1
        self.log_path = self.data_dir / f"bot-{self.starts}.log"
        self._identifies_before = self.fake.hub.ready_count
        log = os.open(self.log_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            self.spawned_at = time.monotonic()
            self.proc = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "bot",
                cwd=ROOT,
                env=bot_env(self.fake, self.data_dir, **self.env),
                stdin=asyncio.subprocess.DEVNULL,
                stdout=log,
                stderr=log,
            )
        finally:
            os.close(log)

    def log_text(self) -> str:
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return ""

    def _check_alive(self) -> None:
        if self.proc is not None and self.proc.returncode is not None:
            raise RuntimeError(
                f"the bot exited with {self.proc.returncode}:\n{self.log_text()[-3000:]}"
            )

    async def connected(self, timeout: float = 60.0) -> float:  # noqa: ASYNC109
        """Wait until this start's IDENTIFY got READY; seconds since spawn."""
        end = time.monotonic() + timeout
        while self.fake.hub.ready_count <= self._identifies_before:
            self._check_alive()
            if time.monotonic() > end:
                raise TimeoutError("the bot did not identify")
            await asyncio.sleep(0.02)
        return time.monotonic() - self.spawned_at

    async def ready(self, timeout: float = 120.0) -> float:  # noqa: ASYNC109
        """Wait for on_ready (the bot logs it once every guild arrived); seconds since spawn.
        discord.py fires on_ready `guild_ready_timeout` (2 s) after the last GUILD_CREATE."""
        end = time.monotonic() + timeout
        while self.READY_LINE not in self.log_text():
            self._check_alive()
            if time.monotonic() > end:
                raise TimeoutError(f"the bot was not ready:\n{self.log_text()[-3000:]}")
            await asyncio.sleep(0.02)
        return time.monotonic() - self.spawned_at

    async def commands_synced(self, timeout: float = 60.0) -> None:  # noqa: ASYNC109
        end = time.monotonic() + timeout
        while not self.fake.commands():
            self._check_alive()
            if time.monotonic() > end:
                raise TimeoutError("the bot synced no commands")
            await asyncio.sleep(0.02)

    def sample(self) -> ProcSample:
        return sample(self.pid)

    async def stop(self, timeout: float = 30.0) -> int:  # noqa: ASYNC109
        """SIGTERM (a deploy), wait; returns the exit code."""
        if self.proc is None:
            return 0
        if self.proc.returncode is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(self.proc.wait(), timeout)
            except TimeoutError:
                self.proc.kill()
                await self.proc.wait()
        code = self.proc.returncode
        assert code is not None
        return code

    async def kill(self) -> None:
        """SIGKILL: a crash, an OOM kill, a pulled plug of the process (not of the disk)."""
        if self.proc is not None and self.proc.returncode is None:
            self.proc.kill()
            await self.proc.wait()
        await self.fake.wait_for_disconnect(timeout=10)

    async def __aenter__(self) -> BotProcess:
        await self.start()
        await self.connected()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()


def read_db(path: Path, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
    """Read the bot's database from outside, read-only (WAL allows it while the bot runs)."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=10)
    try:
        return list(conn.execute(sql, params).fetchall())
    finally:
        conn.close()


# -- statistics ------------------------------------------------------------------------------


def percentile(values: Iterable[float], pct: float) -> float:
    """Nearest-rank percentile (pct in 0..100) of a non-empty sample."""
    ordered = sorted(values)
    if not ordered:
        raise ValueError("no values")
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[rank - 1]


def median(values: Iterable[float]) -> float:
    return statistics.median(list(values))


@contextlib.contextmanager
def quiet_logs() -> Any:
    """The emulator logs a warning per missed deadline; keep benchmark output readable."""
    import logging

    logging.disable(logging.WARNING)
    try:
        yield
    finally:
        logging.disable(logging.NOTSET)
