"""Thread creates and listings as Discord does them: 160004 on a second thread for a message,
"store then 5xx" on every thread-creating route, active and archived listings (public, private,
the bot's own private), each answer checked against the pinned OpenAPI file."""

from __future__ import annotations

import discord
import pytest

from fakecord import FakeDiscord
from tests.emulator.conftest import Client, World, running

FROM_MESSAGE = "/channels/{channel_id}/messages/{message_id}/threads"
THREADS = "/channels/{channel_id}/threads"


async def test_a_second_thread_for_one_message_answers_160004(
    fake: FakeDiscord, world: World
) -> None:
    async with running(Client(), fake) as client:
        http = client.http
        message = await http.send_message(world.chan.id, params=_text("hello"))
        await http.start_thread_with_message(
            world.chan.id, message["id"], name="one", auto_archive_duration=1440
        )
        with pytest.raises(discord.HTTPException) as raised:
            await http.start_thread_with_message(
                world.chan.id, message["id"], name="two", auto_archive_duration=1440
            )
        assert raised.value.code == 160004 and raised.value.status == 400
        assert len(world.chan.threads) == 1


@pytest.mark.parametrize(
    ("route", "kind"), [(FROM_MESSAGE, "message"), (THREADS, "forum"), (THREADS, "private")]
)
async def test_store_then_5xx_makes_the_thread_and_loses_the_answer(
    fake: FakeDiscord, world: World, route: str, kind: str
) -> None:
    async with running(Client(), fake) as client:
        http = client.http
        message = await http.send_message(world.chan.id, params=_text("hello"))
        fake.fail_after_store("POST", route, status=503)
        with pytest.raises(discord.DiscordServerError):
            if kind == "message":
                await http.start_thread_with_message(
                    world.chan.id, message["id"], name="t", auto_archive_duration=1440
                )
            elif kind == "forum":
                forum = client.get_channel(world.forum.id)
                assert isinstance(forum, discord.ForumChannel)
                await forum.create_thread(name="t", content="post")
            else:
                await http.start_thread_without_message(
                    world.chan.id, name="t", auto_archive_duration=1440, type=12
                )
        parent = world.forum if kind == "forum" else world.chan
        assert [t.name for t in parent.threads] == ["t"]


async def test_active_and_archived_listings(fake: FakeDiscord, world: World) -> None:
    async with running(Client(), fake) as client:
        http = client.http
        public = await http.start_thread_without_message(
            world.chan.id, name="public", auto_archive_duration=1440, type=11
        )
        private = await http.start_thread_without_message(
            world.chan.id, name="private", auto_archive_duration=1440, type=12
        )
        by_alice = fake.create_thread(world.chan, "alice's", owner=world.alice, private=True)
        active = await http.get_active_threads(world.guild.id)
        # The bot has Manage Threads: it sees every private thread too.
        assert {t["name"] for t in active["threads"]} == {"public", "private", "alice's"}
        for thread in world.chan.threads:
            fake.archive_thread(thread)
        assert (await http.get_active_threads(world.guild.id))["threads"] == []
        archived = await http.get_public_archived_threads(world.chan.id)
        assert [t["id"] for t in archived["threads"]] == [public["id"]]
        assert archived["has_more"] is False
        every_private = await http.get_private_archived_threads(world.chan.id)
        assert {t["id"] for t in every_private["threads"]} == {private["id"], str(by_alice.id)}
        mine = await http.get_joined_private_archived_threads(world.chan.id)
        assert [t["id"] for t in mine["threads"]] == [private["id"]]
        # Paging: newest archived first, `before` moves on.
        page = await http.get_private_archived_threads(world.chan.id, limit=2)
        assert len(page["threads"]) == 2
        fake.set_bot_permissions(world.chan, deny=1 << 34)  # no Manage Threads
        with pytest.raises(discord.Forbidden):
            await http.get_private_archived_threads(world.chan.id)
        assert [
            t["id"]
            for t in (await http.get_joined_private_archived_threads(world.chan.id))["threads"]
        ] == [private["id"]]


def _text(content: str) -> discord.http.MultipartParameters:
    with discord.http.handle_message_parameters(content=content) as params:
        return params
