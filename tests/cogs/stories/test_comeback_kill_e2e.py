"""kill -9 of the real bot process (`python -m bot`) while a story's update is being posted
("🌱 Update from OP" in the story's thread) or while a follower's DM about it is in flight:
after the restart the thread has the update once and every follower has one DM about it.

The post is the engine's job `stories.update`, claimed and recorded with its followers' DM jobs
in one transaction; a re-run after a crash sends with the same nonce, so a post Discord stored
before the crash comes back instead of a second one (cogs/stories/comeback_jobs.py)."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from benchmarks.harness import BotProcess, read_db
from cogs.stories import messages as msg
from fakecord import FakeDiscord
from tests.helpers.process import until
from tests.helpers.story_process import ProcessWorld, process_world, share_with_thread, story_bot

pytestmark = pytest.mark.slow  # starts the bot as a child process

UPDATE = "Six weeks later: an offer from a team that really wanted me. Thank you, all of you."
# Where the request is held when the process dies: (whose messages, Discord stored it first).
MOMENTS = {
    "the post, before Discord stored it": ("thread", False),
    "the post, stored, its answer not yet back": ("thread", True),
    "a follower's DM, stored, its answer not yet back": ("dm", True),
}


def updates_in(thread: Any) -> list[dict[str, Any]]:
    return [
        m
        for m in thread.messages
        if any("Update from OP" in (e.get("title") or "") for e in m.get("embeds") or [])
    ]


def update_dms(fake: FakeDiscord, member: Any) -> list[dict[str, Any]]:
    return [m for m in fake.dm_messages(member) if "has an update" in (m.get("content") or "")]


def update_status(bot: BotProcess) -> str | None:
    rows = read_db(bot.db_path, "SELECT status FROM story_updates")
    return str(rows[0][0]) if rows else None


async def follow(w: ProcessWorld, post: dict[str, Any], member: Any) -> None:
    live = w.fake.message(post["id"])
    assert live is not None
    answer = await w.fake.click(member, live, label=msg.FOLLOW)
    assert answer.ephemeral and "You’re following" in (answer.content or ""), answer.content


async def submit_update(w: ProcessWorld, thread: Any) -> None:
    opened = await w.fake.invoke(w.alice, thread, "comeback")
    assert opened.modal is not None, opened.content
    values = {msg.CB_FIELD_TEXT: UPDATE, msg.CB_FIELD_KIND: ["offer"], msg.CB_FIELD_CARD: ["no"]}
    answer = await w.fake.submit_modal(w.alice, thread, opened, values)
    assert msg.CB_ACK_FOOTER in (answer.content or ""), answer.content


@pytest.mark.parametrize("moment", sorted(MOMENTS))
async def test_kill_9_with_the_update_in_flight_posts_once_and_tells_each_follower_once(
    tmp_path: Path, moment: str
) -> None:
    whose, after_store = MOMENTS[moment]
    async with FakeDiscord(patch=False) as fake:
        w = process_world(fake)
        carol = w.guild.add_member("carol")
        followers = (w.bob, carol)
        bot = story_bot(fake, tmp_path)
        await bot.start()
        try:
            post, thread = await share_with_thread(w, bot)
            for member in followers:
                await follow(w, post, member)
            channel_id = thread.id if whose == "thread" else fake.dm_channel(w.bob).id
            hold = fake.hold_next(
                "POST", f"/channels/{channel_id}/messages", after_store=after_store
            )

            await submit_update(w, thread)
            await asyncio.wait_for(hold.arrived.wait(), 30)
            if after_store:  # on Discord; the bot has not heard yet
                stored = updates_in(thread) if whose == "thread" else update_dms(fake, w.bob)
                assert len(stored) == 1
            if whose == "thread":
                assert update_status(bot) == "scheduled"  # nothing recorded yet
            await bot.kill()
            hold.release()
            # The process died inside the run: claimed, never finished.
            kind = "stories.update" if whose == "thread" else "stories.update_dm"
            claimed = "SELECT COUNT(*) FROM job_runs WHERE kind = ? AND status = 'claimed'"
            assert read_db(bot.db_path, claimed, (kind,))[0][0] >= 1

            await bot.start()
            await bot.ready()
            await until(lambda: update_status(bot) == "posted", "the update's record", 60)
            await until(
                lambda: all(update_dms(fake, m) for m in followers), "the followers' DMs", 60
            )
            await until(
                lambda: (
                    not read_db(
                        bot.db_path,
                        "SELECT 1 FROM job_runs WHERE kind LIKE 'stories.update%' "
                        "AND status = 'claimed'",
                    )
                ),
                "every run finished",
                60,
            )
            await asyncio.sleep(3)  # several ticks: whatever could run twice has had its chance
            await fake.settle()

            assert len(updates_in(thread)) == 1, [m.get("embeds") for m in thread.messages]
            for member in followers:
                assert len(update_dms(fake, member)) == 1, member.name
            assert update_dms(fake, w.alice) == []  # the author is not told of her own update
            (message_id,) = read_db(bot.db_path, "SELECT message_id FROM story_updates")[0]
            assert message_id == int(updates_in(thread)[0]["id"])
        finally:
            await bot.stop()
