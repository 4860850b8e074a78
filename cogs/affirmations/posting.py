"""Posting affirmations: to a server's channel and to a member's DMs, and what happens when
Discord says no. Used by the scheduled jobs and by /affirmations now."""

from __future__ import annotations

import logging
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

import discord

from bot.db import Connection
from bot.deps import ServiceDeps, WithDeps
from bot.guild_settings import GuildSettingsRepository
from bot.notices import notify_admins
from bot.scheduling import RunOutcome, make_nonce
from bot.sending import FailureReason, PermanentFailure
from bot.ui import POST_EMBEDS, can_post
from cogs.affirmations.content import AffirmationContent
from cogs.affirmations.logic import Deck, arrange, draw
from cogs.affirmations.messages import PAUSE_NOTICES
from cogs.affirmations.render import action_line, affirmation_embed
from cogs.affirmations.repository import (
    DM_JOB,
    GUILD_JOB,
    AffirmationRepository,
    DMSubscription,
    GuildSchedule,
    PauseReason,
    dm_owner,
    guild_owner,
)

log = logging.getLogger(__name__)

# A post more than this late says so in its footer.
LATE_AFTER = timedelta(minutes=5)

# Which of Discord's permanent refusals pauses a server's schedule, and as what.
PAUSE_FOR: dict[FailureReason, PauseReason] = {
    "unknown_channel": "channel_missing",
    "missing_access": "missing_permissions",
    "missing_permissions": "missing_permissions",
}


@dataclass(frozen=True, slots=True)
class Drawn:
    item_id: str
    text: str


@dataclass(frozen=True, slots=True)
class Card:
    """A card drawn for a post, and the deck after it: stored only with the post's record, so
    a post that fails (or a crash before it is recorded) leaves the deck as it was and the
    re-send draws the same card."""

    drawn: Drawn
    owner: str
    deck: Deck


