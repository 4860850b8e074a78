"""REST behaviour: validation, permissions, rate limits, faults, files, mentions, threads."""

from __future__ import annotations

import io
import time

import discord
import pytest

from fakecord import FakeDiscord
from tests.emulator.conftest import Client, World, running

MESSAGES = "/channels/{channel_id}/messages"


def text_channel(client: discord.Client, channel_id: int) -> discord.TextChannel:
    chan = client.get_channel(channel_id)
    assert isinstance(chan, discord.TextChannel)
    return chan


async def test_too_long_message_is_rejected_as_discord_does(
    fake: FakeDiscord, world: World
) -> None:
    async with running(Client(), fake) as client:
        chan = text_channel(client, world.chan.id)
        with (
            fake.expect_rejections(count=1) as rejections,
            pytest.raises(discord.HTTPException) as info,
        ):
            await chan.send("x" * 2001)
        assert info.value.status == 400 and info.value.code == 50035
        assert rejections[0].errors == {
            "content": {
                "_errors": [
                    {"code": "BASE_TYPE_MAX_LENGTH", "message": "Must be 2000 or fewer in length."}
                ]
            }
        }
        await chan.send("x" * 2000)
        assert world.chan.messages[-1]["content"] == "x" * 2000


async def test_bad_command_name_and_embed_total_are_rejected(
    fake: FakeDiscord, world: World
) -> None:
    async with running(Client(), fake) as client:
        app_id = fake.application_id
        with fake.expect_rejections(count=2):
            with pytest.raises(discord.HTTPException) as info:
                await client.http.bulk_upsert_global_commands(
                    app_id, [{"name": "Bad Name", "description": "x", "type": 1}]
                )
            assert info.value.code == 50035
            embeds = [discord.Embed(description="d" * 4000) for _ in range(2)]
            with pytest.raises(discord.HTTPException):
                await text_channel(client, world.chan.id).send(embeds=embeds)
        assert "APPLICATION_COMMAND_INVALID_NAME" in str(fake.rejected[0].errors)
        assert "MAX_EMBED_SIZE_EXCEEDED" in str(fake.rejected[1].errors)


async def test_unexpected_rejection_or_unknown_route_fails_the_test() -> None:
    with pytest.raises(AssertionError, match="unexpected rejected requests"):
        async with FakeDiscord() as fake:
            guild = fake.create_guild("g")
            chan = guild.create_text_channel("c")
            async with running(Client(), fake) as client:
                with pytest.raises(discord.HTTPException):
                    await text_channel(client, chan.id).send("x" * 3000)
    with pytest.raises(AssertionError, match="routes fakecord does not implement"):
        async with FakeDiscord() as fake, running(Client(), fake) as client:
            with pytest.raises(discord.NotFound) as info:
                await client.http.request(discord.http.Route("GET", "/no/such/route"))
            assert info.value.text == "404: Not Found" and info.value.code == 0
            assert [r.path for r in fake.unknown_routes] == ["/no/such/route"]


async def test_revoked_send_permission_answers_50013(fake: FakeDiscord, world: World) -> None:
    async with running(Client(), fake) as client:
        chan = text_channel(client, world.chan.id)
        fake.set_bot_permissions(world.chan, deny=discord.Permissions(send_messages=True).value)
        await client.next_event("channel_update")
        assert not chan.permissions_for(chan.guild.me).send_messages
        with pytest.raises(discord.Forbidden) as info:
            await chan.send("hello")
        assert info.value.code == 50013
        assert fake.invalid_request_count == 1
        fake.set_bot_permissions(world.chan, allow=0, deny=0)
        await client.next_event("channel_update")
        await chan.send("hello again")


async def test_deleted_channel_answers_10003(fake: FakeDiscord, world: World) -> None:
    async with running(Client(), fake) as client:
        fake.delete_channel(world.chan)
        await client.next_event("channel_delete")
        with pytest.raises(discord.NotFound) as info:
            await client.get_partial_messageable(world.chan.id).send("anyone?")
        assert info.value.code == 10003
        with pytest.raises(discord.NotFound):
            await client.fetch_channel(world.chan.id)


async def test_closed_dms_answer_50007(fake: FakeDiscord, world: World) -> None:
    async with running(Client(), fake) as client:
        user = await client.fetch_user(world.alice.id)
        await user.send("welcome")
        assert fake.dm_messages(world.alice)[-1]["content"] == "welcome"
        fake.close_dms(world.alice)
        with pytest.raises(discord.Forbidden) as info:
            await user.send("again")
        assert info.value.code == 50007
        assert len(fake.dm_messages(world.alice)) == 1


