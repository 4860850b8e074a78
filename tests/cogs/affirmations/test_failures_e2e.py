"""When Discord says no: pause after the first failure, tell the server once, never loop."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import discord

from tests.harness import running_bot
from tests.helpers.affirmations import failing_requests, posts, setup

START = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)


def notices(world: Any, system: Any) -> list[dict[str, Any]]:
    """Pause notices: in the system channel, or else the owner's DMs."""
    found = [m for m in system.messages if "paused" in m.get("content", "")]
    found += [
        m for m in world.fake.dm_messages(world.guild.owner) if "paused" in m.get("content", "")
    ]
    return found


async def status_state(world: Any, where: Any = None) -> str:
    status = await world.fake.invoke(world.mod, where or world.channel, "affirmations status")
    (state,) = [line for line in status.content.splitlines() if line.startswith("State:")]
    return state


async def test_deleted_channel_pauses_with_one_notice_and_no_retry_loop(
    world: Any, tmp_path: Path
) -> None:
    system = world.guild.create_text_channel("general")
    world.guild.set_system_channel(system)
    async with running_bot(world.fake, data_dir=tmp_path, now=START) as app:
        await setup(app, world)
        world.fake.delete_channel(world.channel)
        await world.fake.settle()
        await app.advance(days=3)
        to_channel = [r for r in world.fake.requests if f"/channels/{world.channel.id}/" in r.path]
        assert len([r for r in to_channel if r.status >= 400]) <= 1
        assert len(notices(world, system)) == 1
        assert "deleted" in await status_state(world, system)


async def test_revoked_permission_pauses_once_then_resume_restarts(
    world: Any, tmp_path: Path
) -> None:
    system = world.guild.create_text_channel("general")
    world.guild.set_system_channel(system)
    async with running_bot(world.fake, data_dir=tmp_path, now=START) as app:
        await setup(app, world)
        await app.advance(days=1)
        assert len(posts(world.channel)) == 1
        deny = discord.Permissions(send_messages=True).value
        world.fake.set_bot_permissions(world.channel, allow=0, deny=deny)
        await world.fake.settle()
        before = len(failing_requests(app))
        await app.advance(days=4)
        assert len(failing_requests(app)) - before <= 1
        assert len(posts(world.channel)) == 1
        assert len(notices(world, system)) == 1
        assert "permission" in await status_state(world)

        refused = await world.fake.invoke(world.mod, world.channel, "affirmations resume")
        assert refused.ephemeral and "Send Messages" in refused.content
        world.fake.set_bot_permissions(world.channel, allow=0, deny=0)
        await world.fake.settle()
        resumed = await world.fake.invoke(world.mod, world.channel, "affirmations resume")
        assert "Back on" in resumed.content
        await app.advance(days=1)
        assert len(posts(world.channel)) == 2


async def test_failure_discord_reports_pauses_after_one_request(world: Any, tmp_path: Path) -> None:
    """When the cache cannot know (a 403 out of the blue), one failed send pauses."""
    async with running_bot(world.fake, data_dir=tmp_path, now=START) as app:
        await setup(app, world)
        world.fake.fail_next("POST", f"/channels/{world.channel.id}/messages", status=403, count=5)
        await app.advance(days=3)
        posts_tried = [
            r
            for r in world.fake.requests
            if r.method == "POST" and r.path == f"/channels/{world.channel.id}/messages"
        ]
        assert len(posts_tried) == 1
        assert "permission" in await status_state(world)
        # No system channel here: the owner hears about it by DM, once.
        assert len(notices(world, world.channel)) == 1


async def test_bot_removed_from_server_stops_its_schedule(world: Any, tmp_path: Path) -> None:
    async with running_bot(world.fake, data_dir=tmp_path, now=START) as app:
        await setup(app, world)
        world.fake.remove_bot_from_guild(world.guild)
        await world.fake.settle()
        await app.advance(days=2)
        assert posts(world.channel) == []
        # (The server's data-retention job is the only schedule left: see cogs/privacy.)
        assert (
            await app.store.fetchone(
                "SELECT 1 FROM scheduled_jobs WHERE kind LIKE 'affirmations.%'"
            )
            is None
        )
        row = await app.store.fetchone("SELECT pause_reason FROM affirmation_schedules")
        assert row is not None and row["pause_reason"] == "bot_removed"


async def test_a_post_discord_refuses_leaves_the_deck_as_it_was(world: Any, tmp_path: Path) -> None:
    """The card is taken from the deck only with the post's record: a refused post (or a crash
    before the record) leaves it, so the next post, or the re-send, uses that same card."""
    async with running_bot(world.fake, data_dir=tmp_path, now=START) as app:
        await setup(app, world)
        await app.advance(days=1)
        assert len(posts(world.channel)) == 1
        after_first = await app.store.fetchall("SELECT owner, deck FROM affirmation_decks")
        assert len(after_first) == 1
        world.fake.fail_next("POST", f"/channels/{world.channel.id}/messages", status=403)
        await app.advance(days=1)
        assert len(posts(world.channel)) == 1  # refused: nothing new
        assert "permission" in await status_state(world)
        unchanged = await app.store.fetchall("SELECT owner, deck FROM affirmation_decks")
        assert [tuple(r) for r in unchanged] == [tuple(r) for r in after_first]
