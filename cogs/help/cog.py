"""/help: built from the command tree and the help files (data/help.yaml and each feature's
help.yaml), so it stays true as features land."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.ui import is_manager
from cogs.help import logic, messages
from cogs.help.content import load_help

if TYPE_CHECKING:
    from bot.app import Bot


def listed_commands(tree: app_commands.CommandTree[Any]) -> Iterator[logic.Listed]:
    """Every slash command a person can type (groups opened up to their subcommands)."""

    def walk(command: Any, root: Any) -> Iterator[logic.Listed]:
        if isinstance(command, app_commands.Group):
            for child in command.commands:
                yield from walk(child, root)
        elif isinstance(command, app_commands.Command):
            perms = root.default_permissions
            yield logic.Listed(
                command.qualified_name,
                command.description,
                bool(perms is not None and perms.manage_guild),
            )

    for command in tree.get_commands():
        yield from walk(command, command)


def is_server_admin(interaction: discord.Interaction[Any]) -> bool:
    """Manage Server is a server permission: read from the member's roles, not the channel."""
    return is_manager(interaction)


def is_moderator(interaction: discord.Interaction[Any]) -> bool:
    """Manage Messages, server-wide or where /help is asked (a moderators' channel often
    grants it by overwrite), or Manage Server: who the moderation buttons answer."""
    member = interaction.user
    if interaction.guild is None or not isinstance(member, discord.Member):
        return False
    return (
        is_manager(interaction)
        or member.guild_permissions.manage_messages
        or interaction.permissions.manage_messages
    )


class HelpCog(commands.Cog):
    def __init__(self, bot: Bot) -> None:
        self.bot = bot
        self.content = load_help(bot.settings.content_dir / "help.yaml")

    def embed_for(self, *, is_admin: bool, is_moderator: bool = False) -> discord.Embed:
        titles = {p.key: p.title for p in self.content.pillars}
        embed = discord.Embed(
            title=messages.TITLE, description=messages.INTRO, colour=discord.Colour.teal()
        )
        moderation = self.content.moderation if is_moderator or is_admin else None
        for section in logic.sections(
            self.content, listed_commands(self.bot.tree), is_admin=is_admin
        ):
            if section.admin and moderation is not None:
                self._add_moderation(embed, moderation)
                moderation = None
            name = titles.get(section.pillar, messages.MORE)
            if section.admin:
                name += messages.ADMIN_SUFFIX
            lines = [
                f"{self.bot.command_mention(line.path)} — {line.text}" for line in section.lines
            ]
            for block in logic.chunk_lines(lines):
                embed.add_field(name=name, value=block, inline=False)
        if moderation is not None:  # after the member sections, before any admin one
            self._add_moderation(embed, moderation)
        embed.set_footer(text=messages.FOOTER)
        return embed

    @staticmethod
    def _add_moderation(embed: discord.Embed, moderation: logic.Moderation) -> None:
        for block in logic.chunk_lines([f"• {line}" for line in moderation.lines]):
            embed.add_field(name=moderation.title, value=block, inline=False)

    @app_commands.command(name="help", description=messages.DESCRIPTION)
    async def help(self, interaction: discord.Interaction[Bot]) -> None:
        embed = self.embed_for(
            is_admin=is_server_admin(interaction), is_moderator=is_moderator(interaction)
        )
        await interaction.response.send_message(embed=embed, ephemeral=True)
