"""SQL for peer encouragement. Writes take the caller's transaction connection, so a change and
the schedule it implies (a digest, a roundup) land together."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from bot.db import Store
from bot.scheduling import from_epoch, jobs, to_epoch
from cogs.encouragement.logic import RoundupCounts

DIGEST_JOB = "encouragement.digest"
ROUNDUP_JOB = "encouragement.roundup"
#: A story's thread, opened from the stories feature's durable "posted" event
#: (bot.scheduling.events); key = the story's public id.
STORY_THREAD_JOB = "encouragement.story_thread"
#: A deleted story's leftovers dropped, from the stories feature's durable "deleted" event;
#: key = the event's own token (never the story's ids).
STORY_GONE_JOB = "encouragement.story_gone"


def pseudonym_scope(guild_id: int) -> str:
    """The keyed-pseudonym scope of encouragers and me-toos in one server."""
    return f"encouragement:{guild_id}"


@dataclass(frozen=True, slots=True)
class StoryThread:
    story_id: int
    public_id: str
    guild_id: int
    channel_id: int
    message_id: int
    thread_id: int | None
    label: str
    stage: str | None
    posted_at: datetime
    digest_sent_at: datetime | None
    digest_muted: bool


@dataclass(frozen=True, slots=True)
class Encouragement:
    id: int
    story_id: int
    anonymous: bool
    signature: str | None
    body: str | None
    created_at: datetime


def _story(row: aiosqlite.Row) -> StoryThread:
    return StoryThread(
        story_id=row["story_id"],
        public_id=row["public_id"],
        guild_id=row["guild_id"],
        channel_id=row["channel_id"],
        message_id=row["message_id"],
        thread_id=row["thread_id"],
        label=row["label"],
        stage=row["stage"],
        posted_at=from_epoch(row["posted_at"]),
        digest_sent_at=from_epoch(row["digest_sent_at"]) if row["digest_sent_at"] else None,
        digest_muted=bool(row["digest_muted"]),
    )


_STORY_COLUMNS = (
    "story_id, public_id, guild_id, channel_id, message_id, thread_id, label, stage, "
    "posted_at, digest_sent_at, digest_muted"
)


class EncouragementRepository:
    def __init__(self, store: Store) -> None:
        self.store = store

    # -- story threads --------------------------------------------------------------------------

    async def add_story(
        self,
        conn: aiosqlite.Connection,
        *,
        story_id: int,
        public_id: str,
        guild_id: int,
        channel_id: int,
        message_id: int,
        label: str,
        stage: str | None,
        now: datetime,
    ) -> bool:
        """Record a posted story; False when it was already known (a repeated event)."""
        cursor = await conn.execute(
            "INSERT INTO encouragement_stories (story_id, public_id, guild_id, channel_id, "
            "message_id, label, stage, posted_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT DO NOTHING",
            (story_id, public_id, guild_id, channel_id, message_id, label, stage, to_epoch(now)),
        )
        return cursor.rowcount == 1

    async def set_thread(self, story_id: int, thread_id: int) -> None:
        await self.store.execute(
            "UPDATE encouragement_stories SET thread_id = ? WHERE story_id = ?",
            (thread_id, story_id),
        )

    async def story(self, story_id: int) -> StoryThread | None:
        row = await self.store.fetchone(
            f"SELECT {_STORY_COLUMNS} FROM encouragement_stories WHERE story_id = ?", (story_id,)
        )
        return _story(row) if row else None

    async def stories_with_thread(self, story_ids: Sequence[int]) -> set[int]:
        """Which of these stories have their thread recorded."""
        found: set[int] = set()
        for start in range(0, len(story_ids), 500):
            chunk = story_ids[start : start + 500]
            rows = await self.store.fetchall(
                "SELECT story_id FROM encouragement_stories WHERE thread_id IS NOT NULL "
                f"AND story_id IN ({', '.join('?' * len(chunk))})",
                tuple(chunk),
            )
            found.update(int(r["story_id"]) for r in rows)
        return found

    async def set_digest_muted(self, story_id: int, muted: bool) -> None:
        await self.store.execute(
            "UPDATE encouragement_stories SET digest_muted = ? WHERE story_id = ?",
            (int(muted), story_id),
        )

    async def story_by_public_id(self, public_id: str) -> StoryThread | None:
        row = await self.store.fetchone(
            f"SELECT {_STORY_COLUMNS} FROM encouragement_stories WHERE public_id = ?",
            (public_id,),
        )
        return _story(row) if row else None

    async def story_by_thread(self, thread_id: int) -> StoryThread | None:
        row = await self.store.fetchone(
            f"SELECT {_STORY_COLUMNS} FROM encouragement_stories WHERE thread_id = ?",
            (thread_id,),
        )
        return _story(row) if row else None

    async def forget_story(self, story_id: int, public_id: str | None = None) -> None:
        """The story was deleted: its thread record, kind words and me-toos go with it."""
        async with self.store.transaction() as conn:
            # A thread still to be opened for it is not opened any more (with no record yet,
            # the job is found by the story's public id).
            cursor = await conn.execute(
                "SELECT public_id FROM encouragement_stories WHERE story_id = ?", (story_id,)
            )
            public_ids = {str(row[0]) for row in await cursor.fetchall()}
            if public_id is not None:
                public_ids.add(public_id)
            for key in sorted(public_ids):
                await jobs.forget(conn, STORY_THREAD_JOB, key)
            await conn.execute("DELETE FROM encouragement_stories WHERE story_id = ?", (story_id,))
            await jobs.forget(conn, DIGEST_JOB, str(story_id))  # its digest, and its history

    # -- kind words -----------------------------------------------------------------------------

    async def add_encouragement(
        self,
        conn: aiosqlite.Connection,
        *,
        story_id: int,
        guild_id: int,
        pseudonym: str,
        signature: str | None,
        body: str | None,
        message_id: int,
        now: datetime,
    ) -> int:
        cursor = await conn.execute(
            "INSERT INTO encouragements (story_id, guild_id, pseudonym, anonymous, signature, "
            "body, message_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            (
                story_id,
                guild_id,
                pseudonym,
                int(signature is None),
                signature,
                body,
                message_id,
                to_epoch(now),
            ),
        )
        row = await cursor.fetchone()
        assert row is not None
        return int(row[0])

    async def undigested(self, story_id: int) -> list[Encouragement]:
        rows = await self.store.fetchall(
            "SELECT id, story_id, anonymous, signature, body, created_at FROM encouragements "
            "WHERE story_id = ? AND digested_at IS NULL ORDER BY created_at, id",
            (story_id,),
        )
        return [
            Encouragement(
                id=row["id"],
                story_id=row["story_id"],
                anonymous=bool(row["anonymous"]),
                signature=row["signature"],
                body=row["body"],
                created_at=from_epoch(row["created_at"]),
            )
            for row in rows
        ]

    async def mark_digested(
        self, conn: aiosqlite.Connection, story_id: int, ids: list[int], now: datetime
    ) -> None:
        """The digest carried these: forget their text, remember when the story last had one."""
        await conn.executemany(
            "UPDATE encouragements SET digested_at = ?, body = NULL WHERE id = ?",
            [(to_epoch(now), i) for i in ids],
        )
        await conn.execute(
            "UPDATE encouragement_stories SET digest_sent_at = ? WHERE story_id = ?",
            (to_epoch(now), story_id),
        )

    async def drop_undigested_text(self, story_id: int, now: datetime) -> None:
        """The author does not want digests: keep no text waiting for one."""
        await self.store.execute(
            "UPDATE encouragements SET digested_at = ?, body = NULL "
            "WHERE story_id = ? AND digested_at IS NULL",
            (to_epoch(now), story_id),
        )

    # -- me too ---------------------------------------------------------------------------------

    async def has_me_too(self, conn: aiosqlite.Connection, story_id: int, pseudonym: str) -> bool:
        cursor = await conn.execute(
            "SELECT 1 FROM encouragement_me_too WHERE story_id = ? AND pseudonym = ?",
            (story_id, pseudonym),
        )
        return await cursor.fetchone() is not None

    async def set_me_too(
        self,
        conn: aiosqlite.Connection,
        story_id: int,
        guild_id: int,
        pseudonym: str,
        *,
        on: bool,
        now: datetime,
    ) -> None:
        if on:
            await conn.execute(
                "INSERT INTO encouragement_me_too (story_id, pseudonym, guild_id, created_at) "
                "VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                (story_id, pseudonym, guild_id, to_epoch(now)),
            )
        else:
            await conn.execute(
                "DELETE FROM encouragement_me_too WHERE story_id = ? AND pseudonym = ?",
                (story_id, pseudonym),
            )

    async def me_too_count(self, conn: aiosqlite.Connection | None, story_id: int) -> int:
        sql = "SELECT COUNT(*) FROM encouragement_me_too WHERE story_id = ?"
        if conn is None:
            row = await self.store.fetchone(sql, (story_id,))
        else:
            cursor = await conn.execute(sql, (story_id,))
            row = await cursor.fetchone()
        return int(row[0]) if row else 0

    # -- settings and the roundup ---------------------------------------------------------------

    async def roundup_enabled(self, guild_id: int) -> bool:
        row = await self.store.fetchone(
            "SELECT roundup_enabled FROM encouragement_settings WHERE guild_id = ?", (guild_id,)
        )
        return True if row is None else bool(row["roundup_enabled"])

    async def set_roundup_enabled(
        self, conn: aiosqlite.Connection, guild_id: int, enabled: bool, now: datetime
    ) -> None:
        await conn.execute(
            "INSERT INTO encouragement_settings (guild_id, roundup_enabled, updated_at) "
            "VALUES (?, ?, ?) ON CONFLICT (guild_id) DO UPDATE SET "
            "roundup_enabled = excluded.roundup_enabled, updated_at = excluded.updated_at",
            (guild_id, int(enabled), to_epoch(now)),
        )

    async def latest_channel(self, guild_id: int) -> int | None:
        """The channel the server's most recent story went to (the roundup goes there too)."""
        row = await self.store.fetchone(
            "SELECT channel_id FROM encouragement_stories WHERE guild_id = ? "
            "ORDER BY posted_at DESC, story_id DESC LIMIT 1",
            (guild_id,),
        )
        return int(row["channel_id"]) if row else None

    async def week_counts(self, guild_id: int, start: datetime, end: datetime) -> RoundupCounts:
        """Stories posted, kind words and me-toos given in [start, end). Counts only."""
        window = (guild_id, to_epoch(start), to_epoch(end))
        counts = []
        for table, column in (
            ("encouragement_stories", "posted_at"),
            ("encouragements", "created_at"),
            ("encouragement_me_too", "created_at"),
        ):
            row = await self.store.fetchone(
                f"SELECT COUNT(*) FROM {table} WHERE guild_id = ? "
                f"AND {column} >= ? AND {column} < ?",
                window,
            )
            counts.append(int(row[0]) if row else 0)
        return RoundupCounts(*counts)

    async def record_roundup(
        self,
        guild_id: int,
        week: str,
        counts: RoundupCounts,
        message_id: int | None,
        now: datetime,
    ) -> None:
        await self.store.execute(
            "INSERT INTO encouragement_roundups (guild_id, week, stories, encouragements, "
            "me_toos, message_id, posted_at) VALUES (?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (guild_id, week) DO NOTHING",
            (
                guild_id,
                week,
                counts.stories,
                counts.encouragements,
                counts.me_toos,
                message_id,
                to_epoch(now),
            ),
        )

    async def roundup_posted(self, guild_id: int, week: str) -> bool:
        row = await self.store.fetchone(
            "SELECT 1 FROM encouragement_roundups WHERE guild_id = ? AND week = ?",
            (guild_id, week),
        )
        return row is not None
