"""/about as a member sees it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.harness import running_bot


async def test_about_says_what_the_database_and_the_key_reveal(world: Any, tmp_path: Path) -> None:
    """Part E: the same words as the README, short: both together link authors, one alone not."""
    async with running_bot(world.fake, data_dir=tmp_path):
        about = await world.fake.invoke(world.alice, world.channel, "about")
    assert about.ephemeral
    fields = {field["name"]: field["value"] for field in about.embeds[0]["fields"]}
    said = fields["What the bot's operator could learn"]
    assert "database and its secret key" in said and "trying member ids" in said
    assert "asked for DMs" in said and "The database alone shows neither" in said
    assert all(len(value) <= 1024 for value in fields.values())
