"""Posting affirmations: to a server's channel and to a member's DMs, and what happens when
Discord says no. Used by the scheduled jobs and by /affirmations now."""

from __future__ import annotations

import logging
import random
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Literal

import aiosqlite
import discord

from bot.guild_settings import GuildSettingsRepository
from bot.notices import notify_admins
from bot.scheduling import Outcome
from cogs.affirmations.content import AffirmationContent
from cogs.affirmations.logic import draw
from cogs.affirmations.render import action_line, affirmation_embed
from cogs.affirmations.repository import (
    DM_JOB,
    GUILD_JOB,
    AffirmationRepository,
    GuildSchedule,
    PauseReason,
    dm_owner,
    guild_owner,
)

if TYPE_CHECKING:
    from bot.app import Bot

log = logging.getLogger(__name__)

# A post more than this late says so in its footer.
LATE_AFTER = timedelta(minutes=5)

# Sent once when a schedule pauses itself, as an admin notice (bot/notices.py).
PAUSE_NOTICES: dict[PauseReason, str] = {
    "channel_missing": (
        "Rebound’s morning affirmations in **{server}** are paused: the channel they were going "
        "to ({channel}) was deleted or I can no longer see it. Someone with Manage Server can "
        "pick a new one with {setup}."
    ),
    "missing_permissions": (
        "Rebound’s morning affirmations in **{server}** are paused: I no longer have permission "
        "to post in {channel} (I need View Channel, Send Messages and Embed Links there). Once "
        "that’s fixed, {resume} starts them again."
    ),
    "by_admin": "",
    "bot_removed": "",
}


@dataclass(frozen=True, slots=True)
class Drawn:
    item_id: str
    text: str


