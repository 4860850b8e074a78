"""/accountability join|leave|status|goals|channel; the weekly prompt's buttons and modals are
handled in prompt_handlers.py, the wiring they share is in cog_base.py."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands

from bot.errors import UserFacingError
from bot.guild_settings import accountability_channel, set_accountability_channel
from bot.timekeeping import InvalidInput, parse_time
from bot.ui import POST_PRIVATE_THREADS, can_post, require_manage_guild
from cogs.accountability import messages as m
from cogs.accountability.cog_base import _stamp, _week_label
from cogs.accountability.prompt_handlers import WeekPromptHandlers

if TYPE_CHECKING:
    from bot.app import Bot


class AccountabilityCog(WeekPromptHandlers, name="Accountability"):
    accountability = app_commands.Group(
        name="accountability", description=m.GROUP_DESCRIPTION, guild_only=True
    )

    # -- joining --------------------------------------------------------------------------------

    @accountability.command(name="join", description="Get a weekly check-in on your goals.")
    @app_commands.describe(
        day="Which day of the week", time="Your local time, 24-hour HH:MM, e.g. 09:00"
    )
    @app_commands.choices(
        day=[app_commands.Choice(name=name, value=index) for index, name in enumerate(m.DAY_NAMES)]
    )
    async def join(
        self, interaction: discord.Interaction[Bot], day: app_commands.Choice[int], time: str
    ) -> None:
        guild_id = self._guild_id(interaction)
        try:
            local_time = parse_time(time)
        except InvalidInput:
            raise UserFacingError(m.BAD_TIME.format(value=time[:30])) from None
        rule, nxt = await self.service.join(
            guild_id, interaction.user.id, int(day.value), local_time
        )
        channel_id = await accountability_channel(self.bot.store, guild_id)
        await interaction.response.send_message(
            m.JOINED.format(
                day=m.DAY_NAMES[rule.weekday],
                time=local_time.strftime("%H:%M"),
                zone=rule.zone,
                first_full=_stamp(nxt.due_at, "F"),
                first_rel=_stamp(nxt.due_at, "R"),
                channel=f"<#{channel_id}>" if channel_id else m.NO_CHANNEL_YET,
            ),
            ephemeral=True,
        )

    @accountability.command(name="leave", description="Stop your weekly check-ins.")
    async def leave(self, interaction: discord.Interaction[Bot]) -> None:
        sub = await self._subscription(interaction)
        if not await self.service.leave(sub):
            raise UserFacingError(m.NOT_JOINED)
        await interaction.response.send_message(m.LEFT, ephemeral=True)

    @accountability.command(
        name="status", description="Your weekly check-in day, time and next one."
    )
    async def status(self, interaction: discord.Interaction[Bot]) -> None:
        sub = await self._subscription(interaction)
        if not sub.active:
            raise UserFacingError(m.STATUS_LEFT)
        nxt = await self.service.next_prompt(sub)
        weeks = len(await self.repo.weeks(sub.id, limit=1000))
        due = nxt.due_at if nxt else self.bot.clock.now()
        await interaction.response.send_message(
            m.STATUS.format(
                day=m.DAY_NAMES[sub.rule.weekday],
                time=sub.rule.local_time.strftime("%H:%M"),
                zone=sub.rule.zone,
                next_full=_stamp(due, "F"),
                next_rel=_stamp(due, "R"),
                weeks=weeks,
            ),
            ephemeral=True,
        )

    @accountability.command(name="goals", description="This week's goals and the weeks before.")
    async def goals(self, interaction: discord.Interaction[Bot]) -> None:
        sub = await self._subscription(interaction)
        weeks = await self.repo.weeks(sub.id)
        lines = [m.GOALS_HEADER]
        if not weeks:
            nxt = await self.service.next_prompt(sub)
            when = _stamp(nxt.due_at, "R") if nxt else m.SOON
            lines.append(m.GOALS_NONE_YET.format(next_rel=when))
        for week in weeks:
            lines.append(m.GOALS_WEEK.format(week=_week_label(week.week_of)))
            goals = await self.repo.goals(week.id)
            if not goals:
                lines.append(m.GOALS_NOT_SET)
            for goal in goals:
                review = f" — {m.REVIEW_LABELS[goal.review]}" if goal.review else ""
                lines.append(f"{goal.position}. {goal.text}{review}")
            if week.reflection:
                lines.append(f"> {week.reflection}")
        text = "\n".join(lines)[:2000]
        latest = weeks[0] if weeks else None
        view = await self._share_view(sub, latest)
        if view is None:
            await interaction.response.send_message(
                text, ephemeral=True, allowed_mentions=discord.AllowedMentions.none()
            )
        else:
            await interaction.response.send_message(
                text, view=view, ephemeral=True, allowed_mentions=discord.AllowedMentions.none()
            )

    @accountability.command(
        name="channel",
        description="Where milestones, shared summaries and private check-in threads go.",
    )
    @app_commands.describe(channel="The accountability channel")
    @require_manage_guild
    async def channel(
        self, interaction: discord.Interaction[Bot], channel: discord.TextChannel
    ) -> None:
        guild = interaction.guild
        assert guild is not None
        if not can_post(channel, POST_PRIVATE_THREADS):
            raise UserFacingError(m.CHANNEL_CANT_POST.format(channel=channel.mention))
        async with self.bot.store.transaction() as conn:
            await set_accountability_channel(conn, guild.id, channel.id, self.bot.clock.now())
        await interaction.response.send_message(
            m.CHANNEL_SET.format(channel=channel.mention), ephemeral=True
        )
