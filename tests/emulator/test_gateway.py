"""Connecting, gateway events, resume/replay, invalid sessions, bad tokens and intents."""

from __future__ import annotations

import asyncio

import discord
import pytest

from fakecord import FakeDiscord, InvocationError
from tests.emulator.conftest import Client, World, running


async def test_client_connects_and_sees_guilds_channels_and_itself(
    fake: FakeDiscord, world: World
) -> None:
    thread = fake.create_thread(world.chan, "hello", owner=world.alice)
    client = Client()
    async with running(client, fake):
        assert client.user is not None and client.user.id == fake.bot_user.id
        assert client.application_id == fake.application_id
        guild = client.get_guild(world.guild.id)
        assert guild is not None and guild.name == "Career Circle"
        assert guild.me is not None and guild.me.id == fake.bot_user.id
        chan = guild.get_channel(world.chan.id)
        assert isinstance(chan, discord.TextChannel) and chan.name == "affirmations"
        forum = guild.get_channel(world.forum.id)
        assert isinstance(forum, discord.ForumChannel)
        assert [t.name for t in forum.available_tags] == ["Phone screen", "Onsite"]
        assert guild.get_thread(thread.id) is not None
        perms = chan.permissions_for(guild.me)
        assert perms.send_messages and perms.embed_links and not perms.administrator
        assert not perms.mention_everyone
    assert len(fake.identifies) == 1
    assert fake.identifies[0]["token"] == fake.token


async def test_events_after_connect_reach_the_client(fake: FakeDiscord, world: World) -> None:
    client = Client()
    async with running(client, fake):
        new_guild = fake.create_guild("Later Guild")
        joined = await client.next_event("guild_join")
        assert isinstance(joined, discord.Guild) and joined.id == new_guild.id

        new_chan = world.guild.create_text_channel("wins")
        created = await client.next_event("channel_create")
        assert isinstance(created, discord.TextChannel) and created.id == new_chan.id

        fake.create_thread(new_chan, "a thread", owner=world.alice)
        made = await client.next_event("thread_create")
        assert isinstance(made, discord.Thread) and made.parent_id == new_chan.id

        fake.delete_channel(new_chan)
        deleted = await client.next_event("channel_delete")
        assert isinstance(deleted, discord.TextChannel) and deleted.id == new_chan.id
        assert client.get_channel(new_chan.id) is None

        fake.remove_bot_from_guild(new_guild)
        removed = await client.next_event("guild_remove")
        assert isinstance(removed, discord.Guild) and removed.id == new_guild.id
        assert client.get_guild(new_guild.id) is None


async def test_resume_after_drop_replays_missed_events(fake: FakeDiscord, world: World) -> None:
    client = Client()
    async with running(client, fake):
        session_id = fake.sessions[0].id
        await fake.drop_gateway(code=4000)
        # dispatched while the client is away: must be replayed on RESUME
        missed = world.guild.create_text_channel("while-away")
        await fake.wait_for_resume()
        await client.next_event("resumed")
        assert client.get_channel(missed.id) is not None
        assert len(fake.identifies) == 1
        assert [s.id for s in fake.sessions] == [session_id]
        assert 4000 in fake.close_codes


async def test_invalid_session_makes_the_client_identify_again(
    fake: FakeDiscord, world: World
) -> None:
    client = Client()
    async with running(client, fake):
        fake.invalidate_session(resumable=False)
        await fake.wait_for_identify(count=2)
        assert len(fake.identifies) == 2
        assert fake.sessions[0].invalid and not fake.sessions[1].invalid


async def test_reconnect_opcode_makes_the_client_resume(fake: FakeDiscord, world: World) -> None:
    client = Client()
    async with running(client, fake):
        fake.send_reconnect()
        await fake.wait_for_resume()
        await client.next_event("resumed")
        assert len(fake.identifies) == 1


async def test_gateway_frames_use_the_compression_discord_py_asks_for(
    fake: FakeDiscord, world: World
) -> None:
    client = Client()
    async with running(client, fake):
        asked = discord.utils._ActiveDecompressionContext.COMPRESSION_TYPE
        conn = fake.connections[0]
        # zlib-stream is emulated; for zstd-stream plain text frames are sent (discord.py only
        # decompresses binary frames)
        assert conn.compression == asked
        assert (conn._zlib is not None) == (asked == "zlib-stream")
        assert client.is_ready()


async def test_wrong_token_fails_login() -> None:
    async with FakeDiscord() as fake:
        client = Client()
        with pytest.raises(discord.LoginFailure):
            await client.start("not-the-token")
        await client.close()
        assert fake.requests[0].status == 401
        assert fake.requests[0].response == {"message": "401: Unauthorized", "code": 0}
        assert fake.invalid_request_count == 1


async def test_wrong_token_on_the_gateway_closes_with_4004() -> None:
    async with FakeDiscord() as fake:
        client = Client()
        await client.login(fake.token)
        client.http.token = "wrong-token"
        with pytest.raises(discord.ConnectionClosed) as info:
            await client.connect(reconnect=False)
        assert info.value.code == 4004
        assert 4004 in fake.close_codes
        await client.close()


async def test_privileged_intents_need_granting() -> None:
    async with FakeDiscord() as fake:
        fake.create_guild("g")
        client = Client(intents=discord.Intents.all())
        with pytest.raises(discord.PrivilegedIntentsRequired):
            await client.start(fake.token)
        await client.close()
        assert 4014 in fake.close_codes

    async with FakeDiscord(
        granted_intents=discord.Intents(members=True, presences=True, message_content=True).value
    ) as fake:
        guild = fake.create_guild("g")
        guild.add_member("alice")
        client = Client(intents=discord.Intents.all())
        async with running(client, fake):
            found = client.get_guild(guild.id)
            assert found is not None and found.chunked
            assert {m.name for m in found.members} == {"owner", "alice", fake.bot_user.name}


async def test_heartbeats_are_acknowledged(fake: FakeDiscord, world: World) -> None:
    client = Client()
    async with running(client, fake):
        assert fake.connections[0].heartbeats >= 1


async def test_interacting_needs_a_connected_bot(fake: FakeDiscord, world: World) -> None:
    async with running(Client(), fake):
        assert len(fake.sessions) == 1 and not fake.sessions[0].invalid
    await fake.wait_for_disconnect()
    fake.reconnect_grace = 0.05
    with pytest.raises(InvocationError, match="no connected gateway session"):
        await fake.invoke(world.alice, world.chan, "anything")
    async with running(Client(), fake):  # a restarted bot identifies afresh
        assert len(fake.identifies) == 2


class SlowReactor(Client):
    """Reacts to a deleted channel the way a bot does: reads its store first, then posts."""

    def __init__(self, target: int) -> None:
        super().__init__()
        self.target = target

    async def on_guild_channel_delete(self, channel: discord.abc.GuildChannel) -> None:
        await asyncio.sleep(0.15)  # a database read and a transaction, say
        target = self.get_channel(self.target)
        assert isinstance(target, discord.TextChannel)
        await target.send("noticed the deletion")


async def test_settle_after_delete_channel_waits_for_the_bots_reaction(
    fake: FakeDiscord, world: World
) -> None:
    doomed = world.guild.create_text_channel("doomed")
    async with running(SlowReactor(world.chan.id), fake):
        fake.delete_channel(doomed)
        await fake.settle()
        assert [m["content"] for m in world.chan.messages] == ["noticed the deletion"]
