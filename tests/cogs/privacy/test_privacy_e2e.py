"""/privacy export and /privacy delete, end to end on the local Discord."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.harness import RunningBot, running_bot
from tests.helpers.privacy import (
    BOB_STORY,
    export_of,
    exported_counts,
    pseudonyms,
    rows_mentioning,
    two_members_with_data,
)
from tests.helpers.stories import STORY


async def alice_rows(app: RunningBot, world: Any) -> dict[str, int]:
    return await rows_mentioning(
        app.store, world.alice.id, pseudonyms(app.bot, world.alice.id, [world.guild.id])
    )


async def test_export_holds_every_row_about_the_member_and_nothing_of_another(
    world: Any, tmp_path: Path
) -> None:
    async with running_bot(world.fake, data_dir=tmp_path) as app:
        bob = await two_members_with_data(app, world)
        stored = await alice_rows(app, world)
        # The member really is in the database, in several features' tables.
        assert stored["stories"] == 1 and stored["member_settings"] == 1
        assert stored["streak_checkins"] == 1 and stored["encouragement_me_too"] == 1

        result = await world.fake.invoke(world.alice, world.channel, "privacy export")

        document = export_of(result)
        assert document["user_id"] == str(world.alice.id)
        assert exported_counts(document) == stored  # every table's rows, no more, no fewer
        raw = json.dumps(document, ensure_ascii=False)
        assert str(bob.id) not in raw and "09:15" not in raw and BOB_STORY not in raw
        assert "America/Chicago" not in raw and "Europe/Berlin" in raw
        assert document["data"]["stories"]["stories"][0]["body"] == STORY
        subscription = document["data"]["affirmations"]["affirmation_dm_subscriptions"][0]
        assert subscription["post_time"] == "07:30"
        assert subscription["timezone"] == "Europe/Berlin"
        assert "dm_channel_id" in subscription  # every column, not a selection
        assert subscription["created_at"].startswith("2026-03-02T") and subscription[
            "created_at"
        ].endswith("+00:00")
        assert "ISO 8601" in result.content
        assert world.channel.messages == [m for m in world.channel.messages if m["embeds"]]


async def test_export_from_dms_works_too(world: Any, tmp_path: Path) -> None:
    async with running_bot(world.fake, data_dir=tmp_path) as app:
        await two_members_with_data(app, world)
        result = await world.fake.invoke(
            world.alice, world.fake.dm_channel(world.alice), "privacy export"
        )
        assert exported_counts(export_of(result))["affirmation_dm_subscriptions"] == 1


async def test_export_for_a_member_with_nothing_stored_says_so(world: Any, tmp_path: Path) -> None:
    async with running_bot(world.fake, data_dir=tmp_path):
        result = await world.fake.invoke(world.alice, world.channel, "privacy export")
        document = export_of(result)
        assert exported_counts(document) == {}
        assert "affirmation_dm_subscriptions" in document["data"]["affirmations"]
        assert "stores nothing about you" in result.content


async def test_delete_after_confirming_leaves_nothing_of_the_member(
    world: Any, tmp_path: Path
) -> None:
    async with running_bot(world.fake, data_dir=tmp_path) as app:
        bob = await two_members_with_data(app, world)
        bob_before = await rows_mentioning(
            app.store, bob.id, pseudonyms(app.bot, bob.id, [world.guild.id])
        )

        prompt = await world.fake.invoke(world.alice, world.channel, "privacy delete")
        assert prompt.ephemeral and "can’t be undone" in prompt.content
        assert "1 affirmation DM setting" in prompt.content
        assert await alice_rows(app, world)  # nothing gone before confirming

        done = await world.fake.click(world.alice, prompt.message, label="Delete everything")

        assert await alice_rows(app, world) == {}
        # Bob keeps everything of his own; his me-too on Alice's story went with her story.
        bob_expected = dict(bob_before)
        bob_expected["encouragement_me_too"] -= 1
        bob_expected = {table: n for table, n in bob_expected.items() if n}
        assert (
            await rows_mentioning(app.store, bob.id, pseudonyms(app.bot, bob.id, [world.guild.id]))
            == bob_expected
        )
        assert "I deleted everything" in done.content and "1 affirmation DM setting" in done.content
        assert "1 story" in done.content
        assert done.components == []
        # Nothing is sent to a member who is no longer subscribed.
        before = len(world.fake.dm_messages(world.alice))
        await app.advance(days=2)
        assert len(world.fake.dm_messages(world.alice)) == before


async def test_keep_it_deletes_nothing(world: Any, tmp_path: Path) -> None:
    async with running_bot(world.fake, data_dir=tmp_path) as app:
        await two_members_with_data(app, world)
        before = await alice_rows(app, world)
        prompt = await world.fake.invoke(world.alice, world.channel, "privacy delete")
        done = await world.fake.click(world.alice, prompt.message, label="Keep it")
        assert done.content == "Nothing was deleted."
        assert await alice_rows(app, world) == before


async def test_the_confirm_button_still_works_after_a_restart(world: Any, tmp_path: Path) -> None:
    async with running_bot(world.fake, data_dir=tmp_path) as app:
        await two_members_with_data(app, world)
        prompt = await world.fake.invoke(world.alice, world.channel, "privacy delete")
        await app.restart()
        await world.fake.click(world.alice, prompt.message, label="Delete everything")
        assert await alice_rows(app, world) == {}


async def test_delete_with_nothing_stored_says_so_without_buttons(
    world: Any, tmp_path: Path
) -> None:
    async with running_bot(world.fake, data_dir=tmp_path):
        result = await world.fake.invoke(world.alice, world.channel, "privacy delete")
        assert "nothing to delete" in result.content
        assert result.components == []
