"""/affirmations: thin handlers. Each parses its input, calls the service (service.py) and turns
the outcome into words (messages.py, replies.py).

A little over 400 lines on purpose: one slash-command group (twelve subcommands and their
autocompletes) has to live in one Cog class; each handler is short and holds no rules."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.errors import UserFacingError
from bot.member_settings import resolve_timezone
from bot.timekeeping import (
    DaySet,
    canonical_timezone_name,
    day_set_suggestions,
    format_time,
    parse_time,
    timezone_suggestions,
)
from bot.ui import (
    POST_EMBEDS,
    can_post,
    choices,
    discord_timestamp,
    is_manager,
    require_manage_guild,
    safe_autocomplete,
)
from cogs.affirmations import logic
from cogs.affirmations import messages as say
from cogs.affirmations.content import AffirmationContent
from cogs.affirmations.jobs import DMJob, GuildPostJob
from cogs.affirmations.posting import Poster
from cogs.affirmations.privacy import AffirmationsPersonalData
from cogs.affirmations.replies import current_settings_text, next_stamps, status_text
from cogs.affirmations.repository import DM_JOB, GUILD_JOB, AffirmationRepository, GuildSchedule
from cogs.affirmations.service import AffirmationService
from cogs.affirmations.views import ListPageButton, list_page, page_count

if TYPE_CHECKING:
    from bot.app import Bot

log = logging.getLogger(__name__)

# Manage Server (read server-wide), checked on every admin subcommand. Not also set as the
# group's default_member_permissions: Discord applies that to a top-level command and every
# subcommand, which would hide /affirmations dm from the members it is for.
manager_only = require_manage_guild


def _require_guild(interaction: discord.Interaction[Bot]) -> discord.Guild:
    if interaction.guild is None:
        raise UserFacingError(say.SERVER_ONLY)
    return interaction.guild


@safe_autocomplete
async def timezone_autocomplete(
    interaction: discord.Interaction[Bot], current: str
) -> list[app_commands.Choice[str]]:
    return choices((zone, zone) for zone in timezone_suggestions(current))


class AffirmationsCog(commands.Cog):
    affirmations = app_commands.Group(name="affirmations", description=say.GROUP_DESCRIPTION)
    dm = app_commands.Group(
        name="dm", description="A personal affirmation by DM each day.", parent=affirmations
    )

    def __init__(self, bot: Bot) -> None:
        self.bot = bot
        self.repo = AffirmationRepository(bot.store)
        self.poster = Poster(bot, self.repo)
        self.service = AffirmationService(
            store=bot.store,
            clock=bot.clock,
            scheduler=bot.scheduler,
            repo=self.repo,
            poster=self.poster,
            bundled_texts=[a.text for a in AffirmationContent.of(bot.content).affirmations],
        )
        grace = int(bot.settings.feature("affirmation_grace_minutes"))
        self.guild_job = GuildPostJob(self.poster, grace)
        self.dm_job = DMJob(self.poster, grace)
        self.personal_data = AffirmationsPersonalData()

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(ListPageButton)
        self.bot.scheduler.register(self.guild_job)
        self.bot.scheduler.register(self.dm_job)
        # the per-day post log is kept as long as run history (REBOUND_RUN_HISTORY_DAYS)
        self.bot.scheduler.add_housekeeping(AffirmationRepository.prune_posts)
        self.bot.privacy.register(self.personal_data)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(ListPageButton)
        self.bot.scheduler.unregister(GUILD_JOB)
        self.bot.scheduler.unregister(DM_JOB)
        self.bot.scheduler.remove_housekeeping(AffirmationRepository.prune_posts)
        self.bot.privacy.unregister(self.personal_data.feature)

    def _say(self, template: str, **values: object) -> str:
        """A message with its command names as clickable mentions."""
        mention = self.bot.command_mention
        return template.format(
            setup=mention("affirmations setup"),
            resume=mention("affirmations resume"),
            now=mention("affirmations now"),
            list=mention("affirmations list"),
            add=mention("affirmations add"),
            on=mention("affirmations dm on"),
            off=mention("affirmations dm off"),
            **values,
        )

    async def _schedule_or_explain(self, guild: discord.Guild) -> GuildSchedule:
        schedule = await self.service.schedule(guild.id)
        if schedule is None:
            raise UserFacingError(self._say(say.NOT_SET_UP))
        return schedule

    async def _reply(self, interaction: discord.Interaction[Bot], text: str) -> None:
        await interaction.response.send_message(
            text, ephemeral=True, allowed_mentions=discord.AllowedMentions.none()
        )

    # -- server: setup and status ---------------------------------------------------------------

    @affirmations.command(
        name="setup",
        description="Choose where and when the morning affirmation is posted (or see it).",
    )
    @app_commands.describe(
        channel="The channel to post in (leave out to keep the current one)",
        time="Local time, 24-hour HH:MM, e.g. 08:00 (leave out to keep)",
        timezone="Your server's time zone, e.g. Europe/Berlin (start typing a city)",
        days="Which days: every day, weekdays, weekends, or a list like mon,wed,fri",
        role="A role to mention with each post (optional)",
        no_role="Stop mentioning a role",
    )
    @manager_only
    async def setup_command(
        self,
        interaction: discord.Interaction[Bot],
        channel: discord.TextChannel | None = None,
        time: str | None = None,
        timezone: str | None = None,
        days: str | None = None,
        role: discord.Role | None = None,
        no_role: bool = False,
    ) -> None:
        guild = _require_guild(interaction)
        current = await self.service.schedule(guild.id)
        if current is not None and not any((channel, time, timezone, days, role, no_role)):
            await self._reply(
                interaction,
                current_settings_text(
                    current, setup=self.bot.command_mention("affirmations setup")
                ),
            )
            return
        zone_text = timezone or (current.timezone if current else None)
        zone_text = zone_text or await self.service.default_timezone(guild.id)
        channel_id = channel.id if channel else (current.channel_id if current else None)
        if channel_id is None or zone_text is None or (time is None and current is None):
            raise UserFacingError(self._say(say.SETUP_NEEDS))
        if time is not None:
            local_time = parse_time(time)
        else:
            assert current is not None  # checked just above
            local_time = current.local_time
        zone_name = canonical_timezone_name(zone_text)
        day_set = DaySet.parse(days) if days else (current.days if current else DaySet.every_day())
        if role is not None and role.is_default():
            raise UserFacingError(say.EVERYONE_ROLE)
        role_id = None if no_role else (role.id if role else (current.role_id if current else None))
        target = guild.get_channel(channel_id)
        if not can_post(target, POST_EMBEDS):
            raise UserFacingError(say.CANNOT_POST_THERE.format(channel=f"<#{channel_id}>"))
        schedule = GuildSchedule(
            guild_id=guild.id,
            channel_id=channel_id,
            local_time=local_time,
            timezone=zone_name,
            days=day_set,
            role_id=role_id,
            paused=False,
            pause_reason=None,
            paused_at=None,
        )
        nxt = await self.service.save_schedule(schedule)
        text = say.SETUP_DONE.format(
            channel=f"<#{channel_id}>",
            time=format_time(local_time),
            zone=zone_name,
            days=day_set.describe(),
            **next_stamps(nxt),
        )
        mentionable = (
            role is None or role.mentionable or guild.me.guild_permissions.mention_everyone
        )
        if role is not None and not mentionable:
            text += say.ROLE_NOT_MENTIONABLE.format(role=role.mention)
        await self._reply(interaction, text)

    @setup_command.autocomplete("timezone")
    @safe_autocomplete
    async def _setup_zone_choices(
        self, interaction: discord.Interaction[Bot], current: str
    ) -> list[app_commands.Choice[str]]:
        zones = timezone_suggestions(current)
        schedule = await self.service.schedule(interaction.guild_id or 0)
        if schedule is not None and not current.strip():  # the current value first
            zones = [schedule.timezone, *(z for z in zones if z != schedule.timezone)]
        return choices((zone, zone) for zone in zones)

    @setup_command.autocomplete("days")
    @safe_autocomplete
    async def _days_choices(
        self, interaction: discord.Interaction[Bot], current: str
    ) -> list[app_commands.Choice[str]]:
        found = day_set_suggestions(current)
        schedule = await self.service.schedule(interaction.guild_id or 0)
        if schedule is not None and not current.strip():
            now = schedule.days.describe()
            found = [now, *(d for d in found if d != now)]
        return choices((days, days) for days in found)

    @affirmations.command(
        name="status", description="See the schedule, the next post, and whether it's paused."
    )
    async def status(self, interaction: discord.Interaction[Bot]) -> None:
        guild = _require_guild(interaction)
        schedule = await self._schedule_or_explain(guild)
        nxt = None if schedule.paused else await self.service.next_post(guild.id)
        text = status_text(
            schedule,
            nxt,
            await self.service.today_state(schedule),
            await self.repo.custom_count(guild.id),
            resume=self.bot.command_mention("affirmations resume"),
        )
        await self._reply(interaction, text)

    # -- server: pause, resume, preview, now ----------------------------------------------------

    @affirmations.command(
        name="pause", description="Pause the morning affirmation until you resume it."
    )
    @manager_only
    async def pause(self, interaction: discord.Interaction[Bot]) -> None:
        schedule = await self._schedule_or_explain(_require_guild(interaction))
        if schedule.paused:
            raise UserFacingError(self._say(say.ALREADY_PAUSED))
        await self.service.pause(schedule)
        await self._reply(interaction, self._say(say.PAUSED))

    @affirmations.command(name="resume", description="Start the morning affirmation again.")
    @manager_only
    async def resume(self, interaction: discord.Interaction[Bot]) -> None:
        schedule = await self._schedule_or_explain(_require_guild(interaction))
        if not schedule.paused:
            nxt = await self.service.running_next_post(schedule)
            raise UserFacingError(say.NOT_PAUSED.format(**next_stamps(nxt)))
        blocked = self.poster.blocker(schedule)
        if blocked == "channel_missing":
            raise UserFacingError(self._say(say.RESUME_CHANNEL_GONE))
        if blocked == "missing_permissions":
            raise UserFacingError(say.CANNOT_POST_THERE.format(channel=f"<#{schedule.channel_id}>"))
        nxt = await self.service.resume(schedule)
        await self._reply(interaction, say.RESUMED.format(**next_stamps(nxt)))

    @affirmations.command(
        name="preview", description="See exactly what the next post will be, privately."
    )
    @manager_only
    async def preview(self, interaction: discord.Interaction[Bot]) -> None:
        guild = _require_guild(interaction)
        schedule = await self.service.schedule(guild.id)
        day = await self.service.next_post_date(schedule)
        drawn = await self.service.preview(guild.id)
        embed = self.poster.embed_for(drawn, day, late=False, personal=False)
        note = say.PREVIEW_NOTE
        if schedule is None:
            note += say.PREVIEW_NOT_SET_UP
        elif schedule.role_id is not None:
            note += say.PREVIEW_ROLE.format(role=f"<@&{schedule.role_id}>")
        await interaction.response.send_message(
            note, embed=embed, ephemeral=True, allowed_mentions=discord.AllowedMentions.none()
        )

    @affirmations.command(
        name="now", description="Post today's affirmation right away (it counts as today's)."
    )
    @manager_only
    async def now(self, interaction: discord.Interaction[Bot]) -> None:
        schedule = await self._schedule_or_explain(_require_guild(interaction))
        channel = f"<#{schedule.channel_id}>"
        if await self.service.already_posted_today(schedule):
            raise UserFacingError(say.ALREADY_POSTED.format(channel=channel))
        await interaction.response.defer(ephemeral=True, thinking=True)
        result = await self.service.post_now(schedule)
        outcome, detail = result.outcome, result.detail
        if outcome == "done" and schedule.paused:
            text = self._say(say.POSTED_NOW_PAUSED, channel=channel)
        elif outcome == "done":
            nxt = await self.service.next_post(schedule.guild_id)
            upcoming = discord_timestamp(nxt.due_at, "F") if nxt else "—"
            text = say.POSTED_NOW.format(channel=channel, next_full=upcoming)
        elif outcome == "already_done":
            text = say.ALREADY_POSTED.format(channel=channel)
        elif outcome == "in_progress":
            text = say.NOW_IN_PROGRESS.format(channel=channel)
        elif outcome == "pending":
            text = say.NOW_WILL_RETRY.format(channel=channel)
        elif detail in say.PAUSE_REASONS:
            why = say.PAUSE_REASONS[detail].split("— ")[-1]
            text = say.POST_FAILED.format(channel=channel, why=why)
        else:  # a passing Discord error: nothing paused, today is still free to try again
            text = self._say(say.NOW_TRY_AGAIN, channel=channel)
        await interaction.followup.send(text, ephemeral=True)

    # -- server: its own affirmations -----------------------------------------------------------

    @affirmations.command(
        name="add", description="Add your server's own affirmation to the rotation."
    )
    @app_commands.describe(text="The affirmation, 10 to 300 characters")
    @manager_only
    async def add(self, interaction: discord.Interaction[Bot], text: str) -> None:
        outcome = await self.service.add_custom(_require_guild(interaction).id, text)
        if outcome == "duplicate":
            raise UserFacingError(say.DUPLICATE)
        if outcome == "too_many":
            raise UserFacingError(say.TOO_MANY)
        await self._reply(interaction, say.ADDED.format(number=outcome))

    @affirmations.command(
        name="remove", description="Remove one of your server's own affirmations."
    )
    @app_commands.describe(number="Which one (start typing to search)")
    @manager_only
    async def remove(self, interaction: discord.Interaction[Bot], number: int) -> None:
        removed = await self.service.remove_custom(_require_guild(interaction).id, number)
        if removed is None:
            raise UserFacingError(self._say(say.NO_SUCH_ITEM, number=number))
        flat = logic.one_line(removed)
        preview = flat if len(flat) <= 80 else flat[:79] + "…"
        await self._reply(interaction, say.REMOVED.format(number=number, preview=preview))

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
            label = f"#{item.number} · {logic.one_line(item.text)}"
            if not needle or needle in label.casefold():
                found.append((label, item.number))
        return choices(found)

    @affirmations.command(name="list", description="Page through your server's own affirmations.")
    @app_commands.describe(page="Which page to start on (10 per page)")
    @manager_only
    async def list_command(self, interaction: discord.Interaction[Bot], page: int = 1) -> None:
        items = await self.repo.custom(_require_guild(interaction).id)
        if not items:
            raise UserFacingError(self._say(say.LIST_EMPTY))
        pages = page_count(len(items))
        if not 1 <= page <= pages:
            raise UserFacingError(say.PAGE_OUT_OF_RANGE.format(pages=pages))
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
        timezone="Optional: defaults to your /timezone (else the server's zone, else UTC)",
    )
    async def dm_on(
        self, interaction: discord.Interaction[Bot], time: str, timezone: str | None = None
    ) -> None:
        local_time = parse_time(time)
        if timezone is None:
            # The member's one zone for the whole bot (see bot/member_settings.py).
            zone_name = (
                await resolve_timezone(self.bot.store, interaction.user.id, interaction.guild_id)
            ).name
        else:
            zone_name = canonical_timezone_name(timezone)
        # No test DM here: a member's DMs are only tried at delivery time. If they are closed
        # then, the DMs stop after that one failure and the member is told on their next command.
        nxt = await self.service.dm_on(interaction.user.id, local_time, zone_name)
        where = say.DM_ON_FROM_DMS if interaction.guild is None else say.DM_ON_FROM_SERVER
        text = self._say(
            say.DM_ON,
            time=format_time(local_time),
            zone=zone_name,
            next_full=discord_timestamp(nxt.due_at, "F"),
            where=where,
        )
        await self._reply(interaction, text)

    dm_on.autocomplete("timezone")(timezone_autocomplete)

    @dm.command(name="off", description="Stop your personal affirmation DMs.")
    async def dm_off(self, interaction: discord.Interaction[Bot]) -> None:
        stopped = await self.service.dm_off(interaction.user.id)
        await self._reply(interaction, self._say(say.DM_OFF) if stopped else say.DM_NOT_ON)

    @dm.command(name="status", description="See your affirmation DM time, zone and next one.")
    async def dm_status(self, interaction: discord.Interaction[Bot]) -> None:
        subscription, nxt = await self.service.dm_status(interaction.user.id)
        if subscription is None or not subscription.active or nxt is None:
            closed = subscription is not None and subscription.stopped_reason == "dms_closed"
            await self._reply(
                interaction, self._say(say.DM_STATUS_STOPPED if closed else say.DM_STATUS_OFF)
            )
            return
        text = self._say(
            say.DM_STATUS_ON,
            time=format_time(subscription.local_time),
            zone=subscription.timezone,
            **next_stamps(nxt),
        )
        await self._reply(interaction, text)

    # -- events ---------------------------------------------------------------------------------

    @commands.Cog.listener()
    async def on_app_command_completion(
        self, interaction: discord.Interaction[Bot], command: object
    ) -> None:
        """Tell a member, once, that their affirmation DMs stopped because DMs were closed."""
        if await self.repo.take_dm_notice(interaction.user.id):
            try:
                await interaction.followup.send(self._say(say.DM_STOPPED_NOTICE), ephemeral=True)
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
