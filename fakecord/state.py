"""The emulator's world state and the gateway events that changes to it cause."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from . import models as M
from .messages import StoredFile, public
from .models import (
    AnyChannel,
    FakeChannel,
    FakeDMChannel,
    FakeGuild,
    FakeMember,
    FakeRole,
    FakeThread,
    FakeUser,
)
from .util import JSON, SnowflakeGenerator

if TYPE_CHECKING:
    from .gateway import GatewayHub

log = logging.getLogger("fakecord")

# Gateway intents (events/gateway.mdx)
GUILDS = 1 << 0
GUILD_MEMBERS = 1 << 1
GUILD_PRESENCES = 1 << 8
GUILD_MESSAGES = 1 << 9
GUILD_MESSAGE_REACTIONS = 1 << 10
DIRECT_MESSAGES = 1 << 12
DIRECT_MESSAGE_REACTIONS = 1 << 13
MESSAGE_CONTENT = 1 << 15
PRIVILEGED_INTENTS = GUILD_MEMBERS | GUILD_PRESENCES | MESSAGE_CONTENT


class FakeState:
    """Everything the fake Discord knows. The driver (:class:`FakeDiscord`) wraps it."""

    def __init__(self, *, token: str, bot_name: str) -> None:
        self.ids = SnowflakeGenerator()
        self._now: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC)
        self.token = token
        self.base_url = "http://127.0.0.1:0"
        self.gateway_url = "ws://127.0.0.1:0/"
        self.users: dict[int, FakeUser] = {}
        self.bot_user = self.create_user(bot_name, bot=True)
        self.application_id: int = self.bot_user.id
        self.guilds: dict[int, FakeGuild] = {}
        self.channels: dict[int, AnyChannel] = {}
        self.dm_channels: dict[int, FakeDMChannel] = {}
        self.messages: dict[int, tuple[AnyChannel, JSON]] = {}
        self.files: dict[int, StoredFile] = {}
        self.global_commands: list[JSON] = []
        self.guild_commands: dict[int, list[JSON]] = {}
        self.command_ids: dict[tuple[int | None, int, str], int] = {}
        self.hub: GatewayHub | None = None
        self.reactions: list[JSON] = []
        self.on_change: list[Callable[[], None]] = []
        # Idempotent creates: (author id, channel id, nonce) -> (message id, monotonic time).
        self.nonce_window = 300.0
        self.nonces: dict[tuple[int, int, str], tuple[int, float]] = {}
        self.nonce_hits = 0
        # GET /gateway/bot: recommended shards = ceil(guilds / this); session start limit.
        self.guilds_per_shard = 1000
        self.max_concurrency = 1

    # -- time, ids, users -----------------------------------------------------------------------
    def use_clock(self, now: Callable[[], dt.datetime]) -> None:
        """Take "now" from ``now`` (aware) instead of the system clock: new ids (so message
        timestamps), edits, joins and thread times follow it. The playground moves it with the
        bot's clock; tests keep real time."""
        self._now = now
        self.ids.follow(lambda: now().timestamp())

    def now(self) -> dt.datetime:
        return self._now()

    def next_id(self) -> int:
        return self.ids.next()

    def create_user(
        self, name: str, *, global_name: str | None = None, bot: bool = False
    ) -> FakeUser:
        user = FakeUser(self, self.next_id(), name, global_name=global_name, bot=bot)
        self.users[user.id] = user
        return user

    # -- gateway plumbing -----------------------------------------------------------------------
    def dispatch(
        self,
        event: str,
        data: Any,
        *,
        intent: int | None = None,
        on_written: Callable[[], None] | None = None,
    ) -> None:
        if self.hub is not None:
            self.hub.dispatch(event, data, intent=intent, on_written=on_written)

    def _bot_sees(self, guild: FakeGuild | None) -> bool:
        return guild is None or guild.bot_present

    # -- guilds ---------------------------------------------------------------------------------
    def create_guild(
        self, name: str, *, with_bot: bool = True, owner_name: str = "owner"
    ) -> FakeGuild:
        guild = FakeGuild(self, name, owner_name=owner_name)
        self.guilds[guild.id] = guild
        if with_bot:
            self.add_bot_to_guild(guild)
        return guild

    def add_bot_to_guild(self, guild: FakeGuild) -> None:
        """Invite the bot: bot member with its managed role, GUILD_CREATE if connected."""
        if guild.bot_present:
            return
        guild.bot_present = True
        guild.bot_joined_at = self.now()
        guild._attach_member(self.bot_user, [guild.bot_role])
        if self.hub is not None:
            self.hub.dispatch_guild_create(guild)

    def remove_bot_from_guild(self, guild: FakeGuild) -> None:
        """Kick the bot: GUILD_DELETE (without ``unavailable``); later requests get 403/50001."""
        if not guild.bot_present:
            return
        guild.bot_present = False
        guild.members.pop(self.bot_user.id, None)
        self.dispatch("GUILD_DELETE", {"id": str(guild.id)}, intent=GUILDS)

    def guild_updated(self, guild: FakeGuild) -> None:
        if guild.bot_present:
            self.dispatch("GUILD_UPDATE", guild.to_payload(), intent=GUILDS)

    def role_created(self, role: FakeRole) -> None:
        if role.guild.bot_present:
            payload = {"guild_id": str(role.guild.id), "role": role.to_payload()}
            self.dispatch("GUILD_ROLE_CREATE", payload, intent=GUILDS)

    def member_added(self, member: FakeMember) -> None:
        if member.guild.bot_present:
            payload = member.to_payload() | {"guild_id": str(member.guild.id)}
            self.dispatch("GUILD_MEMBER_ADD", payload, intent=GUILD_MEMBERS)

    def member_updated(self, member: FakeMember) -> None:
        if member.guild.bot_present:
            payload = member.to_payload() | {"guild_id": str(member.guild.id)}
            self.dispatch("GUILD_MEMBER_UPDATE", payload, intent=GUILD_MEMBERS)

    # -- channels -------------------------------------------------------------------------------
    def channel_created(self, channel: FakeChannel) -> None:
        self.channels[channel.id] = channel
        if channel.guild.bot_present:
            self.dispatch("CHANNEL_CREATE", channel.to_payload(), intent=GUILDS)

    def channel_updated(self, channel: FakeChannel | FakeThread) -> None:
        if not channel.guild.bot_present:
            return
        if isinstance(channel, FakeThread):
            payload = channel.to_payload(bot_id=self.bot_user.id)
            self.dispatch("THREAD_UPDATE", payload, intent=GUILDS)
        else:
            self.dispatch("CHANNEL_UPDATE", channel.to_payload(), intent=GUILDS)

    def delete_channel(self, channel: FakeChannel | FakeThread) -> None:
        if channel.deleted:
            return
        channel.deleted = True
        guild = channel.guild
        if isinstance(channel, FakeThread):
            payload = {
                "id": str(channel.id),
                "guild_id": str(guild.id),
                "parent_id": str(channel.parent.id),
                "type": channel.type,
            }
            if guild.bot_present:
                self.dispatch("THREAD_DELETE", payload, intent=GUILDS)
            return
        for thread in channel.threads:
            thread.deleted = True
        if channel in guild.channels:
            guild.channels.remove(channel)
        if guild.system_channel is channel:
            guild.system_channel = None
        if guild.bot_present:
            self.dispatch("CHANNEL_DELETE", channel.to_payload(), intent=GUILDS)

    def create_thread(
        self,
        parent: FakeChannel,
        name: str,
        *,
        owner: FakeUser,
        type_: int = M.PUBLIC_THREAD,
        thread_id: int | None = None,
        auto_archive_duration: int = 1440,
        applied_tags: list[int] | None = None,
        invitable: bool = True,
    ) -> FakeThread:
        thread = FakeThread(
            parent,
            thread_id or self.next_id(),
            name,
            owner.id,
            type=type_,
            auto_archive_duration=auto_archive_duration,
            applied_tags=list(applied_tags or []),
            invitable=invitable,
            created_at=self.now(),
        )
        thread.member_ids.add(owner.id)
        parent.threads.append(thread)
        self.channels[thread.id] = thread
        if parent.guild.bot_present:
            payload = thread.to_payload(bot_id=self.bot_user.id) | {"newly_created": True}
            self.dispatch("THREAD_CREATE", payload, intent=GUILDS)
        return thread

    def dm_channel(self, user: FakeUser) -> FakeDMChannel:
        chan = self.dm_channels.get(user.id)
        if chan is None:
            chan = FakeDMChannel(self, self.next_id(), user)
            self.dm_channels[user.id] = chan
            self.channels[chan.id] = chan
        return chan

    def shard_of(self, guild_id: int, shard_count: int) -> int:
        """Discord's rule: (guild_id >> 22) % shard_count."""
        return (guild_id >> 22) % shard_count

    def recommended_shards(self) -> int:
        present = sum(1 for g in self.guilds.values() if g.bot_present)
        return max(1, -(-present // self.guilds_per_shard))

    # -- messages -------------------------------------------------------------------------------
    def find_message(self, message_id: int) -> tuple[AnyChannel, JSON] | None:
        return self.messages.get(message_id)

    def store_message(self, channel: AnyChannel, msg: JSON, *, ephemeral: bool = False) -> None:
        mid = int(msg["id"])
        self.messages[mid] = (channel, msg)
        if ephemeral:
            return
        channel.messages.append(msg)
        channel.last_message_id = mid
        if isinstance(channel, FakeThread):
            channel.total_message_sent += 1
        self._message_event("MESSAGE_CREATE", channel, msg)
        self._changed()

    def message_updated(self, channel: AnyChannel, msg: JSON) -> None:
        if msg["flags"] & (1 << 6):
            return
        self._message_event("MESSAGE_UPDATE", channel, msg)
        self._changed()

    def delete_message(self, channel: AnyChannel, msg: JSON) -> None:
        mid = int(msg["id"])
        self.messages.pop(mid, None)
        if msg in channel.messages:
            channel.messages.remove(msg)
            payload: JSON = {"id": str(mid), "channel_id": str(channel.id)}
            if channel.guild is not None:
                payload["guild_id"] = str(channel.guild.id)
            self.dispatch("MESSAGE_DELETE", payload, intent=self._message_intent(channel))
        self._changed()

    def _message_intent(self, channel: AnyChannel) -> int:
        return DIRECT_MESSAGES if isinstance(channel, FakeDMChannel) else GUILD_MESSAGES

    def _message_event(self, event: str, channel: AnyChannel, msg: JSON) -> None:
        guild = channel.guild
        if guild is not None and not guild.bot_present:
            return
        payload = public(msg)
        if guild is not None:
            author = guild.get_member(int(msg["author"]["id"]))
            if author is not None:
                payload["member"] = author.to_payload(with_user=False)
        self.dispatch(event, payload, intent=self._message_intent(channel))

    def _changed(self) -> None:
        for cb in list(self.on_change):
            cb()
