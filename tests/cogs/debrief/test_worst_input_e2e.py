"""/debrief walked with the worst a member can type (only spaces or zero-width marks, markdown,
line breaks in a one-line field, control characters, direction overrides, mentions), as a
member, as a moderator and in DMs with the bot: what comes back reads as typed, on one line,
pings nobody, and a refusal changes nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from cogs.debrief import messages as m
from tests.harness import running_bot
from tests.helpers.debrief import START, THOUGHTS, write_debrief

INVISIBLE = "\u200b\u200d\ufeff\u2060"
RTL_OVERRIDE = "\u202e"
WHERE = ("member in a server", "moderator in a server", "owner in a server", "member in DMs")


def _who_and_where(world: Any, where: str) -> tuple[Any, Any]:
    member = {"moderator": world.mod, "owner": world.guild.owner}.get(where.split()[0], world.alice)
    channel = world.fake.dm_channel(member) if where.endswith("DMs") else world.channel
    return member, channel


def _bot_answers(world: Any) -> list[dict[str, Any]]:
    return [r.json for r in world.fake.requests if r.path.endswith("/callback") and r.json]


@pytest.mark.parametrize("where", WHERE)
async def test_a_role_of_only_invisible_characters_is_no_role(
    world: Any, tmp_path: Path, where: str
) -> None:
    member, channel = _who_and_where(world, where)
    async with running_bot(world.fake, data_dir=tmp_path, now=START):
        saved = await write_debrief(
            world.fake, member, channel, role=INVISIBLE, company="  " + INVISIBLE
        )
        assert f"**{m.TITLE_NONE}**" in saved.content, saved.content
        listed = await world.fake.invoke(member, channel, "debrief list")
        assert m.TITLE_NONE in listed.content
        assert not any(c in listed.content for c in INVISIBLE)


@pytest.mark.parametrize("where", WHERE)
async def test_markdown_and_line_breaks_in_a_role_read_as_typed_on_one_line(
    world: Any, tmp_path: Path, where: str
) -> None:
    member, channel = _who_and_where(world, where)
    async with running_bot(world.fake, data_dir=tmp_path, now=START):
        saved = await write_debrief(
            world.fake,
            member,
            channel,
            role="**Lead**\n# Designer",
            company="[Acme](https://evil.example) <script>\x00",
        )
        title = r"\*\*Lead\*\* \# Designer at \[Acme\](https://evil.example) \<script\>"
        assert f"**{title}**" in saved.content, saved.content
        listed = await world.fake.invoke(member, channel, "debrief list")
        (line,) = [ln for ln in listed.content.splitlines() if "Lead" in ln]
        assert title in line and "\x00" not in line
        shown = await world.fake.invoke(member, channel, "debrief show")
        assert shown.message is not None
        assert title in shown.message["embeds"][0]["title"]
        deleting = await world.fake.invoke(member, channel, "debrief delete", number=1)
        assert title in deleting.content


@pytest.mark.parametrize("where", WHERE)
async def test_a_refusal_echoes_no_direction_override_and_saves_nothing(
    world: Any, tmp_path: Path, where: str
) -> None:
    member, channel = _who_and_where(world, where)
    async with running_bot(world.fake, data_dir=tmp_path, now=START):
        refused = await write_debrief(world.fake, member, channel, day=RTL_OVERRIDE + "72-60")
        assert refused.ephemeral and "couldn’t read" in refused.content
        assert RTL_OVERRIDE not in refused.content and "72-60" in refused.content
        empty = await world.fake.invoke(member, channel, "debrief list")
        assert empty.content == m.EMPTY

        saved = await write_debrief(world.fake, member, channel, thoughts=THOUGHTS)
        form = await world.fake.click(member, saved.message, label=m.BUTTON_REMIND)
        assert form.modal is not None
        late = await world.fake.submit_modal(
            member, channel, form.modal, {"days": ["7"], "time": RTL_OVERRIDE + "9:7x"}
        )
        assert late.ephemeral and "Nothing changed" in late.content
        assert RTL_OVERRIDE not in late.content
        shown = await world.fake.invoke(member, channel, "debrief show")
        assert shown.message is not None
        assert "reminder" not in str(shown.message["embeds"][0]).lower()
        assert all(a["data"].get("allowed_mentions") == {"parse": []} for a in _bot_answers(world)
                   if a.get("data") and "content" in a["data"])  # fmt: skip


async def test_a_name_of_invisible_characters_drafts_a_plain_greeting(
    world: Any, tmp_path: Path
) -> None:
    async with running_bot(world.fake, data_dir=tmp_path, now=START):
        saved = await write_debrief(world.fake, world.alice, world.channel, thoughts=THOUGHTS)
        form = await world.fake.click(world.alice, saved.message, label=m.BUTTON_FEEDBACK)
        assert form.modal is not None
        draft = await world.fake.submit_modal(
            world.alice, world.channel, form.modal, {"interviewer": INVISIBLE, "tone": ["brief"]}
        )
        assert "Hi ," not in draft.content and not any(c in draft.content for c in INVISIBLE)
        lined = await world.fake.click(world.alice, saved.message, label=m.BUTTON_FEEDBACK)
        assert lined.modal is not None
        named = await world.fake.submit_modal(
            world.alice,
            world.channel,
            lined.modal,
            {"interviewer": "Sam\nDear all", "tone": ["brief"]},
        )
        assert "Sam Dear all" in named.content  # one line, as the name field is
