"""/help: every command a person can use, grouped by feature; admins see theirs too."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import discord

from bot.settings import CONTENT_DIR
from cogs.help import logic
from cogs.help.cog import listed_commands
from cogs.help.content import load_help
from cogs.help.logic import HelpContent
from tests.harness import running_bot

CONTENT = load_help(CONTENT_DIR / "help.yaml")


def field_text(result: Any) -> str:
    embed = result.embeds[0]
    return "\n".join(f"{f['name']}\n{f['value']}" for f in embed["fields"])


async def test_a_member_sees_their_commands_by_pillar_and_no_admin_ones(
    world: Any, tmp_path: Path
) -> None:
    async with running_bot(world.fake, data_dir=tmp_path):
        result = await world.fake.invoke(world.alice, world.channel, "help")
    assert result.ephemeral
    text = field_text(result)
    names = [f["name"] for f in result.embeds[0]["fields"]]
    assert "🌅 Daily affirmations" in names and "🙋 You and Rebound" in names
    assert "affirmations dm on" in text and "Get a kind word by DM" in text
    assert "privacy export" in text and "privacy delete" in text
    assert "affirmations setup" not in text and "for admins" not in text
    assert world.channel.messages == []


async def test_an_admin_also_sees_the_admin_commands(world: Any, tmp_path: Path) -> None:
    async with running_bot(world.fake, data_dir=tmp_path):
        result = await world.fake.invoke(world.mod, world.channel, "help")
    text = field_text(result)
    assert "🌅 Daily affirmations — for admins" in text
    assert "affirmations setup" in text and "affirmations dm on" in text
    # Member sections come first, then the admin ones.
    names = [f["name"] for f in result.embeds[0]["fields"]]
    assert names.index("🌅 Daily affirmations") < names.index("🌅 Daily affirmations — for admins")


async def test_a_moderator_without_manage_server_sees_the_moderation_part(
    world: Any, tmp_path: Path
) -> None:
    moderator = world.guild.add_member(
        "kim", permissions=discord.Permissions(manage_messages=True).value
    )
    async with running_bot(world.fake, data_dir=tmp_path):
        as_moderator = await world.fake.invoke(moderator, world.channel, "help")
        as_member = await world.fake.invoke(world.alice, world.channel, "help")
        as_admin = await world.fake.invoke(world.mod, world.channel, "help")
    assert CONTENT.moderation is not None
    title = CONTENT.moderation.title
    names = [f["name"] for f in as_moderator.embeds[0]["fields"]]
    assert title in names
    assert "Block author" in field_text(as_moderator) and "Anon" in field_text(as_moderator)
    assert "for admins" not in field_text(as_moderator)  # Manage Messages is not Manage Server
    assert title not in field_text(as_member)
    admin_names = [f["name"] for f in as_admin.embeds[0]["fields"]]
    assert title in admin_names
    assert admin_names.index(title) < admin_names.index("🌅 Daily affirmations — for admins")


async def test_help_in_dms_lists_member_commands(world: Any, tmp_path: Path) -> None:
    async with running_bot(world.fake, data_dir=tmp_path):
        result = await world.fake.invoke(world.alice, world.fake.dm_channel(world.alice), "help")
    assert "privacy export" in field_text(result)
    assert "for admins" not in field_text(result)


async def test_every_command_has_plain_words_in_help_yaml(world: Any, tmp_path: Path) -> None:
    async with running_bot(world.fake, data_dir=tmp_path) as app:
        paths = {c.path for c in listed_commands(app.bot.tree)}
    missing = sorted(p for p in paths if p not in CONTENT.commands)
    assert missing == [], f"add these to data/help.yaml: {missing}"


def test_an_unlisted_command_shows_under_its_roots_pillar_or_more() -> None:
    commands = [
        logic.Listed("affirmations brand-new", "Something new.", False),
        logic.Listed("gardening plant", "Plant a seed.", False),
        logic.Listed("gardening prune", "Prune.", True),
    ]
    content = HelpContent(
        CONTENT.pillars,
        {**CONTENT.commands, "affirmations": CONTENT.commands["affirmations dm on"]},
    )
    member = logic.sections(content, commands, is_admin=False)
    assert [(s.pillar, s.admin, [line.text for line in s.lines]) for s in member] == [
        ("affirmations", False, ["Something new."]),
        (logic.MORE_KEY, False, ["Plant a seed."]),
    ]
    admin = logic.sections(content, commands, is_admin=True)
    assert (logic.MORE_KEY, True) in [(s.pillar, s.admin) for s in admin]


def test_long_sections_are_split_within_discords_field_limit() -> None:
    blocks = logic.chunk_lines([f"/command{i} — " + "x" * 90 for i in range(40)])
    assert len(blocks) > 1 and all(len(b) <= 1024 for b in blocks)
