"""Shared steps for the stories end-to-end tests."""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

import discord

from cogs.stories import messages as msg
from tests.harness import RunningBot

STORY = (
    "Made it to the final round after six weeks of interviews. The panel seemed to love the "
    "system design part, then a short email said they went with someone else. I keep replaying "
    "the last question."
)


@dataclass
class StoryWorld:
    """The conftest world plus a stories channel, a moderators' channel and more members."""

    fake: Any
    guild: Any
    channel: Any  # where members run commands
    stories: Any
    mods: Any
    mod: Any
    alice: Any
    bob: Any


def story_world(world: Any) -> StoryWorld:
    guild = world.guild
    stories = guild.create_text_channel("stories")
    mods = guild.create_text_channel("mod-queue")
    bob = guild.add_member("bob")
    moderator_perms = discord.Permissions(manage_guild=True, manage_messages=True).value
    mod = guild.add_member("kim-the-mod", permissions=moderator_perms)
    return StoryWorld(world.fake, guild, world.channel, stories, mods, mod, world.alice, bob)


async def configure(w: StoryWorld, **options: Any) -> Any:
    """/stories settings as the moderator; stories go out without delay unless told."""
    options.setdefault("channel", w.stories)
    options.setdefault("max_delay", 0)
    result = await w.fake.invoke(w.mod, w.channel, "stories settings", **options)
    assert result.ephemeral
    assert result.content and msg.SETTINGS_SAVED in result.content, result.content
    return result


async def open_share(w: StoryWorld, member: Any) -> Any:
    return await w.fake.invoke(member, w.channel, "share")


async def share(
    w: StoryWorld,
    member: Any,
    text: str = STORY,
    stage: str = "final_round",
    **fields: Any,
) -> Any:
    """/share and submit the modal; returns the answer to the submission."""
    opened = await open_share(w, member)
    assert opened.modal is not None, opened.content
    values: dict[str, Any] = {msg.FIELD_STORY: text, msg.FIELD_STAGE: [stage]}
    names = {"takeaway": msg.FIELD_TAKEAWAY, "help": msg.FIELD_HELP, "company": msg.FIELD_COMPANY}
    for key, value in fields.items():
        values[names[key]] = [value] if key == "help" else value
    return await w.fake.submit_modal(member, w.channel, opened, values)


def posts(channel: Any) -> list[dict[str, Any]]:
    return [m for m in channel.messages if m.get("embeds")]


async def share_and_post(app: RunningBot, w: StoryWorld, member: Any, **kwargs: Any) -> Any:
    answer = await share(w, member, **kwargs)
    assert answer.ephemeral and msg.ACK_FOOTER in (answer.content or ""), answer.content
    await app.advance(seconds=120)
    return answer


class _LongestDelay(random.Random):
    """Always the longest delay the server allows, so a test knows when a story is due."""

    def randint(self, a: int, b: int) -> int:
        return b


def longest_delays(app: RunningBot) -> None:
    cog = app.bot.get_cog("Stories")
    assert cog is not None
    cog.service.rng = _LongestDelay()  # type: ignore[attr-defined]


async def shared_with_the_longest_delay(
    app: RunningBot, w: StoryWorld, member: Any, *, seconds: int = 60
) -> Any:
    """/stories settings with a delay of `seconds`, always taken in full, and a story shared:
    it is due exactly `seconds` from now. Returns the answer to the submission."""
    longest_delays(app)
    await configure(w, max_delay=seconds)
    return await share(w, member)
