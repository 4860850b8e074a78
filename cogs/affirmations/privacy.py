"""What affirmations keep about a member and a server, for /privacy and server retention.

About a member: their DM subscription (time, zone, state), their personal deck (which bundled
affirmations they have had this round) and the scheduler's rows for their DMs (the next delivery
and each past one). About a server: its schedule, own affirmations, posts, deck and jobs.
"""

from __future__ import annotations

import aiosqlite

from bot.privacy import Row, Subject, delete_rows, fetch_rows
from bot.scheduling import jobs
from cogs.affirmations import messages as m
from cogs.affirmations.logic import Deck
from cogs.affirmations.repository import DM_JOB, GUILD_JOB, dm_owner, guild_owner


async def _readable_decks(conn: aiosqlite.Connection, owner: str) -> list[Row]:
    """The member's personal deck as what it means to them (how far this round has come), not
    the shuffle bag's ids and order, which nobody can read."""
    cursor = await conn.execute("SELECT deck FROM affirmation_decks WHERE owner = ?", (owner,))
    rows: list[Row] = []
    for row in await cursor.fetchall():
        try:
            deck = Deck.from_json(row["deck"])
        except ValueError:
            continue
        rows.append(
            {
                "about": m.EXPORT_DECK_ABOUT,
                "sent_this_round": len(deck.drawn),
                "still_to_come_this_round": len(deck.remaining),
            }
        )
    return rows


class AffirmationsPersonalData:
    feature = "affirmations"
    tables = (
        "affirmation_dm_subscriptions",
        "affirmation_decks",
        "affirmation_schedules",
        "affirmation_custom",
        "affirmation_posts",
        "affirmation_custom_numbers",
        *jobs.JOB_TABLES,
    )

    async def export(self, conn: aiosqlite.Connection, subject: Subject) -> dict[str, list[Row]]:
        key = str(subject.user_id)
        return {
            "affirmation_dm_subscriptions": await fetch_rows(
                conn,
                # Every column (the DM channel id included): an export holds all there is.
                "SELECT * FROM affirmation_dm_subscriptions WHERE user_id = ?",
                (subject.user_id,),
            ),
            "affirmation_decks": await _readable_decks(conn, dm_owner(subject.user_id)),
            **await jobs.export(conn, DM_JOB, key),
        }

    async def delete(self, conn: aiosqlite.Connection, subject: Subject) -> dict[str, int]:
        key = str(subject.user_id)
        return {
            "affirmation_dm_subscriptions": await delete_rows(
                conn,
                "DELETE FROM affirmation_dm_subscriptions WHERE user_id = ?",
                (subject.user_id,),
            ),
            "affirmation_decks": await delete_rows(
                conn, "DELETE FROM affirmation_decks WHERE owner = ?", (dm_owner(subject.user_id),)
            ),
            **await jobs.forget(conn, DM_JOB, key),
        }

    async def delete_guild(self, conn: aiosqlite.Connection, guild_id: int) -> dict[str, int]:
        key = str(guild_id)
        counts: dict[str, int] = {}
        for table in (
            "affirmation_schedules",
            "affirmation_custom",
            "affirmation_posts",
            "affirmation_custom_numbers",
        ):
            counts[table] = await delete_rows(
                conn, f"DELETE FROM {table} WHERE guild_id = ?", (guild_id,)
            )
        counts["affirmation_decks"] = await delete_rows(
            conn, "DELETE FROM affirmation_decks WHERE owner = ?", (guild_owner(guild_id),)
        )
        counts.update(await jobs.forget(conn, GUILD_JOB, key))
        return counts