async def test_client_obeys_429_and_it_is_counted(fake: FakeDiscord, world: World) -> None:
    async with running(Client(), fake) as client:
        fake.fail_next("POST", MESSAGES, status=429, retry_after=0.1)
        started = time.monotonic()
        await text_channel(client, world.chan.id).send("after a 429")
        assert time.monotonic() - started >= 0.1
        assert fake.count_429 == 1 and fake.invalid_request_count == 1
        assert [r.status for r in fake.requests_to("POST", MESSAGES)] == [429, 200]
        assert fake.requests_to("POST", MESSAGES)[0].response["retry_after"] == 0.1


async def test_route_bucket_headers_make_the_client_wait(fake: FakeDiscord, world: World) -> None:
    fake.set_route_limit("POST", MESSAGES, limit=2, per=0.3)
    async with running(Client(), fake) as client:
        chan = text_channel(client, world.chan.id)
        started = time.monotonic()
        for i in range(3):
            await chan.send(f"message {i}")
        assert time.monotonic() - started >= 0.2
        assert fake.count_429 == 0
        first = fake.requests_to("POST", MESSAGES)[0]
        assert first.status == 200


async def test_global_rate_limit() -> None:
    async with FakeDiscord(global_rate_limit=4) as fake:
        guild = fake.create_guild("g")
        chan = guild.create_text_channel("c")
        async with running(Client(), fake) as client:
            channel = text_channel(client, chan.id)
            for i in range(5):
                await channel.send(f"m{i}")
            assert len(chan.messages) == 5
            assert fake.count_429 >= 1
            limited = [r for r in fake.requests if r.status == 429]
            assert limited[0].response["global"] is True


async def test_injected_500_is_retried(fake: FakeDiscord, world: World) -> None:
    async with running(Client(), fake) as client:
        fake.fail_next("POST", f"/channels/{world.chan.id}/messages", status=500)
        await text_channel(client, world.chan.id).send("eventually")
        assert [r.status for r in fake.requests_to("POST", MESSAGES)] == [500, 200]


async def test_multipart_upload_lands_with_the_file(fake: FakeDiscord, world: World) -> None:
    async with running(Client(), fake) as client:
        chan = text_channel(client, world.chan.id)
        sent = await chan.send(
            "see attached", file=discord.File(io.BytesIO(b"hello bytes"), "note.txt")
        )
        stored = world.chan.messages[-1]
        att = stored["attachments"][0]
        assert att["filename"] == "note.txt" and att["size"] == 11
        assert fake.attachment_bytes(att) == b"hello bytes"
        assert await sent.attachments[0].read() == b"hello bytes"  # served by the emulator
        request = fake.requests_to("POST", MESSAGES)[-1]
        assert request.json["content"] == "see attached"
        assert request.files[0].filename == "note.txt"
        edited = await sent.edit(content="edited", attachments=[])
        assert edited.attachments == [] and stored["content"] == "edited"


async def test_mentions_follow_allowed_mentions(fake: FakeDiscord, world: World) -> None:
    loud = world.guild.create_role("loud", mentionable=True)
    quiet = world.guild.create_role("quiet", mentionable=False)
    content = f"{world.alice.mention} {world.mod.mention} {loud.mention} {quiet.mention} @everyone"
    async with running(Client(), fake) as client:
        chan = text_channel(client, world.chan.id)
        await chan.send(content)
        msg = world.chan.messages[-1]
        assert {m["id"] for m in msg["mentions"]} == {str(world.alice.id), str(world.mod.id)}
        assert msg["mention_roles"] == [str(loud.id)]  # quiet is not mentionable
        assert msg["mention_everyone"] is False  # the bot lacks MENTION_EVERYONE

        await chan.send(
            content,
            allowed_mentions=discord.AllowedMentions(
                users=[discord.Object(world.alice.id)], roles=False, everyone=True
            ),
        )
        msg = world.chan.messages[-1]
        assert [m["id"] for m in msg["mentions"]] == [str(world.alice.id)]
        assert msg["mention_roles"] == []
        assert msg["_allowed_mentions"]["users"] == [world.alice.id]

        fake.set_bot_permissions(world.chan, allow=discord.Permissions(mention_everyone=True).value)
        await client.next_event("channel_update")
        await chan.send(content)
        msg = world.chan.messages[-1]
        assert msg["mention_everyone"] is True
        assert set(msg["mention_roles"]) == {str(loud.id), str(quiet.id)}

        with fake.expect_rejections(count=1), pytest.raises(discord.HTTPException):
            await client.http.send_message(
                world.chan.id,
                params=discord.http.MultipartParameters(
                    payload={
                        "content": content,
                        "allowed_mentions": {"parse": ["users"], "users": [world.alice.id]},
                    },
                    multipart=None,
                    files=None,
                ),
            )


