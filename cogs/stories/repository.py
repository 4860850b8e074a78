"""SQL for anonymous stories only; returns dataclasses, never raw rows."""

from __future__ import annotations

import json
from dataclasses import dataclass, fields, replace
from datetime import datetime, timedelta
from typing import Any

import aiosqlite

from bot.db import Store
from bot.privacy import readable
from bot.scheduling import from_epoch, jobs, to_epoch
from bot.scheduling.events import forget_events

# The durable event (bot.scheduling.events) recorded with a story's post: key = the story's
# public id, data = service.posted_event(). Other features subscribe (encouragement opens its
# thread).
from bot.seams import STORY_POSTED as STORY_POSTED
from cogs.stories.logic import STAGE_LABELS, Limits, story_label

POST_JOB = "stories.post"
# Statuses that count towards a member's cooldown and daily quota (and so does a draft whose
# acknowledgement is on its way: ack_state 'awaiting').
SUBMITTED = ("scheduled", "pending", "posted", "rejected", "removed", "failed")


@dataclass(frozen=True, slots=True)
class StorySettings:
    guild_id: int
    channel_id: int | None = None
    mod_channel_id: int | None = None
    approval: bool = False
    links_allowed: bool = False
    max_delay_seconds: int = 90
    cooldown_minutes: int = 30
    daily_limit: int = 3
    crisis_policy: str = "post"
    crisis_words: tuple[str, ...] = ()
    crisis_note: str | None = None

    @property
    def limits(self) -> Limits:
        return Limits(cooldown=timedelta(minutes=self.cooldown_minutes), daily=self.daily_limit)

    @property
    def holds_for_review(self) -> bool:
        return self.approval and self.mod_channel_id is not None


_SETTING_COLUMNS = tuple(f.name for f in fields(StorySettings) if f.name != "guild_id")


@dataclass(frozen=True, slots=True)
class Story:
    id: int
    public_id: str
    guild_id: int
    author: str
    sealed_author: str | None
    status: str
    body: str
    stage: str
    takeaway: str | None
    help: str | None
    watch_terms: str | None
    crisis: bool
    number: int | None
    created_at: datetime
    submitted_at: datetime | None
    due_at: datetime | None
    posted_at: datetime | None
    channel_id: int | None
    message_id: int | None
    thread_id: int | None
    queue_channel_id: int | None
    queue_message_id: int | None
    decision_note: str | None
    # A draft's acknowledgement: "awaiting" (on its way), "unconfirmed" (never reached them).
    ack_state: str | None = None


@dataclass(frozen=True, slots=True)
class Report:
    id: int
    story_id: int
    reason: str | None
    status: str
    queue_channel_id: int | None
    queue_message_id: int | None


def _maybe_time(value: int | None) -> datetime | None:
    return from_epoch(value) if value is not None else None


def _story(row: aiosqlite.Row) -> Story:
    return Story(
        id=row["id"],
        public_id=row["public_id"],
        guild_id=row["guild_id"],
        author=row["author"],
        sealed_author=row["sealed_author"],
        status=row["status"],
        body=row["body"],
        stage=row["stage"],
        takeaway=row["takeaway"],
        help=row["help"],
        watch_terms=row["watch_terms"],
        crisis=bool(row["crisis"]),
        number=row["number"],
        created_at=from_epoch(row["created_at"]),
        submitted_at=_maybe_time(row["submitted_at"]),
        due_at=_maybe_time(row["due_at"]),
        posted_at=_maybe_time(row["posted_at"]),
        channel_id=row["channel_id"],
        message_id=row["message_id"],
        thread_id=row["thread_id"],
        queue_channel_id=row["queue_channel_id"],
        queue_message_id=row["queue_message_id"],
        decision_note=row["decision_note"],
        ack_state=row["ack_state"],
    )


def _settings(row: aiosqlite.Row) -> StorySettings:
    return StorySettings(
        guild_id=row["guild_id"],
        channel_id=row["channel_id"],
        mod_channel_id=row["mod_channel_id"],
        approval=bool(row["approval"]),
        links_allowed=bool(row["links_allowed"]),
        max_delay_seconds=row["max_delay_seconds"],
        cooldown_minutes=row["cooldown_minutes"],
        daily_limit=row["daily_limit"],
        crisis_policy=row["crisis_policy"],
        crisis_words=tuple(json.loads(row["crisis_words"])),
        crisis_note=row["crisis_note"],
    )


