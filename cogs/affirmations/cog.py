"""/affirmations: thin handlers that parse, call the logic and repository, and render."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, TypeVar

import aiosqlite
import discord
from discord import app_commands
from discord.ext import commands

from bot.errors import UserFacingError
from bot.scheduling import Occurrence, from_epoch
from bot.timekeeping import (
    DaySet,
    LocalSchedule,
    canonical_timezone_name,
    day_set_suggestions,
    local_today,
    parse_time,
    timezone_suggestions,
)
from bot.ui import choices, is_manager, require_manage_guild, safe_autocomplete
from cogs.affirmations import logic
from cogs.affirmations.content import AffirmationContent
from cogs.affirmations.jobs import DMJob, GuildPostJob, make_rule
from cogs.affirmations.posting import Poster
from cogs.affirmations.privacy import AffirmationsPersonalData
from cogs.affirmations.repository import (
    DM_JOB,
    GUILD_JOB,
    AffirmationRepository,
    GuildSchedule,
)
from cogs.affirmations.views import ListPageButton, list_page, page_count

if TYPE_CHECKING:
    from bot.app import Bot

log = logging.getLogger(__name__)
T = TypeVar("T")

MAX_CUSTOM_PER_SERVER = 200

# -- what members read ----------------------------------------------------------------------------
GROUP_DESCRIPTION = "A morning affirmation for this server, and one by DM for you."
SERVER_ONLY = "That part of /affirmations works inside a server."
NOT_SET_UP = (
    "Affirmations aren’t set up here yet — someone with Manage Server can run /affirmations setup."
)
SETUP_DONE = (
    "All set. I’ll post in {channel} at **{time}** ({zone}), {days}.\n"
    "Next post: {next_full} ({next_rel})."
)
ROLE_NOT_MENTIONABLE = (
    "\nNote: {role} isn’t mentionable yet, so the ping won’t reach anyone. Turn on "
    "“Allow anyone to @mention this role” in Server Settings → Roles."
)
CANNOT_POST_THERE = (
    "I can’t post in {channel} yet — I need View Channel, Send Messages and Embed Links there. "
    "Nothing was changed."
)
EVERYONE_ROLE = (
    "Please pick a specific role to mention — pinging everyone each morning would be a lot."
)
PAUSED = "Paused. No posts until someone runs /affirmations resume."
ALREADY_PAUSED = "They’re already paused. /affirmations resume starts them again."
RESUMED = "Back on. Next post: {next_full} ({next_rel})."
NOT_PAUSED = "They’re already running. Next post: {next_full} ({next_rel})."
RESUME_CHANNEL_GONE = (
    "The channel I was posting in is gone. Pick a new one with /affirmations setup."
)
POSTED_NOW = (
    "Posted today’s affirmation in {channel}. It counts as today’s, so there’s no second one later."
)
ALREADY_POSTED = "Today’s affirmation is already up in {channel} — a fresh one comes tomorrow."
POST_FAILED = "I couldn’t post in {channel} ({why}). The schedule is paused until that’s fixed."
NOW_TRY_AGAIN = (
    "Discord didn’t take the post in {channel} just now. Nothing is paused — "
    "try /affirmations now again in a minute."
)
NOW_IN_PROGRESS = (
    "Today’s affirmation for {channel} is being sent right now — it will be there in a moment."
)
NOW_WILL_RETRY = (
    "Discord didn’t take the post in {channel} just now. Nothing is paused — I’ll keep trying "
    "for a while, and it counts as today’s once it’s up."
)
PREVIEW_NOTE = "A preview, only for you — nothing was posted."
ADDED = (
    "Added #{number} to this server’s affirmations. It joins the rotation before the deck runs out."
)
DUPLICATE = "That one is already in the rotation, so I didn’t add it twice."
TOO_MANY = (
    f"This server already has {MAX_CUSTOM_PER_SERVER} of its own affirmations — remove one first."
)
REMOVED = "Removed #{number}: “{preview}”."
NO_SUCH_ITEM = (
    "I couldn’t find #{number} among this server’s own affirmations. /affirmations list shows them."
)
LIST_EMPTY = (
    "This server hasn’t added its own affirmations yet. /affirmations add puts one in the rotation."
)
PAGE_OUT_OF_RANGE = "There are only {pages} page(s). Try page 1 to {pages}."
DM_ON = (
    "You’re set: a personal affirmation by DM every day at **{time}** ({zone}). First one: "
    "{next_full}. They need DMs from this server’s members to be open (Privacy Settings). "
    "/affirmations dm off stops them anytime."
)
DM_OFF = (
    "Done — no more affirmation DMs. Take care of yourself; /affirmations dm on brings them back."
)
DM_NOT_ON = "Affirmation DMs aren’t on for you, so there was nothing to stop."
DM_STOPPED_NOTICE = (
    "A small heads-up: I couldn’t deliver your affirmation DM (your DMs seem closed), so I’ve "
    "stopped them. /affirmations dm on starts them again whenever you like."
)
STATUS_TITLE = "**Morning affirmations**"
STATUS_SENDING = "Today: being sent (Discord was slow to answer; it goes out within the hour)"
STATUS_NEXT_PAUSED = "Next post: none while paused — /affirmations resume starts it again."
PAUSE_REASONS = {
    "by_admin": "paused by someone with Manage Server",
    "channel_missing": "paused — the channel was deleted or I can no longer see it",
    "missing_permissions": "paused — I’m missing permission to post in the channel",
    "bot_removed": "paused — Rebound was removed from the server",
}


def _stamp(instant: datetime, style: str) -> str:
    return discord.utils.format_dt(instant, style=style)  # type: ignore[arg-type]


def _require_guild(interaction: discord.Interaction[Bot]) -> discord.Guild:
    if interaction.guild is None:
        raise UserFacingError(SERVER_ONLY)
    return interaction.guild


# Manage Server (read server-wide), checked on every admin subcommand. Not also set as the
# group's default_member_permissions: Discord applies that to a top-level command and every
# subcommand, which would hide /affirmations dm from the members it is for.
manager_only = require_manage_guild


@safe_autocomplete
async def timezone_autocomplete(
    interaction: discord.Interaction[Bot], current: str
) -> list[app_commands.Choice[str]]:
    return choices((zone, zone) for zone in timezone_suggestions(current))


def parsed(func: Callable[[str], T], text: str) -> T:
    """Run a logic parser; its friendly InvalidInput becomes the member's error message."""
    try:
        return func(text)
    except logic.InvalidInput as exc:
        raise UserFacingError(str(exc)) from None


