"""The demo server the playground starts with: "Career Circle" and its people."""

from __future__ import annotations

from dataclasses import dataclass

import discord

from fakecord import FakeDiscord
from fakecord.models import FakeChannel, FakeGuild, FakeMember

GUILD_NAME = "Career Circle"
TEXT_CHANNELS = ("general", "affirmations", "stories", "accountability", "mod-queue")
FORUM_CHANNEL = "stories-forum"
FORUM_TAGS = ["final round", "phone screen", "offer withdrawn"]


@dataclass(frozen=True)
class Person:
    """Someone the visitor can be on the page."""

    key: str  # stable across runs: "owner", "moderator", "alex", "sam"
    label: str  # what the picker says


PEOPLE = (
    Person("owner", "Jordan (server owner)"),
    Person("moderator", "Riley (moderator)"),
    Person("alex", "Alex (member)"),
    Person("sam", "Sam (member)"),
)


def seed(fake: FakeDiscord) -> FakeGuild:
    """Build Career Circle before the bot connects (as a test does)."""
    guild = fake.create_guild(GUILD_NAME, owner_name="jordan")
    owner = guild.get_member(guild.owner_id)
    assert owner is not None
    owner.user.global_name = "Jordan"
    for name in TEXT_CHANNELS:
        guild.create_text_channel(name)
    guild.create_forum_channel(FORUM_CHANNEL, tags=FORUM_TAGS)
    guild.set_system_channel(guild.channel("general"))
    mod_perms = discord.Permissions(
        manage_guild=True, manage_messages=True, manage_threads=True
    ).value
    guild.add_member("riley", permissions=mod_perms, global_name="Riley")
    guild.add_member("alex", global_name="Alex")
    guild.add_member("sam", global_name="Sam")
    return guild


def guild_of(fake: FakeDiscord) -> FakeGuild:
    for guild in fake.guilds:
        if guild.name == GUILD_NAME:
            return guild
    raise LookupError("the demo server is missing")


def people(fake: FakeDiscord) -> dict[str, FakeMember]:
    """The playground's people by key, looked up in the emulator's state."""
    guild = guild_of(fake)
    by_name = {m.user.name: m for m in guild.members.values()}
    owner = guild.get_member(guild.owner_id)
    assert owner is not None
    return {
        "owner": owner,
        "moderator": by_name["riley"],
        "alex": by_name["alex"],
        "sam": by_name["sam"],
    }


def channel_named(fake: FakeDiscord, name: str) -> FakeChannel:
    return guild_of(fake).channel(name)
