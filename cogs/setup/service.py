"""What /setup can set, read and check, independent of how it is shown.

Each `Setting` reads and writes one value through the feature that owns it (see pages.py and
each feature's `setup`), so /setup never duplicates a feature's rules: it is a guided front door
to them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import time
from typing import Any

import discord

from bot.setup_pages import Kind, Setting
from cogs.setup import logic, messages

__all__ = ["Check", "Kind", "Setting", "SetupService"]


@dataclass(frozen=True, slots=True)
class Check:
    setting: Setting
    value: Any
    shown: str
    missing: tuple[str, ...]
    # A chosen channel that no longer exists (deleted): nothing to grant, one to pick again.
    gone: bool = False

    @property
    def problem(self) -> str | None:
        """What needs attention about this setting, in one sentence, or None."""
        if self.gone:
            return messages.CHANNEL_GONE.format(label=self.setting.label)
        if self.missing:
            return logic.missing_sentence(self.shown, list(self.missing))
        return None


def granted_in(channel: discord.abc.GuildChannel, member: discord.Member) -> discord.Permissions:
    """The member's permissions in the channel as its roles and overwrites set them, *before*
    Discord's implicit denials (no View Channel hides everything; no Send Messages drops Embed
    Links and Attach Files). discord.py's permissions_for applies those, which would name
    permissions that are in fact fine; this names exactly what an admin has to grant."""
    base = member.guild_permissions
    if base.administrator:
        return discord.Permissions.all()
    granted = discord.Permissions(base.value)
    allow, deny = channel.overwrites_for(member.guild.default_role).pair()
    granted.handle_overwrite(allow=allow.value, deny=deny.value)
    roles_allow = roles_deny = 0
    for role in member.roles:
        if role.is_default():
            continue
        allow, deny = channel.overwrites_for(role).pair()
        roles_allow |= allow.value
        roles_deny |= deny.value
    granted.handle_overwrite(allow=roles_allow, deny=roles_deny)
    allow, deny = channel.overwrites_for(member).pair()
    granted.handle_overwrite(allow=allow.value, deny=deny.value)
    return granted


class SetupService:
    def __init__(self, settings: Sequence[Setting]) -> None:
        self.settings = list(settings)

    def pages(self) -> list[str]:
        by_page: dict[str, list[str]] = {}
        for s in self.settings:
            by_page.setdefault(s.page, []).append(s.key)
        return list(by_page)  # in the order the settings come: the features' order

    def on_page(self, page: str) -> list[Setting]:
        return [s for s in self.settings if s.page == page]

    def get(self, key: str) -> Setting:
        return next(s for s in self.settings if s.key == key)

    @staticmethod
    def missing_in(guild: discord.Guild, channel_id: int, setting: Setting) -> list[str]:
        """Discord's names of the permissions the bot lacks in that channel (all, if gone)."""
        channel = guild.get_channel(channel_id)
        if channel is None:
            return logic.missing_permissions({}, setting.needs)
        needs = setting.needs_in(channel)
        granted = granted_in(channel, guild.me)
        return logic.missing_permissions({p: getattr(granted, p) for p in needs}, needs)

    async def check(self, guild: discord.Guild, setting: Setting) -> Check:
        value = await setting.read(guild.id)
        missing: list[str] = []
        if value is None:
            shown = messages.NOT_SET
        elif setting.kind == "channel" and guild.get_channel(int(value)) is None:
            # The cache holds every channel of an available server (the GUILDS intent): a
            # channel not in it was deleted, and no permission would bring it back.
            return Check(setting, value, messages.DELETED_CHANNEL, (), gone=True)
        elif setting.kind == "channel":
            shown = f"<#{value}>"
            missing = self.missing_in(guild, int(value), setting)
        elif setting.kind == "time":
            shown = logic.format_time(value if isinstance(value, time) else None) or str(value)
        elif setting.kind == "toggle":
            shown = messages.ON if value else messages.OFF
        else:
            shown = str(value)
        return Check(setting, value, shown, tuple(missing))

    async def checks(self, guild: discord.Guild) -> list[Check]:
        return [await self.check(guild, s) for s in self.settings]

    async def choose_channel(self, guild: discord.Guild, key: str, channel_id: int) -> str:
        """Save a channel if the bot can work there; the note to show either way."""
        setting = self.get(key)
        missing = self.missing_in(guild, channel_id, setting)
        where = f"<#{channel_id}>"
        if missing:
            return messages.NOT_SAVED.format(
                why=logic.missing_sentence(where, missing), perms=logic.join_words(missing)
            )
        refusal = await setting.write(guild.id, channel_id)
        if refusal:
            return f"⚠️ {refusal}"
        return messages.SAVED.format(what=f"{setting.label} → {where}")

    async def choose(self, guild: discord.Guild, key: str, value: Any, shown: str) -> str:
        setting = self.get(key)
        refusal = await setting.write(guild.id, value)
        if refusal:
            return f"⚠️ {refusal}"
        return messages.SAVED.format(what=f"{setting.label} → {shown}")
