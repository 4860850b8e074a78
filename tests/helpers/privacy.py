"""Shared steps for the privacy tests: find a member anywhere in the database."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from bot.db import Store
from tests.harness import RunningBot
from tests.helpers.affirmations import setup as affirmations_setup
from tests.helpers.encouragement import story_public_id
from tests.helpers.stories import configure, share_and_post, story_world


async def table_names(store: Store) -> list[str]:
    return await store.tables()


async def rows_mentioning(store: Store, user_id: int, extra: Iterable[str] = ()) -> dict[str, int]:
    """Rows per table holding the member: their id as a number, or their id or any of `extra`
    (pseudonyms) inside a text value. Every table, every column."""
    needles = [str(user_id), *extra]
    found: dict[str, int] = {}
    for table in await table_names(store):
        for row in await store.fetchall(f'SELECT * FROM "{table}"'):
            values = list(tuple(row))
            if any(
                v == user_id or (isinstance(v, str) and any(n in v for n in needles))
                for v in values
            ):
                found[table] = found.get(table, 0) + 1
    return found


# Scopes of the keyed pseudonyms features store instead of a member id ({g}: the server id).
PSEUDONYM_SCOPES = ("stories:{g}", "story-reports:{g}", "encouragement:{g}")


def pseudonyms(bot: Any, user_id: int, guild_ids: Iterable[int]) -> list[str]:
    """Every pseudonym a member may appear under, for a scan of the database."""
    return [
        bot.anonymizer.pseudonym(scope.format(g=guild_id), user_id)
        for scope in PSEUDONYM_SCOPES
        for guild_id in guild_ids
    ]


def export_of(result: Any) -> dict[str, Any]:
    """The JSON document attached to a /privacy export answer."""
    assert result.ephemeral
    files = result.files
    assert len(files) == 1, result.message
    assert files[0].filename.endswith(".json")
    document: dict[str, Any] = json.loads(files[0].data.decode("utf-8"))
    return document


def exported_counts(document: dict[str, Any]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for tables in document["data"].values():
        for table, rows in tables.items():
            if rows:
                counts[table] = counts.get(table, 0) + len(rows)
    return counts


BOB_STORY = (
    "Three rounds, a take-home and a friendly chat with the team. Then silence for two weeks and "
    "a template email. I still don't know what I could have done differently."
)


async def two_members_with_data(app: RunningBot, world: Any) -> Any:
    """alice and bob both get affirmation DMs and share a story; a day passes so deliveries are
    recorded too."""
    w = story_world(world)
    await affirmations_setup(app, world)
    await configure(w)
    for member, when in ((world.alice, "07:30"), (w.bob, "09:15")):
        r = await world.fake.invoke(
            member, world.channel, "affirmations dm on", time=when, timezone="Europe/Berlin"
        )
        assert r.ephemeral and "You’re set" in r.content
    await share_and_post(app, w, world.alice)
    await share_and_post(app, w, w.bob, text=BOB_STORY)
    # Each says "me too" under the other's story (kept as a keyed pseudonym).
    alice_post, bob_post = [m for m in w.stories.messages if m.get("embeds")][:2]
    for member, post in ((world.alice, bob_post), (w.bob, alice_post)):
        pressed = await world.fake.click(
            member, world.fake.message(post["id"]), custom_id=f"enc:metoo:{story_public_id(post)}"
        )
        assert pressed.type in (6, 7)
    for member, zone in ((world.alice, "Europe/Berlin"), (w.bob, "America/Chicago")):
        r = await world.fake.invoke(member, world.channel, "timezone set", timezone=zone)
        assert r.ephemeral
        r = await world.fake.invoke(
            member, world.channel, "checkin", applications=2, note="Sent two applications"
        )
        assert r.ephemeral or r.message is not None
    await app.advance(days=1)
    assert world.fake.dm_messages(world.alice) and world.fake.dm_messages(w.bob)
    return w.bob
