"""/streak show, leaderboard, milestones, freezes, pauses and settings, end to end."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from tests.harness import RunningBot, running_bot

START = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)  # a Monday


async def check_in_daily(app: RunningBot, world: Any, member: Any, days: int) -> Any:
    """Check in once a day at noon UTC, `days` days in a row; the last reply."""
    reply = None
    for n in range(days):
        if n:
            await app.advance(days=1)
        reply = await world.fake.invoke(member, world.channel, "checkin", applications=1)
    return reply


def png_of(result: Any) -> Image.Image:
    (file,) = result.files
    assert file.filename == "streak.png" and file.data.startswith(b"\x89PNG")
    return Image.open(io.BytesIO(file.data))


def shown(result: Any) -> str:
    """/streak show's words: one embed (its title and text), the heatmap inside it."""
    (embed,) = result.embeds
    assert embed["image"]["url"] == "attachment://streak.png"
    assert not result.content
    return f"{embed['title']}\n{embed['description']}"


async def test_show_is_ephemeral_with_numbers_and_a_heatmap(world: Any, tmp_path: Path) -> None:
    async with running_bot(world.fake, data_dir=tmp_path, now=START) as app:
        await check_in_daily(app, world, world.alice, 3)
        r = await world.fake.invoke(world.alice, world.channel, "streak show")
        assert r.ephemeral
        assert "**Current streak:** 3 days" in shown(r)
        assert "**Best streak:** 3" in shown(r) and "**Total days checked in:** 3" in shown(r)
        assert "**This week:** 3 of 7" in shown(r)
        assert png_of(r).size == (820, 502)  # drawn at twice the 410 × 251 it is shown at
        assert r.embeds[0]["title"] == "3-day streak · best 3"
        assert world.channel.messages == []


async def test_show_with_share_posts_publicly(world: Any, tmp_path: Path) -> None:
    async with running_bot(world.fake, data_dir=tmp_path, now=START):
        await world.fake.invoke(world.alice, world.channel, "checkin", skills=2)
        r = await world.fake.invoke(world.alice, world.channel, "streak show", share=True)
        assert not r.ephemeral
        assert png_of(r)
        assert f"<@{world.alice.id}>" in shown(r)
        (post,) = world.channel.messages
        assert post["attachments"][0]["filename"] == "streak.png"
        assert post["embeds"][0]["image"]["url"] == "attachment://streak.png"
        assert post["mentions"] == []  # named, never pinged


async def test_show_renders_for_a_new_member(world: Any, tmp_path: Path) -> None:
    async with running_bot(world.fake, data_dir=tmp_path, now=START):
        r = await world.fake.invoke(world.alice, world.channel, "streak show")
        assert r.ephemeral and "**Current streak:** 0 days" in shown(r)
        assert png_of(r)


async def test_leaderboard_shows_only_members_who_opted_in(world: Any, tmp_path: Path) -> None:
    bob = world.guild.add_member("bob")
    async with running_bot(world.fake, data_dir=tmp_path, now=START) as app:
        empty = await world.fake.invoke(world.alice, world.channel, "streak leaderboard")
        assert "opt-in" in empty.content
        for member in (world.alice, bob, world.mod):
            await world.fake.invoke(member, world.channel, "checkin", applications=1)
        await app.advance(days=1)
        await world.fake.invoke(bob, world.channel, "checkin", applications=1)
        await world.fake.invoke(world.alice, world.channel, "streak settings", leaderboard=True)
        await world.fake.invoke(bob, world.channel, "streak settings", leaderboard=True)
        r = await world.fake.invoke(world.mod, world.channel, "streak leaderboard")
        (embed,) = r.embeds
        board = str(embed)
        assert f"<@{bob.id}>" in board and f"<@{world.alice.id}>" in board
        assert f"<@{world.mod.id}>" not in board
        by_streak = embed["fields"][0]["value"].splitlines()
        assert by_streak[0] == f"1. <@{bob.id}> — 2 days"
        by_week = embed["fields"][1]["value"].splitlines()
        assert by_week == [f"1. <@{bob.id}> — 2 of 7", f"2. <@{world.alice.id}> — 1 of 7"]
        # Leaving the board takes effect at once.
        await world.fake.invoke(bob, world.channel, "streak settings", leaderboard=False)
        r = await world.fake.invoke(world.mod, world.channel, "streak leaderboard")
        assert f"<@{bob.id}>" not in str(r.embeds[0])


