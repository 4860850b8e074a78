"""Creates without a nonce (bot/creating.py) against the local Discord: one request per attempt,
160004 as "made", a look-up among active and archived threads before trying again."""

from __future__ import annotations

from pathlib import Path

import discord
import pytest

from bot.creating import Creator, marked_name
from bot.scheduling import RetryLater
from bot.sending import PermanentFailure
from fakecord import FakeDiscord
from tests.harness import running_bot

FROM_MESSAGE = "/channels/{channel_id}/messages/{message_id}/threads"
THREADS = "/channels/{channel_id}/threads"


def quick(creator: Creator) -> Creator:
    creator._backoff = (0.01, 0.01)
    return creator


async def test_a_thread_on_a_message_stored_then_500_is_made_once_and_known(
    tmp_path: Path,
) -> None:
    async with FakeDiscord() as fake:
        guild = fake.create_guild("Circle")
        chan = guild.create_text_channel("stories")
        async with running_bot(fake, data_dir=tmp_path) as app:
            sent = await app.bot.sender.send(chan.id, nonce="n1", content="a story")
            fake.fail_after_store("POST", FROM_MESSAGE, status=500)
            # The second try meets 160004 ("already created"): made.
            thread_id = await quick(app.bot.creator).thread_on_message(
                chan.id, sent.id, name="Story #1"
            )
            assert thread_id == sent.id
            assert [t.id for t in chan.threads] == [sent.id]
            # One request per attempt: discord.py did not send the 500 again by itself.
            assert len(fake.requests_to("POST", FROM_MESSAGE)) == 2


async def test_a_thread_on_a_message_after_a_plain_503_is_made_on_the_next_try(
    tmp_path: Path,
) -> None:
    async with FakeDiscord() as fake:
        guild = fake.create_guild("Circle")
        chan = guild.create_text_channel("stories")
        async with running_bot(fake, data_dir=tmp_path) as app:
            sent = await app.bot.sender.send(chan.id, nonce="n1", content="a story")
            fake.fail_next("POST", FROM_MESSAGE, status=503)
            thread_id = await quick(app.bot.creator).thread_on_message(
                chan.id, sent.id, name="Story #1"
            )
            assert thread_id == sent.id
            assert len(chan.threads) == 1


async def test_a_forum_post_stored_then_500_is_found_by_its_name_not_posted_twice(
    tmp_path: Path,
) -> None:
    async with FakeDiscord() as fake:
        guild = fake.create_guild("Circle")
        forum = guild.create_forum_channel("stories")
        async with running_bot(fake, data_dir=tmp_path) as app:
            channel = app.bot.get_channel(forum.id)
            assert isinstance(channel, discord.ForumChannel)
            fake.fail_after_store("POST", THREADS, status=500)
            post = await quick(app.bot.creator).forum_post(
                channel, name="Story #1", content="a story"
            )
            assert len(forum.threads) == 1
            assert post.thread_id == forum.threads[0].id == post.message_id
            assert len(fake.requests_to("POST", THREADS)) == 1
            assert fake.requests_to("GET", "/guilds/{guild_id}/threads/active")


async def test_a_forum_post_archived_since_is_found_before_a_later_run_creates(
    tmp_path: Path,
) -> None:
    async with FakeDiscord() as fake:
        guild = fake.create_guild("Circle")
        forum = guild.create_forum_channel("stories")
        async with running_bot(fake, data_dir=tmp_path) as app:
            channel = app.bot.get_channel(forum.id)
            assert isinstance(channel, discord.ForumChannel)
            first = await app.bot.creator.forum_post(channel, name="Roundup", content="hi")
            fake.archive_thread(forum.threads[0])
            again = await app.bot.creator.forum_post(
                channel, name="Roundup", content="hi", look_first=True
            )
            assert again == first
            assert len(forum.threads) == 1
            assert fake.requests_to("GET", "/channels/{channel_id}/threads/archived/public")


async def test_a_private_thread_stored_then_503_is_found_by_its_marker(tmp_path: Path) -> None:
    async with FakeDiscord() as fake:
        guild = fake.create_guild("Circle")
        chan = guild.create_text_channel("check-ins")
        async with running_bot(fake, data_dir=tmp_path) as app:
            creator = quick(app.bot.creator)
            name = marked_name("Weekly check-in", creator.marker("streaks.weekly", "key-1"))
            fake.fail_after_store("POST", THREADS, status=503)
            thread_id = await creator.private_thread(chan.id, guild_id=guild.id, name=name)
            assert [(t.id, t.type, t.owner_id) for t in chan.threads] == [
                (thread_id, 12, fake.bot_user.id)
            ]
            # Archived meanwhile: a later run looks in the bot's archived private threads.
            fake.archive_thread(chan.threads[0])
            again = await creator.private_thread(
                chan.id, guild_id=guild.id, name=name, look_first=True
            )
            assert again == thread_id and len(chan.threads) == 1
            path = "/channels/{channel_id}/users/@me/threads/archived/private"
            assert fake.requests_to("GET", path)


async def test_another_members_private_thread_is_not_taken_for_ours(tmp_path: Path) -> None:
    async with FakeDiscord() as fake:
        guild = fake.create_guild("Circle")
        chan = guild.create_text_channel("check-ins")
        alice = guild.add_member("alice")
        async with running_bot(fake, data_dir=tmp_path) as app:
            creator = app.bot.creator
            name = marked_name("Weekly check-in", creator.marker("streaks.weekly", "key-1"))
            other = marked_name("Weekly check-in", creator.marker("streaks.weekly", "key-2"))
            assert name != other and "key" not in name
            fake.create_thread(chan, name, owner=alice, private=True)  # same name, not ours
            mine = await creator.private_thread(
                chan.id, guild_id=guild.id, name=name, look_first=True
            )
            theirs = await creator.private_thread(
                chan.id, guild_id=guild.id, name=other, look_first=True
            )
            assert len({mine, theirs}) == 2 and len(chan.threads) == 3


async def test_a_create_that_keeps_failing_asks_to_be_retried_later(tmp_path: Path) -> None:
    async with FakeDiscord() as fake:
        guild = fake.create_guild("Circle")
        chan = guild.create_text_channel("check-ins")
        async with running_bot(fake, data_dir=tmp_path) as app:
            creator = quick(app.bot.creator)
            fake.fail_next("POST", THREADS, status=500, count=3)
            with pytest.raises(RetryLater):
                await creator.private_thread(chan.id, guild_id=guild.id, name="x · abc")
            # Three tries, each one request (discord.py would have sent five per try).
            assert len(fake.requests_to("POST", THREADS)) == 3
            assert chan.threads == []
            fake.set_bot_permissions(chan, deny=1 << 36)  # no Create Private Threads
            with fake.expect_rejections(), pytest.raises(PermanentFailure):
                await creator.private_thread(chan.id, guild_id=guild.id, name="x · abc")
