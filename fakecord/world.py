"""The world as people and admins change it: guilds, members, channels, threads, DMs,
permissions, outages. Each change reaches the bot as the gateway event Discord would send."""

from __future__ import annotations

from typing import Any

from . import permissions as P
from .gateway import GatewayHub
from .messages import build_message
from .models import (
    AnyChannel,
    FakeChannel,
    FakeDMChannel,
    FakeGuild,
    FakeMember,
    FakeRole,
    FakeThread,
    FakeUser,
    as_user,
)
from .state import FakeState
from .util import JSON


class World:
    """``fake.world``: build the world before the bot starts, change it while it runs."""

    def __init__(self, state: FakeState, hub: GatewayHub) -> None:
        self.state = state
        self.hub = hub

    def create_guild(
        self, name: str, *, with_bot: bool = True, owner_name: str = "owner"
    ) -> FakeGuild:
        """A guild with @everyone, an owner member (all rights) and, by default, the bot.
        After the bot connected this dispatches GUILD_CREATE."""
        return self.state.create_guild(name, with_bot=with_bot, owner_name=owner_name)

    def create_user(self, name: str, *, global_name: str | None = None) -> FakeUser:
        """A user in no guild (e.g. for a DM)."""
        return self.state.create_user(name, global_name=global_name)

    def add_bot_to_guild(self, guild: FakeGuild) -> None:
        self.state.add_bot_to_guild(guild)

    def remove_bot_from_guild(self, guild: FakeGuild) -> None:
        """GUILD_DELETE; the guild's routes then answer 403/50001."""
        self.state.remove_bot_from_guild(guild)

    def delete_channel(self, channel: FakeChannel | FakeThread) -> None:
        """CHANNEL_DELETE (THREAD_DELETE for a thread); later requests get 404/10003."""
        self.state.delete_channel(channel)

    def set_bot_permissions(
        self, channel: FakeChannel | FakeThread, allow: int = 0, deny: int = 0
    ) -> None:
        """Set the bot's member overwrite on ``channel`` (a thread's parent for a thread) and
        dispatch CHANNEL_UPDATE. ``allow=0, deny=0`` removes the overwrite."""
        target = channel.parent if isinstance(channel, FakeThread) else channel
        target.set_overwrite(self.state.bot_user.id, P.MEMBER_OVERWRITE, allow=allow, deny=deny)

    def set_permissions(
        self,
        channel: FakeChannel | FakeThread,
        target: FakeMember | FakeRole,
        allow: int = 0,
        deny: int = 0,
    ) -> None:
        """A member's or role's overwrite on ``channel`` (a thread's parent), as an admin would
        set it; CHANNEL_UPDATE. Server-only bits (Manage Server …) have no effect there, as on
        Discord. ``allow=0, deny=0`` removes it."""
        parent = channel.parent if isinstance(channel, FakeThread) else channel
        kind = P.ROLE_OVERWRITE if isinstance(target, FakeRole) else P.MEMBER_OVERWRITE
        parent.set_overwrite(target.id, kind, allow=allow, deny=deny)

    def close_dms(self, member: FakeMember | FakeUser) -> None:
        """The bot's messages to this user get 403/50007 from now on."""
        as_user(member).dms_closed = True

    def open_dms(self, member: FakeMember | FakeUser) -> None:
        as_user(member).dms_closed = False

    def dm_channel(self, member: FakeMember | FakeUser) -> FakeDMChannel:
        """The DM channel between the bot and this user (usable as an interaction channel)."""
        return self.state.dm_channel(as_user(member))

    def dm_messages(self, member: FakeMember | FakeUser) -> list[JSON]:
        """Messages in the DM with this user (empty if there is none)."""
        chan = self.state.dm_channels.get(as_user(member).id)
        return chan.messages if chan is not None else []

    def message(self, message_id: int | str) -> JSON | None:
        found = self.state.find_message(int(message_id))
        return found[1] if found else None

    def user_message(
        self, member: FakeMember | FakeUser, channel: AnyChannel, content: str, **body: Any
    ) -> JSON:
        """A message posted by a person (MESSAGE_CREATE; content only with MESSAGE_CONTENT
        unless it mentions the bot or is a DM)."""
        msg = build_message(self.state, channel, as_user(member), {"content": content, **body}, [])
        self.state.store_message(channel, msg)
        return msg

    def create_thread(
        self,
        channel: FakeChannel,
        name: str,
        *,
        owner: FakeMember | FakeUser,
        private: bool = False,
    ) -> FakeThread:
        """A thread started by a person (THREAD_CREATE)."""
        return self.state.create_thread(
            channel, name, owner=as_user(owner), type_=12 if private else 11
        )

    def archive_thread(self, thread: FakeThread, archived: bool = True) -> None:
        """Archive (or unarchive) a thread as Discord does after its inactivity period
        (THREAD_UPDATE): it leaves GET /guilds/{id}/threads/active for the archived lists."""
        thread.archived = archived
        thread.archived_at = self.state.now()
        self.state.channel_updated(thread)

    @property
    def guilds(self) -> list[FakeGuild]:
        return list(self.state.guilds.values())

    def commands(self, guild: FakeGuild | None = None) -> list[JSON]:
        """The commands the bot synced (global, or that guild's)."""
        if guild is None:
            return self.state.global_commands
        return self.state.guild_commands.get(guild.id, [])

    def attachment_bytes(self, attachment: JSON | int | str) -> bytes:
        """The bytes behind an attachment dict (or attachment id)."""
        aid = int(attachment["id"]) if isinstance(attachment, dict) else int(attachment)
        return self.state.files[aid].data

    def start_outage(self, *guilds: FakeGuild) -> None:
        """Make guilds unavailable (a Discord outage): listed unavailable in READY with no
        GUILD_CREATE, and a connected bot gets GUILD_DELETE with ``unavailable: true``."""
        for guild in guilds:
            if guild.outage:
                continue
            guild.outage = True
            if guild.bot_present:
                self.hub.dispatch_guild_event(
                    guild.id, "GUILD_DELETE", {"id": str(guild.id), "unavailable": True}
                )

    def end_outage(self, *guilds: FakeGuild) -> None:
        """Bring guilds back (all of them if none are named): GUILD_CREATE to the bot."""
        for guild in guilds or tuple(self.state.guilds.values()):
            if not guild.outage:
                continue
            guild.outage = False
            if guild.bot_present:
                self.hub.dispatch_guild_create(guild, joined=False)

    def dispatch(self, event: str, data: Any, *, intent: int | None = None) -> None:
        """Send any gateway event to the bot (for cases the emulator does not model)."""
        self.state.dispatch(event, data, intent=intent)
