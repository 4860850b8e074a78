"""Durable events: how one feature tells another that something happened, exactly once.

``bot.dispatch`` is fire-and-forget: a crash, a stop or an error after the fact loses it, and
nobody repairs what it should have started. An event here is written in the same transaction
as the record it is about (a story's "posted"), and every subscriber's handler runs as a job of
the scheduler (bot.scheduling): claimed once, retried on RetryLater, run again after a crash.

    # the feature that knows (cogs/stories): inside the transaction that records the post
    await scheduler.events.emit(conn, STORY_POSTED, story.public_id, {"story_id": 4, ...})

    # a feature that cares (cogs/encouragement), in cog_load
    class StoryThread:                       # a Subscriber
        kind = "encouragement.story_thread"  # its job kind: one run per event
        event = STORY_POSTED
        resumable = True                     # optional: it looks before it creates
        grace = timedelta(days=7)
        async def handle(self, event: Event, run: DueRun) -> RunOutcome: ...
    scheduler.events.subscribe(StoryThread(...))

Each subscriber gets its own job ``(kind, event key)``, so one failing does not hold up the
others. Emitting the same event (name, key, occurrence) again changes nothing once its run has
happened: a repeat is harmless, and a feature may re-emit to repair (``to=`` one subscriber).
Events are delivered to the subscribers registered when they are emitted. The event itself is
a row of `events` (migration 0012; its data as JSON: ids and labels, never a member id or
text), read by every run of a subscriber's job, retries included; it is pruned with the run
history.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Protocol

from bot.db import Connection, Store
from bot.scheduling.model import DueRun, RunOutcome, from_epoch, to_epoch
from bot.timekeeping import Occurrence

if TYPE_CHECKING:
    from bot.scheduling.schedules import Schedules


@dataclass(frozen=True, slots=True)
class Event:
    name: str
    key: str
    data: Mapping[str, Any]
    at: datetime


class Subscriber(Protocol):
    kind: str
    event: str
    grace: timedelta

    async def handle(self, event: Event, run: DueRun) -> RunOutcome: ...


class EventJob:
    """The scheduler's handle on one subscriber: a one-shot job per event."""

    def __init__(self, subscriber: Subscriber, store: Store) -> None:
        self.subscriber = subscriber
        self.kind = subscriber.kind
        self.resumable = bool(getattr(subscriber, "resumable", False))
        self._store = store

    def next_occurrence(self, rule: Mapping[str, Any], after: datetime) -> Occurrence | None:
        due = from_epoch(int(rule["at"]))
        return Occurrence(due, str(rule["occurrence"])) if due > after else None

    def grace(self, rule: Mapping[str, Any]) -> timedelta:
        return self.subscriber.grace

    async def run(self, run: DueRun) -> RunOutcome:
        name = self.subscriber.event
        row = await self._store.fetchone(
            "SELECT data, at FROM events WHERE name = ? AND key = ? AND occurrence = ?",
            (name, run.key, run.occurrence),
        )
        if row is None:
            return "skipped", "event gone"
        event = Event(name, run.key, json.loads(row["data"]), from_epoch(int(row["at"])))
        return await self.subscriber.handle(event, run)


class Events:
    def __init__(self, scheduler: Schedules, store: Store) -> None:
        self._scheduler = scheduler
        self._store = store
        self._subscribers: dict[str, dict[str, Subscriber]] = {}
        scheduler.add_housekeeping(prune_events)

    def subscribe(self, subscriber: Subscriber) -> None:
        self._scheduler.register(EventJob(subscriber, self._store))
        self._subscribers.setdefault(subscriber.event, {})[subscriber.kind] = subscriber

    def unsubscribe(self, kind: str) -> None:
        for subscribers in self._subscribers.values():
            subscribers.pop(kind, None)
        self._scheduler.unregister(kind)

    def subscribers(self, name: str) -> list[str]:
        return sorted(self._subscribers.get(name, {}))

    async def emit(
        self,
        conn: Connection,
        name: str,
        key: str,
        data: Mapping[str, Any],
        *,
        occurrence: str = "1",
        to: str | None = None,
    ) -> int:
        """Record event `name` about `key` in the caller's transaction, with a job due now for
        each subscriber (or only `to`). The first record of (name, key, occurrence) stands.
        Returns how many jobs were put. Data with a "guild_id" makes them that server's work
        (a fleet's process of its shard claims them first)."""
        now = self._scheduler.clock_now()
        await conn.execute(
            "INSERT INTO events (name, key, occurrence, data, at) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT DO NOTHING",
            (name, key, occurrence, json.dumps(dict(data), sort_keys=True), to_epoch(now)),
        )
        rule = {"at": to_epoch(now), "occurrence": occurrence}
        kinds = [to] if to is not None else self.subscribers(name)
        # An event about a server's thing (its "guild_id") is that server's work in a fleet.
        guild = data.get("guild_id")
        guild_id = int(guild) if guild is not None else None
        for kind in kinds:
            await self._scheduler.put_job(
                conn, kind, key, rule, after=now - timedelta(seconds=1), guild_id=guild_id
            )
        return len(kinds)


async def prune_events(conn: Connection, cutoff: datetime) -> int:
    """Events older than the run history (their subscribers' grace is far shorter)."""
    cursor = await conn.execute("DELETE FROM events WHERE at < ?", (to_epoch(cutoff),))
    return cursor.rowcount


async def forget_events(conn: Connection, key: str) -> int:
    """Every event about `key` (a deleted story's): nothing of it stays behind for the
    pruning to find. Its subscribers' jobs are the subscribers' to remove."""
    cursor = await conn.execute("DELETE FROM events WHERE key = ?", (key,))
    return cursor.rowcount
