"""Durable events: how one feature tells another that something happened, exactly once.

An event is written in the transaction of the record it is about; each subscriber runs from it
as a scheduled job of its own. How to emit and subscribe: docs/design.md, "Durable events".
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Protocol

import aiosqlite

from bot.db import Store
from bot.scheduling import DueRun, Occurrence, RunOutcome, from_epoch, to_epoch

if TYPE_CHECKING:
    from bot.scheduling import Scheduler


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
    def __init__(self, scheduler: Scheduler, store: Store) -> None:
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
        conn: aiosqlite.Connection,
        name: str,
        key: str,
        data: Mapping[str, Any],
        *,
        occurrence: str = "1",
        to: str | None = None,
    ) -> int:
        """Record event `name` about `key` in the caller's transaction, with a job due now for
        each subscriber (or only `to`). The first record of (name, key, occurrence) stands.
        Returns how many jobs were put."""
        now = self._scheduler.clock_now()
        await conn.execute(
            "INSERT INTO events (name, key, occurrence, data, at) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT DO NOTHING",
            (name, key, occurrence, json.dumps(dict(data), sort_keys=True), to_epoch(now)),
        )
        rule = {"at": to_epoch(now), "occurrence": occurrence}
        kinds = [to] if to is not None else self.subscribers(name)
        for kind in kinds:
            await self._scheduler.put_job(conn, kind, key, rule, after=now - timedelta(seconds=1))
        return len(kinds)


async def prune_events(conn: aiosqlite.Connection, cutoff: datetime) -> int:
    """Events older than the run history (their subscribers' grace is far shorter)."""
    cursor = await conn.execute("DELETE FROM events WHERE at < ?", (to_epoch(cutoff),))
    return cursor.rowcount


async def forget_events(conn: aiosqlite.Connection, key: str) -> int:
    """Every event about `key` (a deleted story's): nothing of it stays behind for the
    pruning to find. Its subscribers' jobs are the subscribers' to remove."""
    cursor = await conn.execute("DELETE FROM events WHERE key = ?", (key,))
    return cursor.rowcount
