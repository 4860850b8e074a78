"""Channels in the fake Discord: guild channels (text, announcement, forum), threads and DMs."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..permissions import Overwrite
from ..util import JSON, iso

if TYPE_CHECKING:
    from ..state import FakeState
    from .guilds import FakeGuild
    from .people import FakeUser


@dataclass(eq=False)
class ForumTag:
    id: int
    name: str
    moderated: bool = False
    emoji_name: str | None = None

    def to_payload(self) -> JSON:
        return {
            "id": str(self.id),
            "name": self.name,
            "moderated": self.moderated,
            "emoji_id": None,
            "emoji_name": self.emoji_name,
        }


TEXT = 0
DM = 1
ANNOUNCEMENT = 5
ANNOUNCEMENT_THREAD = 10
PUBLIC_THREAD = 11
PRIVATE_THREAD = 12
FORUM = 15


@dataclass(eq=False)
class FakeChannel:
    """A guild channel: text (0), announcement (5) or forum (15)."""

    guild: FakeGuild = field(repr=False)
    id: int
    name: str
    type: int = TEXT
    topic: str | None = None
    position: int = 0
    nsfw: bool = False
    overwrites: dict[int, Overwrite] = field(default_factory=dict)
    tags: list[ForumTag] = field(default_factory=list)
    messages: list[JSON] = field(default_factory=list, repr=False)
    threads: list[FakeThread] = field(default_factory=list, repr=False)
    deleted: bool = False
    last_message_id: int | None = None

    @property
    def mention(self) -> str:
        return f"<#{self.id}>"

    @property
    def is_forum(self) -> bool:
        return self.type == FORUM

    def tag(self, name: str) -> ForumTag:
        """The forum tag called ``name``."""
        for t in self.tags:
            if t.name == name:
                return t
        raise KeyError(f"forum {self.name!r} has no tag {name!r}")

    def thread(self, name: str) -> FakeThread:
        """The (last created) thread of this channel called ``name``."""
        for t in reversed(self.threads):
            if t.name == name:
                return t
        raise KeyError(f"channel {self.name!r} has no thread {name!r}")

    def set_overwrite(self, target_id: int, type_: int, *, allow: int = 0, deny: int = 0) -> None:
        """Set (replace) a permission overwrite and dispatch CHANNEL_UPDATE."""
        if allow == 0 and deny == 0:
            self.overwrites.pop(target_id, None)
        else:
            self.overwrites[target_id] = Overwrite(target_id, type_, allow, deny)
        self.guild.state.channel_updated(self)

    def to_payload(self) -> JSON:
        data: JSON = {
            "id": str(self.id),
            "type": self.type,
            "guild_id": str(self.guild.id),
            "name": self.name,
            "position": self.position,
            "flags": 0,
            "parent_id": None,
            "permission_overwrites": [o.to_payload() for o in self.overwrites.values()],
            "nsfw": self.nsfw,
            "topic": self.topic,
            "last_message_id": str(self.last_message_id) if self.last_message_id else None,
            "rate_limit_per_user": 0,
            "default_auto_archive_duration": 1440,
        }
        if self.type == FORUM:
            data["available_tags"] = [t.to_payload() for t in self.tags]
            data["default_reaction_emoji"] = None
            data["default_sort_order"] = None
            data["default_forum_layout"] = 0
            data["default_thread_rate_limit_per_user"] = 0
        return data


@dataclass(eq=False)
class FakeThread:
    """A thread (public 11, private 12, announcement 10) or a forum post."""

    parent: FakeChannel = field(repr=False)
    id: int
    name: str
    owner_id: int
    type: int = PUBLIC_THREAD
    applied_tags: list[int] = field(default_factory=list)
    archived: bool = False
    locked: bool = False
    invitable: bool = True
    auto_archive_duration: int = 1440
    created_at: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))
    #: when it was last archived or unarchived (Discord's archive_timestamp)
    archived_at: dt.datetime | None = None
    messages: list[JSON] = field(default_factory=list, repr=False)
    member_ids: set[int] = field(default_factory=set)
    deleted: bool = False
    last_message_id: int | None = None
    total_message_sent: int = 0

    @property
    def guild(self) -> FakeGuild:
        return self.parent.guild

    @property
    def mention(self) -> str:
        return f"<#{self.id}>"

    @property
    def tags(self) -> list[ForumTag]:
        """The forum tags applied to this post, as objects."""
        return [t for t in self.parent.tags if t.id in self.applied_tags]

    def to_payload(self, *, bot_id: int | None = None) -> JSON:
        data: JSON = {
            "id": str(self.id),
            "type": self.type,
            "guild_id": str(self.guild.id),
            "parent_id": str(self.parent.id),
            "owner_id": str(self.owner_id),
            "name": self.name,
            "flags": 0,
            "last_message_id": str(self.last_message_id) if self.last_message_id else None,
            "rate_limit_per_user": 0,
            "message_count": len(self.messages),
            "member_count": min(len(self.member_ids), 50),
            "total_message_sent": self.total_message_sent,
            "thread_metadata": {
                "archived": self.archived,
                "archive_timestamp": iso(self.archived_at or self.created_at),
                "auto_archive_duration": self.auto_archive_duration,
                "locked": self.locked,
                "create_timestamp": iso(self.created_at),
            },
        }
        if self.type == PRIVATE_THREAD:
            data["thread_metadata"]["invitable"] = self.invitable
        if self.parent.type == FORUM:
            data["applied_tags"] = [str(t) for t in self.applied_tags]
        if bot_id is not None and bot_id in self.member_ids:
            data["member"] = {
                "id": str(self.id),
                "user_id": str(bot_id),
                "join_timestamp": iso(self.created_at),
                "flags": 1,
            }
        return data


@dataclass(eq=False)
class FakeDMChannel:
    """The DM channel between the bot and one user. ``name`` is the recipient's name."""

    state: FakeState = field(repr=False)
    id: int
    recipient: FakeUser
    messages: list[JSON] = field(default_factory=list, repr=False)
    last_message_id: int | None = None
    deleted: bool = False

    type = DM

    @property
    def name(self) -> str:
        return self.recipient.name

    @property
    def guild(self) -> None:
        return None

    def to_payload(self) -> JSON:
        return {
            "id": str(self.id),
            "type": DM,
            "last_message_id": str(self.last_message_id) if self.last_message_id else None,
            "flags": 0,
            "recipients": [self.recipient.to_payload()],
        }


AnyChannel = FakeChannel | FakeThread | FakeDMChannel


def channel_guild(channel: AnyChannel) -> FakeGuild | None:
    if isinstance(channel, FakeDMChannel):
        return None
    return channel.guild
