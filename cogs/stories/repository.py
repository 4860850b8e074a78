"""SQL for anonymous stories only; returns dataclasses, never raw rows."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import aiosqlite

from bot.db import Store
from bot.scheduling import from_epoch, jobs, to_epoch
from bot.scheduling.events import forget_events
from cogs.stories.moderation_rows import ModerationRows
from cogs.stories.personal_data_rows import PersonalDataRows
from cogs.stories.records import _SETTING_COLUMNS, SUBMITTED, _settings, _story
from cogs.stories.records import POST_JOB as POST_JOB
from cogs.stories.records import STORY_POSTED as STORY_POSTED
from cogs.stories.records import Report as Report
from cogs.stories.records import Story as Story
from cogs.stories.records import StorySettings as StorySettings
from cogs.stories.records import with_settings as with_settings


class StoryRepository(ModerationRows, PersonalDataRows):
    """Settings and stories here; blocks and reports in moderation_rows.py, a member's data
    for /privacy in personal_data_rows.py."""

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
            "ON CONFLICT (guild_id) DO UPDATE SET last_number = story_settings.last_number + 1 "
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
