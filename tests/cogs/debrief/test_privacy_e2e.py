"""A debrief is unreadable in a copy of the database without the key; /privacy export gives it
back in clear to its member only, and /privacy delete removes every row and job."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from cogs.debrief import messages as m
from cogs.privacy import messages as privacy_msg
from tests.harness import running_bot
from tests.helpers.debrief import START, THOUGHTS, every_value, write_debrief
from tests.helpers.privacy import export_of

TYPED = (
    "Zephyrine",
    "Quillfeather",
    "Thistlewood Analytics",
    "Senior cartographer",
    "Dana Okonkwo",
    "mentoring",
)


async def _a_full_journal(world: Any, app: Any) -> None:
    saved = await write_debrief(
        world.fake,
        world.alice,
        world.channel,
        role="Senior cartographer",
        company="Thistlewood Analytics",
        thoughts=THOUGHTS,
    )
    form = await world.fake.click(world.alice, saved.message, label=m.BUTTON_FEEDBACK)
    await world.fake.submit_modal(
        world.alice, world.channel, form.modal, {"interviewer": "Dana Okonkwo", "tone": ["warm"]}
    )
    form = await world.fake.click(world.alice, saved.message, label=m.BUTTON_REMIND)
    await world.fake.submit_modal(world.alice, world.channel, form.modal, {"days": ["3"]})
    await world.fake.invoke(world.alice, world.channel, "debrief counts", in_streak=True)


# Reads a copy of the SQLite file itself; the PostgreSQL pass has no such file.
@pytest.mark.sqlite_only
async def test_a_copy_of_the_database_without_the_key_reveals_no_word_and_no_member(
    world: Any, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    async with running_bot(world.fake, data_dir=data, now=START) as app:
        await _a_full_journal(world, app)
        await app.stop()
        copy = tmp_path / "copy.db"
        shutil.copy(app.settings.db_path, copy)
        await app.start()
    values = every_value(copy)
    tables = {table for table, _, _ in values}
    assert {"debrief_entries", "debrief_reminders", "debrief_members"} <= tables
    leaks = [
        (table, column)
        for table, column, value in values
        if value == world.alice.id
        or (
            isinstance(value, str)
            and any(needle.lower() in value.lower() for needle in (*TYPED, str(world.alice.id)))
        )
        or (isinstance(value, bytes) and str(world.alice.id).encode() in value)
    ]
    assert leaks == []


async def test_export_gives_the_member_their_debriefs_in_clear_and_delete_removes_them(
    world: Any, tmp_path: Path
) -> None:
    async with running_bot(world.fake, data_dir=tmp_path, now=START) as app:
        await _a_full_journal(world, app)
        theirs = export_of(await world.fake.invoke(world.mod, world.channel, "privacy export"))
        assert not theirs["data"].get("debrief", {}).get("debrief_entries")
        document = export_of(await world.fake.invoke(world.alice, world.channel, "privacy export"))
        tables = document["data"]["debrief"]
        (entry,) = tables["debrief_entries"]
        assert entry["debrief"]["company"] == "Thistlewood Analytics"
        assert entry["debrief"]["interviewer"] == "Dana Okonkwo"
        assert entry["debrief"]["went_well"] == THOUGHTS["went_well"]
        assert "sealed" not in entry
        (reminder,) = tables["debrief_reminders"]
        assert reminder["status"] == "waiting" and reminder["remind_after_days"] == 3
        assert reminder["debrief_number"] == entry["number"] == 1
        assert "sealed_member" not in reminder
        assert tables["debrief_members"][0]["feedback_asked"] == 1
        assert tables["debrief_members"][0]["in_streak"] is True
        # Read as every export is: ids as digits (none here), instants in ISO 8601.
        assert not any(key.endswith("_id") for row in tables.values() for r in row for key in r)
        assert entry["created_at"].startswith("2026-03-02T08:00")

        prompt = await world.fake.invoke(world.alice, world.channel, "privacy delete")
        done = await world.fake.click(world.alice, prompt.message, label=privacy_msg.CONFIRM)
        assert "debrief" in (done.content or "")
        for table in ("debrief_entries", "debrief_reminders", "debrief_members"):
            assert await app.store.fetchall(f"SELECT * FROM {table}") == []
        assert (
            await app.store.fetchall("SELECT * FROM scheduled_jobs WHERE kind = 'debrief.reminder'")
            == []
        )
        await app.advance(days=4)
        assert not [d for d in world.fake.dm_messages(world.alice) if "check-in" in d["content"]]
        listed = await world.fake.invoke(world.alice, world.channel, "debrief list")
        assert listed.content == m.EMPTY
