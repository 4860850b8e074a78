"""What an acknowledgement promises: a write the member was told about survives a power cut.

SQLite in WAL mode with synchronous=FULL syncs the WAL on every commit; NORMAL would only
survive a process crash (benchmarks/README.md has the cost of each, measured)."""

from __future__ import annotations

from pathlib import Path

from bot.db import Store


async def test_the_store_syncs_every_commit_in_wal_mode(tmp_path: Path) -> None:
    store = await Store.open(tmp_path / "rebound.db")
    try:
        mode = await store.fetchone("PRAGMA journal_mode")
        sync = await store.fetchone("PRAGMA synchronous")
    finally:
        await store.close()
    assert mode is not None and mode[0] == "wal"
    assert sync is not None and sync[0] == 2  # FULL
