"""The anonymity promise, tested like security: no author id in the database, the logs, the
custom_ids or anything posted; privacy export/delete find rows through pseudonyms only."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest

from bot.anonymity import Anonymizer
from bot.privacy import Subject
from cogs.stories import messages as msg
from tests.harness import TEST_SECRET, RunningBot, running_bot
from tests.helpers.stories import configure, posts, share, share_and_post, story_world

# Loggers of the bot's own process (the emulator's test-side loggers are not the bot).
BOT_LOGGERS = ("bot", "cogs", "discord", "aiosqlite", "apscheduler")


def files_bytes(folder: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(folder.rglob("rebound.db*")))


async def stored_bytes(app: RunningBot) -> bytes:
    """Everything the database holds: SQLite's files (free pages and WAL included), or on
    PostgreSQL every value of every table."""
    if app.store.dialect == "sqlite":
        return files_bytes(app.settings.data_dir)
    values = [
        repr(tuple(row)).encode()
        for table in await app.store.tables()
        for row in await app.store.fetchall(f'SELECT * FROM "{table}"')
    ]
    return b"\n".join(values)


async def test_the_database_and_the_logs_never_hold_the_author_id(
    world: Any, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    w = story_world(world)
    async with running_bot(w.fake, data_dir=tmp_path) as app:
        await configure(w, mod_channel=w.mods, cooldown=0)
        answer = await share(w, w.alice, takeaway="Keep going.", company="Initech")
        await w.fake.click(w.alice, answer.message, label=msg.DM_OPT_IN)  # sealed id
        await app.advance(seconds=120)
        (post,) = posts(w.stories)
        opened = await w.fake.click(w.bob, post, label=msg.REPORT)
        await w.fake.submit_modal(w.bob, w.stories, opened, {msg.REPORT_FIELD: "hm"})
        await w.fake.invoke(w.alice, w.channel, "mystories")
        stored = await stored_bytes(app)
        assert b"replaying the last question" in stored  # the scan sees where rows live
        for member in (w.alice, w.bob):
            assert str(member.id).encode() not in stored
        row = await app.store.fetchone("SELECT author, sealed_author FROM stories")
        assert row is not None and len(row["author"]) == 64 and row["sealed_author"]
    logged = "\n".join(
        record.getMessage() for record in caplog.records if record.name.split(".")[0] in BOT_LOGGERS
    )
    assert "story was posted" in logged  # the log is really captured
    for member in (w.alice, w.bob):
        assert str(member.id) not in logged and member.name not in logged
    assert "replaying the last question" not in logged  # nor the story text


async def test_custom_ids_carry_only_opaque_story_ids(world: Any, tmp_path: Path) -> None:
    w = story_world(world)
    async with running_bot(w.fake, data_dir=tmp_path) as app:
        await configure(w, mod_channel=w.mods, approval=True)
        answer = await share(w, w.alice)
        await app.advance(seconds=120)
        messages = [answer.message, *posts(w.mods)]
        custom_ids = [
            c["custom_id"] for m in messages for row in m["components"] for c in row["components"]
        ]
        assert custom_ids
        row = await app.store.fetchone("SELECT public_id FROM stories")
        assert row is not None
        public_id = row["public_id"]
        for custom_id in custom_ids:
            prefix, _action, opaque = custom_id.split(":")
            assert prefix == "story" and opaque == public_id
            assert str(w.alice.id) not in custom_id


async def test_privacy_export_and_delete_find_stories_by_pseudonym(
    world: Any, tmp_path: Path
) -> None:
    w = story_world(world)
    async with running_bot(w.fake, data_dir=tmp_path) as app:
        await configure(w, cooldown=0)
        await share_and_post(app, w, w.alice)
        await share_and_post(app, w, w.bob)
        provider = app.bot.privacy.providers["stories"]
        anonymizer = Anonymizer(TEST_SECRET.encode())
        alice = Subject(w.alice.id, [w.guild.id], anonymizer.pseudonym)
        async with app.store.transaction() as conn:
            exported = await provider.export(conn, alice)
        (story,) = exported["stories"]
        assert story["number"] == 1 and "replaying" in story["body"]
        async with app.store.transaction() as conn:
            removed = await provider.delete(conn, alice)
        assert removed["stories"] == 1
        left = await app.store.fetchall("SELECT number FROM stories")
        assert [r["number"] for r in left] == [2]  # bob's story stays
        async with app.store.transaction() as conn:
            gone = await provider.delete_guild(conn, w.guild.id)
        assert gone["stories"] == 1 and gone["story_settings"] == 1
        assert await app.store.fetchone("SELECT 1 FROM stories") is None
