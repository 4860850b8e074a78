"""Server settings every feature reads: the accountability channel lives here, not in a feature."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from bot.db import Store
from bot.db.connection import load_migrations
from bot.guild_settings import (
    GuildSettingsRepository,
    accountability_channel,
    accountability_channel_in_use,
    mark_accountability_channel_broken,
    set_accountability_channel,
)

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


async def test_an_upgrade_keeps_each_servers_accountability_channel(tmp_path: Path) -> None:
    """A database from before the move: the channel (and one set aside as unusable) is kept,
    next to a server's other settings, and the streaks feature's own table is gone."""
    path = tmp_path / "before.db"
    conn = sqlite3.connect(path)
    before = [m for m in load_migrations() if m[0] <= 14]
    conn.executescript("".join(f"{sql}\nPRAGMA user_version = {n};\n" for n, _, sql in before))
    conn.execute(
        "INSERT INTO guild_settings (guild_id, notices_channel_id, default_timezone, "
        "created_at, updated_at) VALUES (1, 77, 'Europe/Berlin', 5, 5)"
    )
    conn.execute(
        "INSERT INTO streak_guild_settings (guild_id, accountability_channel_id, "
        "broken_channel_id, updated_at) VALUES (1, 10, NULL, 6), (2, 20, 20, 7), (3, NULL, NULL, 8)"
    )
    conn.commit()
    conn.close()
    async with await Store.open(path) as store:
        assert await accountability_channel(store, 1) == 10
        assert await accountability_channel_in_use(store, 1) == 10
        assert await accountability_channel(store, 2) == 20
        assert await accountability_channel_in_use(store, 2) is None
        assert await accountability_channel(store, 3) is None
        kept = await GuildSettingsRepository(store).get(1)
        assert (kept.notices_channel_id, kept.default_timezone) == (77, "Europe/Berlin")
        gone = await store.fetchone(
            "SELECT 1 FROM sqlite_master WHERE name = 'streak_guild_settings'"
        )
        assert gone is None


async def test_a_channel_set_aside_is_used_again_once_picked_again(store: Store) -> None:
    async with store.transaction() as conn:
        await set_accountability_channel(conn, 1, 10, NOW)
    assert await mark_accountability_channel_broken(store, 1, 10) is True
    assert await mark_accountability_channel_broken(store, 1, 10) is False  # told once
    assert await accountability_channel_in_use(store, 1) is None
    assert await accountability_channel(store, 1) == 10
    async with store.transaction() as conn:
        await set_accountability_channel(conn, 1, 10, NOW)
    assert await accountability_channel_in_use(store, 1) == 10
    # The other settings of the server are left as they were.
    await GuildSettingsRepository(store).set_default_timezone(1, "Europe/Berlin", NOW)
    assert await accountability_channel(store, 1) == 10
