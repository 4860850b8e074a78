"""Every table in the database is answered for by a privacy provider (or is declared core)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest

from bot.app import Bot
from bot.clock import ManualClock
from bot.db import Store
from bot.privacy import Subject, owned_tables, readable
from bot.scheduling import Scheduler
from tests.harness import harness_settings

# Tables that hold nothing about a member or a server by themselves, with the reason.
CORE_EXEMPT = {
    "meta": "key/value facts about the bot itself (command hashes, schema), never about people",
    "shard_leases": "which process of a fleet serves which shard (host, pid, expiry), never "
    "anything about people (bot/fleet/leases.py)",
    "events": "what happened to a thing (a story's post: story, channel and message ids), never "
    "who: no member id or text; pruned with the run history (bot/scheduling/events.py)",
}


@pytest.fixture
async def offline_bot(tmp_path: object) -> AsyncIterator[tuple[Bot, Store]]:
    from pathlib import Path

    assert isinstance(tmp_path, Path)
    async with await Store.open(":memory:") as store:
        clock = ManualClock(datetime(2026, 3, 2, 6, 0, tzinfo=UTC))
        bot = Bot(
            settings=harness_settings(tmp_path),
            store=store,
            clock=clock,
            scheduler=Scheduler(store, clock),
            secret_key=b"coverage-test-needs-a-key-of-32-bytes!",
        )
        await bot.load_features()
        yield bot, store
        await bot.close()


async def test_every_table_is_covered_by_a_privacy_provider(
    offline_bot: tuple[Bot, Store],
) -> None:
    bot, store = offline_bot
    rows = await store.fetchall(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    )
    tables = {str(r["name"]) for r in rows}
    subject = Subject(user_id=1, guild_ids=[2], pseudonym=bot.anonymizer.pseudonym)
    covered: dict[str, set[str]] = {}
    async with store.transaction() as conn:
        for provider in bot.privacy.all():
            answered = set(owned_tables(provider))
            answered |= set(await provider.export(conn, subject))
            answered |= set(await provider.delete(conn, subject))
            answered |= set(await provider.delete_guild(conn, 2))
            for table in answered:
                covered.setdefault(table, set()).add(provider.feature)
    uncovered = tables - set(covered) - set(CORE_EXEMPT)
    assert uncovered == set(), f"tables no privacy provider answers for: {sorted(uncovered)}"
    assert set(covered) <= tables, f"not tables: {set(covered) - tables}"


def test_readable_rows_name_ids_as_strings_and_instants_in_iso_8601() -> None:
    row = readable(
        {"user_id": 1577601399120724165, "created_at": 1772431200, "rule": '{"a": 1}', "n": 3},
        json_fields=("rule",),
    )
    assert row == {
        "user_id": "1577601399120724165",
        "created_at": "2026-03-02T06:00:00+00:00",
        "rule": {"a": 1},
        "n": 3,
    }


def test_every_yes_no_column_is_exported_as_a_boolean() -> None:
    import re

    from bot.db.connection import load_migrations
    from bot.features import discover
    from bot.privacy import YES_NO_COLUMNS

    scripts = [sql for _, _, sql in load_migrations()]
    scripts += [path.read_text() for f in discover() for path in sorted(f.migrations.glob("*.sql"))]
    declared = {
        match.group(1)
        for sql in scripts
        for match in re.finditer(
            r"\b(\w+)\s+INTEGER\b[^,]*?CHECK\s*\(\s*\1\s+IN\s*\(\s*0\s*,\s*1\s*\)", sql
        )
    }
    assert declared, "no yes/no columns found: the pattern no longer matches the migrations"
    assert declared <= YES_NO_COLUMNS, f"export these as booleans: {declared - YES_NO_COLUMNS}"


def test_the_export_tidies_ids_days_and_yes_no_the_same_everywhere() -> None:
    from bot.privacy import tidy

    row = tidy(
        {
            "server_id": 1577601399120724165,
            "days_mask": 96,
            "paused": 0,
            "created_at": 1772431200,
            "rule": {"channel_id": 1577601399120724166, "days": 31, "tz": "Europe/Berlin"},
            "weekday": 0,
            "zone": "Europe/Berlin",
        }
    )
    assert row == {
        "guild_id": "1577601399120724165",
        "days": ["Saturday", "Sunday"],
        "paused": False,
        "created_at": "2026-03-02T06:00:00+00:00",
        "rule": {
            "channel_id": "1577601399120724166",
            "days": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"],
            "timezone": "Europe/Berlin",
        },
        "weekday": "Monday",
        "timezone": "Europe/Berlin",
    }