async def test_milestones_are_announced_only_for_members_who_opted_in(
    world: Any, tmp_path: Path
) -> None:
    async with running_bot(world.fake, data_dir=tmp_path, now=START) as app:
        await world.fake.invoke(
            world.mod, world.channel, "accountability channel", channel=world.channel
        )
        await world.fake.invoke(world.alice, world.channel, "streak settings", celebrate=True)
        for n in range(3):
            if n:
                await app.advance(days=1)
            reply = await world.fake.invoke(world.alice, world.channel, "checkin", applications=1)
            quiet = await world.fake.invoke(world.mod, world.channel, "checkin", applications=1)
        await app.run_due()
        assert "That’s 3 days! I shared it" in reply.content
        assert "That’s 3 days!" in quiet.content and "shared" not in quiet.content
        posts = [m for m in world.channel.messages if "3-day" in m["content"]]
        assert len(posts) == 1 and f"<@{world.alice.id}>" in posts[0]["content"]
        assert posts[0]["mentions"] == []
        # Updating today's check-in does not announce again.
        await world.fake.invoke(world.alice, world.channel, "checkin", networking=2)
        await app.run_due()
        assert len([m for m in world.channel.messages if "day** check-in" in m["content"]]) == 1


async def test_a_freeze_is_used_and_the_member_told_gently(world: Any, tmp_path: Path) -> None:
    async with running_bot(world.fake, data_dir=tmp_path, now=START) as app:
        await check_in_daily(app, world, world.alice, 7)
        await app.advance(days=2)  # one whole day missed
        r = await world.fake.invoke(world.alice, world.channel, "checkin", applications=1)
        assert "8 days" in r.content
        assert "freeze covered Monday 9 March" in r.content and "safe" in r.content
        again = await world.fake.invoke(world.alice, world.channel, "streak show")
        assert "freeze covered" not in shown(again)  # told once


async def test_a_freeze_found_by_streak_show_is_told_there_once(world: Any, tmp_path: Path) -> None:
    """/streak show reads without a transaction when it has nothing to write; a freeze to tell
    is something to write: told on the first show, not on the next."""
    async with running_bot(world.fake, data_dir=tmp_path, now=START) as app:
        await check_in_daily(app, world, world.alice, 7)
        await app.advance(days=2)  # one whole day missed, today still open
        first = await world.fake.invoke(world.alice, world.channel, "streak show")
        assert "freeze covered Monday 9 March" in shown(first)
        again = await world.fake.invoke(world.alice, world.channel, "streak show")
        assert "freeze covered" not in shown(again)
        assert "**Current streak:** 7 days" in shown(again)


async def test_today_never_breaks_the_streak_before_local_midnight(
    world: Any, tmp_path: Path
) -> None:
    async with running_bot(world.fake, data_dir=tmp_path, now=START) as app:
        await world.fake.invoke(
            world.alice, world.channel, "timezone set", timezone="Pacific/Pago_Pago"
        )
        await check_in_daily(app, world, world.alice, 2)  # 2 and 3 March, local
        # 10:59 UTC on 5 March is still 4 March in Pago Pago: the streak stands, today is open.
        await app.advance_to(datetime(2026, 3, 5, 10, 59, tzinfo=UTC))
        r = await world.fake.invoke(world.alice, world.channel, "streak show")
        assert "**Current streak:** 2 days" in shown(r) and "still open" in shown(r)


