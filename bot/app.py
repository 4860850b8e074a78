"""The Bot: owns nothing it did not receive; features arrive as cogs."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import hashlib
import hmac
import json
import logging
import time
from datetime import datetime
from typing import Any

import discord
import yarl
from discord.ext import commands

from bot import features
from bot.anonymity import Anonymizer
from bot.clock import Clock
from bot.command_sync import CommandSync
from bot.content import Content
from bot.creating import Creator, install_on
from bot.db import Store
from bot.feature_migrations import migrate as migrate_features
from bot.i18n import CatalogTranslator
from bot.logs import clamp_payload_loggers
from bot.pacing import Pacer
from bot.privacy import PrivacyRegistry
from bot.scheduling import Scheduler
from bot.seams import Seams
from bot.sending import Sender, waiting_for_guild
from bot.settings import Settings
from bot.setup_pages import SetupPages
from bot.tree import ReboundTree
from bot.ui.modals import ModalRouter

log = logging.getLogger(__name__)

# discord.py's task names for a slash command, a view's component, a modal and an event listener
# (such as on_app_command_completion) being handled.
IN_FLIGHT_TASKS = (
    "CommandTree-invoker",
    "discord-ui-view-dispatch",
    "discord-ui-modal-dispatch",
    "discord-ui-dynamic-item-",  # a persistent button's click (DynamicItem)
    "discord.py: on_",
)
# How long a stop waits for them (systemd's TimeoutStopSec should be longer).
IN_FLIGHT_GRACE = 5.0

# Discord lets `max_concurrency` shards IDENTIFY per this many seconds (one bucket per
# shard_id % max_concurrency).
IDENTIFY_SPACING = 5.0


class ClosedWhileConnecting(BaseException):
    """The bot was closed while a shard waited its turn to IDENTIFY. A BaseException so that
    discord.py's launch_shard, which retries every Exception forever, lets it through."""


def feature_extensions() -> list[str]:
    """Every registered feature's package (bot/features.py), loaded in name order."""
    return sorted(feature.extension for feature in features.discover())


def silence_voice_warnings() -> None:
    """Rebound never joins voice, so discord.py's start-up warnings that the voice libraries
    (PyNaCl, davey) are missing are noise that makes a healthy start look broken."""
    discord.VoiceClient.warn_nacl = False
    discord.VoiceClient.warn_dave = False


def paced_request(url: yarl.URL) -> bool:
    """Requests counted against Discord's global limit: the REST API under the bot token, but
    not interaction callbacks and followups (exempt), the gateway or the CDN."""
    base = yarl.URL(discord.http.Route.BASE)
    if (url.host, url.port) != (base.host, base.port) or not url.path.startswith(base.path):
        return False
    return not url.path.startswith((f"{base.path}/interactions/", f"{base.path}/webhooks/"))


#: How often discord.py may sweep its per-route rate-limit buckets (it drops idle ones).
BUCKET_SWEEP_SECONDS = 30.0


def throttle_bucket_sweep(http: discord.http.HTTPClient) -> None:
    """discord.py keeps one rate-limit bucket per channel posted to and, once it has 256, scans
    all of them every time it makes a new one. A morning posting to 10,000 channels makes
    10,000 new buckets: 50 million scans, most of the bot's CPU. The scan only drops buckets idle
    for 5 minutes, so doing it at most every 30 s changes nothing else."""
    sweep = http._try_clear_expired_ratelimits
    last = -BUCKET_SWEEP_SECONDS

    def throttled() -> None:
        nonlocal last
        now = time.monotonic()
        if now - last >= BUCKET_SWEEP_SECONDS:
            last = now
            sweep()

    http._try_clear_expired_ratelimits = throttled  # type: ignore[method-assign]


def bot_intents() -> discord.Intents:
    """No privileged intents: no members, no message content, no presences."""
    intents = discord.Intents.none()
    intents.guilds = True
    return intents


