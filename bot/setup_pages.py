"""What a feature offers /setup: settings it reads and writes through its own service.

A feature's `setup` (see bot/features.py) builds a `SetupPart` from the feature's service; its
cog adds it to ``bot.setup_pages`` in ``cog_load`` (``setup_pages.add(FEATURE, self.service)``).
/setup shows the parts of the loaded features, page by page, and never holds a feature's rules
itself.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Literal

import discord

if TYPE_CHECKING:
    from bot.features import Feature

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


class SetupPages:
    """The /setup parts of the loaded features (one per Bot, ``bot.setup_pages``), in the
    features' order. A cog adds its own, built on its service, and removes it when unloaded."""

    def __init__(self) -> None:
        self._parts: dict[str, tuple[int, SetupPart]] = {}

    def add(self, feature: Feature, service: object) -> SetupPart:
        if feature.setup is None:
            raise ValueError(f"{feature.name} declares no /setup part (Feature.setup)")
        part = feature.setup(service)
        self._parts[feature.name] = (feature.order, part)
        return part

    def remove(self, feature: Feature) -> None:
        self._parts.pop(feature.name, None)

    def names(self) -> list[str]:
        return [name for name, _ in sorted(self._parts.items(), key=lambda kv: kv[1][0])]

    def parts(self) -> list[SetupPart]:
        return [self._parts[name][1] for name in self.names()]
