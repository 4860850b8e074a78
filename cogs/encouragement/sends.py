"""SQL for the table of Encourage and OP-reply submissions (encouragement_sends).

A submission is recorded before it is sent, under the random token of the form it came from:
that token is the send's nonce (a retry cannot post twice), and the recent rows are what the
Encourage limits count. Writes take the caller's transaction connection, so a limit check and
the row it allows land together.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

import aiosqlite

from bot.scheduling import from_epoch, to_epoch

SendKind = Literal["encourage", "reply"]

_COLUMNS = (
    "token, story_id, guild_id, pseudonym, kind, signature, words, same_as, message_id, created_at"
)


@dataclass(frozen=True, slots=True)
class Send:
    token: str
    story_id: int
    guild_id: int
    pseudonym: str
    kind: SendKind
    signature: str | None  # the name an encouragement is signed with; None: "a member"
    words: str | None  # None once Discord confirmed the post
    same_as: str  # what makes two submissions the same words (see same_words)
    message_id: int | None
    created_at: datetime


def _send(row: aiosqlite.Row) -> Send:
    return Send(
        token=row["token"],
        story_id=row["story_id"],
        guild_id=row["guild_id"],
        pseudonym=row["pseudonym"],
        kind=row["kind"],
        signature=row["signature"],
        words=row["words"],
        same_as=row["same_as"],
        message_id=row["message_id"],
        created_at=from_epoch(row["created_at"]),
    )


def same_words(kind: SendKind, signature: str | None, words: str) -> str:
    """What makes two submissions the same post (a digest: the text itself is not kept)."""
    return hashlib.sha256(f"{kind}\n{signature or ''}\n{words}".encode()).hexdigest()


class SendsRepository:
    async def get(self, conn: aiosqlite.Connection, token: str) -> Send | None:
        cursor = await conn.execute(
            f"SELECT {_COLUMNS} FROM encouragement_sends WHERE token = ?", (token,)
        )
        row = await cursor.fetchone()
        return _send(row) if row else None

    async def same_words(
        self,
        conn: aiosqlite.Connection,
        story_id: int,
        pseudonym: str,
        same_as: str,
        since: datetime,
    ) -> Send | None:
        """The member's latest submission of the same words on this story since `since`."""
        cursor = await conn.execute(
            f"SELECT {_COLUMNS} FROM encouragement_sends WHERE story_id = ? AND pseudonym = ? "
            "AND same_as = ? AND created_at > ? ORDER BY created_at DESC LIMIT 1",
            (story_id, pseudonym, same_as, to_epoch(since)),
        )
        row = await cursor.fetchone()
        return _send(row) if row else None

    async def recent_encouragements(
        self, conn: aiosqlite.Connection, guild_id: int, pseudonym: str, since: datetime
    ) -> list[tuple[int, datetime]]:
        """(story id, when) of the member's Encourage submissions in the server since `since`."""
        cursor = await conn.execute(
            "SELECT story_id, created_at FROM encouragement_sends WHERE guild_id = ? "
            "AND pseudonym = ? AND kind = 'encourage' AND created_at > ?",
            (guild_id, pseudonym, to_epoch(since)),
        )
        return [(int(r["story_id"]), from_epoch(r["created_at"])) for r in await cursor.fetchall()]

    async def add(self, conn: aiosqlite.Connection, send: Send) -> None:
        await conn.execute(
            f"INSERT INTO encouragement_sends ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                send.token,
                send.story_id,
                send.guild_id,
                send.pseudonym,
                send.kind,
                send.signature,
                send.words,
                send.same_as,
                send.message_id,
                to_epoch(send.created_at),
            ),
        )

    async def confirm(self, conn: aiosqlite.Connection, token: str, message_id: int) -> bool:
        """Discord stored the post: keep its id, forget the text. False if already confirmed
        (the same submission delivered twice)."""
        cursor = await conn.execute(
            "UPDATE encouragement_sends SET message_id = ?, words = NULL "
            "WHERE token = ? AND message_id IS NULL",
            (message_id, token),
        )
        return cursor.rowcount == 1

    async def drop(self, conn: aiosqlite.Connection, token: str) -> None:
        """Discord refused for good: nothing was posted, and it does not count."""
        await conn.execute(
            "DELETE FROM encouragement_sends WHERE token = ? AND message_id IS NULL", (token,)
        )

    async def forget_unconfirmed_words(self, conn: aiosqlite.Connection, before: datetime) -> None:
        """Clear the text of posts Discord never confirmed, submitted before `before`."""
        await conn.execute(
            "UPDATE encouragement_sends SET words = NULL "
            "WHERE message_id IS NULL AND words IS NOT NULL AND created_at < ?",
            (to_epoch(before),),
        )
