"""`python -m bot run`: check the token, take the data folder's lock, run the bot until stopped."""

from __future__ import annotations

import asyncio
import logging
import signal
import sys

import discord
import yarl

from bot.anonymity import key_check
from bot.cli import EXIT_CONFIG
from bot.clock import Clock, SystemClock
from bot.content import Content, ContentError
from bot.db import DatabaseTooNewError, DatabaseUnreachableError, Store
from bot.db.key_check import KeyMatch, record_or_compare
from bot.fleet.leases import LeaseRefused, ShardLeases
from bot.fleet.start import fleet_problem, join, on_postgresql
from bot.logs import configure_logging
from bot.runlock import AlreadyRunning, hold_run_lock
from bot.secret_key import load_or_create_secret_key
from bot.settings import Settings, SettingsError

log = logging.getLogger("bot")

NO_TOKEN = """\
Rebound can't start yet: DISCORD_TOKEN is not set. The bot needs its own Discord bot token to
log in. Get one at https://discord.com/developers/applications: pick (or create) your
application, open the Bot page and press Reset Token, then copy it. Put it in a file named .env
in the project folder as a line DISCORD_TOKEN=your-token (copy .env.example to start), or set
DISCORD_TOKEN in the environment, and run the command again. Nothing was created or changed."""

TOKEN_REJECTED = """\
Rebound can't start: Discord rejected the token in DISCORD_TOKEN (it may have been reset,
copied with a missing character, or belong to another application). Open
https://discord.com/developers/applications, choose your application, press Reset Token on the
Bot page, and put the new token in .env as DISCORD_TOKEN=... Nothing was created or changed."""

SHARDING_REQUIRED = """\
Discord refused the connection: this bot is in more servers than one shard may carry (2,500).
REBOUND_SHARD_COUNT is set too low; leave it empty so Rebound uses Discord's recommendation,
or raise it (about one shard per 1,000 servers). Nothing was changed."""

ALREADY_RUNNING = """\
Rebound is already running on {data} (pid {pid}). Two bots on one database would post
everything twice, so this one did not start. Stop the other one first (for example
`systemctl stop rebound`)."""

KEY_DIFFERS_LOG = (
    "The secret key in use is not the one this database was made with: earlier stories' "
    "authors will not be recognised (no OP replies, no DMs, blocks do not apply). Start with "
    "the key the database was made with (see docs/operations.md, Restoring)"
)

UNREACHABLE = """\
Rebound couldn't reach Discord ({reason}). Check this machine's internet connection and try
again; the bot keeps no partial state, so starting again is safe."""

UNREACHABLE_BEFORE_START = """\
Rebound couldn't reach Discord to check its token ({reason}). Check this machine's internet
connection and try again. Nothing was created or changed."""


