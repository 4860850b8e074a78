"""Two processes of a fleet on one database and the local Discord, in the test's process:
each serves its own shards; when one is gone past its lease, the other sends its servers'
posts; nothing twice, nothing missed. (The same with real processes on PostgreSQL is in
test_fleet_process.py.)"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.clock import ManualClock
from fakecord import FakeDiscord
from tests.helpers.fleet import FleetProcess, command_syncs, post_counts, seed_morning_at

COUNT = 2
LEASE = 60
MORNING = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


async def test_each_process_serves_its_own_shards_and_syncs_commands_once(
    tmp_path: Path,
) -> None:
    async with FakeDiscord() as fake:
        clock = ManualClock(MORNING - timedelta(minutes=1))
        a = FleetProcess(fake, tmp_path, clock, (0,), COUNT, lease_seconds=LEASE)
        b = FleetProcess(fake, tmp_path, clock, (1,), COUNT, lease_seconds=LEASE)
        await a.start()
        await b.start()
        await a.renew()  # a's renewer would see b at its next look
        # Servers that add the bot now (GUILD_CREATE to their shard), with their morning.
        by_shard = await seed_morning_at(fake, a.store, MORNING, 2, COUNT)
        await fake.settle()
        try:
            assert len(command_syncs(fake)) == 1  # shard 0's process synced; b read the ids
            assert b.bot.command_ids == a.bot.command_ids != {}
            for shard, mine in ((0, a), (1, b)):
                for channel in by_shard[shard]:
                    assert mine.bot.get_guild(channel.guild.id) is not None
                    other = b if mine is a else a
                    assert other.bot.get_guild(channel.guild.id) is None
            clock.set(MORNING)  # both processes' timers follow the clock: both wake
            for process in (a, b, a, b):
                await process.run_due()
            assert post_counts(by_shard[0] + by_shard[1]) == [1, 1, 1, 1]
        finally:
            await b.stop()
            await a.stop()


async def test_a_crashed_process_s_posts_go_out_from_the_other_after_its_lease(
    tmp_path: Path,
) -> None:
    async with FakeDiscord() as fake:
        clock = ManualClock(MORNING - timedelta(seconds=30))
        a = FleetProcess(fake, tmp_path, clock, (0,), COUNT, lease_seconds=LEASE)
        b = FleetProcess(fake, tmp_path, clock, (1,), COUNT, lease_seconds=LEASE)
        await a.start()
        await b.start()
        await a.renew()
        by_shard = await seed_morning_at(fake, a.store, MORNING, 3, COUNT)
        await fake.settle()
        try:
            await a.crash()  # just before the morning
            clock.set(MORNING)
            await b.renew()
            await b.run_due()
            assert post_counts(by_shard[1]) == [1, 1, 1]
            assert post_counts(by_shard[0]) == [0, 0, 0]  # a's lease still runs: b leaves them
            clock.set(MORNING + timedelta(seconds=LEASE))  # a's lease ended 30 s ago
            await b.renew()
            assert b.leases is not None and b.leases.orphaned == (0,)
            await b.run_due()
            assert post_counts(by_shard[0]) == [1, 1, 1]  # within lease + 1 min
            # a comes back: it takes its shard again, and nothing is posted twice.
            await a.start()
            await b.renew()
            assert b.leases is not None and b.leases.orphaned == ()
            await a.run_due()
            await b.run_due()
            assert post_counts(by_shard[0] + by_shard[1]) == [1] * 6
        finally:
            await b.stop()
            await a.stop()
