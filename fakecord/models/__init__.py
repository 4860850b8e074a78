"""The fake Discord world: users, guilds, roles, members, channels, threads and DMs.

Every object has ``.id`` (an int snowflake) and ``.name``, and renders itself as the payload
Discord would send (``to_payload()``, shaped after the spec's ``*Response`` schemas). Creating
objects after the bot connected dispatches the matching gateway event. ``people`` (users, roles,
members), ``channels`` (channels, threads, DMs) and ``guilds``.
"""

from .channels import (
    ANNOUNCEMENT,
    ANNOUNCEMENT_THREAD,
    DM,
    FORUM,
    PRIVATE_THREAD,
    PUBLIC_THREAD,
    TEXT,
    AnyChannel,
    FakeChannel,
    FakeDMChannel,
    FakeThread,
    ForumTag,
    channel_guild,
)
from .guilds import FakeGuild
from .people import FakeMember, FakeRole, FakeUser, as_user, snowflake_of

__all__ = [
    "ANNOUNCEMENT",
    "ANNOUNCEMENT_THREAD",
    "DM",
    "FORUM",
    "PRIVATE_THREAD",
    "PUBLIC_THREAD",
    "TEXT",
    "AnyChannel",
    "FakeChannel",
    "FakeDMChannel",
    "FakeGuild",
    "FakeMember",
    "FakeRole",
    "FakeThread",
    "FakeUser",
    "ForumTag",
    "as_user",
    "channel_guild",
    "snowflake_of",
]