class StoryRepository:
    def __init__(self, store: Store) -> None:
        self.store = store

    # -- settings ---------------------------------------------------------------------------

    async def settings(self, guild_id: int) -> StorySettings:
        row = await self.store.fetchone(
            "SELECT * FROM story_settings WHERE guild_id = ?", (guild_id,)
        )
        return _settings(row) if row else StorySettings(guild_id)

    async def save_settings(self, settings: StorySettings, now: datetime) -> None:
        values: dict[str, Any] = {
            name: getattr(settings, name) for name in _SETTING_COLUMNS if name != "crisis_words"
        }
        values["approval"] = int(settings.approval)
        values["links_allowed"] = int(settings.links_allowed)
        values["crisis_words"] = json.dumps(list(settings.crisis_words))
        columns = ["guild_id", *values, "updated_at"]
        # Saving the settings (an admin picked channels) starts the "told once" over.
        updates = (
            ", ".join(f"{c} = excluded.{c}" for c in columns[1:]) + ", broken_channel_id = NULL"
        )
        await self.store.execute(
            f"INSERT INTO story_settings ({', '.join(columns)}) "
            f"VALUES ({', '.join('?' for _ in columns)}) "
            f"ON CONFLICT (guild_id) DO UPDATE SET {updates}",
            (settings.guild_id, *values.values(), to_epoch(now)),
        )

    async def next_number(self, conn: aiosqlite.Connection, guild_id: int, now: datetime) -> int:
        cursor = await conn.execute(
            "INSERT INTO story_settings (guild_id, last_number, updated_at) VALUES (?, 1, ?) "
            "ON CONFLICT (guild_id) DO UPDATE SET last_number = last_number + 1 "
            "RETURNING last_number",
            (guild_id, to_epoch(now)),
        )
        row = await cursor.fetchone()
        assert row is not None
        return int(row[0])

    # -- stories ----------------------------------------------------------------------------

    async def create(self, conn: aiosqlite.Connection, **values: Any) -> int:
        for key in ("created_at", "submitted_at", "due_at"):
            if isinstance(values.get(key), datetime):
                values[key] = to_epoch(values[key])
        columns = list(values)
        cursor = await conn.execute(
            f"INSERT INTO stories ({', '.join(columns)}) "
            f"VALUES ({', '.join('?' for _ in columns)}) RETURNING id",
            tuple(values.values()),
        )
        row = await cursor.fetchone()
        assert row is not None
        return int(row[0])

    async def update(self, conn: aiosqlite.Connection, story_id: int, **values: Any) -> None:
        for key, value in values.items():
            if isinstance(value, datetime):
                values[key] = to_epoch(value)
        assignments = ", ".join(f"{column} = ?" for column in values)
        await conn.execute(
            f"UPDATE stories SET {assignments} WHERE id = ?", (*values.values(), story_id)
        )

    async def move(
        self, conn: aiosqlite.Connection, story_id: int, from_status: str, **values: Any
    ) -> bool:
        """Change a story only if it is still in `from_status` (two moderators clicking at once
        must not both act)."""
        for key, value in values.items():
            if isinstance(value, datetime):
                values[key] = to_epoch(value)
        assignments = ", ".join(f"{column} = ?" for column in values)
        cursor = await conn.execute(
            f"UPDATE stories SET {assignments} WHERE id = ? AND status = ?",
            (*values.values(), story_id, from_status),
        )
        return cursor.rowcount == 1

    async def get(self, public_id: str) -> Story | None:
        row = await self.store.fetchone("SELECT * FROM stories WHERE public_id = ?", (public_id,))
        return _story(row) if row else None

    async def get_in(self, conn: aiosqlite.Connection, public_id: str) -> Story | None:
        cursor = await conn.execute("SELECT * FROM stories WHERE public_id = ?", (public_id,))
        row = await cursor.fetchone()
        return _story(row) if row else None

    async def by_author(self, guild_id: int, author: str, limit: int = 25) -> list[Story]:
        rows = await self.store.fetchall(
            "SELECT * FROM stories WHERE guild_id = ? AND author = ? AND status != 'draft' "
            "ORDER BY created_at DESC, id DESC LIMIT ?",
            (guild_id, author, limit),
        )
        return [_story(r) for r in rows]

    async def submission_times(self, guild_id: int, author: str, since: datetime) -> list[datetime]:
        marks = ", ".join("?" for _ in SUBMITTED)
        rows = await self.store.fetchall(
            "SELECT submitted_at FROM stories WHERE guild_id = ? AND author = ? "
            f"AND submitted_at > ? AND status IN ({marks})",
            (guild_id, author, to_epoch(since), *SUBMITTED),
        )
        return [from_epoch(r["submitted_at"]) for r in rows]

    # -- one submission: checked and stored in one transaction (Store.run) ---------------------

    @staticmethod
    async def submission_times_in(
        conn: aiosqlite.Connection, guild_id: int, author: str, since: datetime
    ) -> list[datetime]:
        """When this author submitted stories since `since`, drafts on their way included."""
        marks = ", ".join("?" for _ in SUBMITTED)
        cursor = await conn.execute(
            "SELECT submitted_at FROM stories WHERE guild_id = ? AND author = ? "
            f"AND submitted_at > ? AND (status IN ({marks}) "
            "OR (status = 'draft' AND ack_state = 'awaiting'))",
            (guild_id, author, to_epoch(since), *SUBMITTED),
        )
        return [from_epoch(r["submitted_at"]) for r in await cursor.fetchall()]

    @staticmethod
    async def is_blocked_in(conn: aiosqlite.Connection, guild_id: int, author: str) -> bool:
        cursor = await conn.execute(
            "SELECT 1 FROM story_blocks WHERE guild_id = ? AND author = ?", (guild_id, author)
        )
        return await cursor.fetchone() is not None

    @staticmethod
    async def by_submission_key_in(
        conn: aiosqlite.Connection, guild_id: int, key: str
    ) -> Story | None:
        cursor = await conn.execute(
            "SELECT * FROM stories WHERE guild_id = ? AND submission_key = ?", (guild_id, key)
        )
        row = await cursor.fetchone()
        return _story(row) if row else None

    @staticmethod
    async def expire_awaiting_in(
        conn: aiosqlite.Connection, guild_id: int, author: str, before: datetime
    ) -> int:
        """Drafts whose acknowledgement was on its way before `before` and never confirmed
        (the bot stopped in between): unconfirmed, no longer counted as submitted."""
        cursor = await conn.execute(
            "UPDATE stories SET ack_state = 'unconfirmed', submitted_at = NULL, due_at = NULL "
            "WHERE guild_id = ? AND author = ? AND status = 'draft' AND ack_state = 'awaiting' "
            "AND submitted_at <= ?",
            (guild_id, author, to_epoch(before)),
        )
        return cursor.rowcount

    async def expire_all_awaiting(self) -> int:
        """At start-up: every draft still awaiting its acknowledgement belonged to a process
        that is gone, so it was never confirmed (see expire_awaiting_in)."""
        return await self.store.execute(
            "UPDATE stories SET ack_state = 'unconfirmed', submitted_at = NULL, due_at = NULL "
            "WHERE status = 'draft' AND ack_state = 'awaiting'"
        )

    @staticmethod
    async def confirm_in(conn: aiosqlite.Connection, story_id: int, status: str) -> bool:
        """An awaiting draft becomes `status` (scheduled or pending); False if it was not
        awaiting any more (confirmed already, or withdrawn)."""
        cursor = await conn.execute(
            "UPDATE stories SET status = ?, ack_state = NULL, watch_terms = NULL "
            "WHERE id = ? AND status = 'draft' AND ack_state = 'awaiting'",
            (status, story_id),
        )
        return cursor.rowcount == 1

    @staticmethod
    async def unconfirm_in(conn: aiosqlite.Connection, story_id: int) -> bool:
        cursor = await conn.execute(
            "UPDATE stories SET ack_state = 'unconfirmed', submitted_at = NULL, due_at = NULL "
            "WHERE id = ? AND status = 'draft' AND ack_state = 'awaiting'",
            (story_id,),
        )
        return cursor.rowcount == 1

    @staticmethod
    async def unconfirmed_in(
        conn: aiosqlite.Connection, guild_id: int, author: str
    ) -> Story | None:
        """This author's latest story whose acknowledgement never reached them."""
        cursor = await conn.execute(
            "SELECT * FROM stories WHERE guild_id = ? AND author = ? AND status = 'draft' "
            "AND ack_state = 'unconfirmed' ORDER BY created_at DESC, id DESC LIMIT 1",
            (guild_id, author),
        )
        row = await cursor.fetchone()
        return _story(row) if row else None

    async def mark_channel_broken(self, guild_id: int, channel_id: int) -> bool:
        """Remember that `channel_id` cannot take stories; True the first time (tell the
        admins then, not at every /share)."""
        changed = await self.store.execute(
            "UPDATE story_settings SET broken_channel_id = ? WHERE guild_id = ? "
            "AND (broken_channel_id IS NULL OR broken_channel_id <> ?)",
            (channel_id, guild_id, channel_id),
        )
        return changed == 1

    async def failed_since(self, guild_id: int, since: datetime) -> list[Story]:
        rows = await self.store.fetchall(
            "SELECT * FROM stories WHERE guild_id = ? AND status = 'failed' "
            "AND message_id IS NULL AND submitted_at >= ?",
            (guild_id, to_epoch(since)),
        )
        return [_story(r) for r in rows]

    @staticmethod
    async def ever_claimed_in(conn: aiosqlite.Connection, kind: str, key: str) -> bool:
        """Whether the scheduler has taken up this job at all."""
        return await jobs.ever_claimed(conn, kind, key)

    async def delete(self, conn: aiosqlite.Connection, story_id: int) -> None:
        """The story and what hangs off it here: its reports (by cascade) and the run history
        of its post job (the job itself is removed through the scheduler)."""
        row = await (
            await conn.execute("SELECT public_id FROM stories WHERE id = ?", (story_id,))
        ).fetchone()
        if row is not None:
            await jobs.forget_runs(conn, POST_JOB, str(row[0]))
            await forget_events(conn, str(row[0]))  # its "posted" event names the post's ids
        await conn.execute("DELETE FROM stories WHERE id = ?", (story_id,))

    @staticmethod
    async def delete_stale_drafts_in(conn: aiosqlite.Connection, before: datetime) -> int:
        cursor = await conn.execute(
            "DELETE FROM stories WHERE status = 'draft' AND created_at < ?", (to_epoch(before),)
        )
        return cursor.rowcount

    # -- blocks -----------------------------------------------------------------------------

    async def is_blocked(self, guild_id: int, author: str) -> bool:
        row = await self.store.fetchone(
            "SELECT 1 FROM story_blocks WHERE guild_id = ? AND author = ?", (guild_id, author)
        )
        return row is not None

    async def block(
        self, conn: aiosqlite.Connection, guild_id: int, author: str, now: datetime
    ) -> bool:
        cursor = await conn.execute(
            "INSERT INTO story_blocks (guild_id, author, blocked_at) VALUES (?, ?, ?) "
            "ON CONFLICT DO NOTHING",
            (guild_id, author, to_epoch(now)),
        )
        return cursor.rowcount == 1

    async def unblock(self, guild_id: int, author: str) -> bool:
        changed = await self.store.execute(
            "DELETE FROM story_blocks WHERE guild_id = ? AND author = ?", (guild_id, author)
        )
        return changed == 1

    async def blocked_authors(self, guild_id: int) -> list[str]:
        rows = await self.store.fetchall(
            "SELECT author FROM story_blocks WHERE guild_id = ?", (guild_id,)
        )
        return [r["author"] for r in rows]

    async def unblock_all(self, guild_id: int) -> int:
        return await self.store.execute("DELETE FROM story_blocks WHERE guild_id = ?", (guild_id,))

    async def block_counts(self, guild_id: int, since: datetime) -> tuple[int, int]:
        """(blocked authors, of whom blocked since `since`)."""
        row = await self.store.fetchone(
            "SELECT COUNT(*), COALESCE(SUM(CASE WHEN blocked_at >= ? THEN 1 ELSE 0 END), 0) "
            "FROM story_blocks WHERE guild_id = ?",
            (to_epoch(since), guild_id),
        )
        return (int(row[0]), int(row[1])) if row else (0, 0)

    # -- reports ----------------------------------------------------------------------------

    async def add_report(
        self,
        conn: aiosqlite.Connection,
        story_id: int,
        reporter: str,
        reason: str | None,
        now: datetime,
    ) -> int | None:
        cursor = await conn.execute(
            "INSERT INTO story_reports (story_id, reporter, reason, created_at) "
            "VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING id",
            (story_id, reporter, reason, to_epoch(now)),
        )
        row = await cursor.fetchone()
        return int(row[0]) if row else None

    async def set_report_message(self, report_id: int, channel_id: int, message_id: int) -> None:
        await self.store.execute(
            "UPDATE story_reports SET queue_channel_id = ?, queue_message_id = ? WHERE id = ?",
            (channel_id, message_id, report_id),
        )

    async def open_reports(self, story_id: int) -> list[Report]:
        rows = await self.store.fetchall(
            "SELECT * FROM story_reports WHERE story_id = ? AND status = 'open' ORDER BY id",
            (story_id,),
        )
        return [
            Report(
                r["id"],
                r["story_id"],
                r["reason"],
                r["status"],
                r["queue_channel_id"],
                r["queue_message_id"],
            )
            for r in rows
        ]

    async def close_reports(self, conn: aiosqlite.Connection, story_id: int, status: str) -> None:
        await conn.execute(
            "UPDATE story_reports SET status = ? WHERE story_id = ? AND status = 'open'",
            (status, story_id),
        )

    # -- privacy ----------------------------------------------------------------------------

    async def public_ids_by_author(self, guild_id: int, author: str) -> list[str]:
        """Every story of one author in a server, drafts and removed ones included (for
        /privacy delete, which takes each down through the author's own delete path)."""
        rows = await self.store.fetchall(
            "SELECT public_id FROM stories WHERE guild_id = ? AND author = ? ORDER BY id",
            (guild_id, author),
        )
        return [str(r["public_id"]) for r in rows]

    @staticmethod
    async def ids_by_author_in(
        conn: aiosqlite.Connection, guild_id: int, author: str
    ) -> list[tuple[int, str]]:
        """(id, public id) of every story of one author in a server, in the caller's
        transaction (for /privacy delete: each one's deletion is announced with it)."""
        cursor = await conn.execute(
            "SELECT id, public_id FROM stories WHERE guild_id = ? AND author = ? ORDER BY id",
            (guild_id, author),
        )
        return [(int(r[0]), str(r[1])) for r in await cursor.fetchall()]

    @staticmethod
    async def export_rows_in(
        conn: aiosqlite.Connection, guild_id: int, author: str, reporter: str
    ) -> dict[str, list[dict[str, Any]]]:
        cursor = await conn.execute(
            "SELECT public_id AS story_ref, number, guild_id, status, body, stage, takeaway, "
            "help, created_at, submitted_at, posted_at, channel_id, message_id, thread_id, "
            "decision_note, sealed_author IS NOT NULL AS dm_opt_in "
            "FROM stories WHERE guild_id = ? AND author = ? ORDER BY id",
            (guild_id, author),
        )
        stories = []
        for r in await cursor.fetchall():
            story = readable(r)
            # As it was shown ("Story #3"), like the other features' exports name a story.
            story["stage"] = STAGE_LABELS.get(story["stage"], story["stage"])  # as shown
            number = story["number"]
            story = {"story": story_label(number) if number else None, **story}
            story["dm_opt_in"] = bool(story["dm_opt_in"])
            stories.append(story)
        cursor = await conn.execute(
            "SELECT guild_id, blocked_at FROM story_blocks WHERE guild_id = ? AND author = ?",
            (guild_id, author),
        )
        blocks = [readable(r) for r in await cursor.fetchall()]
        cursor = await conn.execute(
            "SELECT s.public_id AS story_ref, r.reason, r.status, r.created_at "
            "FROM story_reports r JOIN stories s ON s.id = r.story_id "
            "WHERE s.guild_id = ? AND r.reporter = ?",
            (guild_id, reporter),
        )
        reports = [readable(r) for r in await cursor.fetchall()]
        return {"stories": stories, "story_blocks": blocks, "story_reports": reports}

    @staticmethod
    async def delete_member_rows_in(
        conn: aiosqlite.Connection, guild_id: int, author: str, reporter: str
    ) -> dict[str, int]:
        cursor = await conn.execute(
            "DELETE FROM story_reports WHERE reporter = ? AND story_id IN "
            "(SELECT id FROM stories WHERE guild_id = ?)",
            (reporter, guild_id),
        )
        reports = cursor.rowcount
        cursor = await conn.execute(
            "DELETE FROM stories WHERE guild_id = ? AND author = ?", (guild_id, author)
        )
        return {"stories": cursor.rowcount, "story_reports": reports}

    @staticmethod
    async def delete_guild_rows_in(conn: aiosqlite.Connection, guild_id: int) -> dict[str, int]:
        counts: dict[str, int] = {}
        cursor = await conn.execute(
            "DELETE FROM story_reports WHERE story_id IN "
            "(SELECT id FROM stories WHERE guild_id = ?)",
            (guild_id,),
        )
        counts["story_reports"] = cursor.rowcount
        for table in ("stories", "story_blocks", "story_settings"):
            cursor = await conn.execute(f"DELETE FROM {table} WHERE guild_id = ?", (guild_id,))
            counts[table] = cursor.rowcount
        return counts


def with_settings(settings: StorySettings, **changes: Any) -> StorySettings:
    return replace(settings, **changes)
