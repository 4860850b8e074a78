"""Commands are synced by exactly one process of a fleet, whichever shards it serves: the sync
of a command set is a claim (bot/command_sync.py), not the privilege of shard 0's process."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.clock import ManualClock
from bot.command_sync import CLAIM_SECONDS, CommandSync
from bot.db import Store
from fakecord import FakeDiscord
from tests.helpers.fleet import FleetProcess, command_syncs

START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


async def test_the_sync_of_a_command_set_is_claimed_once(store: Store) -> None:
    clock = ManualClock(START)
    one, two = CommandSync(store, clock, 7, "global"), CommandSync(store, clock, 7, "global")
    assert await one.claim("abc")
    assert not await two.claim("abc")
    assert await two.claim("def")  # another command set (a deploy) is a sync of its own


async def test_a_claim_whose_process_died_mid_sync_lapses(store: Store) -> None:
    clock = ManualClock(START)
    one, two = CommandSync(store, clock, 7, "global"), CommandSync(store, clock, 7, "global")
    assert await one.claim("abc")
    clock.set(START + timedelta(seconds=CLAIM_SECONDS - 1))
    assert not await two.claim("abc")
    clock.set(START + timedelta(seconds=CLAIM_SECONDS))
    assert await two.claim("abc")


async def test_a_failed_sync_gives_its_claim_back_and_a_recorded_one_is_read(
    store: Store,
) -> None:
    clock = ManualClock(START)
    one, two = CommandSync(store, clock, 7, "global"), CommandSync(store, clock, 7, "global")
    assert await one.claim("abc")
    await one.give_up("abc")
    assert await two.claim("abc")
    await two.record("abc", {"share": 11})
    assert await one.synced_hash() == "abc"
    assert await one.wait_for("abc") == {"share": 11}


async def test_two_processes_claiming_at_once_on_postgresql_sync_once(pg_url: str) -> None:
    clock = ManualClock(START)
    async with await Store.open(pg_url) as a, await Store.open(pg_url) as b:
        for attempt in range(5):
            digest = f"set-{attempt}"
            won = await asyncio.gather(
                CommandSync(a, clock, 7, "global").claim(digest),
                CommandSync(b, clock, 7, "global").claim(digest),
            )
            assert sorted(won) == [False, True]


async def test_a_fleet_without_shard_0_s_process_still_syncs_once(tmp_path: Path) -> None:
    async with FakeDiscord() as fake:
        clock = ManualClock(START)
        a = FleetProcess(fake, tmp_path, clock, (1,), 3)
        b = FleetProcess(fake, tmp_path, clock, (2,), 3)
        await a.start()
        await b.start()
        try:
            assert len(command_syncs(fake)) == 1
            assert b.bot.command_ids == a.bot.command_ids != {}
        finally:
            await b.stop()
            await a.stop()