class AffirmationsCog(commands.Cog):
    affirmations = app_commands.Group(name="affirmations", description=GROUP_DESCRIPTION)
    dm = app_commands.Group(
        name="dm", description="A personal affirmation by DM each day.", parent=affirmations
    )

    def __init__(self, bot: Bot) -> None:
        self.bot = bot
        self.repo = AffirmationRepository(bot.store)
        self.poster = Poster(bot, self.repo)
        grace = bot.settings.affirmation_grace_minutes
        self.guild_job = GuildPostJob(self.poster, self.repo, grace)
        self.dm_job = DMJob(self.poster, self.repo, grace)
        self.personal_data = AffirmationsPersonalData()
        # Duplicate keys of the bundled affirmations, so /affirmations add refuses a copy.
        self._bundled_keys = frozenset(
            logic.normalize_for_duplicate_check(a.text)
            for a in AffirmationContent.of(bot.content).affirmations
        )

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(ListPageButton)
        self.bot.scheduler.register(self.guild_job)
        self.bot.scheduler.register(self.dm_job)
        self.bot.privacy.register(self.personal_data)
        self.bot.scheduler.add_housekeeping(self.repo.prune_posts)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(ListPageButton)
        self.bot.scheduler.unregister(GUILD_JOB)
        self.bot.scheduler.unregister(DM_JOB)
        self.bot.privacy.unregister(self.personal_data.feature)

    async def _schedule_next(
        self, conn: aiosqlite.Connection, schedule: GuildSchedule
    ) -> Occurrence | None:
        """(Re)create the server's job from its schedule, inside the caller's transaction."""
        return await self.bot.scheduler.put_job(
            conn, GUILD_JOB, str(schedule.guild_id), make_rule(schedule.post_schedule())
        )

    async def _schedule_or_explain(self, guild: discord.Guild) -> GuildSchedule:
        schedule = await self.repo.schedule(guild.id)
        if schedule is None:
            raise UserFacingError(NOT_SET_UP)
        return schedule

    # -- server: setup and status ---------------------------------------------------------------

    @affirmations.command(
        name="setup", description="Choose where and when the morning affirmation is posted."
    )
    @app_commands.describe(
        channel="The channel to post in",
        time="Local time, 24-hour HH:MM, e.g. 08:00",
        timezone="Your server's time zone, e.g. Europe/Berlin (start typing a city)",
        days="Which days: every day, weekdays, weekends, or a list like mon,wed,fri",
        role="A role to mention with each post (optional)",
    )
    @manager_only
    async def setup_command(
        self,
        interaction: discord.Interaction[Bot],
        channel: discord.TextChannel,
        time: str,
        timezone: str,
        days: str | None = None,
        role: discord.Role | None = None,
    ) -> None:
        guild = _require_guild(interaction)
        local_time = parsed(parse_time, time)
        zone_name = parsed(canonical_timezone_name, timezone)
        day_set = parsed(DaySet.parse, days) if days else DaySet.every_day()
        if role is not None and role.is_default():
            raise UserFacingError(EVERYONE_ROLE)
        perms = channel.permissions_for(guild.me)
        if not (perms.view_channel and perms.send_messages and perms.embed_links):
            raise UserFacingError(CANNOT_POST_THERE.format(channel=channel.mention))

        now = self.bot.clock.now()
        schedule = GuildSchedule(
            guild_id=guild.id,
            channel_id=channel.id,
            local_time=local_time,
            timezone=zone_name,
            days=day_set,
            role_id=role.id if role else None,
            paused=False,
            pause_reason=None,
            paused_at=None,
        )
        async with self.bot.store.transaction() as conn:
            await self.repo.save_schedule(conn, schedule, now)
            nxt = await self._schedule_next(conn, schedule)
        assert nxt is not None
        text = SETUP_DONE.format(
            channel=channel.mention,
            time=local_time.strftime("%H:%M"),
            zone=zone_name,
            days=day_set.describe(),
            next_full=_stamp(nxt.due_at, "F"),
            next_rel=_stamp(nxt.due_at, "R"),
        )
        if (
            role is not None
            and not role.mentionable
            and not guild.me.guild_permissions.mention_everyone
        ):
            text += ROLE_NOT_MENTIONABLE.format(role=role.mention)
        await interaction.response.send_message(text, ephemeral=True)

    setup_command.autocomplete("timezone")(timezone_autocomplete)

    @setup_command.autocomplete("days")
    @safe_autocomplete
    async def _days_choices(
        self, interaction: discord.Interaction[Bot], current: str
    ) -> list[app_commands.Choice[str]]:
        return choices((days, days) for days in day_set_suggestions(current))

    @affirmations.command(
        name="status", description="See the schedule, the next post, and whether it's paused."
    )
    async def status(self, interaction: discord.Interaction[Bot]) -> None:
        guild = _require_guild(interaction)
        schedule = await self._schedule_or_explain(guild)
        lines = [
            STATUS_TITLE,
            f"Channel: <#{schedule.channel_id}>",
            f"Time: {schedule.local_time:%H:%M} ({schedule.timezone}), {schedule.days.describe()}",
        ]
        if schedule.role_id:
            lines.append(f"Mentions: <@&{schedule.role_id}>")
        if schedule.paused:
            reason = PAUSE_REASONS.get(schedule.pause_reason or "", "paused")
            since = f" (since {_stamp(schedule.paused_at, 'f')})" if schedule.paused_at else ""
            lines.append(f"State: ⏸️ {reason[:1].upper()}{reason[1:]}{since}.")
            lines.append(STATUS_NEXT_PAUSED)
        else:
            lines.append("State: ▶️ Running")
            nxt = await self.bot.scheduler.next_run(GUILD_JOB, str(guild.id))
            if nxt is not None:
                lines.append(f"Next post: {_stamp(nxt.due_at, 'F')} ({_stamp(nxt.due_at, 'R')})")
        today = local_today(self.bot.clock.now(), schedule.timezone).isoformat()
        posted = await self.repo.post_on(guild.id, today)
        if posted:
            lines.append(f"Today: posted at {_stamp(from_epoch(posted['posted_at']), 't')}")
        elif await self.bot.scheduler.run_state(GUILD_JOB, str(guild.id), today) != "not_done":
            lines.append(STATUS_SENDING)
        else:
            lines.append("Today: not posted yet")
        lines.append(f"This server’s own affirmations: {await self.repo.custom_count(guild.id)}")
        await interaction.response.send_message("\n".join(lines), ephemeral=True)

    # -- server: pause, resume, preview, now ----------------------------------------------------

    @affirmations.command(
        name="pause", description="Pause the morning affirmation until you resume it."
    )
    @manager_only
    async def pause(self, interaction: discord.Interaction[Bot]) -> None:
        guild = _require_guild(interaction)
        schedule = await self._schedule_or_explain(guild)
        if schedule.paused:
            raise UserFacingError(ALREADY_PAUSED)
        await self.poster.pause(schedule, "by_admin")
        await interaction.response.send_message(PAUSED, ephemeral=True)

    @affirmations.command(name="resume", description="Start the morning affirmation again.")
    @manager_only
    async def resume(self, interaction: discord.Interaction[Bot]) -> None:
        guild = _require_guild(interaction)
        schedule = await self._schedule_or_explain(guild)
        if not schedule.paused:
            nxt = await self.bot.scheduler.next_run(GUILD_JOB, str(guild.id))
            if nxt is None:  # running but unscheduled cannot normally happen; repair it
                async with self.bot.store.transaction() as conn:
                    nxt = await self._schedule_next(conn, schedule)
            assert nxt is not None
            raise UserFacingError(
                NOT_PAUSED.format(
                    next_full=_stamp(nxt.due_at, "F"), next_rel=_stamp(nxt.due_at, "R")
                )
            )
        blocked = self.poster.blocker(schedule)
        if blocked == "channel_missing":
            raise UserFacingError(RESUME_CHANNEL_GONE)
        if blocked == "missing_permissions":
            raise UserFacingError(CANNOT_POST_THERE.format(channel=f"<#{schedule.channel_id}>"))
        async with self.bot.store.transaction() as conn:
            await self.repo.resume(conn, guild.id, self.bot.clock.now())
            nxt = await self._schedule_next(conn, schedule)
        assert nxt is not None
        await interaction.response.send_message(
            RESUMED.format(next_full=_stamp(nxt.due_at, "F"), next_rel=_stamp(nxt.due_at, "R")),
            ephemeral=True,
        )

    @affirmations.command(
        name="preview", description="See what a post looks like, privately. Changes nothing."
    )
    @manager_only
    async def preview(self, interaction: discord.Interaction[Bot]) -> None:
        guild = _require_guild(interaction)
        schedule = await self.repo.schedule(guild.id)
        zone = schedule.timezone if schedule else "UTC"
        today = local_today(self.bot.clock.now(), zone)
        drawn = await self.poster.peek_for_guild(guild.id)
        embed = self.poster.embed_for(drawn, today, late=False, personal=False)
        await interaction.response.send_message(PREVIEW_NOTE, embed=embed, ephemeral=True)

    @affirmations.command(
        name="now", description="Post today's affirmation right away (it counts as today's)."
    )
    @manager_only
    async def now(self, interaction: discord.Interaction[Bot]) -> None:
        guild = _require_guild(interaction)
        schedule = await self._schedule_or_explain(guild)
        today = local_today(self.bot.clock.now(), schedule.timezone)
        channel = f"<#{schedule.channel_id}>"
        key, occurrence = str(guild.id), today.isoformat()
        if await self.bot.scheduler.run_state(GUILD_JOB, key, occurrence) == "done":
            raise UserFacingError(ALREADY_POSTED.format(channel=channel))
        await interaction.response.defer(ephemeral=True, thinking=True)
        # The scheduler's own claim/run/record path, with the day's nonce: if a post for today
        # already reached Discord (a crash before it was recorded), Discord returns that one.
        result = await self.bot.scheduler.run_now(GUILD_JOB, key, occurrence)
        outcome, detail = result.outcome, result.detail
        if outcome == "done":
            text = POSTED_NOW.format(channel=channel)
        elif outcome == "already_done":
            text = ALREADY_POSTED.format(channel=channel)
        elif outcome == "in_progress":
            text = NOW_IN_PROGRESS.format(channel=channel)
        elif outcome == "pending":
            text = NOW_WILL_RETRY.format(channel=channel)
        elif detail in PAUSE_REASONS:
            why = PAUSE_REASONS[detail].split("— ")[-1]
            text = POST_FAILED.format(channel=channel, why=why)
        else:  # a passing Discord error: nothing paused, today is still free to try again
            text = NOW_TRY_AGAIN.format(channel=channel)
        await interaction.followup.send(text, ephemeral=True)

    # -- server: its own affirmations -----------------------------------------------------------

    @affirmations.command(
        name="add", description="Add your server's own affirmation to the rotation."
    )
    @app_commands.describe(text="The affirmation, 10 to 300 characters")
    @manager_only
    async def add(self, interaction: discord.Interaction[Bot], text: str) -> None:
        guild = _require_guild(interaction)
        cleaned = parsed(logic.validate_custom_text, text)
        normalized = logic.normalize_for_duplicate_check(cleaned)
        if normalized in self._bundled_keys:
            raise UserFacingError(DUPLICATE)
        async with self.bot.store.transaction() as conn:
            count, duplicate = await self.repo.custom_stats(conn, guild.id, normalized)
            if duplicate:
                raise UserFacingError(DUPLICATE)
            if count >= MAX_CUSTOM_PER_SERVER:
                raise UserFacingError(TOO_MANY)
            number = await self.repo.add_custom(
                conn, guild.id, cleaned, normalized, self.bot.clock.now()
            )
        await interaction.response.send_message(ADDED.format(number=number), ephemeral=True)

    @affirmations.command(
        name="remove", description="Remove one of your server's own affirmations."
    )
    @app_commands.describe(number="Which one (start typing to search)")
    @manager_only
    async def remove(self, interaction: discord.Interaction[Bot], number: int) -> None:
        guild = _require_guild(interaction)
        async with self.bot.store.transaction() as conn:
            removed = await self.repo.remove_custom(conn, guild.id, number)
        if removed is None:
            raise UserFacingError(NO_SUCH_ITEM.format(number=number))
        preview = removed if len(removed) <= 80 else removed[:79] + "…"
        await interaction.response.send_message(
            REMOVED.format(number=number, preview=preview),
            ephemeral=True,
            allowed_mentions=discord.AllowedMentions.none(),
        )

    @remove.autocomplete("number")
    @safe_autocomplete
    async def _custom_choices(
        self, interaction: discord.Interaction[Bot], current: str
    ) -> list[app_commands.Choice[int]]:
        # The server's own affirmations are for its admins: nobody else gets them, not even
        # through autocomplete (Discord sends it to anyone who can see the command).
        if interaction.guild is None or not is_manager(interaction):
            return []
        needle = current.strip().lstrip("#").casefold()
        found = []
        for item in await self.repo.custom(interaction.guild.id):
            label = f"#{item.id} · {logic.one_line(item.text)}"
            if not needle or needle in label.casefold():
                found.append((label, item.id))
        return choices(found)

    @affirmations.command(name="list", description="Page through your server's own affirmations.")
    @app_commands.describe(page="Which page to start on (10 per page)")
    @manager_only
    async def list_command(self, interaction: discord.Interaction[Bot], page: int = 1) -> None:
        guild = _require_guild(interaction)
        items = await self.repo.custom(guild.id)
        if not items:
            raise UserFacingError(LIST_EMPTY)
        pages = page_count(len(items))
        if not 1 <= page <= pages:
            raise UserFacingError(PAGE_OUT_OF_RANGE.format(pages=pages))
        embed, view = list_page(items, page)
        if view is None:
            await interaction.response.send_message(embed=embed, ephemeral=True)
        else:
            await interaction.response.send_message(embed=embed, view=view, ephemeral=True)

    # -- a member's own DMs ---------------------------------------------------------------------

    @dm.command(
        name="on", description="Get a personal affirmation by DM each day at your own time."
    )
    @app_commands.describe(
        time="Your local time, 24-hour HH:MM, e.g. 07:30",
        timezone="Your time zone, e.g. America/New_York (start typing a city)",
    )
    async def dm_on(self, interaction: discord.Interaction[Bot], time: str, timezone: str) -> None:
        local_time = parsed(parse_time, time)
        zone_name = parsed(canonical_timezone_name, timezone)
        # No test DM here: a member's DMs are only tried at delivery time. If they are closed
        # then, the DMs stop after that one failure and the member is told on their next command.
        schedule = LocalSchedule.build(local_time, zone_name, DaySet.every_day())
        async with self.bot.store.transaction() as conn:
            await self.repo.subscribe_dm(
                conn, interaction.user.id, local_time, zone_name, self.bot.clock.now()
            )
            nxt = await self.bot.scheduler.put_job(
                conn, DM_JOB, str(interaction.user.id), make_rule(schedule)
            )
        assert nxt is not None
        await interaction.response.send_message(
            DM_ON.format(
                time=local_time.strftime("%H:%M"), zone=zone_name, next_full=_stamp(nxt.due_at, "F")
            ),
            ephemeral=True,
        )

    dm_on.autocomplete("timezone")(timezone_autocomplete)

    @dm.command(name="off", description="Stop your personal affirmation DMs.")
    async def dm_off(self, interaction: discord.Interaction[Bot]) -> None:
        async with self.bot.store.transaction() as conn:
            stopped = await self.repo.stop_dm(
                conn, interaction.user.id, "by_member", self.bot.clock.now()
            )
            await self.bot.scheduler.remove_job(conn, DM_JOB, str(interaction.user.id))
        await interaction.response.send_message(DM_OFF if stopped else DM_NOT_ON, ephemeral=True)

    # -- events ---------------------------------------------------------------------------------

    @commands.Cog.listener()
    async def on_app_command_completion(
        self,
        interaction: discord.Interaction[Bot],
        command: object,
    ) -> None:
        """Tell a member, once, that their affirmation DMs stopped because DMs were closed."""
        if await self.repo.take_dm_notice(interaction.user.id):
            try:
                await interaction.followup.send(DM_STOPPED_NOTICE, ephemeral=True)
            except discord.HTTPException as exc:
                log.info("Could not deliver the DM-stopped notice (HTTP %s)", exc.status)

    @commands.Cog.listener()
    async def on_guild_channel_delete(self, channel: discord.abc.GuildChannel) -> None:
        schedule = await self.repo.schedule(channel.guild.id)
        if schedule is not None and schedule.channel_id == channel.id and not schedule.paused:
            await self.poster.pause(schedule, "channel_missing")

    @commands.Cog.listener()
    async def on_guild_remove(self, guild: discord.Guild) -> None:
        schedule = await self.repo.schedule(guild.id)
        if schedule is not None and not schedule.paused:
            await self.poster.pause(schedule, "bot_removed")