async def test_threads_and_forum_posts(fake: FakeDiscord, world: World) -> None:
    async with running(Client(), fake) as client:
        chan = text_channel(client, world.chan.id)
        starter = await chan.send("starter")
        thread = await starter.create_thread(name="replies", auto_archive_duration=1440)
        assert thread.id == starter.id
        fake_thread = world.chan.thread("replies")
        assert fake_thread.parent is world.chan and world.chan.messages[-1]["thread"]["id"] == str(
            thread.id
        )
        await thread.send("in the thread")
        assert fake_thread.messages[-1]["content"] == "in the thread"

        private = await chan.create_thread(name="private", type=discord.ChannelType.private_thread)
        assert private.type is discord.ChannelType.private_thread

        forum = client.get_channel(world.forum.id)
        assert isinstance(forum, discord.ForumChannel)
        onsite = next(t for t in forum.available_tags if t.name == "Onsite")
        post = await forum.create_thread(
            name="My onsite", content="It went well", applied_tags=[onsite]
        )
        fake_post = world.forum.thread("My onsite")
        assert fake_post.applied_tags == [world.forum.tag("Onsite").id]
        assert [t.name for t in fake_post.tags] == ["Onsite"]
        assert post.message.content == "It went well" and post.message.id == fake_post.id
        assert "interaction_metadata" not in fake_post.messages[0]

        with fake.expect_rejections():
            with pytest.raises(discord.HTTPException):
                await starter.create_thread(name="x" * 101)
            with pytest.raises(discord.HTTPException):
                await client.http.start_thread_without_message(
                    world.chan.id,
                    name="bad",
                    auto_archive_duration=5,  # type: ignore[arg-type]
                    type=11,
                )


async def test_reactions_and_fetches(fake: FakeDiscord, world: World) -> None:
    async with running(Client(), fake) as client:
        chan = text_channel(client, world.chan.id)
        msg = await chan.send("react to me")
        await msg.add_reaction("👍")
        assert fake.reactions == [{"message_id": str(msg.id), "emoji": {"id": None, "name": "👍"}}]
        assert world.chan.messages[-1]["reactions"][0]["count"] == 1

        fetched = await client.fetch_channel(world.chan.id)
        assert fetched.id == world.chan.id
        guild = await client.fetch_guild(world.guild.id)
        assert guild.name == "Career Circle"
        channels = await guild.fetch_channels()
        assert {c.id for c in channels} == {world.chan.id, world.forum.id}
        member = await guild.fetch_member(world.alice.id)
        assert member.name == "alice"
        again = await chan.fetch_message(msg.id)
        assert again.content == "react to me"
        history = [m.content async for m in chan.history(limit=10)]
        assert history == ["react to me"]
        with pytest.raises(discord.NotFound) as info:
            await guild.fetch_member(12345678901234567)
        assert info.value.code == 10007


async def test_bot_removed_from_guild_loses_access(fake: FakeDiscord, world: World) -> None:
    async with running(Client(), fake) as client:
        fake.remove_bot_from_guild(world.guild)
        await client.next_event("guild_remove")
        with pytest.raises(discord.Forbidden) as info:
            await client.get_partial_messageable(world.chan.id).send("still here?")
        assert info.value.code == 50001


async def test_too_many_invalid_requests_get_the_cloudflare_ban() -> None:
    async with FakeDiscord(invalid_request_limit=2) as fake:
        client = Client()
        for _ in range(2):
            with pytest.raises(discord.LoginFailure):
                await client.login("wrong")
        with pytest.raises(discord.HTTPException) as info:
            await client.login(fake.token)
        assert info.value.status == 429  # no Via header: discord.py does not retry
        assert fake.invalid_request_count == 2 and fake.count_429 == 1
        await client.close()


async def test_unicode_emoji_buttons_echo_without_a_null_id_and_forum_starters_can_be_edited(
    fake: FakeDiscord, world: World
) -> None:
    async with running(Client(), fake) as client:
        forum = client.get_channel(world.forum.id)
        assert isinstance(forum, discord.ForumChannel)
        post = await forum.create_thread(name="A post", content="story", auto_archive_duration=60)
        view = discord.ui.View(timeout=None)
        view.add_item(discord.ui.Button(label="Me too", emoji="🤝", custom_id="x:1"))
        view.stop()
        edited = await post.message.edit(view=view)
        starter = world.forum.thread("A post").messages[0]
        assert starter["components"][0]["components"][0]["emoji"] == {"name": "🤝"}
        assert edited.components and fake.response_problems == []
        await post.thread.edit(auto_archive_duration=10080)
        assert world.forum.thread("A post").auto_archive_duration == 10080
