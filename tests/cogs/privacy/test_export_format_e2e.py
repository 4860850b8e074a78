"""/privacy export reads the same everywhere: Discord ids as strings, one key name per idea, yes/no
as booleans, and no internal state a person cannot read."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tests.harness import running_bot
from tests.helpers.encouragement import encourage_post, shared_story
from tests.helpers.privacy import export_of, two_members_with_data
from tests.helpers.stories import story_world

DAY_NAMES = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}
# Columns stored as 0/1 that mean yes or no.
YES_NO = {
    "active",
    "anonymous",
    "paused",
    "celebrate",
    "leaderboard",
    "posted_anonymously",
    "dm_opt_in",
    "crisis",
    "digest_muted",
    "backfilled",
    "notice_pending",
    "posted",
}


def walk(node: Any, path: str = "$") -> Iterator[tuple[str, str, Any]]:
    """(path, key, value) for every key of every object in the document."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield path, key, value
            yield from walk(value, f"{path}.{key}")
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from walk(item, f"{path}[{index}]")


async def test_the_export_writes_ids_as_strings_and_says_what_values_mean(
    world: Any, tmp_path: Path
) -> None:
    async with running_bot(world.fake, data_dir=tmp_path) as app:
        await two_members_with_data(app, world)
        w = story_world(world)
        w.stories = world.guild.channel("stories")
        # More of what a member may have: rest days, a weekly check-in, signed kind words.
        r = await world.fake.invoke(
            world.alice, world.channel, "streak settings", rest_days="sat,sun"
        )
        assert r.ephemeral
        r = await world.fake.invoke(
            world.alice, world.channel, "accountability join", day=0, time="09:00"
        )
        assert r.ephemeral
        post, _thread = await shared_story(app, w, w.bob)
        await encourage_post(w, world.alice, post, "Rooting for you.", anonymous=False)

        document = export_of(await world.fake.invoke(world.alice, world.channel, "privacy export"))

    problems = []
    seen_keys = set()
    for path, key, value in walk(document):
        seen_keys.add(key)
        where = f"{path}.{key} = {value!r}"
        digits = isinstance(value, str) and value.isdigit()
        if key.endswith("_id") and value is not None and not digits:
            problems.append(f"id not a string of digits: {where}")
        if key == "server_id":
            problems.append(f"server_id besides guild_id: {where}")
        if key in YES_NO and not isinstance(value, bool):
            problems.append(f"yes/no not a boolean: {where}")
        if key in {"tz", "zone"}:
            problems.append(f"a time zone not named timezone: {where}")
        if key in {"days", "weekday"} and isinstance(value, int):
            problems.append(f"days as a number: {where}")
        if key.endswith("mask"):
            problems.append(f"a bit mask nobody can read: {where}")
        if key in {"deck", "remaining", "drawn"}:
            problems.append(f"internal deck state: {path}.{key}")
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > 2**53:
            problems.append(f"a number too big for JavaScript: {where}")
    assert problems == [], "\n".join(problems)

    # What the masks meant is written out: Alice's rest days by name.
    streaks = document["data"]["streaks"]
    (rule,) = streaks["streak_rest_rules"]
    assert rule["rest_days"] == ["Saturday", "Sunday"]
    # The deck says what it means for the member.
    (deck,) = document["data"]["affirmations"]["affirmation_decks"]
    assert set(deck) <= {"sent_this_round", "still_to_come_this_round", "about"}
    # Every key names its idea once: the server is guild_id everywhere it appears.
    assert "guild_id" in seen_keys and "server_id" not in seen_keys
    # The whole document survives a round trip through JSON without losing an id.
    text = json.dumps(document)
    assert not re.search(r'"\w+_id": \d', text)


async def test_the_export_answer_counts_one_item_in_the_singular(
    world: Any, tmp_path: Path
) -> None:
    async with running_bot(world.fake, data_dir=tmp_path):
        r = await world.fake.invoke(
            world.alice, world.channel, "timezone set", timezone="Asia/Tokyo"
        )
        assert r.ephemeral
        result = await world.fake.invoke(world.alice, world.channel, "privacy export")
        assert "(1 item)" in (result.content or "")
        assert "item(s)" not in (result.content or "")
