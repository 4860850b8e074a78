"""/setup (a guided, ephemeral flow) and /config show (everything in one embed)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.deps import ServiceDeps
from bot.ui import is_manager, require_manage_guild
from cogs.setup import messages
from cogs.setup.pages import all_settings, parse_time, suggest_zones
from cogs.setup.service import SetupService
from cogs.setup.views import Flow, SetupControl, TimeModal, Tools, ZoneSearchModal, show

if TYPE_CHECKING:
    from bot.app import Bot


def may_manage(interaction: discord.Interaction[Any]) -> bool:
    """Manage Server, read server-wide (the member's roles), never from a channel overwrite."""
    return is_manager(interaction)


async def config_embed(bot: Bot, service: SetupService, guild: discord.Guild) -> discord.Embed:
    checks = await service.checks(guild)
    embed = discord.Embed(
        title=messages.CONFIG_TITLE.format(server=guild.name)[:256], colour=discord.Colour.teal()
    )
    problems = []
    for check in checks:
        embed.add_field(name=check.setting.label, value=check.shown[:1024], inline=True)
        if check.problem:
            problems.append(check.problem)
    embed.add_field(
        name=messages.PROBLEMS if problems else "\u200b",
        value=("\n".join(problems) if problems else messages.ALL_GOOD)[:1024],
        inline=False,
    )
    embed.set_footer(text=messages.CONFIG_FOOTER.format(days=bot.settings.guild_retention_days))
    return embed


class SetupCog(commands.Cog):
    config = app_commands.Group(
        name="config", description=messages.CONFIG_DESCRIPTION, guild_only=True
    )

    def __init__(self, bot: Bot) -> None:
        self.bot = bot
        self._service: SetupService | None = None

    async def cog_load(self) -> None:
        # Every control and form of /setup answers by its custom_id, after a restart too.
        self.bot.add_dynamic_items(SetupControl)
        self.bot.modals.add(ZoneSearchModal, TimeModal)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(SetupControl)
        self.bot.modals.remove(ZoneSearchModal, TimeModal)

    @property
    def service(self) -> SetupService:
        # Built on first use: every feature's cog is loaded by then, whatever the load order.
        if self._service is None:
            self._service = SetupService(
                all_settings(self.bot.setup_pages, ServiceDeps.of(self.bot))
            )
        return self._service

    def tools(self) -> Tools:
        return Tools(self.service, suggest_zones, parse_time, may_manage)

    @app_commands.command(name="setup", description=messages.SETUP_DESCRIPTION)
    @app_commands.guild_only()
    @require_manage_guild
    async def setup_command(self, interaction: discord.Interaction[Bot]) -> None:
        await show(interaction, self.tools(), Flow(), first=True)

    @config.command(name="show", description=messages.CONFIG_SHOW_DESCRIPTION)
    @require_manage_guild
    async def config_show(self, interaction: discord.Interaction[Bot]) -> None:
        assert interaction.guild is not None
        embed = await config_embed(self.bot, self.service, interaction.guild)
        await interaction.response.send_message(embed=embed, ephemeral=True)
