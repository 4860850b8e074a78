"""What anonymous stories keep about a member, for /privacy export and delete.

Rows are found through the member's keyed pseudonyms in each server (`stories:<guild>` for
authors, `story-reports:<guild>` for reporters); no member id is stored to search by.
Blocks are exported but kept on delete: a moderation decision must not be undone by asking
for one's data to be deleted (see the README).
"""

from __future__ import annotations

import aiosqlite

from bot.privacy import Row, Subject
from cogs.stories.repository import StoryRepository


class StoriesPersonalData:
    feature = "stories"

    async def export(self, conn: aiosqlite.Connection, subject: Subject) -> dict[str, list[Row]]:
        out: dict[str, list[Row]] = {"stories": [], "story_blocks": [], "story_reports": []}
        for guild_id in subject.guild_ids:
            rows = await StoryRepository.export_rows_in(
                conn,
                guild_id,
                subject.pseudonym(f"stories:{guild_id}", subject.user_id),
                subject.pseudonym(f"story-reports:{guild_id}", subject.user_id),
            )
            for table, found in rows.items():
                out[table].extend(found)
        return out

    async def delete(self, conn: aiosqlite.Connection, subject: Subject) -> dict[str, int]:
        totals = {"stories": 0, "story_reports": 0}
        for guild_id in subject.guild_ids:
            counts = await StoryRepository.delete_member_rows_in(
                conn,
                guild_id,
                subject.pseudonym(f"stories:{guild_id}", subject.user_id),
                subject.pseudonym(f"story-reports:{guild_id}", subject.user_id),
            )
            for table, n in counts.items():
                totals[table] += n
        return totals

    async def delete_guild(self, conn: aiosqlite.Connection, guild_id: int) -> dict[str, int]:
        return await StoryRepository.delete_guild_rows_in(conn, guild_id)
