"""Removing the bot from a server: its data is kept for the retention period, then deleted,
unless the bot comes back first."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from bot.guild_settings import GuildSettingsRepository
from tests.harness import RunningBot, running_bot
from tests.helpers.affirmations import setup as affirmations_setup

SERVER_TABLES = (
    "affirmation_schedules",
    "affirmation_custom",
    "affirmation_posts",
    "affirmation_custom_numbers",
    "guild_settings",
    "server_presence",
)


async def server_rows(app: RunningBot, guild_id: int) -> dict[str, int]:
    counts = {}
    for table in SERVER_TABLES:
        row = await app.store.fetchone(
            f"SELECT COUNT(*) FROM {table} WHERE guild_id = ?", (guild_id,)
        )
        assert row is not None
        counts[table] = int(row[0])
    for table, where in (
        ("affirmation_decks", "owner = 'guild:' || ?"),
        ("scheduled_jobs", "key = CAST(? AS TEXT) AND kind = 'affirmations.guild'"),
        ("job_runs", "key = CAST(? AS TEXT) AND kind = 'affirmations.guild'"),
    ):
        row = await app.store.fetchone(f"SELECT COUNT(*) FROM {table} WHERE {where}", (guild_id,))
        assert row is not None
        counts[table] = int(row[0])
    return counts


async def a_server_with_data(app: RunningBot, world: Any) -> dict[str, int]:
    await affirmations_setup(app, world)
    await GuildSettingsRepository(app.store).set_default_timezone(
        world.guild.id, "Europe/Berlin", app.now
    )
    r = await world.fake.invoke(
        world.mod, world.channel, "affirmations add", text="You are more than one interview."
    )
    assert "Added" in r.content
    await app.advance(days=1)  # a scheduled post, its record and the deck
    r = await world.fake.invoke(
        world.alice, world.channel, "affirmations dm on", time="07:30", timezone="UTC"
    )
    assert "You’re set" in r.content
    counts = await server_rows(app, world.guild.id)
    seeded = (*SERVER_TABLES, "affirmation_decks", "job_runs")
    # (affirmation_custom_numbers fills only where a server numbered its own.)
    assert all(counts[t] for t in seeded if t != "affirmation_custom_numbers"), counts
    return counts


async def presence_settles(app: RunningBot, guild_id: int, *, left: bool) -> None:
    """Wait until the bot has handled GUILD_DELETE / GUILD_CREATE (settle() may return before
    a gateway event's handler ran)."""
    for _ in range(200):
        row = await app.store.fetchone(
            "SELECT left_at FROM server_presence WHERE guild_id = ?", (guild_id,)
        )
        if row is not None and (row["left_at"] is not None) == left:
            return
        await asyncio.sleep(0.025)
    raise AssertionError("the bot did not record the server's departure or return")


async def remove_bot(app: RunningBot, world: Any) -> None:
    world.fake.remove_bot_from_guild(world.guild)
    await presence_settles(app, world.guild.id, left=True)


async def add_bot(app: RunningBot, world: Any) -> None:
    world.fake.add_bot_to_guild(world.guild)
    await presence_settles(app, world.guild.id, left=False)
    await world.fake.settle()


async def alice_subscribed(app: RunningBot, world: Any) -> bool:
    row = await app.store.fetchone(
        "SELECT 1 FROM affirmation_dm_subscriptions WHERE user_id = ?", (world.alice.id,)
    )
    return row is not None


async def test_data_is_kept_inside_the_retention_period_and_when_the_bot_returns(
    world: Any, tmp_path: Path
) -> None:
    async with running_bot(world.fake, data_dir=tmp_path) as app:
        await a_server_with_data(app, world)
        await remove_bot(app, world)

        await app.advance(days=29, hours=23)
        kept = await server_rows(app, world.guild.id)
        assert kept["affirmation_schedules"] == kept["affirmation_custom"] == 1

        await add_bot(app, world)
        await app.advance(days=60)

        assert (await server_rows(app, world.guild.id))["affirmation_custom"] == 1
        row = await app.store.fetchone(
            "SELECT left_at FROM server_presence WHERE guild_id = ?", (world.guild.id,)
        )
        assert row is not None and row["left_at"] is None


async def test_data_is_deleted_after_the_retention_period(world: Any, tmp_path: Path) -> None:
    async with running_bot(world.fake, data_dir=tmp_path) as app:
        await a_server_with_data(app, world)
        await remove_bot(app, world)

        await app.advance(days=30, minutes=1)

        assert set((await server_rows(app, world.guild.id)).values()) == {0}
        # A member's own settings are not the server's: they stay.
        assert await alice_subscribed(app, world)

        # Coming back after the period starts afresh.
        await add_bot(app, world)
        r = await world.fake.invoke(world.mod, world.channel, "affirmations status")
        assert "aren’t set up here yet" in r.content


async def test_the_retention_period_is_a_setting(world: Any, tmp_path: Path) -> None:
    async with running_bot(world.fake, data_dir=tmp_path, guild_retention_days=3) as app:
        await a_server_with_data(app, world)
        await remove_bot(app, world)
        await app.advance(days=2, hours=23)
        assert (await server_rows(app, world.guild.id))["affirmation_schedules"] == 1
        await app.advance(hours=2)
        assert (await server_rows(app, world.guild.id))["affirmation_schedules"] == 0


async def test_a_removal_while_the_bot_was_off_is_noticed_at_start(
    world: Any, tmp_path: Path
) -> None:
    async with running_bot(world.fake, data_dir=tmp_path) as app:
        await a_server_with_data(app, world)
        await app.stop()
        world.fake.remove_bot_from_guild(world.guild)
        await app.start()
        await presence_settles(app, world.guild.id, left=True)

        await app.advance(days=31)
        assert (await server_rows(app, world.guild.id))["affirmation_custom"] == 0


async def test_a_purge_due_while_the_bot_was_off_runs_at_the_next_start(
    world: Any, tmp_path: Path
) -> None:
    async with running_bot(world.fake, data_dir=tmp_path) as app:
        await a_server_with_data(app, world)
        await remove_bot(app, world)
        await app.stop()
        app.clock.set(app.clock.now().replace(month=5))  # two months of downtime
        await app.start()
        await world.fake.settle()
        assert set((await server_rows(app, world.guild.id)).values()) == {0}
