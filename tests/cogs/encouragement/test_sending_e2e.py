"""Encourage and OP replies as members meet them, end to end.

One submission is one post, whatever Discord answers; a burst of Encourage stops at the limits;
kind words are signed "a member" unless the member picks their name; a refused message is given
back; a removed thread is named as such.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from cogs.encouragement import logic
from cogs.encouragement import messages as m
from tests.harness import RunningBot, running_bot
from tests.helpers.encouragement import encourage_post, shared_story
from tests.helpers.process import until
from tests.helpers.stories import configure, story_world

MESSAGES = "/channels/{channel_id}/messages"


def kind_words(thread: Any) -> list[dict[str, Any]]:
    return [msg for msg in thread.messages if "Encouragement from" in msg["content"]]


async def encouragement_rows(app: RunningBot) -> int:
    row = await app.store.fetchone("SELECT COUNT(*) FROM encouragements")
    return int(row[0]) if row else 0


async def open_encourage(w: Any, member: Any, post: dict[str, Any]) -> Any:
    opened = await w.fake.click(member, w.fake.message(post["id"]), label="Encourage")
    assert opened.modal is not None
    return opened


# -- C4: anonymous unless the member picks their name ----------------------------------------------


async def test_encourage_is_signed_a_member_unless_the_name_is_picked(
    world: Any, tmp_path: Path
) -> None:
    w = story_world(world)
    carol = w.guild.add_member("carol", nick="Carol C.")
    async with running_bot(w.fake, data_dir=tmp_path) as app:
        await configure(w)
        post, thread = await shared_story(app, w, w.alice)
        opened = await open_encourage(w, carol, post)
        # The form's signing choice is left as it opened.
        done = await w.fake.submit_modal(
            carol, w.stories, opened, {"Your message": "Rooting for you."}
        )
        assert done.ephemeral
        assert thread.messages[-1]["content"] == (
            "💬 **Encouragement from a member**\nRooting for you."
        )
        assert "Carol" not in str(w.fake.requests_to("POST", MESSAGES)[-1].json)
        # Signing with one's name is still one choice away.
        await encourage_post(w, carol, post, "Proud of you.", anonymous=False)
        assert thread.messages[-1]["content"].startswith("💬 **Encouragement from Carol C.**")


# -- A6: one submission, one post ---------------------------------------------------------------


async def test_encourage_answered_store_then_503_says_maybe_and_a_retry_posts_once(
    world: Any, tmp_path: Path
) -> None:
    w = story_world(world)
    async with running_bot(w.fake, data_dir=tmp_path) as app:
        await configure(w)
        post, thread = await shared_story(app, w, w.alice)
        opened = await open_encourage(w, w.bob, post)
        # Discord stores the post and answers 503 to every attempt of this send.
        w.fake.fail_after_store("POST", MESSAGES, 503, count=3)
        first = await w.fake.submit_modal(
            w.bob, w.stories, opened, {"Your message": "You are not alone in this."}
        )
        answer = first.followups[-1]
        assert answer["content"] == m.MAYBE_POSTED
        assert "Nothing was posted" not in answer["content"]
        assert len(kind_words(thread)) == 1  # it was posted

        retried = await w.fake.click(w.bob, answer, label=m.TRY_AGAIN)
        assert retried.ephemeral
        assert "posted once" in (retried.followups[-1]["content"] or "")
        assert len(kind_words(thread)) == 1
        assert await encouragement_rows(app) == 1

        # Pressed again later: still one post, still one record.
        again = await w.fake.click(w.bob, answer, label=m.TRY_AGAIN)
        assert "posted once" in (again.followups[-1]["content"] or "")
        assert len(kind_words(thread)) == 1
        assert await encouragement_rows(app) == 1


async def test_a_retry_after_discords_nonce_window_finds_the_first_post(
    world: Any, tmp_path: Path
) -> None:
    w = story_world(world)
    async with running_bot(w.fake, data_dir=tmp_path) as app:
        await configure(w)
        post, thread = await shared_story(app, w, w.alice)
        opened = await open_encourage(w, w.bob, post)
        w.fake.fail_after_store("POST", MESSAGES, 503, count=3)
        first = await w.fake.submit_modal(
            w.bob, w.stories, opened, {"Your message": "Sending you strength."}
        )
        assert first.followups[-1]["content"] == m.MAYBE_POSTED
        w.fake.nonce_window = 0.0  # Discord no longer remembers the nonce
        await w.fake.click(w.bob, first.followups[-1], label=m.TRY_AGAIN)
        assert len(kind_words(thread)) == 1
        assert await encouragement_rows(app) == 1


async def test_a_retry_of_a_send_discord_never_stored_posts_it_once(
    world: Any, tmp_path: Path
) -> None:
    w = story_world(world)
    async with running_bot(w.fake, data_dir=tmp_path) as app:
        await configure(w)
        post, thread = await shared_story(app, w, w.alice)
        opened = await open_encourage(w, w.bob, post)
        w.fake.fail_next("POST", MESSAGES, 503, count=3)  # refused, nothing stored
        first = await w.fake.submit_modal(w.bob, w.stories, opened, {"Your message": "Hugs."})
        answer = first.followups[-1]
        assert answer["content"] == m.MAYBE_POSTED and kind_words(thread) == []
        # Nothing was stored, so the retry posts it, once.
        await w.fake.click(w.bob, answer, label=m.TRY_AGAIN)
        assert len(kind_words(thread)) == 1
        await w.fake.click(w.bob, answer, label=m.TRY_AGAIN)
        assert len(kind_words(thread)) == 1


async def test_op_reply_answered_store_then_503_posts_once_after_a_retry(
    world: Any, tmp_path: Path
) -> None:
    w = story_world(world)
    async with running_bot(w.fake, data_dir=tmp_path) as app:
        await configure(w)
        _post, thread = await shared_story(app, w, w.alice)
        opened = await w.fake.invoke(w.alice, thread, "reply")
        w.fake.fail_after_store("POST", MESSAGES, 503, count=3)
        first = await w.fake.submit_modal(w.alice, thread, opened, {"Your reply": "Thank you."})
        answer = first.followups[-1]
        assert answer["content"] == m.MAYBE_POSTED
        await w.fake.click(w.alice, answer, label=m.TRY_AGAIN)
        replies = [msg for msg in thread.messages if "OP (anonymous)" in msg["content"]]
        assert len(replies) == 1


# -- B2: limits a burst cannot walk through -----------------------------------------------------


async def burst(w: Any, member: Any, post: dict[str, Any], count: int) -> list[Any]:
    """`count` Encourage forms opened one by one, then all submitted at once."""
    forms = [await open_encourage(w, member, post) for _ in range(count)]
    started = await asyncio.gather(
        *(
            w.fake.start_modal(member, w.stories, form, {"Your message": f"Kind word {i}."})
            for i, form in enumerate(forms)
        )
    )
    for result in started:
        await w.fake.answered(result)
    await w.fake.settle()
    return list(started)


async def test_a_burst_of_encouragements_stops_at_three_per_story_with_a_kind_answer(
    world: Any, tmp_path: Path
) -> None:
    w = story_world(world)
    async with running_bot(w.fake, data_dir=tmp_path) as app:
        await configure(w)
        post, thread = await shared_story(app, w, w.alice)
        results = await burst(w, w.bob, post, 12)
        await until(lambda: len(kind_words(thread)) >= logic.PER_STORY_LIMIT, "the kind words")
        await w.fake.settle()
        assert len(kind_words(thread)) == logic.PER_STORY_LIMIT
        assert await encouragement_rows(app) == logic.PER_STORY_LIMIT
        refusals = [
            r.followups[-1]["content"]
            for r in results
            if r.followups and "in the last hour" in (r.followups[-1]["content"] or "")
        ]
        assert len(refusals) == 12 - logic.PER_STORY_LIMIT
        # When they can post again: an hour after the first of the three.
        assert all("You can add more at <t:" in text for text in refusals)

        # An hour later there is room again.
        await app.advance(minutes=61)
        await encourage_post(w, w.bob, post, "Back again to say: you've got this.", anonymous=True)
        assert len(kind_words(thread)) == logic.PER_STORY_LIMIT + 1


async def test_moderators_are_held_to_the_per_story_limit_too(world: Any, tmp_path: Path) -> None:
    w = story_world(world)
    async with running_bot(w.fake, data_dir=tmp_path) as app:
        await configure(w)
        post, thread = await shared_story(app, w, w.alice)
        await burst(w, w.mod, post, 6)
        await until(lambda: len(kind_words(thread)) >= logic.PER_STORY_LIMIT, "the kind words")
        await w.fake.settle()
        assert len(kind_words(thread)) == logic.PER_STORY_LIMIT


# -- part D: refused words come back, a removed thread is named --------------------------------


async def test_an_invite_link_gives_the_message_back_to_edit(world: Any, tmp_path: Path) -> None:
    w = story_world(world)
    async with running_bot(w.fake, data_dir=tmp_path) as app:
        await configure(w)
        post, thread = await shared_story(app, w, w.alice)
        text = "You will find the right place. Join us at discord.gg/abcdef for mock interviews!"
        refused = await encourage_post(w, w.bob, post, text, anonymous=True)
        answer = refused.followups[-1]["content"] if refused.followups else refused.content
        assert "invite" in answer.lower()
        assert f"```\n{text}\n```" in answer
        assert kind_words(thread) == []


async def test_a_removed_thread_is_named_while_the_post_is_still_up(
    world: Any, tmp_path: Path
) -> None:
    w = story_world(world)
    async with running_bot(w.fake, data_dir=tmp_path) as app:
        await configure(w)
        post, thread = await shared_story(app, w, w.alice)
        w.fake.delete_channel(thread)
        await w.fake.settle()
        refused = await encourage_post(w, w.bob, post, "Thinking of you.", anonymous=True)
        answer = refused.followups[-1]["content"] if refused.followups else refused.content
        assert answer == m.THREAD_REMOVED
        assert w.fake.message(post["id"]) is not None  # the story itself is still there


async def test_a_burst_across_stories_stops_at_twenty_an_hour_but_not_for_moderators(
    world: Any, tmp_path: Path
) -> None:
    w = story_world(world)
    async with running_bot(w.fake, data_dir=tmp_path) as app:
        await configure(w, cooldown=0, daily_limit=10)
        stories = [await shared_story(app, w, w.alice) for _ in range(7)]  # room for 21

        async def everywhere(member: Any) -> list[Any]:
            forms = [
                (post, await open_encourage(w, member, post))
                for post, _thread in stories
                for _ in range(logic.PER_STORY_LIMIT)
            ]
            started = await asyncio.gather(
                *(
                    w.fake.start_modal(member, w.stories, form, {"Your message": f"You matter {i}"})
                    for i, (_post, form) in enumerate(forms)
                )
            )
            for result in started:
                await w.fake.answered(result)
            await w.fake.settle()
            return list(started)

        def posted() -> int:
            return sum(len(kind_words(thread)) for _post, thread in stories)

        results = await everywhere(w.bob)
        assert posted() == logic.PER_MEMBER_LIMIT
        answers = [r.followups[-1]["content"] for r in results if r.followups]
        assert sum("You can send more at <t:" in (a or "") for a in answers) == 1

        # A moderator may welcome every story (still three at most on each).
        await everywhere(w.mod)
        assert posted() == logic.PER_MEMBER_LIMIT + 7 * logic.PER_STORY_LIMIT


async def test_the_same_words_from_a_new_form_after_a_lost_answer_post_once(
    world: Any, tmp_path: Path
) -> None:
    w = story_world(world)
    async with running_bot(w.fake, data_dir=tmp_path) as app:
        await configure(w)
        post, thread = await shared_story(app, w, w.alice)
        # Discord stores the post, the answer is lost, and Discord forgets the nonce: the member
        # opens a new form and sends the same words again.
        w.fake.fail_after_store("POST", MESSAGES, 503, count=3)
        first = await encourage_post(
            w, w.bob, post, "You will land somewhere good.", anonymous=True
        )
        assert first.followups[-1]["content"] == m.MAYBE_POSTED
        w.fake.nonce_window = 0.0
        again = await encourage_post(
            w, w.bob, post, "You will land somewhere good.", anonymous=True
        )
        assert again.followups[-1]["content"].startswith("Thank you")
        assert len(kind_words(thread)) == 1
        assert await encouragement_rows(app) == 1


async def test_unconfirmed_words_are_not_kept_past_a_day(world: Any, tmp_path: Path) -> None:
    w = story_world(world)
    async with running_bot(w.fake, data_dir=tmp_path) as app:
        await configure(w)
        post, thread = await shared_story(app, w, w.alice)
        w.fake.fail_next("POST", MESSAGES, 503, count=3)  # refused, nothing stored
        first = await encourage_post(w, w.bob, post, "Sending strength.", anonymous=True)
        answer = first.followups[-1]
        assert answer["content"] == m.MAYBE_POSTED
        row = await app.store.fetchone("SELECT words FROM encouragement_sends")
        assert row is not None and row[0] == "Sending strength."

        await app.advance(hours=25)
        await encourage_post(w, w.alice, post, "Thank you, everyone.", anonymous=True)
        row = await app.store.fetchone(
            "SELECT words FROM encouragement_sends WHERE message_id IS NULL"
        )
        assert row is not None and row[0] is None
        late = await w.fake.click(w.bob, answer, label=m.TRY_AGAIN)
        assert late.followups[-1]["content"] == m.RETRY_EXPIRED
        assert [msg["content"] for msg in kind_words(thread)] == [
            "💬 **Encouragement from a member**\nThank you, everyone."
        ]
