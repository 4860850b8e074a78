"""Shared steps for the encouragement end-to-end tests."""

from __future__ import annotations

import asyncio
from typing import Any

import discord

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
