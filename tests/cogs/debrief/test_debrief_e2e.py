"""/debrief as a member sees it: two forms, a private journal in servers and DMs, nobody else's."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from cogs.debrief import messages as m
from tests.harness import running_bot
from tests.helpers.debrief import START, THOUGHTS, forge, write_debrief


async def test_two_steps_save_a_private_debrief_that_show_reads_back(
    world: Any, tmp_path: Path
) -> None:
    async with running_bot(world.fake, data_dir=tmp_path, now=START):
        saved = await write_debrief(world.fake, world.alice, world.channel, thoughts=THOUGHTS)
        assert saved.ephemeral
        assert "Product designer at Acme Robotics" in saved.content
        shown = await world.fake.invoke(world.alice, world.channel, "debrief show")
        assert shown.ephemeral
        embed = shown.embeds[0]
        values = " ".join(f["value"] for f in embed["fields"])
        assert "Product designer at Acme Robotics" in embed["title"]
        assert "Final round" in embed["description"] and "27 Feb 2026" in embed["description"]
        assert "Salary, Culture fit" in values
        assert THOUGHTS["went_well"] in values
        listed = await world.fake.invoke(world.alice, world.channel, "debrief list")
        assert listed.ephemeral and "with your thoughts" in listed.content
        assert world.channel.messages == []  # nothing public, ever


async def test_a_debrief_written_in_dms_is_in_the_same_journal_in_a_server(
    world: Any, tmp_path: Path
) -> None:
    dm = world.fake.dm_channel(world.alice)
    async with running_bot(world.fake, data_dir=tmp_path, now=START):
        saved = await write_debrief(
            world.fake, world.alice, dm, company="Globex", thoughts=THOUGHTS
        )
        assert saved.ephemeral and "Globex" in saved.content
        listed = await world.fake.invoke(world.alice, world.channel, "debrief list")
        assert "Globex" in listed.content
        in_dm = await world.fake.invoke(world.alice, dm, "debrief show")
        assert "Globex" in in_dm.embeds[0]["title"]


async def test_a_moderator_cannot_read_or_touch_a_members_debrief(
    world: Any, tmp_path: Path
) -> None:
    async with running_bot(world.fake, data_dir=tmp_path, now=START):
        saved = await write_debrief(world.fake, world.alice, world.channel, thoughts=THOUGHTS)
        theirs = await world.fake.invoke(world.mod, world.channel, "debrief list")
        assert theirs.content == m.EMPTY
        # The moderator sends the ids of Alice's buttons from a message of their own.
        own = await write_debrief(world.fake, world.mod, world.channel, company="Mod Corp")
        forged = forge(world.fake, own.message, saved.message)
        for label in (m.BUTTON_EDIT_QUESTIONS, m.BUTTON_FEEDBACK, m.BUTTON_REMIND, m.BUTTON_DELETE):
            answer = await world.fake.click(world.mod, forged, label=label)
            assert answer.modal is None
            assert answer.content == m.NOT_FOUND, label
        # Alice's journal is as it was.
        shown = await world.fake.invoke(world.alice, world.channel, "debrief show")
        assert THOUGHTS["went_well"] in str(shown.embeds[0]["fields"])


async def test_forged_delete_and_form_ids_change_nothing(world: Any, tmp_path: Path) -> None:
    async with running_bot(world.fake, data_dir=tmp_path, now=START):
        await write_debrief(world.fake, world.alice, world.channel)
        prompt = await world.fake.invoke(world.alice, world.channel, "debrief delete", number=1)
        assert prompt.ephemeral and "Acme Robotics" in prompt.content
        # Someone else confirms Alice's deletion with the same button id: refused.
        await write_debrief(world.fake, world.mod, world.channel, company="Mod Corp")
        own = await world.fake.invoke(world.mod, world.channel, "debrief delete", number=1)
        forged = forge(world.fake, own.message, prompt.message)
        refused = await world.fake.click(world.mod, forged, label=m.BUTTON_CONFIRM_DELETE)
        assert refused.content == m.NOT_FOUND
        # A thoughts form opened by Alice, submitted by the moderator: refused too.
        shown = await world.fake.invoke(world.alice, world.channel, "debrief show")
        form = await world.fake.click(world.alice, shown.message, label=m.BUTTON_QUESTIONS)
        refused = await world.fake.submit_modal(
            world.mod, world.channel, form.modal, {"threw": "a forged answer"}
        )
        assert refused.content == m.NOT_FOUND
        still = await world.fake.invoke(world.alice, world.channel, "debrief show")
        assert "a forged answer" not in str(still.embeds[0])
        assert "Acme Robotics" in still.embeds[0]["title"]


async def test_delete_asks_first_and_keep_changes_nothing(world: Any, tmp_path: Path) -> None:
    async with running_bot(world.fake, data_dir=tmp_path, now=START):
        await write_debrief(world.fake, world.alice, world.channel, company="Initech")
        await write_debrief(world.fake, world.alice, world.channel, company="Hooli")
        prompt = await world.fake.invoke(world.alice, world.channel, "debrief delete", number=2)
        assert "Initech" in prompt.content  # 1 is the newest
        kept = await world.fake.click(world.alice, prompt.message, label=m.BUTTON_KEEP)
        assert kept.content == m.KEPT
        assert (
            "Initech"
            in (await world.fake.invoke(world.alice, world.channel, "debrief list")).content
        )
        prompt = await world.fake.invoke(world.alice, world.channel, "debrief delete", number=2)
        done = await world.fake.click(world.alice, prompt.message, label=m.BUTTON_CONFIRM_DELETE)
        assert done.content == m.DELETED
        listed = await world.fake.invoke(world.alice, world.channel, "debrief list")
        assert "Initech" not in listed.content and "Hooli" in listed.content
        missing = await world.fake.invoke(world.alice, world.channel, "debrief delete", number=5)
        assert missing.ephemeral and "1 to 1" in missing.content


async def test_bad_input_gets_a_kind_private_answer_and_saves_nothing(
    world: Any, tmp_path: Path
) -> None:
    async with running_bot(world.fake, data_dir=tmp_path, now=START):
        for day, expected in (("next tuesday", "couldn’t read"), ("2026-04-01", "still ahead")):
            answer = await write_debrief(world.fake, world.alice, world.channel, day=day)
            assert answer.ephemeral and expected in answer.content
        empty = await world.fake.invoke(world.alice, world.channel, "debrief list")
        assert empty.content == m.EMPTY
        shown = await world.fake.invoke(world.alice, world.channel, "debrief show")
        assert shown.content == m.EMPTY
        # A mention typed into the form is shown inert, never pinging anyone.
        saved = await write_debrief(world.fake, world.alice, world.channel, role="@everyone lead")
        assert "@everyone lead" in saved.content
        callback = [r for r in world.fake.requests if r.path.endswith("/callback")][-1]
        assert callback.json["data"]["allowed_mentions"] == {"parse": []}


async def test_the_feedback_draft_is_filled_from_the_debrief_in_three_tones(
    world: Any, tmp_path: Path
) -> None:
    async with running_bot(world.fake, data_dir=tmp_path, now=START):
        saved = await write_debrief(world.fake, world.alice, world.channel, thoughts=THOUGHTS)
        drafts = {}
        for tone in ("brief", "warm", "formal"):
            form = await world.fake.click(world.alice, saved.message, label=m.BUTTON_FEEDBACK)
            answer = await world.fake.submit_modal(
                world.alice, world.channel, form.modal, {"interviewer": "Dana", "tone": [tone]}
            )
            assert answer.ephemeral and "```" in answer.content
            drafts[tone] = answer.content
        assert "Dear Dana," in drafts["formal"] and "Kind regards" in drafts["formal"]
        assert "Hi Dana," in drafts["brief"] and "Hi Dana," in drafts["warm"]
        for text in drafts.values():
            assert "Product designer at Acme Robotics" in text and "27 February" in text
        assert len(set(drafts.values())) == 3
        # The name is kept for the next draft; the debrief counts once as feedback asked.
        form = await world.fake.click(world.alice, saved.message, label=m.BUTTON_FEEDBACK)
        assert "Dana" in str(form.modal)
        counts = await world.fake.invoke(world.alice, world.channel, "debrief counts")
        assert "Feedback requests drafted: **1**" in counts.content
        assert world.channel.messages == []


async def test_patterns_count_the_members_own_choices_after_three_debriefs(
    world: Any, tmp_path: Path
) -> None:
    async with running_bot(world.fake, data_dir=tmp_path, now=START):
        early = await world.fake.invoke(world.alice, world.channel, "debrief patterns")
        assert "after 3 debriefs" in early.content and "0 so far" in early.content
        for company, stage, kinds in (
            ("Acme", "final", ["salary"]),
            ("Globex", "final", ["salary", "technical"]),
            ("Hooli", "technical", ["technical", "salary"]),
        ):
            thoughts = {**THOUGHTS, "kinds": kinds, "threw": f"Negotiation talk at {company}"}
            await write_debrief(
                world.fake, world.alice, world.channel, company=company, stage=stage,
                thoughts=thoughts,
            )  # fmt: skip
        found = await world.fake.invoke(world.alice, world.channel, "debrief patterns")
        assert found.ephemeral
        assert "**Final round** (2 of 3)" in found.content
        assert "Salary ×3" in found.content and "Technical ×2" in found.content
        assert "“negotiation” ×3" in found.content
        # Only her own: the moderator has no patterns.
        theirs = await world.fake.invoke(world.mod, world.channel, "debrief patterns")
        assert "0 so far" in theirs.content


async def test_crisis_words_in_a_debrief_bring_the_resources_privately(
    world: Any, tmp_path: Path
) -> None:
    async with running_bot(world.fake, data_dir=tmp_path, now=START):
        heavy = {**THOUGHTS, "came_across": "Honestly some days I want to end it all"}
        saved = await write_debrief(world.fake, world.alice, world.channel, thoughts=heavy)
        assert saved.ephemeral
        assert saved.followups, "the resources come as a private follow-up"
        follow = saved.followups[0]
        assert follow["flags"] & 64
        assert m.CRISIS_INTRO in follow["content"] and "https://" in follow["content"]
        assert world.channel.messages == []
        calm = await write_debrief(world.fake, world.alice, world.channel, thoughts=THOUGHTS)
        assert calm.followups == []


async def test_show_and_list_page_through_the_journal_newest_first(
    world: Any, tmp_path: Path
) -> None:
    async with running_bot(world.fake, data_dir=tmp_path, now=START):
        for n in range(12):
            await write_debrief(world.fake, world.alice, world.channel, company=f"Company {n:02d}")
        shown = await world.fake.invoke(world.alice, world.channel, "debrief show")
        assert "Company 11" in shown.embeds[0]["title"]  # the newest
        after = await world.fake.click(world.alice, shown.message, label="Next ›")
        assert "Company 10" in after.embeds[0]["title"]
        assert after.embeds[0]["footer"]["text"] == "Debrief 2 of 12"
        listed = await world.fake.invoke(world.alice, world.channel, "debrief list")
        assert "page 1 of 2" in listed.content and "Company 02" in listed.content
        assert "Company 01" not in listed.content
        second = await world.fake.click(world.alice, listed.message, label="Next ›")
        assert "page 2 of 2" in second.content and "Company 00" in second.content