class Poster:
    def __init__(self, bot: Bot, repo: AffirmationRepository) -> None:
        self.bot = bot
        self.repo = repo
        self.rng = random.Random()
        self.content = AffirmationContent.of(bot.content)
        self._bundled_ids = tuple(a.id for a in self.content.affirmations)

    # -- choosing what to post ------------------------------------------------------------------

    async def draw_for_guild(self, guild_id: int) -> Drawn:
        """Take the next card from the server's deck (bundled plus the server's own)."""
        return await self._draw(guild_owner(guild_id), guild_id)

    async def draw_for_member(self, user_id: int) -> Drawn:
        """Take the next card from a member's own deck (bundled affirmations only)."""
        return await self._draw(dm_owner(user_id), None)

    async def _draw(self, owner: str, guild_id: int | None) -> Drawn:
        async with self.bot.store.transaction() as conn:
            custom = {} if guild_id is None else await self._custom(conn, guild_id)
            deck = await self.repo.deck(conn, owner)
            item_id, deck = draw(deck, [*self._bundled_ids, *custom], self.rng)
            await self.repo.save_deck(conn, owner, deck)
        return Drawn(item_id, self._text(item_id, custom))

    async def peek_for_guild(self, guild_id: int) -> Drawn:
        """What the next post would use, without moving the deck (for /affirmations preview)."""
        async with self.bot.store.transaction() as conn:
            custom = await self._custom(conn, guild_id)
            deck = await self.repo.deck(conn, guild_owner(guild_id))
        item_id, _ = draw(deck, [*self._bundled_ids, *custom], random.Random(self.rng.random()))
        return Drawn(item_id, self._text(item_id, custom))

    async def _custom(self, conn: aiosqlite.Connection, guild_id: int) -> dict[str, str]:
        return {c.item_id: c.text for c in await self.repo.custom_in(conn, guild_id)}

    def _text(self, item_id: str, custom: dict[str, str]) -> str:
        if item_id in custom:
            return custom[item_id]
        bundled = self.content.affirmation(item_id)
        if bundled is None:  # cannot happen: the pool is built from the same content
            raise LookupError("drawn an affirmation that is not in the pool")
        return bundled.text

    def embed_for(
        self, drawn: Drawn, local_date: date, *, late: bool, personal: bool
    ) -> discord.Embed:
        step = self.content.step_for_weekday(local_date.weekday())
        return affirmation_embed(
            text=drawn.text,
            step=step,
            local_date=local_date,
            action=action_line(step, self._mention_for),
            late=late,
            personal=personal,
        )

    def _mention_for(self, feature: str, command: str) -> str | None:
        """A clickable mention when the feature's command is installed in this bot."""
        if self.bot.tree.get_command(command.split(" ", 1)[0]) is None:
            return None
        return self.bot.command_mention(command)

    # -- posting to a server --------------------------------------------------------------------

    def blocker(self, schedule: GuildSchedule) -> PauseReason | None:
        """What the cache already says would make a post fail, so no doomed request is sent."""
        guild = self.bot.get_guild(schedule.guild_id)
        if guild is None:
            return None  # not cached (yet): let Discord answer
        channel = guild.get_channel(schedule.channel_id)
        if channel is None:
            return "channel_missing"
        if isinstance(channel, discord.abc.GuildChannel):
            perms = channel.permissions_for(guild.me)
            if not (perms.view_channel and perms.send_messages and perms.embed_links):
                return "missing_permissions"
        return None

    async def post_to_guild(
        self,
        schedule: GuildSchedule,
        local_date: date,
        *,
        source: Literal["schedule", "now"],
        late: bool = False,
    ) -> tuple[Outcome, str | None]:
        blocked = self.blocker(schedule)
        if blocked is not None:
            await self.pause(schedule, blocked)
            return "skipped", blocked
        drawn = await self.draw_for_guild(schedule.guild_id)
        embed = self.embed_for(drawn, local_date, late=late, personal=False)
        if schedule.role_id is not None:
            content: str | None = f"<@&{schedule.role_id}>"
            mentions = discord.AllowedMentions(
                everyone=False,
                users=False,
                roles=[discord.Object(schedule.role_id)],
                replied_user=False,
            )
        else:
            content, mentions = None, discord.AllowedMentions.none()
        channel = self.bot.get_partial_messageable(schedule.channel_id, guild_id=schedule.guild_id)
        await self.bot.pacer.wait()
        try:
            message = await channel.send(content=content, embed=embed, allowed_mentions=mentions)
        except discord.NotFound:
            await self.pause(schedule, "channel_missing")
            return "failed", "channel_missing"
        except discord.Forbidden:
            await self.pause(schedule, "missing_permissions")
            return "failed", "missing_permissions"
        except discord.HTTPException as exc:
            log.warning("Affirmation post failed with HTTP %s; not retrying today", exc.status)
            return "failed", f"http_{exc.status}"
        await self.repo.record_post(
            schedule.guild_id,
            local_date.isoformat(),
            drawn.item_id,
            schedule.channel_id,
            message.id,
            self.bot.clock.now(),
            source,
        )
        return "done", None

    async def pause(self, schedule: GuildSchedule, reason: PauseReason) -> bool:
        """Pause and stop the job; tell the server once, on the change from running."""
        async with self.bot.store.transaction() as conn:
            changed = await self.repo.pause(conn, schedule.guild_id, reason, self.bot.clock.now())
            await self.bot.scheduler.remove_job(conn, GUILD_JOB, str(schedule.guild_id))
        if changed:
            log.info("Affirmations paused for a server (%s)", reason)
            if PAUSE_NOTICES[reason]:
                await self.notify_server(schedule, PAUSE_NOTICES[reason])
        return changed

    async def notify_server(self, schedule: GuildSchedule, template: str) -> None:
        """An admin notice: the notices channel, else the owner's DMs, else the system channel."""
        guild = self.bot.get_guild(schedule.guild_id)
        if guild is None:
            return
        text = template.format(
            server=guild.name,
            channel=f"<#{schedule.channel_id}>",
            setup=self.bot.command_mention("affirmations setup"),
            resume=self.bot.command_mention("affirmations resume"),
        )
        await notify_admins(
            self.bot,
            GuildSettingsRepository(self.bot.store),
            schedule.guild_id,
            text,
            avoid_channel_id=schedule.channel_id,
        )

    # -- posting to a member --------------------------------------------------------------------

    async def send_dm(
        self, user_id: int, local_date: date, *, late: bool
    ) -> tuple[Outcome, str | None]:
        drawn = await self.draw_for_member(user_id)
        embed = self.embed_for(drawn, local_date, late=late, personal=True)
        await self.bot.pacer.wait()
        try:
            dm = await self.bot.create_dm(discord.Object(user_id))
            await dm.send(embed=embed, allowed_mentions=discord.AllowedMentions.none())
        except (discord.Forbidden, discord.NotFound):
            async with self.bot.store.transaction() as conn:
                await self.repo.stop_dm(conn, user_id, "dms_closed", self.bot.clock.now())
                await self.bot.scheduler.remove_job(conn, DM_JOB, str(user_id))
            return "failed", "dms_closed"
        except discord.HTTPException as exc:
            return "failed", f"http_{exc.status}"
        return "done", None
