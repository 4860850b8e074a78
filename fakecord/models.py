"""The fake Discord world: users, guilds, roles, members, channels, threads and DMs.

Every object has ``.id`` (an int snowflake) and ``.name``, and renders itself as the payload
Discord would send (``to_payload()``, shaped after the spec's ``*Response`` schemas). Creating
objects after the bot connected dispatches the matching gateway event.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from . import permissions as P
from .permissions import Overwrite
from .util import JSON, iso, snowflake_time

if TYPE_CHECKING:
    from .state import FakeState


@dataclass(eq=False)
class FakeUser:
    """A Discord user (a person, or the bot itself)."""

    state: FakeState = field(repr=False)
    id: int
    name: str
    global_name: str | None = None
    bot: bool = False
    dms_closed: bool = False
    locale: str = "en-US"

    @property
    def mention(self) -> str:
        return f"<@{self.id}>"

    def to_payload(self) -> JSON:
        data: JSON = {
            "id": str(self.id),
            "username": self.name,
            "avatar": None,
            "discriminator": "0",
            "public_flags": 0,
            "flags": 0,
            "global_name": self.global_name,
            "primary_guild": None,
            "banner": None,
            "accent_color": None,
        }
        if self.bot:
            data["bot"] = True
        return data


@dataclass(eq=False)
class FakeRole:
    guild: FakeGuild = field(repr=False)
    id: int
    name: str
    permissions: int = 0
    mentionable: bool = False
    position: int = 0
    color: int = 0
    hoist: bool = False
    managed: bool = False
    bot_id: int | None = None

    @property
    def mention(self) -> str:
        return "@everyone" if self.id == self.guild.id else f"<@&{self.id}>"

    def to_payload(self) -> JSON:
        data: JSON = {
            "id": str(self.id),
            "name": self.name,
            "permissions": str(self.permissions),
            "position": self.position,
            "color": self.color,
            "colors": {
                "primary_color": self.color,
                "secondary_color": None,
                "tertiary_color": None,
            },
            "hoist": self.hoist,
            "managed": self.managed,
            "mentionable": self.mentionable,
            "icon": None,
            "unicode_emoji": None,
            "flags": 0,
        }
        if self.bot_id is not None:
            data["tags"] = {"bot_id": str(self.bot_id)}
        return data


@dataclass(eq=False)
class FakeMember:
    """A user's membership of a guild. ``id`` and ``name`` are the user's."""

    guild: FakeGuild = field(repr=False)
    user: FakeUser
    roles: list[FakeRole] = field(default_factory=list)
    nick: str | None = None
    joined_at: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))

    @property
    def id(self) -> int:
        return self.user.id

    @property
    def name(self) -> str:
        return self.user.name

    @property
    def mention(self) -> str:
        return self.user.mention

    @property
    def is_owner(self) -> bool:
        return self.guild.owner_id == self.user.id

    def add_role(self, role: FakeRole) -> None:
        if role not in self.roles:
            self.roles.append(role)
            self.guild.state.member_updated(self)

    def remove_role(self, role: FakeRole) -> None:
        if role in self.roles:
            self.roles.remove(role)
            self.guild.state.member_updated(self)

    def guild_permissions(self) -> int:
        return P.compute_base(
            self.guild.everyone.permissions,
            [r.permissions for r in self.roles],
            is_owner=self.is_owner,
        )

    def permissions_in(self, channel: FakeChannel | FakeThread) -> int:
        target = channel.parent if isinstance(channel, FakeThread) else channel
        base = self.guild_permissions()
        if base == P.ALL:
            return P.ALL
        return P.apply_overwrites(
            base,
            guild_id=self.guild.id,
            member_id=self.id,
            role_ids=[r.id for r in self.roles],
            overwrites=target.overwrites,
        )

    def to_payload(self, *, with_user: bool = True) -> JSON:
        data: JSON = {
            "roles": [str(r.id) for r in self.roles],
            "nick": self.nick,
            "avatar": None,
            "banner": None,
            "joined_at": iso(self.joined_at),
            "premium_since": None,
            "deaf": False,
            "mute": False,
            "pending": False,
            "flags": 0,
            "communication_disabled_until": None,
        }
        if with_user:
            data["user"] = self.user.to_payload()
        return data


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


class FakeGuild:
    """A guild with an @everyone role, an owner (all rights) and the bot as a member."""

    def __init__(self, state: FakeState, name: str, *, owner_name: str = "owner") -> None:
        self.state = state
        self.id: int = state.next_id()
        self.name = name
        self.locale = "en-US"
        self.created_at = snowflake_time(self.id)
        self.roles: dict[int, FakeRole] = {}
        self.members: dict[int, FakeMember] = {}
        self.channels: list[FakeChannel] = []
        self.system_channel: FakeChannel | None = None
        self.bot_present = False
        #: in a Discord outage: unavailable in READY, no GUILD_CREATE until it ends
        self.outage = False
        self.bot_joined_at = dt.datetime.now(dt.UTC)
        everyone = FakeRole(self, self.id, "@everyone", permissions=P.DEFAULT_EVERYONE)
        self.roles[everyone.id] = everyone
        owner_user = state.create_user(owner_name)
        self.owner_id = owner_user.id
        self.owner: FakeMember = self._attach_member(owner_user)
        self.bot_role = FakeRole(
            self,
            state.next_id(),
            state.bot_user.name,
            permissions=P.DEFAULT_BOT,
            managed=True,
            bot_id=state.bot_user.id,
            position=1,
        )
        self.roles[self.bot_role.id] = self.bot_role

    def __repr__(self) -> str:
        return f"<FakeGuild id={self.id} name={self.name!r}>"

    # -- lookups ---------------------------------------------------------------------------------
    @property
    def everyone(self) -> FakeRole:
        """The @everyone role (its id is the guild's)."""
        return self.roles[self.id]

    @property
    def everyone_role(self) -> FakeRole:
        return self.everyone

    @property
    def bot_member(self) -> FakeMember:
        return self.members[self.state.bot_user.id]

    @property
    def threads(self) -> list[FakeThread]:
        return [t for c in self.channels for t in c.threads if not t.deleted]

    def get_member(self, user: FakeUser | FakeMember | int) -> FakeMember | None:
        uid = user if isinstance(user, int) else user.id
        return self.members.get(uid)

    def get_channel(self, channel_id: int) -> FakeChannel | FakeThread | None:
        for c in self.channels:
            if c.id == channel_id:
                return c
            for t in c.threads:
                if t.id == channel_id:
                    return t
        return None

    def channel(self, name: str) -> FakeChannel:
        for c in self.channels:
            if c.name == name:
                return c
        raise KeyError(f"guild {self.name!r} has no channel {name!r}")

    def role(self, name: str) -> FakeRole:
        for r in self.roles.values():
            if r.name == name:
                return r
        raise KeyError(f"guild {self.name!r} has no role {name!r}")

    # -- building --------------------------------------------------------------------------------
    def _attach_member(self, user: FakeUser, roles: list[FakeRole] | None = None) -> FakeMember:
        member = FakeMember(self, user, roles=list(roles or []))
        self.members[user.id] = member
        return member

    def create_text_channel(
        self, name: str, *, topic: str | None = None, announcement: bool = False
    ) -> FakeChannel:
        """A text channel (or an announcement channel); CHANNEL_CREATE if the bot is connected."""
        chan = FakeChannel(
            self,
            self.state.next_id(),
            name,
            type=ANNOUNCEMENT if announcement else TEXT,
            topic=topic,
            position=len(self.channels),
        )
        self.channels.append(chan)
        self.state.channel_created(chan)
        return chan

    def create_forum_channel(self, name: str, tags: list[str] | None = None) -> FakeChannel:
        """A forum channel with the given tag names (``forum.tags``: ids and names)."""
        chan = FakeChannel(
            self,
            self.state.next_id(),
            name,
            type=FORUM,
            position=len(self.channels),
            tags=[ForumTag(self.state.next_id(), t) for t in (tags or [])],
        )
        self.channels.append(chan)
        self.state.channel_created(chan)
        return chan

    def create_role(
        self,
        name: str,
        permissions: int = 0,
        mentionable: bool = False,
        *,
        color: int = 0,
        hoist: bool = False,
    ) -> FakeRole:
        role = FakeRole(
            self,
            self.state.next_id(),
            name,
            permissions=permissions,
            mentionable=mentionable,
            color=color,
            hoist=hoist,
            position=len(self.roles),
        )
        self.roles[role.id] = role
        self.state.role_created(role)
        return role

    def add_member(
        self,
        name: str,
        permissions: int | None = None,
        roles: list[FakeRole] | tuple[FakeRole, ...] = (),
        *,
        nick: str | None = None,
        global_name: str | None = None,
        user: FakeUser | None = None,
    ) -> FakeMember:
        """A plain member. ``permissions=`` gives them a personal role with those permissions
        (named ``"<name> permissions"``), so their rights come from roles as in Discord."""
        user = user or self.state.create_user(name, global_name=global_name)
        member_roles = list(roles)
        if permissions:
            personal = self.create_role(f"{name} permissions", permissions=permissions)
            member_roles.append(personal)
        member = self._attach_member(user, member_roles)
        member.nick = nick
        self.state.member_added(member)
        return member

    def set_system_channel(self, channel: FakeChannel | None) -> None:
        self.system_channel = channel
        self.state.guild_updated(self)

    # -- payloads --------------------------------------------------------------------------------
    def to_payload(self) -> JSON:
        return {
            "id": str(self.id),
            "name": self.name,
            "icon": None,
            "description": None,
            "home_header": None,
            "splash": None,
            "discovery_splash": None,
            "features": [],
            "banner": None,
            "owner_id": str(self.owner_id),
            "application_id": None,
            "region": "deprecated",
            "afk_channel_id": None,
            "afk_timeout": 300,
            "system_channel_id": str(self.system_channel.id) if self.system_channel else None,
            "system_channel_flags": 0,
            "widget_enabled": False,
            "widget_channel_id": None,
            "verification_level": 0,
            "roles": [r.to_payload() for r in self.roles.values()],
            "default_message_notifications": 0,
            "mfa_level": 0,
            "explicit_content_filter": 0,
            "max_presences": None,
            "max_members": 500000,
            "max_stage_video_channel_users": 50,
            "max_video_channel_users": 25,
            "vanity_url_code": None,
            "premium_tier": 0,
            "premium_subscription_count": 0,
            "preferred_locale": self.locale,
            "rules_channel_id": None,
            "safety_alerts_channel_id": None,
            "public_updates_channel_id": None,
            "premium_progress_bar_enabled": False,
            "nsfw": False,
            "nsfw_level": 0,
            "emojis": [],
            "stickers": [],
            "incidents_data": None,
        }

    def gateway_payload(self, *, all_members: bool) -> JSON:
        """The GUILD_CREATE payload. Members: only the bot unless the members intent is on."""
        data = self.to_payload()
        members = list(self.members.values()) if all_members else [self.bot_member]
        bot_id = self.state.bot_user.id
        data.update(
            {
                "joined_at": iso(self.bot_joined_at),
                "large": False,
                "unavailable": False,
                "member_count": len(self.members),
                "members": [m.to_payload() for m in members],
                "channels": [c.to_payload() for c in self.channels],
                "threads": [
                    t.to_payload(bot_id=bot_id)
                    for t in self.threads
                    if not t.archived and self.bot_member.permissions_in(t) & P.VIEW_CHANNEL
                ],
                "voice_states": [],
                "presences": [],
                "stage_instances": [],
                "guild_scheduled_events": [],
                "soundboard_sounds": [],
                "lazy": True,
            }
        )
        return data


def channel_guild(channel: AnyChannel) -> FakeGuild | None:
    if isinstance(channel, FakeDMChannel):
        return None
    return channel.guild


def as_user(obj: FakeUser | FakeMember) -> FakeUser:
    return obj.user if isinstance(obj, FakeMember) else obj


def snowflake_of(obj: Any) -> int:
    """The id of a Fake object, a payload dict or an int/str id."""
    if isinstance(obj, int):
        return obj
    if isinstance(obj, str):
        return int(obj)
    if isinstance(obj, dict):
        return int(obj["id"])
    return int(obj.id)
