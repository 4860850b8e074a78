"""The emulator's own answers match the spec's response schemas; validation details."""

from __future__ import annotations

import hashlib
import io
import json
import logging
from pathlib import Path

import discord
import pytest

from fakecord import FakeDiscord, get_spec, spec_path
from fakecord.validation import VENDORED_SPEC, Spec
from tests.emulator.conftest import World, running
from tests.emulator.test_interactions import make_client

CALLBACK = "/interactions/{interaction_id}/{interaction_token}/callback"


PINNED_SHA256 = "8c1d0707ccdf8e380a86dfba04058820a66435c1b69d5ed82e04dd8c0520dd73"


def test_the_spec_travels_with_the_emulator_pinned_and_licensed() -> None:
    assert VENDORED_SPEC.is_file()
    assert hashlib.sha256(VENDORED_SPEC.read_bytes()).hexdigest() == PINNED_SHA256
    notes = (VENDORED_SPEC.parent / "README.md").read_text(encoding="utf-8")
    assert "74fda0fad044407ea280043a03ffc9bc64c4e49e" in notes and PINNED_SHA256 in notes
    assert "Copyright (c) 2023 Discord" in (VENDORED_SPEC.parent / "LICENSE").read_text()


def test_without_an_override_the_vendored_copy_is_used(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DISCORD_API_SPEC", raising=False)
    assert spec_path() == VENDORED_SPEC
    assert get_spec() is not None


def test_discord_api_spec_overrides_the_vendored_copy(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("DISCORD_API_SPEC", str(tmp_path / "other.json"))
    assert spec_path() == tmp_path / "other.json"


def ready_payload(fake: FakeDiscord) -> dict[str, object]:
    frame = json.loads(fake.sessions[0].buffer[0][1])
    assert frame["t"] == "READY"
    data: dict[str, object] = frame["d"]
    return data


async def test_response_bodies_match_the_spec(fake: FakeDiscord, world: World, spec: Spec) -> None:
    role = world.guild.create_role("cheer", mentionable=True)
    world.alice.add_role(role)
    async with running(make_client({}), fake) as client:
        assert spec.check_schema("UserPIIResponse", ready_payload(fake)["user"]) == []
        guild_create = json.loads(fake.sessions[0].buffer[1][1])["d"]
        assert spec.check_schema("GuildResponse", guild_create) == []
        for chan in guild_create["channels"]:
            assert spec.check_schema("GuildChannelResponse", chan) == []
        for member in guild_create["members"]:
            assert spec.check_schema("GuildMemberResponse", member) == []

        synced = await client.tree.sync()
        assert synced
        r = await fake.invoke(world.alice, world.chan, "panel")
        assert r.message is not None
        callback = fake.requests_to("POST", CALLBACK)[-1]
        assert spec.check_schema("InteractionCallbackResponse", callback.response) == []
        assert (
            spec.check_schema(
                "MessageResponse", {k: v for k, v in r.message.items() if not k.startswith("_")}
            )
            == []
        )

        chan = client.get_channel(world.chan.id)
        assert isinstance(chan, discord.TextChannel)
        sent = await chan.send(
            f"hi {world.alice.mention}",
            embed=discord.Embed(title="t", description="d").add_field(name="n", value="v"),
            file=discord.File(io.BytesIO(b"x"), "x.txt"),
        )
        await sent.create_thread(name="thread")
        await client.fetch_guild(world.guild.id)
        await (await client.fetch_guild(world.guild.id)).fetch_member(world.alice.id)
        await client.fetch_channel(world.chan.id)
        await client.application_info()
        await (await client.fetch_user(world.alice.id)).create_dm()
        await client.http.get_roles(world.guild.id)
        await fake.invoke(world.alice, world.chan, "slow")
    # the fixture's FakeDiscord validates every response (validate_responses=True) and fails
    # the test on exit if any did not match; check here too for a clear message
    assert fake.response_problems == []
    checked = {r.template for r in fake.requests if r.status and r.status < 300}
    assert {
        "/users/@me",
        "/oauth2/applications/@me",
        "/guilds/{guild_id}",
        "/guilds/{guild_id}/members/{user_id}",
        "/channels/{channel_id}",
        "/channels/{channel_id}/messages",
        "/channels/{channel_id}/messages/{message_id}/threads",
        "/users/@me/channels",
        "/applications/{application_id}/commands",
        CALLBACK,
        "/webhooks/{webhook_id}/{webhook_token}",
        "/webhooks/{webhook_id}/{webhook_token}/messages/@original",
    } <= checked


def test_spec_validators_are_compiled_once_and_cached(spec: Spec) -> None:
    assert get_spec() is spec
    first = spec.request_validator("POST", "/channels/{channel_id}/messages")
    assert first is not None
    assert spec.request_validator("POST", "/channels/{channel_id}/messages") is first
    assert spec.response_validator("GET", "/users/@me", 200) is not None


def test_request_validation_handles_the_known_spec_differences(spec: Spec) -> None:
    # integer snowflakes (as discord.py sends them) are accepted
    assert spec.check_request("POST", "/users/@me/channels", {"recipient_id": 123}) == []
    body = {
        "content": "x",
        "message_reference": {"message_id": 1},
        "allowed_mentions": {"users": [5]},
    }
    assert spec.check_request("POST", "/channels/{channel_id}/messages", body) == []
    # what the spec itself forbids is reported with Discord-like codes and paths
    problems = spec.check_request(
        "POST", "/channels/{channel_id}/messages", {"embeds": [{"title": "t" * 300}]}
    )
    assert [str(p) for p in problems] == [
        "embeds.0.title: Must be 256 or fewer in length. (BASE_TYPE_MAX_LENGTH)"
    ]


async def test_hand_checks_run_without_the_spec_file(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("DISCORD_API_SPEC", str(tmp_path / "missing.json"))
    monkeypatch.setattr("fakecord.validation._warned", False)
    with caplog.at_level(logging.WARNING, logger="fakecord.validation"):
        async with FakeDiscord() as fake:
            assert fake.rest.spec is None
            guild = fake.create_guild("g")
            chan = guild.create_text_channel("c")
            async with running(make_client({}), fake) as client:
                channel = client.get_channel(chan.id)
                assert isinstance(channel, discord.TextChannel)
                with fake.expect_rejections(count=1), pytest.raises(discord.HTTPException):
                    await channel.send("x" * 2001)
                await channel.send("fine")
    assert sum("not found" in r.getMessage() for r in caplog.records) == 1
