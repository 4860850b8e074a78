"""What a feature offers /setup: settings it reads and writes through its own service.

A feature's `setup` (see bot/features.py) returns a `SetupPart`; /setup shows the parts of the
loaded features, page by page, and never holds a feature's rules itself.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal

import discord

Kind = Literal["channel", "time", "toggle", "zone"]
# Called with (guild id, zone name) when the server's time zone changes in /setup.
ZoneFollower = Callable[[int, str], Awaitable[None]]
# The permissions the bot needs to post in a channel.
POSTING = ("view_channel", "send_messages", "embed_links")


@dataclass(frozen=True, slots=True)
class Setting:
    key: str
    label: str
    page: str
    kind: Kind
    # guild id -> the current value (channel id, time, bool or zone name), None when unset.
    read: Callable[[int], Awaitable[Any]]
    # (guild id, new value) -> None when saved, else one friendly sentence saying why not.
    write: Callable[[int, Any], Awaitable[str | None]]
    # For channels: the permissions the bot needs there.
    needs: tuple[str, ...] = ()
    channel_types: tuple[discord.ChannelType, ...] = (
        discord.ChannelType.text,
        discord.ChannelType.news,
    )
    # For a forum channel, when it needs other permissions than a text channel.
    forum_needs: tuple[str, ...] | None = None

    def needs_in(self, channel: object) -> tuple[str, ...]:
        if self.forum_needs is not None and isinstance(channel, discord.ForumChannel):
            return self.forum_needs
        return self.needs


@dataclass(frozen=True, slots=True)
class ChannelNeeds:
    """More permissions a feature needs in another feature's channel (encouragement opens a
    thread under every story, in the stories channel)."""

    text: tuple[str, ...] = ()
    forum: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SetupPart:
    settings: Sequence[Setting] = ()
    # Features that keep their own copy of the server's zone follow it when /setup changes it.
    zone_followers: Sequence[ZoneFollower] = ()
    # setting key -> what this feature also needs in that channel.
    channel_needs: Mapping[str, ChannelNeeds] = field(default_factory=dict)


def with_needs(setting: Setting, extra: Sequence[ChannelNeeds]) -> Setting:
    """The setting asking also for what other loaded features need in its channel."""
    if not extra:
        return setting
    needs = setting.needs + tuple(p for e in extra for p in e.text if p not in setting.needs)
    forum_base = setting.forum_needs if setting.forum_needs is not None else setting.needs
    forum = forum_base + tuple(p for e in extra for p in e.forum if p not in forum_base)
    return replace(setting, needs=needs, forum_needs=forum)
