"""Shared steps for the encouragement end-to-end tests."""

from __future__ import annotations

from typing import Any

from cogs.stories import messages as stories_msg
from tests.harness import RunningBot
from tests.helpers.stories import StoryWorld, share


async def shared_story(
    app: RunningBot, w: StoryWorld, member: Any, *, dm: bool = False, **share_fields: Any
) -> tuple[dict[str, Any], Any]:
    """Share a story through /share as `member` (optionally asking for DMs about it), let the
    runner post it, and return the post and its thread (the forum post itself in a forum)."""
    before = {m["id"] for m in _story_posts(w)}
    answer = await share(w, member, **share_fields)
    assert answer.ephemeral and stories_msg.ACK_FOOTER in (answer.content or ""), answer.content
    if dm:
        opted = await w.fake.click(member, answer.message, label=stories_msg.DM_OPT_IN)
        assert opted.ephemeral
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