async def test_pause_keeps_the_streak_and_resumes_by_itself(world: Any, tmp_path: Path) -> None:
    async with running_bot(world.fake, data_dir=tmp_path, now=START) as app:
        await check_in_daily(app, world, world.alice, 2)
        too_long = await world.fake.invoke(world.alice, world.channel, "streak pause", days=15)
        assert too_long.ephemeral and "1 to 14" in too_long.content
        r = await world.fake.invoke(world.alice, world.channel, "streak pause", days=10)
        assert r.ephemeral and "resumes" in r.content
        again = await world.fake.invoke(world.alice, world.channel, "streak pause", days=3)
        assert "already paused" in again.content
        await app.advance(days=10)
        r = await world.fake.invoke(world.alice, world.channel, "checkin", applications=1)
        assert "3 days" in r.content
        show = await world.fake.invoke(world.alice, world.channel, "streak show")
        assert "Paused until" not in shown(show)


async def test_settings_weekends_off_is_one_click(world: Any, tmp_path: Path) -> None:
    async with running_bot(world.fake, data_dir=tmp_path, now=START) as app:
        panel = await world.fake.invoke(world.alice, world.channel, "streak settings")
        assert panel.ephemeral and "**Rest days:** none" in panel.content
        clicked = await world.fake.click(world.alice, panel.message, label="Weekends off")
        assert "**Rest days:** weekends" in clicked.content
        await app.restart()  # the buttons are persistent
        clicked = await world.fake.click(world.alice, panel.message, label="No rest days")
        assert "**Rest days:** none" in clicked.content


async def test_rest_days_option_and_bad_input(world: Any, tmp_path: Path) -> None:
    async with running_bot(world.fake, data_dir=tmp_path, now=START):
        r = await world.fake.invoke(
            world.alice, world.channel, "streak settings", rest_days="sat,sun"
        )
        assert "Saved" in r.content and "weekends" in r.content
        bad = await world.fake.invoke(
            world.alice, world.channel, "streak settings", rest_days="blursday"
        )
        assert bad.ephemeral and "couldn’t read" in bad.content
        every = await world.fake.invoke(
            world.alice, world.channel, "streak settings", rest_days="mon,tue,wed,thu,fri,sat,sun"
        )
        assert every.ephemeral and "Seven rest days" in every.content
        assert "couldn’t read" not in every.content and "Nothing was changed" in every.content
        panel = await world.fake.invoke(world.alice, world.channel, "streak settings")
        assert "**Rest days:** weekends" in panel.content


async def test_streak_data_is_registered_for_privacy_export_and_delete(
    world: Any, tmp_path: Path
) -> None:
    from bot.privacy import Subject

    async with running_bot(world.fake, data_dir=tmp_path, now=START) as app:
        await world.fake.invoke(world.alice, world.channel, "timezone set", timezone="Asia/Tokyo")
        await world.fake.invoke(world.alice, world.channel, "checkin", applications=4, note="hi")
        await world.fake.invoke(
            world.alice, world.channel, "accountability join", day=2, time="18:00"
        )
        providers = {p.feature: p for p in app.bot.privacy.all()}
        assert {"streaks", "timezone", "accountability"} <= set(providers)
        subject = Subject(world.alice.id, [world.guild.id], lambda scope, uid: "")
        async with app.store.transaction() as conn:
            exported = {
                name: await provider.export(conn, subject)
                for name, provider in providers.items()
                if name in ("streaks", "timezone", "accountability")
            }
        assert exported["timezone"]["member_settings"][0]["timezone"] == "Asia/Tokyo"
        (checkin,) = exported["streaks"]["streak_checkins"]
        assert checkin["note"] == "hi" and checkin["created_at"].startswith("2026-03-02T")
        assert exported["accountability"]["accountability_subscriptions"][0]["weekday"] == 2
        async with app.store.transaction() as conn:
            for name in ("streaks", "timezone", "accountability"):
                await providers[name].delete(conn, subject)
        for table in ("streak_checkins", "streak_profiles", "member_settings"):
            assert await app.store.fetchone(f"SELECT 1 FROM {table}") is None