def run(settings: Settings) -> int:
    if not settings.discord_token:
        print(NO_TOKEN, file=sys.stderr)
        return EXIT_CONFIG
    problem = fleet_problem(settings)
    if problem is not None:
        print(problem, file=sys.stderr)
        return EXIT_CONFIG
    configure_logging(settings.log_level)
    try:
        content = Content.load(settings.content_dir)
    except ContentError as exc:
        print(f"Rebound's content files need a fix: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    try:
        return asyncio.run(_run(settings, content))
    except AlreadyRunning as exc:
        print(
            ALREADY_RUNNING.format(pid=exc.pid or "unknown", data=settings.data_dir),
            file=sys.stderr,
        )
        return EXIT_CONFIG
    except KeyboardInterrupt:
        log.info("Stopped by keyboard interrupt")
        return 0


async def _run(settings: Settings, content: Content) -> int:

    assert settings.discord_token is not None
    point_at_discord(settings)
    # The token first: a rejected one must not leave a database and a key behind.
    try:
        if not await token_accepted(settings.discord_token):
            print(TOKEN_REJECTED, file=sys.stderr)
            return EXIT_CONFIG
    except (OSError, discord.HTTPException) as exc:
        print(UNREACHABLE_BEFORE_START.format(reason=type(exc).__name__), file=sys.stderr)
        return 1
    if on_postgresql(settings):
        # Shard leases in the database say who runs (bot/fleet), not a lock file of one host.
        return await _run_locked(settings, content)
    # One bot per data folder (a restore waits for this lock too); raises AlreadyRunning.
    with hold_run_lock(settings.data_dir):
        return await _run_locked(settings, content)


async def _run_locked(settings: Settings, content: Content) -> int:
    assert settings.discord_token is not None
    try:
        store = await Store.open(settings.store_target)
    except (DatabaseTooNewError, DatabaseUnreachableError) as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_CONFIG
    try:
        secret_key = load_or_create_secret_key(settings)
    except SettingsError as exc:
        await store.close()
        print(f"Rebound's secret key needs a fix: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    if settings.key_file_in_data_dir:
        log.warning(
            "The secret key file %s is inside the data folder, so one copy of that folder "
            "holds both the database and its key; REBOUND_SECRET_KEY_FILE can point elsewhere",
            settings.secret_key_file,
        )
    clock = SystemClock()
    async with store:
        leases = await _take_leases(store, clock, settings)
        if leases is None:
            return EXIT_CONFIG
        try:
            return await _serve(store, clock, settings, content, secret_key, leases)
        finally:
            await leases.release()  # a neighbour takes this process's shards at once


async def _take_leases(store: Store, clock: Clock, settings: Settings) -> ShardLeases | None:
    """This process's shard leases (on PostgreSQL; SQLite keeps the lock file): None, with
    the reason printed, when another process serves them."""
    leases = ShardLeases(
        store,
        clock,
        shards=settings.shards,
        shard_count=settings.shard_count,
        lease_seconds=settings.lease_seconds,
        budget=settings.fleet_budget,
    )
    if settings.shards is None and not on_postgresql(settings):
        return leases  # one process on SQLite: the data folder's lock says it all
    try:
        await leases.acquire()
    except LeaseRefused as exc:
        print(f"Rebound can't start: {exc} Nothing was changed.", file=sys.stderr)
        return None
    return leases


async def _serve(
    store: Store,
    clock: Clock,
    settings: Settings,
    content: Content,
    secret_key: bytes,
    leases: ShardLeases,
) -> int:
    from bot.app import Bot  # imported late: it imports every feature
    from bot.scheduling import Scheduler

    assert settings.discord_token is not None
    if await record_or_compare(store, key_check(secret_key)) is KeyMatch.DIFFERS:
        log.warning(KEY_DIFFERS_LOG)
    scheduler = Scheduler.from_settings(store, clock, settings)
    bot = Bot(
        settings=settings,
        store=store,
        clock=clock,
        scheduler=scheduler,
        secret_key=secret_key,
        content=content,
    )
    bot.freeze_cache_when_ready = True
    if leases.held:
        join(leases, bot, scheduler, bot.pacer, settings.post_rate_per_second)
        leases.start()
    # systemd, Docker and friends stop services with SIGTERM, a terminal with Ctrl+C
    # (SIGINT): both close cleanly (scheduler stopped, gateway closed, then the database).
    loop = asyncio.get_running_loop()
    for stop_signal in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(stop_signal, lambda: asyncio.ensure_future(bot.close()))
    try:
        async with bot:
            await bot.start(settings.discord_token)
    except discord.LoginFailure:
        print(TOKEN_REJECTED, file=sys.stderr)
        return EXIT_CONFIG
    except discord.ConnectionClosed as exc:
        if exc.code != 4011:
            raise
        print(SHARDING_REQUIRED, file=sys.stderr)
        return EXIT_CONFIG
    except discord.PrivilegedIntentsRequired:  # cannot happen: Rebound asks for none
        print("Discord refused the bot's intents; please report this.", file=sys.stderr)
        return EXIT_CONFIG
    except (OSError, discord.GatewayNotFound) as exc:
        print(UNREACHABLE.format(reason=type(exc).__name__), file=sys.stderr)
        return 1
    return 0


async def token_accepted(token: str) -> bool:
    """Ask Discord who the token belongs to (GET /users/@me); False if it refuses the token."""
    http = discord.http.HTTPClient(asyncio.get_running_loop())
    try:
        await http.static_login(token)
    except discord.LoginFailure:
        return False
    finally:
        await http.close()
    return True


def point_at_discord(settings: Settings) -> None:
    """Use another address for Discord when configured (a proxy, or a local Discord).

    discord.py keeps Discord's addresses in two class attributes; there is no client option.
    """
    if settings.discord_api_base:
        discord.http.Route.BASE = settings.discord_api_base
        log.warning(
            "Talking to Discord's API at %s instead of discord.com", settings.discord_api_base
        )
    if settings.discord_gateway_url:
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(settings.discord_gateway_url)
        log.warning("Using the gateway at %s", settings.discord_gateway_url)
