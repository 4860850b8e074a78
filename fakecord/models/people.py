"""People in the fake Discord: users, roles and guild members (with Discord's permission
computation)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .. import permissions as P
from ..util import JSON, iso
from .channels import FakeThread

if TYPE_CHECKING:
    from ..state import FakeState
    from .channels import FakeChannel
    from .guilds import FakeGuild


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
