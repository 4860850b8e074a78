"""Who may do what: the guild-only and Manage-Server checks every feature uses.

Manage Server is a server-wide permission: it is read from the member's roles in the server
(plus ownership and Administrator), never from the channel the command was used in, so a
channel overwrite cannot grant it (Discord ignores server-only bits in overwrites too).
"""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands

__all__ = ["guild_only", "is_manager", "manager_permissions", "require_manage_guild"]


def manager_permissions(interaction: discord.Interaction[Any]) -> discord.Permissions | None:
    """The member's server-wide permissions, or None outside a server (or an uncached one)."""
    member = interaction.user
    guild = interaction.guild
    if guild is None or not isinstance(member, discord.Member):
        return None
    if guild.owner_id == member.id:
        return discord.Permissions.all()
    return member.guild_permissions


def is_manager(interaction: discord.Interaction[Any]) -> bool:
    """Whether the member may manage this server (Manage Server, Administrator or owner)."""
    permissions = manager_permissions(interaction)
    return permissions is not None and (permissions.manage_guild or permissions.administrator)


async def _in_guild(interaction: discord.Interaction[Any]) -> bool:
    if interaction.guild is None:
        raise app_commands.NoPrivateMessage()
    return True


async def _manages_guild(interaction: discord.Interaction[Any]) -> bool:
    await _in_guild(interaction)
    if not is_manager(interaction):
        raise app_commands.MissingPermissions(["manage_guild"])
    return True


# Decorators for slash commands. Not set as default_member_permissions on a group: Discord applies
# that to the group and every subcommand, which would hide member subcommands from members.
guild_only = app_commands.check(_in_guild)
require_manage_guild = app_commands.check(_manages_guild)