class Poster(WithDeps):
    """Built from the core's narrow dependencies, never the Bot: ``command_mention`` makes a
    clickable command mention and ``has_command`` says whether a top-level command is installed
    (both are the Bot's, handed over as plain functions by the cog)."""

    def __init__(
        self,
        deps: ServiceDeps,
        repo: AffirmationRepository,
        content: AffirmationContent,
        *,
        command_mention: Callable[[str], str],
        has_command: Callable[[str], bool],
    ) -> None:
        super().__init__(deps)
        self.repo = repo
        self.rng = random.Random()
        self.content = content
        self.command_mention = command_mention
        self.has_command = has_command
        self._bundled_ids = tuple(a.id for a in self.content.affirmations)

    # -- choosing what to post ------------------------------------------------------------------

    async def prepare_guild_post(
        self, guild_id: int, *, manual: bool
    ) -> tuple[GuildSchedule | None, Card | None]:
        """The server's schedule and, unless there is none or it is paused (a manual post
        goes out anyway), the card for today: one read on SQLite's thread."""
        return await self.store.run_read(self.guild_post_in, guild_id, manual)

    async def guild_post_in(
        self, conn: Connection, guild_id: int, manual: bool
    ) -> tuple[GuildSchedule | None, Card | None]:
        """prepare_guild_post's read, one transaction (also run in the scheduler's claim)."""
        schedule = await self.repo.schedule_in(conn, guild_id)
        if schedule is None or (schedule.paused and not manual):
            return schedule, None
        return schedule, await self._draw_in(conn, guild_owner(guild_id), guild_id)

    async def prepare_dm(self, user_id: int) -> tuple[DMSubscription | None, Card | None]:
        """The member's subscription and, when it is active, the card for today."""
        return await self.store.run_read(self.dm_in, user_id)

    async def dm_in(
        self, conn: Connection, user_id: int
    ) -> tuple[DMSubscription | None, Card | None]:
        """prepare_dm's read, one transaction (also run in the scheduler's claim)."""
        subscription = await self.repo.dm_subscription_in(conn, user_id)
        if subscription is None or not subscription.active:
            return subscription, None
        return subscription, await self._draw_in(conn, dm_owner(user_id), None)

    async def _draw_in(self, conn: Connection, owner: str, guild_id: int | None) -> Card | None:
        """Read the pool and the deck and draw (nothing is written: see Card)."""
        custom = {} if guild_id is None else await self._custom(conn, guild_id)
        deck = await self.repo.deck_in(conn, owner)
        item_id, deck = draw(deck, [*self._bundled_ids, *custom], self.rng)
        if not item_id:
            return None
        return Card(Drawn(item_id, self._text(item_id, custom)), owner, deck)

    async def peek_for_guild(self, guild_id: int) -> Drawn:
        """What the next post will use, without consuming it (for /affirmations preview): the
        deck is arranged and stored, so the next draw takes exactly this card."""
        first, custom = await self.store.run(self._peek_in, guild_id)
        return Drawn(first, self._text(first, custom))

    async def _peek_in(self, conn: Connection, guild_id: int) -> tuple[str, dict[str, str]]:
        custom = await self._custom(conn, guild_id)
        owner = guild_owner(guild_id)
        deck = await self.repo.deck_in(conn, owner)
        ready = arrange(deck, [*self._bundled_ids, *custom], self.rng)
        await self.repo.save_deck_in(conn, owner, ready)
        return ready.remaining[0], custom

    async def _custom(self, conn: Connection, guild_id: int) -> dict[str, str]:
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
            action=action_line(step, self._mention_for, personal=personal),
            late=late,
            personal=personal,
        )

    def _mention_for(self, feature: str, command: str) -> str | None:
        """A clickable mention when the feature's command is installed in this bot."""
        if not self.has_command(command.split(" ", 1)[0]):
            return None
        return self.command_mention(command)

    # -- posting to a server --------------------------------------------------------------------

    def blocker(self, schedule: GuildSchedule) -> PauseReason | None:
        """What the cache already says would make a post fail, so no doomed request is sent.

        A server Discord reports unavailable (an outage) knows no channels yet: that is no
        reason to pause, so it reads as "nothing known" here; the sender waits for it."""
        guild = self.client.get_guild(schedule.guild_id)
        if guild is None or guild.unavailable:
            return None  # not cached (yet): let Discord answer
        channel = guild.get_channel(schedule.channel_id)
        if channel is None:
            return "channel_missing"
        if isinstance(channel, discord.abc.GuildChannel) and not can_post(channel, POST_EMBEDS):
            return "missing_permissions"
        return None

    async def post_to_guild(
        self,
        schedule: GuildSchedule,
        card: Card,
        local_date: date,
        *,
        nonce: str,
        source: Literal["schedule", "now"],
        late: bool = False,
    ) -> RunOutcome:
        """Post the day's affirmation once. Raises RetryLater for a passing problem (the
        scheduler tries again with the same nonce, so Discord cannot show it twice)."""
        blocked = self.blocker(schedule)
        if blocked is not None:
            await self.pause(schedule, blocked)
            return "skipped", blocked
        drawn = card.drawn
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
        try:
            message = await self.sender.send(
                schedule.channel_id,
                nonce=nonce,
                guild_id=schedule.guild_id,
                content=content,
                embed=embed,
                allowed_mentions=mentions,
            )
        except PermanentFailure as failure:
            reason = PAUSE_FOR.get(failure.reason)
            if reason is None:  # Discord rejected the request itself: a bug, not a pause
                log.warning("Affirmation post refused (HTTP %s %s)", failure.status, failure.code)
                return "failed", failure.reason
            await self.pause(schedule, reason)
            return "failed", reason
        now = self.clock.now()

        async def record(conn: Connection) -> None:
            """The deck and the post log, stored with the run's outcome (one transaction)."""
            await self.repo.save_deck_in(conn, card.owner, card.deck)
            await self.repo.record_post_in(
                conn,
                schedule.guild_id,
                local_date.isoformat(),
                drawn.item_id,
                schedule.channel_id,
                message.id,
                now,
                source,
            )

        return "done", None, record

    async def pause(self, schedule: GuildSchedule, reason: PauseReason) -> bool:
        """Pause and stop the job; tell the server once, on the change from running."""
        now = self.clock.now()
        async with self.store.transaction() as conn:
            changed = await self.repo.pause(conn, schedule.guild_id, reason, now)
            await self.scheduler.remove_job(conn, GUILD_JOB, str(schedule.guild_id))
        if changed:
            log.info("Affirmations paused for a server (%s)", reason)
            if PAUSE_NOTICES[reason]:
                nonce = make_nonce("affirmations.pause", str(schedule.guild_id), str(now))
                await self.notify_server(schedule, PAUSE_NOTICES[reason], nonce=nonce)
        return changed

    async def notify_server(self, schedule: GuildSchedule, template: str, *, nonce: str) -> None:
        """An admin notice (bot/notices.py): the notices channel, else the owner's DMs, else the
        system channel; paced like every scheduled send, one attempt each."""
        guild = self.client.get_guild(schedule.guild_id)
        if guild is None:
            return
        text = template.format(
            server=guild.name,
            channel=f"<#{schedule.channel_id}>",
            setup=self.command_mention("affirmations setup"),
            resume=self.command_mention("affirmations resume"),
        )
        await notify_admins(
            self.client,
            GuildSettingsRepository(self.store),
            self.sender,
            schedule.guild_id,
            text,
            nonce=nonce,
            avoid_channel_id=schedule.channel_id,
        )

    # -- posting to a member --------------------------------------------------------------------

    async def send_dm(
        self,
        subscription: DMSubscription,
        card: Card,
        local_date: date,
        *,
        nonce: str,
        late: bool,
    ) -> RunOutcome:
        embed = self.embed_for(card.drawn, local_date, late=late, personal=True)
        try:
            message = await self.sender.send_dm(
                subscription.user_id,
                nonce=nonce,
                channel_id=subscription.dm_channel_id,
                embed=embed,
            )
        except PermanentFailure as failure:
            if failure.reason == "rejected":
                return "failed", failure.reason
            async with self.store.transaction() as conn:
                await self.repo.stop_dm(conn, subscription.user_id, "dms_closed", self.clock.now())
                await self.scheduler.remove_job(conn, DM_JOB, str(subscription.user_id))
            return "failed", "dms_closed"
        opened = message.channel_id if message.channel_id != subscription.dm_channel_id else None

        async def record(conn: Connection) -> None:
            """The deck (and a newly opened DM channel), stored with the run's outcome."""
            await self.repo.save_deck_in(conn, card.owner, card.deck)
            if opened is not None:
                await self.repo.save_dm_channel_in(conn, subscription.user_id, opened)

        return "done", None, record
