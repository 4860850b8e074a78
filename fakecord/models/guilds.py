"""A guild of the fake Discord: its roles, members and channels, and its gateway payload."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from .. import permissions as P
from ..util import JSON, iso, snowflake_time
from .channels import ANNOUNCEMENT, FORUM, TEXT, FakeChannel, FakeThread, ForumTag
from .people import FakeMember, FakeRole, FakeUser

if TYPE_CHECKING:
    from ..state import FakeState


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
