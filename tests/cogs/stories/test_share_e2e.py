"""/share end to end: the post, its anonymity, delays, nudges, quotas, crisis words."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from cogs.stories import messages as msg
from tests.harness import running_bot
from tests.helpers.stories import (
    STORY,
    configure,
    longest_delays,
    open_share,
    posts,
    share,
    share_and_post,
    story_world,
)


async def test_share_posts_the_story_with_its_label_and_stage(world: Any, tmp_path: Path) -> None:
    w = story_world(world)
    async with running_bot(w.fake, data_dir=tmp_path) as app:
        longest_delays(app)
        await configure(w, max_delay=60)
        answer = await share(w, w.alice, takeaway="Ask for feedback early.", help="listening")
        assert answer.ephemeral
        assert "within a minute" in answer.content  # max_delay 60: said as it is
        await app.advance(seconds=59)
        assert posts(w.stories) == []  # stored, not posted yet: the runner posts it
        await app.advance(seconds=1)
        (post,) = posts(w.stories)
        embed = post["embeds"][0]
        assert embed["title"] == "Story #1"
        assert embed["description"] == STORY
        fields = {f["name"]: f["value"] for f in embed["fields"]}
        assert fields[msg.POST_STAGE] == "Final round"
        assert fields[msg.POST_HELP] == "Just listening"
        assert fields[msg.POST_TAKEAWAY] == "Ask for feedback early."
        assert "interaction" not in post and "interaction_metadata" not in post
        row = await app.store.fetchone("SELECT status, channel_id, message_id FROM stories")
        assert row is not None and row["status"] == "posted"
        assert (row["channel_id"], row["message_id"]) == (w.stories.id, int(post["id"]))


async def test_no_author_data_in_anything_the_bot_sent(world: Any, tmp_path: Path) -> None:
    w = story_world(world)
    async with running_bot(w.fake, data_dir=tmp_path) as app:
        await configure(w)
        await share_and_post(app, w, w.alice)
        assert len(posts(w.stories)) == 1
        secrets = {str(w.alice.id), w.alice.name}
        for request in w.fake.requests:
            body = json.dumps(request.json) if request.json is not None else ""
            sent = f"{request.path} {request.query} {body}"
            for secret in secrets:
                assert secret not in sent, (request.method, request.path)


async def test_a_forum_channel_gets_a_post_tagged_with_the_stage(
    world: Any, tmp_path: Path
) -> None:
    w = story_world(world)
    forum = w.guild.create_forum_channel("stories-forum", tags=["Onsite", "Final round"])
    async with running_bot(w.fake, data_dir=tmp_path) as app:
        await configure(w, channel=forum)
        await share_and_post(app, w, w.alice, stage="onsite")
        (thread,) = forum.threads
        assert thread.name == "Story #1 · Onsite"
        assert thread.applied_tags == [forum.tag("Onsite").id]
        (starter,) = thread.messages
        assert starter["embeds"][0]["description"] == STORY
        row = await app.store.fetchone("SELECT channel_id, message_id, thread_id FROM stories")
        assert row is not None
        assert (row["channel_id"], row["thread_id"]) == (forum.id, thread.id)
        assert row["message_id"] == int(starter["id"])


async def test_a_server_without_a_stories_channel_is_told_kindly(
    world: Any, tmp_path: Path
) -> None:
    w = story_world(world)
    async with running_bot(w.fake, data_dir=tmp_path) as app:
        opened = await open_share(w, w.alice)
        assert opened.modal is None and opened.ephemeral
        assert opened.content == msg.NOT_SET_UP
        assert await app.store.fetchone("SELECT 1 FROM stories") is None


async def test_mentions_and_invites_never_ping_and_never_post(world: Any, tmp_path: Path) -> None:
    w = story_world(world)
    role = w.guild.create_role("recruiters", mentionable=True)
    text = (
        f"@everyone and @here, look: <@{w.bob.id}> and <@&{role.id}> in <#{w.channel.id}>. "
        "Join us at https://discord.gg/abcdef or discord.com/invite/xyz. Notes: https://example.com"
    )
    async with running_bot(w.fake, data_dir=tmp_path) as app:
        await configure(w)
        answer = await share_and_post(app, w, w.alice, text=text, takeaway="@everyone <@1>")
        assert msg.ACK_INVITES in answer.content and msg.ACK_MENTIONS in answer.content
        assert msg.ACK_LINKS in answer.content
        (post,) = posts(w.stories)
        assert post["mention_everyone"] is False
        assert post["mentions"] == [] and post["mention_roles"] == []
        assert post["_allowed_mentions"]["parse"] == []
        shown = json.dumps(post["embeds"], ensure_ascii=False)
        for active in ("@everyone", "@here", f"<@{w.bob.id}>", f"<@&{role.id}>", "discord.gg"):
            assert active not in shown
        description = post["embeds"][0]["description"]
        assert "@\u200beveryone" in description and "@someone" in description
        assert "[invite link removed]" in description and "[link removed]" in description


async def test_links_are_posted_when_the_server_allows_them(world: Any, tmp_path: Path) -> None:
    w = story_world(world)
    async with running_bot(w.fake, data_dir=tmp_path) as app:
        await configure(w, links=True)
        text = STORY + " My notes: https://example.com/notes but not discord.gg/abc"
        await share_and_post(app, w, w.alice, text=text)
        description = posts(w.stories)[0]["embeds"][0]["description"]
        assert "https://example.com/notes" in description
        assert "discord.gg" not in description


async def test_4000_characters_are_held_back_kindly_then_posted_shortened(
    world: Any, tmp_path: Path
) -> None:
    w = story_world(world)
    long_text = ("I kept thinking about the final round. " * 110)[:4000]
    async with running_bot(w.fake, data_dir=tmp_path) as app:
        await configure(w)
        held = await share(w, w.alice, text=long_text)
        assert held.ephemeral and "holds up to 1,800" in held.content
        await app.advance(minutes=5)
        assert posts(w.stories) == []  # refused kindly: nothing posted, the text kept
        posted = await w.fake.click(w.alice, held.message, label=msg.POST_SHORTENED)
        assert msg.ACK_TRIMMED in posted.content
        await app.advance(minutes=2)
        description = posts(w.stories)[0]["embeds"][0]["description"]
        assert len(description) <= 1800 and description.endswith("…")
        kept = description[:-1]
        assert long_text.startswith(kept) and long_text[len(kept)] == " "  # whole words only


async def test_an_empty_looking_story_is_refused_kindly(world: Any, tmp_path: Path) -> None:
    w = story_world(world)
    async with running_bot(w.fake, data_dir=tmp_path) as app:
        await configure(w)
        refused = await share(w, w.alice, text="   \n  ")
        assert refused.ephemeral and refused.content == msg.EMPTY_STORY
        invisible = await share(w, w.alice, text="\u200b\u3164 \u2800")
        assert invisible.content == msg.EMPTY_STORY
        assert await app.store.fetchone("SELECT 1 FROM stories") is None


async def test_mention_heavy_text_is_trimmed_within_discord_limits(
    world: Any, tmp_path: Path
) -> None:
    w = story_world(world)
    async with running_bot(w.fake, data_dir=tmp_path) as app:
        await configure(w)
        # each <#1> becomes "#some-channel": far past 1,800
        text = "Rejected again, and here is where: " + ("<#1> " * 360)[:1760]
        answer = await share_and_post(app, w, w.alice, text=text, takeaway="x " * 300)
        assert answer.ephemeral
        (post,) = posts(w.stories)
        embed = post["embeds"][0]
        assert len(embed["description"]) <= 4096
        assert "<#1>" not in embed["description"]
        assert not w.fake.unexpected_rejections


async def test_a_second_share_inside_the_cooldown_is_refused_kindly(
    world: Any, tmp_path: Path
) -> None:
    w = story_world(world)
    async with running_bot(w.fake, data_dir=tmp_path) as app:
        await configure(w, cooldown=30)
        await share_and_post(app, w, w.alice)
        again = await open_share(w, w.alice)
        assert again.modal is None and again.ephemeral
        assert "You can share again" in again.content
        other = await open_share(w, w.bob)  # the cooldown is per member
        assert other.modal is not None
        await app.advance(minutes=31)
        assert (await open_share(w, w.alice)).modal is not None


async def test_the_daily_limit_is_refused_kindly(world: Any, tmp_path: Path) -> None:
    w = story_world(world)
    async with running_bot(w.fake, data_dir=tmp_path) as app:
        await configure(w, cooldown=0, daily_limit=2)
        await share_and_post(app, w, w.alice)
        await share_and_post(app, w, w.alice)
        refused = await open_share(w, w.alice)
        assert refused.modal is None
        assert "daily limit" in refused.content
        await app.advance(hours=24)
        assert (await open_share(w, w.alice)).modal is not None


async def test_identifying_details_get_a_nudge_then_post_anyway(world: Any, tmp_path: Path) -> None:
    w = story_world(world)
    text = STORY + " Initech called me on 2026-02-27 from +1 555 123 4567."
    async with running_bot(w.fake, data_dir=tmp_path) as app:
        await configure(w)
        nudge = await share(w, w.alice, text=text, company="Initech")
        assert nudge.ephemeral
        for detail in ("company name", "full date", "phone number"):
            assert detail in nudge.content
        await app.advance(seconds=120)
        assert posts(w.stories) == []  # nothing is posted until the member chooses
        posted = await w.fake.click(w.alice, nudge.message, label=msg.POST_ANYWAY)
        assert msg.ACK_FOOTER in posted.content
        await app.advance(seconds=120)
        (post,) = posts(w.stories)
        assert "Initech" in post["embeds"][0]["description"]
        row = await app.store.fetchone("SELECT watch_terms FROM stories")
        assert row is not None and row["watch_terms"] is None  # the name is not kept


async def test_edit_after_a_nudge_reopens_the_story_and_posts_the_new_text(
    world: Any, tmp_path: Path
) -> None:
    w = story_world(world)
    async with running_bot(w.fake, data_dir=tmp_path) as app:
        await configure(w)
        nudge = await share(w, w.alice, text=STORY + " Write me: me@example.com", company="Acme")
        assert "an email address" in nudge.content
        edit = await w.fake.click(w.alice, nudge.message, label=msg.EDIT)
        assert edit.modal is not None
        fields = json.dumps(edit.modal)
        assert "me@example.com" in fields and "Acme" in fields  # prefilled
        done = await w.fake.submit_modal(w.alice, w.channel, edit, {msg.FIELD_STORY: STORY})
        assert msg.ACK_FOOTER in done.content
        await app.advance(seconds=120)
        (post,) = posts(w.stories)
        assert post["embeds"][0]["description"] == STORY
        count = await app.store.fetchone("SELECT COUNT(*) FROM stories")
        assert count is not None and count[0] == 1


async def test_crisis_words_bring_private_support_and_the_story_still_posts(
    world: Any, tmp_path: Path
) -> None:
    w = story_world(world)
    text = STORY + " Some nights I feel like I want to die."
    async with running_bot(w.fake, data_dir=tmp_path) as app:
        await configure(w, crisis_note="Our mods are in #support, any time.")
        answer = await share(w, w.alice, text=text)
        (support,) = answer.followups
        assert support["flags"] & 64  # ephemeral: only the author sees it
        assert "findahelpline.com" in support["content"]
        assert "Our mods are in #support" in support["content"]
        await app.advance(seconds=120)
        assert len(posts(w.stories)) == 1


async def test_crisis_stories_can_be_held_for_a_moderator(world: Any, tmp_path: Path) -> None:
    w = story_world(world)
    async with running_bot(w.fake, data_dir=tmp_path) as app:
        await configure(w, mod_channel=w.mods, crisis_stories="hold", crisis_words="lost all hope")
        answer = await share(w, w.alice, text=STORY + " I have lost all hope.")
        assert answer.followups  # the resources
        await app.advance(seconds=120)
        assert posts(w.stories) == []
        (queued,) = posts(w.mods)
        assert any(f["value"] == msg.QUEUE_CRISIS for f in queued["embeds"][0]["fields"])
        other = await share(w, w.bob)
        assert not other.followups
        await app.advance(seconds=120)
        assert len(posts(w.stories)) == 1  # only the crisis story waits


async def test_the_random_delay_and_a_restart_neither_lose_nor_double_a_story(
    world: Any, tmp_path: Path
) -> None:
    w = story_world(world)
    async with running_bot(w.fake, data_dir=tmp_path) as app:
        await configure(w, max_delay=90)
        await share(w, w.alice)  # a truly random delay
        row = await app.store.fetchone("SELECT due_at, submitted_at FROM stories")
        assert row is not None and 0 <= row["due_at"] - row["submitted_at"] <= 90
        await app.advance(seconds=90)
        assert len(posts(w.stories)) == 1
        longest_delays(app)
        await share(w, w.bob)
        await app.restart()  # acknowledged but not yet posted
        assert len(posts(w.stories)) == 1
        await app.advance(seconds=91)
        assert len(posts(w.stories)) == 2
        await app.restart()
        await app.advance(minutes=10)
        assert len(posts(w.stories)) == 2


async def test_a_post_interrupted_mid_run_is_posted_once_after_restart(
    world: Any, tmp_path: Path
) -> None:
    w = story_world(world)
    async with running_bot(w.fake, data_dir=tmp_path) as app:
        longest_delays(app)
        await configure(w, max_delay=60)
        await share(w, w.alice)
        # As if the bot died after claiming the run and before posting: the job row is gone
        # and the run is 'claimed'.
        async with app.store.transaction() as conn:
            await conn.execute(
                "INSERT INTO job_runs (kind, key, occurrence, status, due_at, claimed_at) "
                "SELECT kind, key, occurrence, 'claimed', next_run_at, next_run_at "
                "FROM scheduled_jobs WHERE kind = 'stories.post'"
            )
            await conn.execute("DELETE FROM scheduled_jobs WHERE kind = 'stories.post'")
        await app.restart()
        await app.advance(seconds=90)
        assert len(posts(w.stories)) == 1
        await app.restart()
        await app.advance(minutes=5)
        assert len(posts(w.stories)) == 1


async def test_other_features_hear_of_each_new_post_durably(world: Any, tmp_path: Path) -> None:
    w = story_world(world)
    async with running_bot(w.fake, data_dir=tmp_path) as app:
        await configure(w)
        await share_and_post(app, w, w.alice)
        (post,) = posts(w.stories)
        # The "posted" event is a job of each subscriber, recorded with the post itself.
        rows = await app.store.fetchall(
            "SELECT r.kind, r.status FROM job_runs r JOIN stories s ON r.key = s.public_id "
            "WHERE r.kind = 'encouragement.story_thread'"
        )
        assert [(r["kind"], r["status"]) for r in rows] == [("encouragement.story_thread", "done")]
        row = await app.store.fetchone("SELECT message_id, thread_id FROM encouragement_stories")
        assert row is not None and row["message_id"] == row["thread_id"] == int(post["id"])


async def test_the_form_fields_can_be_answered_by_their_plain_custom_ids(
    world: Any, tmp_path: Path
) -> None:
    w = story_world(world)
    async with running_bot(w.fake, data_dir=tmp_path) as app:
        await configure(w)
        opened = await open_share(w, w.alice)
        answer = await w.fake.submit_modal(
            w.alice,
            w.channel,
            opened,
            {"what_happened": STORY, "stage": ["technical"], "help": ["advice"]},
        )
        assert msg.ACK_FOOTER in answer.content
        await app.advance(seconds=120)
        fields = {f["name"]: f["value"] for f in posts(w.stories)[0]["embeds"][0]["fields"]}
        assert fields[msg.POST_STAGE] == "Technical"
        assert fields[msg.POST_HELP] == "Advice welcome"
