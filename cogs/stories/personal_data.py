"""What anonymous stories keep about a member, for /privacy export and delete.

Rows are found through the member's keyed pseudonyms in each server (`stories:<guild>` for
authors, `story-reports:<guild>` for reporters, `story-follow:<guild>` for followers of a
story's updates); no member id is stored to search by.
Blocks are exported but kept on delete: a moderation decision must not be undone by asking
for one's data to be deleted (see docs/design.md).
"""

from __future__ import annotations

import logging
from typing import Any, Protocol

import aiosqlite
import discord

from bot.errors import UserFacingError
from bot.privacy import Row, Subject
from cogs.stories.repository import StoryRepository

log = logging.getLogger(__name__)


class OwnStories(Protocol):
    """What /privacy delete needs of the stories service (cogs/stories/service.py)."""

    repo: StoryRepository

    def author_of(self, guild_id: int, user_id: int) -> str: ...

    async def delete_own(self, public_id: str, guild_id: int, user_id: int) -> Any: ...

    async def announce_gone(
        self, conn: aiosqlite.Connection, story_id: int, public_id: str, guild_id: int
    ) -> None: ...


class StoriesPersonalData:
    """Answers /privacy for the stories tables. With the service, `remove_public` first takes
    each of the member's stories down exactly as /mystories → Delete does: the post (or forum
    post) and its thread with everything in it, the queue and report messages, the job, its run
    history and the row (other features drop what hung off it on the durable STORY_DELETED
    event, emitted with the row's deletion; `delete` emits it for any story left)."""

    feature = "stories"

    def __init__(self, service: OwnStories | None = None) -> None:
        self.service = service

    async def remove_public(self, subject: Subject) -> dict[str, int]:
        if self.service is None:
            return {}
        removed = 0
        for guild_id in subject.guild_ids:
            author = self.service.author_of(guild_id, subject.user_id)
            for public_id in await self.service.repo.public_ids_by_author(guild_id, author):
                try:
                    await self.service.delete_own(public_id, guild_id, subject.user_id)
                except UserFacingError:
                    continue  # gone meanwhile
                except (discord.Forbidden, discord.NotFound) as exc:
                    # A server the bot can no longer reach: nobody can take the post down through
                    # the bot, and the row still goes with `delete`. A passing error (5xx) is
                    # raised instead: nothing is deleted, and the member is asked to try again.
                    log.warning("Could not take a story down on a privacy request (%s)", exc.status)
                    continue
                removed += 1
        return {"stories": removed}

    async def export(self, conn: aiosqlite.Connection, subject: Subject) -> dict[str, list[Row]]:
        out: dict[str, list[Row]] = {
            "stories": [],
            "story_blocks": [],
            "story_reports": [],
            "story_updates": [],
            "story_followers": [],
            "story_update_reports": [],
        }
        for guild_id in subject.guild_ids:
            author = subject.pseudonym(f"stories:{guild_id}", subject.user_id)
            reporter = subject.pseudonym(f"story-reports:{guild_id}", subject.user_id)
            follower = subject.pseudonym(f"story-follow:{guild_id}", subject.user_id)
            rows = await StoryRepository.export_rows_in(conn, guild_id, author, reporter)
            rows.update(
                await StoryRepository.export_update_rows_in(
                    conn, guild_id, author, follower, reporter
                )
            )
            for table, found in rows.items():
                out[table].extend(found)
        return out

    async def delete(self, conn: aiosqlite.Connection, subject: Subject) -> dict[str, int]:
        totals = {
            "stories": 0,
            "story_reports": 0,
            "story_updates": 0,
            "story_followers": 0,
            "story_update_reports": 0,
        }
        for guild_id in subject.guild_ids:
            author = subject.pseudonym(f"stories:{guild_id}", subject.user_id)
            # Updates (their own stories' only), follows and reports of updates first: the
            # stories' rows take the rest with them.
            counts = await StoryRepository.delete_update_member_rows_in(
                conn,
                guild_id,
                author,
                subject.pseudonym(f"story-follow:{guild_id}", subject.user_id),
                subject.pseudonym(f"story-reports:{guild_id}", subject.user_id),
            )
            for table, n in counts.items():
                totals[table] += n
            # Stories `remove_public` could not take down (a server out of reach) go here:
            # their deletion is announced in this transaction like any other.
            left = await StoryRepository.ids_by_author_in(conn, guild_id, author)
            counts = await StoryRepository.delete_member_rows_in(
                conn,
                guild_id,
                author,
                subject.pseudonym(f"story-reports:{guild_id}", subject.user_id),
            )
            if self.service is not None:
                for story_id, public_id in left:
                    await self.service.announce_gone(conn, story_id, public_id, guild_id)
            for table, n in counts.items():
                totals[table] += n
        return totals

    async def delete_guild(self, conn: aiosqlite.Connection, guild_id: int) -> dict[str, int]:
        counts = await StoryRepository.delete_update_guild_rows_in(conn, guild_id)
        return {**counts, **await StoryRepository.delete_guild_rows_in(conn, guild_id)}
