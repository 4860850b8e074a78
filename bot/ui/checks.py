"""Who may do what: the guild-only and Manage-Server checks every feature uses, and the one
check of whether the bot can post in a channel.

Manage Server is a server-wide permission: it is read from the member's roles in the server
(plus ownership and Administrator), never from the channel the command was used in, so a
channel overwrite cannot grant it (Discord ignores server-only bits in overwrites too).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import discord
from discord import app_commands

__all__ = [
    "POST",
    "POST_EMBEDS",
    "POST_PRIVATE_THREADS",
    "can_post",
    "guild_only",
    "is_manager",
    "manager_permissions",
    "missing_to_post",
    "require_manage_guild",
]

# What the bot needs in a channel, by what it posts there (discord.Permissions' names). A feature
# names the set it needs; the check is the same for all.
#: A plain message (notices, milestones).
POST: tuple[str, ...] = ("view_channel", "send_messages")
#: A message with an embed (stories, affirmations).
POST_EMBEDS: tuple[str, ...] = (*POST, "embed_links")
#: Private threads to post in (weekly check-ins for members whose DMs are closed).
POST_PRIVATE_THREADS: tuple[str, ...] = (
    *POST,
    "send_messages_in_threads",
    "create_private_threads",
)


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


# -- can the bot post here? ------------------------------------------------------------------------


def missing_to_post(channel: object, needs: Sequence[str] = POST) -> list[str]:
    """The permissions of ``needs`` the bot lacks in ``channel``, as the cache says (no request,
    so a doomed post never counts towards Discord's invalid-request limit). All of them when
    the channel is gone or is not a server channel."""
    if not isinstance(channel, discord.abc.GuildChannel):
        return list(needs)
    permissions = channel.permissions_for(channel.guild.me)
    return [name for name in needs if not getattr(permissions, name)]


def can_post(channel: object, needs: Sequence[str] = POST) -> bool:
    """Whether the bot may post in ``channel`` what needs ``needs`` (POST, POST_EMBEDS …)."""
    return not missing_to_post(channel, needs)
