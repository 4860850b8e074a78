"""The playground's web API over real HTTP: its guard (Host, Origin, the page's token), what a
person does through it, the clock control, the live stream, keeping state and starting over."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import aiohttp

from bot.playground.runtime import clock_target
from bot.playground.web import TOKEN_HEADER
from bot.playground.world import channel_named

from .conftest import Served, close, serve_playground


async def view(served: Served, session: aiohttp.ClientSession, person: str, chan: str) -> dict:
    channel = channel_named(served.fake, chan)
    status, data = await served.get(session, f"/api/view?as={person}&channel={channel.id}")
    assert status == 200, data
    return data


async def setup_affirmations(served: Served, session: aiohttp.ClientSession) -> None:
    affirmations = str(channel_named(served.fake, "affirmations").id)
    status, answer = await served.post(
        session,
        "/api/invoke",
        {
            "as": "owner",
            "channel": affirmations,
            "command": "affirmations setup",
            "options": {"channel": affirmations, "time": "08:00", "timezone": "UTC"},
        },
    )
    assert status == 200 and answer["ok"], answer


async def test_the_page_says_it_is_local_and_carries_its_token(served: Served) -> None:
    async with aiohttp.ClientSession() as session, session.get(served.url) as response:
        html = await response.text()
    assert response.status == 200
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert "not Discord" in html
    assert f'content="{served.webapp.token}"' in html


async def test_a_request_for_another_host_is_refused(served: Served) -> None:
    """A DNS-rebinding page reaches 127.0.0.1 under its own name: refused."""
    async with aiohttp.ClientSession() as session:
        for path in ("/", "/api/view?as=owner"):
            headers = {"Host": "evil.example", TOKEN_HEADER: served.webapp.token}
            async with session.get(served.url.rstrip("/") + path, headers=headers) as response:
                assert response.status == 403


async def test_a_request_from_another_site_is_refused(served: Served) -> None:
    before = served.playground.clock.now()
    async with aiohttp.ClientSession() as session:
        headers = {"Origin": "http://evil.example", TOKEN_HEADER: served.webapp.token}
        async with session.post(
            served.url + "api/clock", json={"step": "hour"}, headers=headers
        ) as response:
            assert response.status == 403
    assert served.playground.clock.now() == before


async def test_an_action_without_the_pages_token_is_refused(served: Served) -> None:
    before = served.playground.clock.now()
    async with aiohttp.ClientSession() as session:
        for headers in ({}, {TOKEN_HEADER: "guessed"}):
            async with session.post(
                served.url + "api/clock", json={"step": "hour"}, headers=headers
            ) as response:
                assert response.status == 403
            async with session.get(served.url + "api/view", headers=headers) as response:
                assert response.status == 403
        async with session.get(served.url + "api/events?token=guessed") as response:
            assert response.status == 403
    assert served.playground.clock.now() == before


async def test_an_ephemeral_answer_is_shown_only_to_who_asked(served: Served) -> None:
    async with aiohttp.ClientSession() as session:
        await setup_affirmations(served, session)
        owner = await view(served, session, "owner", "affirmations")
        alex = await view(served, session, "alex", "affirmations")
    assert [m["ephemeral"] for m in owner["messages"]] == [True]
    assert "All set" in owner["messages"][0]["html"]
    assert alex["messages"] == []


async def test_what_discord_would_not_send_is_an_error_that_changes_nothing(
    served: Served,
) -> None:
    general = str(channel_named(served.fake, "general").id)
    requests_before = len(served.fake.requests)
    async with aiohttp.ClientSession() as session:
        status, answer = await served.post(
            session,
            "/api/invoke",
            {"as": "alex", "channel": general, "command": "no such thing", "options": {}},
        )
        assert status == 400 and "no /no command" in answer["error"]
        status, answer = await served.post(
            session,
            "/api/invoke",
            {"as": "alex", "channel": general, "command": "streak pause", "options": {"days": "x"}},
        )
        assert status == 400 and "number" in answer["error"]
    assert len(served.fake.requests) == requests_before


async def test_the_clock_runs_what_is_due_and_moves_the_emulators_time(served: Served) -> None:
    async with aiohttp.ClientSession() as session:
        await setup_affirmations(served, session)
        status, answer = await served.post(session, "/api/clock", {"step": "morning"})
        assert status == 200, answer
        data = await view(served, session, "alex", "affirmations")
    now = datetime.fromisoformat(data["now"])
    assert (now.hour, now.minute) == (8, 0)
    posted = [m for m in data["messages"] if m["embeds"]]
    assert len(posted) == 1
    stamp = datetime.fromisoformat(posted[0]["timestamp"])
    assert stamp.date() == now.date() and stamp.hour == 8  # the emulator's time, not the wall's


async def test_the_live_stream_announces_each_change(served: Served) -> None:
    url = f"{served.url}api/events?token={served.webapp.token}"
    async with aiohttp.ClientSession() as session, session.get(url) as stream:
        first = await asyncio.wait_for(stream.content.readuntil(b"\n\n"), 5)
        assert first.startswith(b"event: change")
        await served.post(session, "/api/clock", {"step": "hour"})
        second = await asyncio.wait_for(stream.content.readuntil(b"\n\n"), 5)
        assert second.startswith(b"event: change") and second != first


def test_clock_steps() -> None:
    monday_7 = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)
    assert clock_target(monday_7, "hour") == datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
    assert clock_target(monday_7, "morning") == datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
    monday_9 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    assert clock_target(monday_9, "morning") == datetime(2026, 3, 3, 8, 0, tzinfo=UTC)
    assert clock_target(monday_7, "monday") == datetime(2026, 3, 9, 8, 0, tzinfo=UTC)


async def test_a_kept_data_folder_keeps_the_server_its_messages_and_the_clock(
    tmp_path: Path,
) -> None:
    data = tmp_path / "kept"
    first = await serve_playground(data)
    try:
        async with aiohttp.ClientSession() as session:
            await setup_affirmations(first, session)
            await first.post(session, "/api/clock", {"step": "morning"})
        channel_id = channel_named(first.fake, "affirmations").id
        then = first.playground.clock.now()
    finally:
        await close(first)
    second = await serve_playground(data)
    try:
        assert second.playground.clock.now() == then
        affirmations = channel_named(second.fake, "affirmations")
        assert affirmations.id == channel_id
        assert len(affirmations.messages) == 1
        async with aiohttp.ClientSession() as session:
            await second.post(session, "/api/clock", {"step": "morning"})
            # The kept command list still answers (the bot saw no reason to sync again).
            status, answer = await second.post(
                session,
                "/api/invoke",
                {"as": "owner", "channel": str(channel_id), "command": "affirmations status"},
            )
            assert status == 200 and answer["ok"], answer
        assert len(affirmations.messages) == 2  # the kept bot database posts in the kept channel
        assert second.fake.rejected == [] and second.playground.errors == []
    finally:
        await close(second)


async def test_reset_starts_over_and_leaves_other_files_alone(served: Served) -> None:
    mine = served.playground.data_dir / "notes.txt"
    mine.write_text("not the playground's")
    async with aiohttp.ClientSession() as session:
        await setup_affirmations(served, session)
        await served.post(session, "/api/clock", {"step": "morning"})
        status, _ = await served.post(session, "/api/reset", {})
        assert status == 200
        data = await view(served, session, "owner", "affirmations")
        assert data["messages"] == []
        assert datetime.fromisoformat(data["now"]).hour == 7
        # The fresh world's messages carry the fresh clock's time, not the old world's.
        await setup_affirmations(served, session)
        data = await view(served, session, "owner", "affirmations")
    stamp = datetime.fromisoformat(data["messages"][0]["timestamp"])
    assert stamp == datetime.fromisoformat(data["now"])
    assert mine.read_text() == "not the playground's"


async def test_a_request_the_emulator_refuses_shows_on_the_page(served: Served) -> None:
    """Whatever sends it, a request the local Discord refuses is listed as a problem."""
    channel = channel_named(served.fake, "general")
    async with aiohttp.ClientSession() as session:
        async with session.post(
            f"{served.fake.api_base}/channels/{channel.id}/messages",
            json={"content": "x" * 2001},
            headers={"Authorization": f"Bot {served.fake.token}"},
        ) as refused:
            assert refused.status == 400
        data = await view(served, session, "owner", "general")
    assert any("refused" in line and "2000" in line for line in data["errors"]), data["errors"]


async def test_a_taken_port_falls_back_to_a_free_one(tmp_path: Path) -> None:
    from bot.playground.runtime import Playground
    from bot.playground.web import WebApp, serve

    holder = await asyncio.start_server(lambda r, w: None, "127.0.0.1", 0)
    taken = holder.sockets[0].getsockname()[1]
    webapp = WebApp(Playground(tmp_path))
    runner = await serve(webapp, taken)
    try:
        assert webapp.port not in (0, taken)
    finally:
        await runner.cleanup()
        holder.close()
        await holder.wait_closed()
