"""Shared steps for the encouragement end-to-end tests."""

from __future__ import annotations

import asyncio
from typing import Any

import discord

from cogs.stories import messages as stories_msg
from tests.cogs.stories.helpers import StoryWorld, share
from tests.harness import RunningBot


async def post_story_directly(
    app: RunningBot,
    channel: Any,
    *,
    story_id: int,
    label: str = "Story #1",
    stage: str | None = "Onsite",
    text: str = "It ended after the final round.",
    tags: list[Any] | None = None,
) -> dict[str, Any]:
    """Post a story as the stories feature does (bot post, then the "story_posted" event)."""
    target = app.bot.get_channel(channel.id)
    if isinstance(target, discord.ForumChannel):
        applied = [t for t in target.available_tags if t.id in {x.id for x in tags or []}]
        created = await target.create_thread(
            name=f"{label} · {stage}", content=text, applied_tags=applied
        )
        message = created.message
    else:
        assert isinstance(target, discord.TextChannel)
        message = await target.send(text)
    await dispatched(app, "story_posted", story_id, public_id(story_id), message, label, stage)
    found = app.fake.message(message.id)
    assert found is not None
    return found


def public_id(story_id: int) -> str:
    """A stand-in for the stories feature's random public id (16 URL-safe characters)."""
    return f"pub{story_id:013d}"


def encourage_id(story_id: int) -> str:
    return f"enc:write:{public_id(story_id)}"


def me_too_id(story_id: int) -> str:
    return f"enc:metoo:{public_id(story_id)}"


def button(message: dict[str, Any], custom_id: str) -> dict[str, Any]:
    for row in message.get("components") or []:
        for comp in row.get("components") or []:
            if comp.get("custom_id") == custom_id:
                return dict(comp)
    raise AssertionError(f"no button {custom_id!r} on the message")


async def encourage(
    fake: Any,
    guild: Any,
    member: Any,
    post: dict[str, Any],
    story_id: int,
    text: str,
    *,
    anonymous: bool,
) -> Any:
    """Click Encourage on the post and submit the modal."""
    opened = await fake.click(member, post, custom_id=encourage_id(story_id))
    assert opened.modal is not None
    channel = guild.get_channel(int(post["channel_id"]))
    choice = ["anonymous"] if anonymous else ["named"]
    return await fake.submit_modal(
        member, channel, opened, {"Your message": text, "How to sign it": choice}
    )


async def dispatched(app: RunningBot, event: str, *args: Any) -> None:
    """Dispatch a bot event and wait until its listeners have finished (and the bot settled)."""
    before = {t for t in asyncio.all_tasks() if t.get_name().startswith("discord.py: on_")}
    app.bot.dispatch(event, *args)
    await asyncio.sleep(0)
    mine = {t for t in asyncio.all_tasks() if t.get_name().startswith("discord.py: on_")} - before
    if mine:
        await asyncio.wait(mine, timeout=10)
    await app.fake.settle()


async def shared_story(
    app: RunningBot, w: StoryWorld, member: Any, *, dm: bool = False, **share_fields: Any
) -> tuple[dict[str, Any], Any]:
    """Share a story through /share as `member` (optionally asking for DMs about it), let the
    runner post it, and return the post and its thread (the forum post itself in a forum)."""
    answer = await share(w, member, **share_fields)
    assert answer.ephemeral and stories_msg.ACK_FOOTER in (answer.content or ""), answer.content
    if dm:
        opted = await w.fake.click(member, answer.message, label=stories_msg.DM_OPT_IN)
        assert opted.ephemeral
    before = {m["id"] for m in _story_posts(w)}
    await app.advance(seconds=120)
    (post,) = [m for m in _story_posts(w) if m["id"] not in before]
    thread = w.guild.get_channel(int(post["id"]))
    assert thread is not None, "the story has no thread"
    return post, thread


def _story_posts(w: StoryWorld) -> list[dict[str, Any]]:
    channel = w.stories
    if channel.threads and not channel.messages:  # a forum: each post is a thread
        return [t.messages[0] for t in channel.threads if t.messages]
    return [m for m in channel.messages if m.get("embeds")]


def story_public_id(post: dict[str, Any]) -> str:
    for row in post.get("components") or []:
        for comp in row.get("components") or []:
            custom_id = str(comp.get("custom_id") or "")
            if custom_id.startswith("enc:write:"):
                return custom_id.removeprefix("enc:write:")
    raise AssertionError("the post has no Encourage button")


async def encourage_post(
    w: StoryWorld, member: Any, post: dict[str, Any], text: str, *, anonymous: bool
) -> Any:
    """Click Encourage on a story post and submit the modal."""
    live = w.fake.message(post["id"])
    opened = await w.fake.click(member, live, label="Encourage")
    assert opened.modal is not None
    channel = w.guild.get_channel(int(post["channel_id"]))
    choice = ["anonymous"] if anonymous else ["named"]
    return await w.fake.submit_modal(
        member, channel, opened, {"Your message": text, "How to sign it": choice}
    )
