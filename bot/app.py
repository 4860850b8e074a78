"""The Bot: owns nothing it did not receive; features arrive as cogs."""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import pkgutil
from datetime import datetime
from typing import Any

import discord
from discord.ext import commands

import cogs
from bot.anonymity import Anonymizer
from bot.clock import Clock
from bot.content import Content
from bot.db import Store
from bot.i18n import CatalogTranslator
from bot.pacing import Pacer
from bot.privacy import PrivacyRegistry
from bot.scheduling import Scheduler
from bot.settings import Settings
from bot.tree import ReboundTree

log = logging.getLogger(__name__)


def feature_extensions() -> list[str]:
    """Every feature package under cogs/, in a stable order."""
    return sorted(
        f"cogs.{module.name}" for module in pkgutil.iter_modules(cogs.__path__) if module.ispkg
    )


def bot_intents() -> discord.Intents:
    """No privileged intents: no members, no message content, no presences."""
    intents = discord.Intents.none()
    intents.guilds = True
    return intents


class Bot(commands.Bot):
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
        intents = bot_intents()
        super().__init__(
            command_prefix=commands.when_mentioned,
            help_command=None,
            intents=intents,
            tree_cls=ReboundTree,
            allowed_mentions=discord.AllowedMentions.none(),
            member_cache_flags=discord.MemberCacheFlags.from_intents(intents),
            chunk_guilds_at_startup=False,
            guild_ready_timeout=settings.guild_ready_timeout,
            **options,
        )
        self.settings = settings
        self.store = store
        self.clock = clock
        self.scheduler = scheduler
        # Features derive pseudonyms and sealed tokens from this; the raw key stays here.
        self.anonymizer = Anonymizer(secret_key)
        # Bulk, scheduled sends wait their turn here; replies to interactions never do.
        self.pacer = Pacer(settings.post_rate_per_second)
        self.content = content or Content.load(settings.content_dir)
        # Every feature registers what it stores about members here (see bot/privacy.py).
        self.privacy = PrivacyRegistry()
        self.started_at: datetime = clock.now()
        self._features_loaded = False
        # Root command name -> id Discord gave it, for clickable mentions in posts.
        self.command_ids: dict[str, int] = {}
        self.scheduler_started = asyncio.Event()
        self._scheduler_task: asyncio.Task[None] | None = None

    async def load_features(self) -> None:
        """Load every cog once (setup_hook does this; `python -m bot commands` too)."""
        if self._features_loaded:
            return
        for name in feature_extensions():
            await self.load_extension(name)
        # Command names and descriptions per locale (data/locales/*.yaml), keyed by the tree.
        await self.tree.set_translator(
            CatalogTranslator.from_folder(self.settings.content_dir / "locales")
        )
        self._features_loaded = True

    async def setup_hook(self) -> None:
        # on_ready can fire many times (every reconnect); everything starts here, once.
        await self.load_features()
        await self.sync_commands_if_changed()
        self._scheduler_task = asyncio.create_task(self._start_scheduler_when_ready())

    async def _start_scheduler_when_ready(self) -> None:
        """Due work waits for the first READY: posting needs the guild cache to check a channel
        still exists and may be written to, without spending a failing request to find out."""
        await self.wait_until_ready()
        await self.scheduler.start()
        self.scheduler_started.set()

    async def close(self) -> None:
        if self._scheduler_task is not None and not self._scheduler_task.done():
            self._scheduler_task.cancel()
        await self.scheduler.stop()
        await super().close()

    # -- command sync ---------------------------------------------------------------------------

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
        """Sync only when the payload differs from the last successful sync (hash in the DB)."""
        payload = await self.command_payload()
        digest = hashlib.sha256(
            json.dumps(payload, sort_keys=True, separators=(",", ":")).encode()
        ).hexdigest()
        target = self.sync_target()
        scope = f"guild:{target.id}" if target else "global"
        key = f"commands_hash:{self.application_id}:{scope}"
        row = await self.store.fetchone("SELECT value FROM meta WHERE key = ?", (key,))
        ids_key = f"commands_ids:{self.application_id}:{scope}"
        if row is not None and row["value"] == digest:
            ids_row = await self.store.fetchone("SELECT value FROM meta WHERE key = ?", (ids_key,))
            self.command_ids = (
                {k: int(v) for k, v in json.loads(ids_row["value"]).items()} if ids_row else {}
            )
            log.info("Application commands unchanged (%d); not syncing", len(payload))
            return False
        synced = await self.tree.sync(guild=target)
        self.command_ids = {command.name: command.id for command in synced}
        async with self.store.transaction() as conn:
            for meta_key, value in ((key, digest), (ids_key, json.dumps(self.command_ids))):
                await conn.execute(
                    "INSERT INTO meta (key, value) VALUES (?, ?) "
                    "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    (meta_key, value),
                )
        log.info("Synced %d application commands to %s", len(payload), scope)
        return True

    def command_mention(self, qualified_name: str) -> str:
        """A clickable `</name:id>` mention when the command is known, else `/name`."""
        root = qualified_name.split(" ", 1)[0]
        command_id = self.command_ids.get(root)
        return f"</{qualified_name}:{command_id}>" if command_id else f"/{qualified_name}"

    async def on_ready(self) -> None:
        # Informational only: nothing may start here (on_ready repeats after reconnects).
        log.info(
            "Connected as bot %s to %d server(s)",
            self.user.id if self.user else "?",
            len(self.guilds),
        )