async def milestone_posts(world: Any) -> list[dict[str, Any]]:
    return [m for m in world.channel.messages if "3-day" in m["content"]]


async def reach_day_two_with_celebrations_on(app: RunningBot, world: Any) -> None:
    await world.fake.invoke(
        world.mod, world.channel, "accountability channel", channel=world.channel
    )
    await world.fake.invoke(world.alice, world.channel, "streak settings", celebrate=True)
    await check_in_daily(app, world, world.alice, 2)
    await app.advance(days=1)


async def milestone_post_left_waiting_for_a_retry(app: RunningBot, world: Any) -> None:
    """Day three's check-in reaches a milestone; three 503s: the sender's quick retries give
    up and the run waits for a retry."""
    await reach_day_two_with_celebrations_on(app, world)
    world.fake.fail_next("POST", f"/channels/{world.channel.id}/messages", status=503, count=3)
    with world.fake.expect_rejections():
        await world.fake.invoke(world.alice, world.channel, "checkin", applications=1)
        await app.run_due()


async def test_a_milestone_post_discord_stored_before_answering_503_appears_once(
    world: Any, tmp_path: Path
) -> None:
    async with running_bot(world.fake, data_dir=tmp_path, now=START) as app:
        await reach_day_two_with_celebrations_on(app, world)
        world.fake.fail_after_store("POST", f"/channels/{world.channel.id}/messages", status=503)
        with world.fake.expect_rejections():
            reply = await world.fake.invoke(world.alice, world.channel, "checkin", applications=1)
            await app.run_due()
        assert "That’s 3 days! I shared it" in reply.content
        (post,) = await milestone_posts(world)
        assert f"<@{world.alice.id}>" in post["content"] and post["mentions"] == []
        # The scheduler recorded the run and the post's id with it.
        run = await app.store.fetchone(
            "SELECT status FROM job_runs WHERE kind = 'streaks.milestone'"
        )
        assert run is not None and run[0] == "done"
        row = await app.store.fetchone("SELECT message_id FROM streak_celebrations")
        assert row is not None and row[0] == int(post["id"])
        # Nothing is posted again: not after a restart, not at the next check-in.
        await app.restart()
        await app.advance(days=1)
        await world.fake.invoke(world.alice, world.channel, "checkin", applications=1)
        await app.run_due()
        assert len(await milestone_posts(world)) == 1


async def test_a_milestone_post_discord_keeps_failing_is_retried_by_the_scheduler_across_a_restart(
    world: Any, tmp_path: Path
) -> None:
    async with running_bot(world.fake, data_dir=tmp_path, now=START) as app:
        await milestone_post_left_waiting_for_a_retry(app, world)
        assert await milestone_posts(world) == []
        run = await app.store.fetchone(
            "SELECT status FROM job_runs WHERE kind = 'streaks.milestone'"
        )
        assert run is not None and run[0] == "pending"
        await app.restart()
        await app.advance(minutes=5)
        assert len(await milestone_posts(world)) == 1
        await app.advance(days=1)
        await world.fake.invoke(world.alice, world.channel, "checkin", applications=1)
        await app.run_due()
        assert len(await milestone_posts(world)) == 1


