"""/privacy's use cases and server retention: one transaction each, through every provider."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any

from bot.clock import Clock
from bot.db import Store
from bot.privacy import PrivacyRegistry, Subject
from bot.scheduling import DueRun, Occurrence, Outcome, Scheduler, from_epoch, to_epoch
from cogs.privacy import logic
from cogs.privacy.repository import PresenceRepository

log = logging.getLogger(__name__)

PURGE_JOB = "privacy.server_purge"


class PrivacyService:
    def __init__(
        self,
        store: Store,
        registry: PrivacyRegistry,
        clock: Clock,
        pseudonym: Callable[[str, int], str],
        presence: PresenceRepository,
        current_guild_ids: Callable[[], Iterable[int]],
    ) -> None:
        self.store = store
        self.registry = registry
        self.clock = clock
        self.pseudonym = pseudonym
        self.presence = presence
        self.current_guild_ids = current_guild_ids

    async def subject(self, user_id: int) -> Subject:
        """The member, over every server whose data the bot may still hold."""
        guild_ids = set(self.current_guild_ids()) | await self.presence.known_ids()
        return Subject(user_id=user_id, guild_ids=sorted(guild_ids), pseudonym=self.pseudonym)

    async def export(self, user_id: int) -> tuple[dict[str, Any], int]:
        """The export document and how many rows it holds."""
        data = await self.registry.export(self.store, await self.subject(user_id))
        document = logic.export_document(self.clock.now(), user_id, data)
        return document, logic.row_count(data)

    async def counts(self, user_id: int) -> dict[str, int]:
        """What there is about the member, per table (for the confirm prompt)."""
        data = await self.registry.export(self.store, await self.subject(user_id))
        return logic.counts_of(data)

    async def delete(self, user_id: int) -> dict[str, int]:
        """Take down what the member posted through the bot (their stories with everything
        hanging off them, their signed kind words and OP replies), then remove every row, all
        or nothing; what was removed, per table or kind."""
        subject = await self.subject(user_id)
        taken_down = await self.registry.remove_public(subject)
        removed = await self.registry.delete(self.store, subject)
        counts = logic.counts_of(removed)
        for kind, n in logic.counts_of(taken_down).items():
            counts[kind] = counts.get(kind, 0) + n
        log.info("A member's data was deleted on request (%d rows)", sum(counts.values()))
        return counts


class RetentionService:
    """A server the bot left keeps its data for the retention period, then loses all of it."""

    def __init__(
        self,
        store: Store,
        scheduler: Scheduler,
        registry: PrivacyRegistry,
        clock: Clock,
        presence: PresenceRepository,
        retention_days: int,
        is_present: Callable[[int], bool],
    ) -> None:
        self.store = store
        self.scheduler = scheduler
        self.registry = registry
        self.clock = clock
        self.presence = presence
        self.retention_days = retention_days
        self.is_present = is_present

    async def joined(self, guild_id: int) -> None:
        """The bot is in the server (joined, or came back): keep its data."""
        await self.joined_many([guild_id])

    async def joined_many(self, guild_ids: Iterable[int]) -> None:
        """The same for many servers at once (at connect time), in one transaction."""
        returned = 0
        async with self.store.transaction() as conn:
            for guild_id in guild_ids:
                if await self.presence.mark_present(conn, guild_id, self.clock.now()):
                    returned += 1
                    await self.scheduler.remove_job(conn, PURGE_JOB, str(guild_id))
        if returned:
            log.info("Rebound is back in servers it had left; their data is kept (%d)", returned)

    async def left(self, guild_id: int) -> None:
        """The bot was removed: schedule the server's data for deletion."""
        left_at = self.clock.now()
        purge_at = logic.purge_instant(left_at, self.retention_days)
        rule = {"left_at": to_epoch(left_at), "purge_at": to_epoch(purge_at)}
        async with self.store.transaction() as conn:
            if await self.presence.mark_left(conn, guild_id, left_at, purge_at):
                # `after` just before purge_at, so a retention of 0 days is due at once.
                await self.scheduler.put_job(
                    conn, PURGE_JOB, str(guild_id), rule, after=purge_at - timedelta(seconds=1)
                )
        log.info(
            "Rebound left a server; its data goes after the retention period (days: %d)",
            self.retention_days,
        )

    async def reconcile(self, current: Iterable[int]) -> None:
        """After connecting: servers the bot was removed from while it was off count as left."""
        here = set(current)
        await self.joined_many(here)
        for guild_id in await self.presence.present_ids() - here:
            await self.left(guild_id)

    async def purge(self, guild_id: int, left_at: int) -> tuple[Outcome, str | None]:
        departure = await self.presence.departure(guild_id)
        if departure is None or to_epoch(departure.left_at) != left_at:
            return "skipped", "returned"
        if self.is_present(guild_id):  # back, and the event was missed: keep everything
            await self.joined(guild_id)
            return "skipped", "returned"
        removed = await self.registry.delete_guild(self.store, guild_id)
        total = logic.row_count(removed)
        log.info("Deleted a departed server's data after the retention period (%d rows)", total)
        return "done", f"{total} rows"


class ServerPurgeJob:
    kind = PURGE_JOB

    def __init__(self, retention: RetentionService) -> None:
        self.retention = retention

    def next_occurrence(self, rule: Mapping[str, Any], after: datetime) -> Occurrence | None:
        purge_at = from_epoch(int(rule["purge_at"]))
        if after >= purge_at:
            return None
        return Occurrence(purge_at, f"left:{int(rule['left_at'])}")

    def grace(self, rule: Mapping[str, Any]) -> timedelta:
        # Late is fine (the bot was off): deleting later beats never deleting.
        return timedelta(days=3650)

    async def run(self, run: DueRun) -> tuple[Outcome, str | None]:
        return await self.retention.purge(int(run.key), int(run.rule["left_at"]))
