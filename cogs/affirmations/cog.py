"""/affirmations: thin handlers. Each parses its input, calls the service (service.py) and turns
the outcome into words (messages.py, replies.py).

The server's commands are here; a member's own DMs in dm_commands.py, the listeners in
listeners.py, and what they share (the groups, the wiring, the reply helpers) in cog_base.py."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands

from bot.errors import UserFacingError
from bot.timekeeping import (
    DaySet,
    canonical_timezone_name,
    day_set_suggestions,
    format_time,
    parse_time,
    timezone_suggestions,
)
from bot.ui import POST_EMBEDS, can_post, choices, discord_timestamp, is_manager, safe_autocomplete
from cogs.affirmations import logic
from cogs.affirmations import messages as say
from cogs.affirmations.replies import current_settings_text, next_stamps, status_text
from cogs.affirmations.repository import GuildSchedule
from cogs.affirmations.views import list_page, page_count

if TYPE_CHECKING:
    from bot.app import Bot
from cogs.affirmations.cog_base import _require_guild, affirmations_group, manager_only
from cogs.affirmations.dm_commands import DMCommands
from cogs.affirmations.listeners import AffirmationListeners


class AffirmationsCog(DMCommands, AffirmationListeners):
    affirmations = affirmations_group

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