async def test_a_deleted_accountability_channel_is_set_aside_and_nothing_is_sent_there(
    world: Any, tmp_path: Path
) -> None:
    async with running_bot(world.fake, data_dir=tmp_path, now=START) as app:
        await world.fake.invoke(
            world.mod, world.channel, "accountability channel", channel=world.channel
        )
        await world.fake.invoke(world.alice, world.channel, "streak settings", celebrate=True)
        other = world.guild.create_text_channel("chat")
        world.fake.delete_channel(world.channel)
        await world.fake.settle()
        row = await app.store.fetchone(
            "SELECT accountability_channel_id, accountability_broken_channel_id FROM guild_settings"
        )
        assert row is not None and row[0] == row[1] == world.channel.id
        notices = [
            d for d in world.fake.dm_messages(world.guild.owner) if "accountability" in d["content"]
        ]
        assert len(notices) == 1
        before = len(world.fake.requests)
        for n in range(3):
            if n:
                await app.advance(days=1)
            r = await world.fake.invoke(world.alice, other, "checkin", applications=1)
        assert "That’s 3 days!" in r.content and "shared" not in r.content
        posts = [
            q for q in world.fake.requests[before:] if q.method == "POST" and "/messages" in q.path
        ]
        assert posts == []


async def test_resume_ends_a_pause_early(world: Any, tmp_path: Path) -> None:
    async with running_bot(world.fake, data_dir=tmp_path, now=START) as app:
        nothing = await world.fake.invoke(world.alice, world.channel, "streak resume")
        assert nothing.ephemeral and "nothing to resume" in nothing.content
        await world.fake.invoke(world.alice, world.channel, "checkin", applications=1)
        await world.fake.invoke(world.alice, world.channel, "streak pause", days=7)
        await app.advance(days=2)
        r = await world.fake.invoke(world.alice, world.channel, "streak resume")
        assert r.ephemeral and "Welcome back" in r.content
        row = await app.store.fetchone("SELECT start_date, end_date, resumed_on FROM streak_pauses")
        # The day of the resume stays paused (it was paused that morning), and the pause is over.
        assert row is not None and tuple(row) == ("2026-03-02", "2026-03-04", "2026-03-04")
        show = await world.fake.invoke(world.alice, world.channel, "streak show")
        assert "**Current streak:** 1 day" in shown(show) and "Paused until" not in shown(show)


async def test_a_servers_streak_data_goes_with_the_server(world: Any, tmp_path: Path) -> None:
    async with running_bot(world.fake, data_dir=tmp_path, now=START) as app:
        await world.fake.invoke(
            world.mod, world.channel, "accountability channel", channel=world.channel
        )
        await world.fake.invoke(world.alice, world.channel, "checkin", applications=1)
        await world.fake.invoke(
            world.alice, world.channel, "accountability join", day=0, time="9:00"
        )
        providers = {p.feature: p for p in app.bot.privacy.all()}
        async with app.store.transaction() as conn:
            removed = await providers["streaks"].delete_guild(conn, world.guild.id)
            removed |= await providers["accountability"].delete_guild(conn, world.guild.id)
            # The accountability channel is a server setting: it goes with the server's settings.
            removed |= await providers["servers"].delete_guild(conn, world.guild.id)
        assert removed["streak_checkins"] == 1 and removed["guild_settings"] == 1
        assert removed["accountability_subscriptions"] == 1
        for table in ("streak_checkins", "streak_profiles", "accountability_subscriptions"):
            assert await app.store.fetchone(f"SELECT 1 FROM {table}") is None


async def test_a_channel_discord_refuses_is_told_to_admins_once_and_not_tried_again(
    world: Any, tmp_path: Path
) -> None:
    async with running_bot(world.fake, data_dir=tmp_path, now=START) as app:
        await world.fake.invoke(
            world.mod, world.channel, "accountability channel", channel=world.channel
        )
        await world.fake.invoke(world.alice, world.channel, "streak settings", celebrate=True)
        await check_in_daily(app, world, world.alice, 2)
        await app.advance(days=1)
        route = f"/channels/{world.channel.id}/messages"
        world.fake.fail_next("POST", route, status=403, code=50013, message="Missing Permissions")
        with world.fake.expect_rejections():
            await world.fake.invoke(world.alice, world.channel, "checkin", applications=1)
        before = len(world.fake.requests_to("POST", route))
        for _ in range(2):
            await app.advance(days=1)
            await world.fake.invoke(world.alice, world.channel, "checkin", applications=1)
        assert len(world.fake.requests_to("POST", route)) == before
        notices = [
            d for d in world.fake.dm_messages(world.guild.owner) if "accountability" in d["content"]
        ]
        assert len(notices) == 1
        # Picking the channel again puts it back in use.
        await world.fake.invoke(
            world.mod, world.channel, "accountability channel", channel=world.channel
        )
        row = await app.store.fetchone(
            "SELECT accountability_broken_channel_id FROM guild_settings"
        )
        assert row is not None and row[0] is None