class Bot(commands.AutoShardedBot):
    """Automatic sharding: one gateway connection per shard, as many as Discord recommends
    (GET /gateway/bot) unless REBOUND_SHARD_COUNT says; Discord refuses one connection for
    more than 2,500 servers (close code 4011). A small bot simply runs one shard."""

    def __init__(
        self,
        *,
        settings: Settings,
        store: Store,
        clock: Clock,
        scheduler: Scheduler,
        secret_key: bytes,
        content: Content | None = None,
        **options: Any,
    ) -> None:
        #: `python -m bot` sets it (one bot per process); not in tests, which start many bots in
        #: one process and would keep each one's cache alive for good.
        self.freeze_cache_when_ready = False
        #: Seconds between READY and the first claim (a fleet process: bot/fleet/start.py).
        self.first_claim_delay = 0.0
        intents = bot_intents()
        silence_voice_warnings()
        clamp_payload_loggers()  # every library logger exists now: ids get redacted in all
        # Every request under the bot token waits its turn here (not interaction replies).
        pacer = Pacer(settings.post_rate_per_second)
        if settings.shards is not None:
            # A fleet process (bot/fleet) connects only its own shards.
            options.setdefault("shard_ids", list(settings.shards))
        super().__init__(
            command_prefix=commands.when_mentioned,
            help_command=None,
            intents=intents,
            tree_cls=ReboundTree,
            allowed_mentions=discord.AllowedMentions.none(),
            member_cache_flags=discord.MemberCacheFlags.from_intents(intents),
            chunk_guilds_at_startup=False,
            guild_ready_timeout=settings.guild_ready_timeout,
            shard_count=settings.shard_count,
            # Paced, and creates without a nonce go out once (bot/creating.py).
            http_trace=install_on(pacer.trace_config(paced_request)),
            **options,
        )
        throttle_bucket_sweep(self.http)
        self.settings = settings
        self.store = store
        self.clock = clock
        self.scheduler = scheduler
        # Features derive pseudonyms and sealed tokens from this; the raw key stays here.
        self.anonymizer = Anonymizer(secret_key)
        self.pacer = pacer
        # Every scheduled send goes through this: paced, idempotent (nonce), retried when the
        # failure passes (see bot/sending.py for the API features use).
        self.sender = Sender(self, self.pacer, stopping=scheduler.stopping)
        # Threads, forum posts and private threads: made once though Discord takes no nonce.
        self.creator = Creator(
            self,
            self.pacer,
            stopping=scheduler.stopping,
            marker_key=hmac.new(secret_key, b"rebound/creating-marker", hashlib.sha256).digest(),
        )
        self.content = content or Content.load(settings.content_dir)
        # Every feature registers what it stores about members here (see bot/privacy.py).
        self.privacy = PrivacyRegistry()
        # Where features meet without importing each other (see bot/seams.py).
        self.seams = Seams()
        # Each loaded feature's /setup page, built on its own service (see bot/setup_pages.py).
        self.setup_pages = SetupPages()
        # Every form the bot opens is answered through this, after a restart too (bot/ui/modals.py).
        self.modals = ModalRouter()
        self.started_at: datetime = clock.now()
        self._features_loaded = False
        # Root command name -> id Discord gave it, for clickable mentions in posts.
        self.command_ids: dict[str, int] = {}
        self.scheduler_started = asyncio.Event()
        self._scheduler_task: asyncio.Task[None] | None = None
        #: A process that did not sync the commands waits for the ids the syncing one records.
        self._ids_task: asyncio.Task[None] | None = None
        self._scheduler_starting = False
        self._max_concurrency = 1
        self._identified_at: dict[int, float] = {}

    async def load_features(self) -> None:
        """Load every cog once (setup_hook does this; `python -m bot commands` too)."""
        if self._features_loaded:
            return
        extensions = feature_extensions()
        # Each feature's own tables first (cogs/<name>/migrations), then its cog.
        await migrate_features(self.store, features.among(extensions))
        for name in extensions:
            await self.load_extension(name)
        # Command names and descriptions per locale (each feature's locales/*.yaml, and
        # data/locales/*.yaml), keyed by the tree.
        await self.tree.set_translator(
            CatalogTranslator.from_folder(
                self.settings.content_dir / "locales",
                *(feature.folder / "locales" for feature in features.among(extensions)),
            )
        )
        self._features_loaded = True

    async def setup_hook(self) -> None:
        # on_ready can fire many times (every reconnect); everything starts here, once.
        await self.load_features()
        await self.sync_commands_if_changed()
        try:
            limits = await self.fetch_session_start_limits()
            self._max_concurrency = max(1, limits.max_concurrency)
        except discord.HTTPException as exc:
            log.info("Could not read the session start limits (HTTP %s); one at a time", exc.status)
        self._scheduler_task = asyncio.create_task(self._start_scheduler_when_ready())

    async def _start_scheduler_when_ready(self) -> None:
        """Due work waits for the first READY: posting needs the guild cache to check a channel
        still exists and may be written to, without spending a failing request to find out."""
        await self.wait_until_ready()
        if self.first_claim_delay:
            await asyncio.sleep(self.first_claim_delay)
        if self.freeze_cache_when_ready:
            # The guild cache filled by READY lives as long as the process: move it out of the
            # cyclic collector's way, so full collections on a busy morning do not rescan it.
            gc.collect()
            gc.freeze()
        # From here a stop drains (Scheduler.stop) instead of cancelling: the start-up sweep
        # may be sending, and a cancelled send would be re-sent by the next start.
        self._scheduler_starting = True
        await self.scheduler.start()
        self.scheduler_started.set()

    async def launch_shard(
        self, gateway: yarl.URL, shard_id: int, *, initial: bool = False
    ) -> None:
        """discord.py retries a failed shard connection every 5 s forever, also once the bot
        is closed: a SIGTERM while later shards were still connecting (they IDENTIFY 5 s
        apart) never exited. A closed bot launches nothing."""
        if self.is_closed():
            return
        with contextlib.suppress(ClosedWhileConnecting):
            await super().launch_shard(gateway, shard_id, initial=initial)

    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        """Space IDENTIFYs as Discord asks (max_concurrency per 5 s), not a flat 5 s each."""
        bucket = (shard_id or 0) % self._max_concurrency
        last = self._identified_at.get(bucket)
        if last is not None:
            wait = IDENTIFY_SPACING - (time.monotonic() - last)
            if wait > 0:
                await asyncio.sleep(wait)
        if self.is_closed():  # stopped while waiting: no IDENTIFY, and no retry (launch_shard)
            raise ClosedWhileConnecting
        self._identified_at[bucket] = time.monotonic()

    async def close(self) -> None:
        if self._ids_task is not None:
            self._ids_task.cancel()
        starting = self._scheduler_task
        if starting is not None and not starting.done() and not self._scheduler_starting:
            starting.cancel()  # still waiting for READY: nothing was started
        # Stops claiming, and gives what is in flight (the start-up sweep's sends too) its
        # drain time; only what outlasts it is cancelled (and re-sent by the next start).
        await self.scheduler.stop()
        if starting is not None and not starting.done():
            # The sweep returns once its runs are over (stop() drained or cancelled them).
            with contextlib.suppress(asyncio.CancelledError, TimeoutError):
                await asyncio.wait_for(asyncio.shield(starting), timeout=IN_FLIGHT_GRACE)
        await self.finish_in_flight_interactions()
        if getattr(self, "_AutoShardedClient__queue", None) is None:
            # Never logged in (`python -m bot commands` builds the bot offline): discord.py's
            # sharded close needs the queue login creates, so only the cogs are unloaded.
            for name in list(self.extensions):
                await self.unload_extension(name)
            return
        await super().close()

    async def finish_in_flight_interactions(self, grace: float = IN_FLIGHT_GRACE) -> None:
        """Let commands, buttons and modals already running finish (their database write and
        their answer) before the HTTP session closes: a member who was told "done" must find
        it done after a restart, and nobody should get a half-sent reply."""
        current = asyncio.current_task()
        deadline = asyncio.get_running_loop().time() + grace
        while True:
            running = [
                task
                for task in asyncio.all_tasks()
                if task is not current
                and not task.done()
                and task.get_name().startswith(IN_FLIGHT_TASKS)
            ]
            remaining = deadline - asyncio.get_running_loop().time()
            if not running or remaining <= 0:
                if running:
                    log.warning("Stopping with %d interaction(s) still running", len(running))
                return
            await asyncio.wait(running, timeout=remaining)

    # -- command sync ---------------------------------------------------------------------------

    def command_sync(self) -> CommandSync:
        target = self.sync_target()
        scope = f"guild:{target.id}" if target else "global"
        return CommandSync(self.store, self.clock, self.application_id, scope)

    def sync_target(self) -> discord.Object | None:
        return discord.Object(self.settings.dev_guild_id) if self.settings.dev_guild_id else None

    async def command_payload(self) -> list[dict[str, Any]]:
        """Exactly what discord.py sends to bulk-overwrite the commands (translations included,
        as `CommandTree.sync` builds them)."""
        target = self.sync_target()
        if target is not None:
            self.tree.copy_global_to(guild=target)
        commands = self.tree.get_commands(guild=target)
        translator = self.tree.translator
        if translator is None:
            return [command.to_dict(self.tree) for command in commands]
        return [await command.get_translated_payload(self.tree, translator) for command in commands]

    async def sync_commands_if_changed(self) -> bool:
        """Sync only when the payload differs from the last successful sync (hash in the DB),
        and only in the one process that claims that sync (bot/command_sync.py); a process
        that did not claim it reads the ids the other records, when it has."""
        payload = await self.command_payload()
        digest = hashlib.sha256(
            json.dumps(payload, sort_keys=True, separators=(",", ":")).encode()
        ).hexdigest()
        records = self.command_sync()
        if await records.synced_hash() == digest:
            self.command_ids = await records.recorded_ids()
            log.info("Application commands unchanged (%d); not syncing", len(payload))
            return False
        if not await records.claim(digest):
            log.info("Another process of the fleet syncs the application commands")
            self.command_ids = await records.recorded_ids()
            self._ids_task = asyncio.create_task(self._ids_when_synced(records, digest))
            return False
        target = self.sync_target()
        try:
            synced = await self.tree.sync(guild=target)
        except BaseException:
            await records.give_up(digest)
            raise
        self.command_ids = {command.name: command.id for command in synced}
        await records.record(digest, self.command_ids)
        log.info("Synced %d application commands to %s", len(payload), target or "global")
        return True

    async def _ids_when_synced(self, records: CommandSync, digest: str) -> None:
        self.command_ids = await records.wait_for(digest)

    def command_mention(self, qualified_name: str) -> str:
        """A clickable `</name:id>` mention when the command is known, else `/name`."""
        root = qualified_name.split(" ", 1)[0]
        command_id = self.command_ids.get(root)
        return f"</{qualified_name}:{command_id}>" if command_id else f"/{qualified_name}"

    async def on_ready(self) -> None:
        # Informational only: nothing may start here (on_ready repeats after reconnects).
        log.info(
            "Connected as bot %s to %d server(s) on %d shard(s)",
            self.user.id if self.user else "?",
            len(self.guilds),
            self.shard_count or 1,
        )

    async def on_interaction(self, interaction: discord.Interaction[Bot]) -> None:
        await self.modals.dispatch(interaction)

    async def on_guild_available(self, guild: discord.Guild) -> None:
        """A server back from an outage: runs that waited for it go now (inside grace)."""
        if self.scheduler_started.is_set():
            await self.scheduler.retry_waiting(waiting_for_guild(guild.id))

    async def on_guild_join(self, guild: discord.Guild) -> None:
        await self.on_guild_available(guild)