async def test_pausing_and_resuming_the_same_day_spends_no_freeze(
    world: Any, tmp_path: Path
) -> None:
    async with running_bot(world.fake, data_dir=tmp_path, now=START) as app:
        await check_in_daily(app, world, world.alice, 7)  # a freeze earned
        await app.advance(days=1)  # Monday 9 March: paused and resumed, no check-in
        await world.fake.invoke(world.alice, world.channel, "streak pause", days=3)
        r = await world.fake.invoke(world.alice, world.channel, "streak resume")
        assert "Welcome back" in r.content
        show = await world.fake.invoke(world.alice, world.channel, "streak show")
        assert "Paused until" not in shown(show)  # the pause is over
        again = await world.fake.invoke(world.alice, world.channel, "streak pause", days=2)
        assert "already paused" not in again.content  # and a new one can start
        await world.fake.invoke(world.alice, world.channel, "streak resume")
        await app.advance(days=1)
        r = await world.fake.invoke(world.alice, world.channel, "checkin", applications=1)
        assert "freeze covered" not in r.content
        assert "8 days" in r.content
        show = await world.fake.invoke(world.alice, world.channel, "streak show")
        assert "**Freezes held:** 1" in shown(show)


async def test_a_milestone_posts_job_key_seals_the_member(world: Any, tmp_path: Path) -> None:
    async with running_bot(world.fake, data_dir=tmp_path, now=START) as app:
        await reach_day_two_with_celebrations_on(app, world)
        await world.fake.invoke(world.alice, world.channel, "checkin", applications=1)
        await app.run_due()
        assert len(await milestone_posts(world)) == 1
        rows = await app.store.fetchall(
            "SELECT key FROM job_runs WHERE kind = 'streaks.milestone' "
            "UNION ALL SELECT key FROM scheduled_jobs WHERE kind = 'streaks.milestone'"
        )
        assert rows and all(str(world.alice.id) not in r["key"] for r in rows)


# Rewrites the SQLite file as an older Rebound left it.
@pytest.mark.sqlite_only
async def test_a_milestone_post_in_flight_from_before_keys_were_sealed_posts_once(
    world: Any, tmp_path: Path
) -> None:
    """A run an older Rebound put (its key in clear) and left waiting for a retry."""
    import sqlite3

    async with running_bot(world.fake, data_dir=tmp_path, now=START) as app:
        await milestone_post_left_waiting_for_a_retry(app, world)
        await app.stop()
        old_key = f"{world.guild.id}:{world.alice.id}:2026-03-02:3"
        conn = sqlite3.connect(app.settings.db_path)
        with conn:
            for table in ("job_runs", "scheduled_jobs"):
                conn.execute(
                    f"UPDATE {table} SET key = ? WHERE kind = 'streaks.milestone'", (old_key,)
                )
        conn.close()
        await app.start()
        await app.advance(minutes=5)
        (post,) = await milestone_posts(world)
        assert f"<@{world.alice.id}>" in post["content"]
        run = await app.store.fetchone(
            "SELECT key, status FROM job_runs WHERE kind = 'streaks.milestone'"
        )
        assert run is not None and tuple(run) == (old_key, "done")
