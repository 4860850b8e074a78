"""Durable events: how one feature tells another that something happened, exactly once.

``bot.dispatch`` is fire-and-forget: a crash, a stop or an error after the fact loses it, and
nobody repairs what it should have started. An event here is written in the same transaction
as the record it is about (a story's "posted"), and every subscriber's handler runs as a job of
the engine (bot.scheduling): claimed once, retried on RetryLater, run again after a crash.

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
Events are delivered to the subscribers registered when they are emitted. The payload is stored
as JSON in the job's rule: ids and labels, never a member id or text.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Protocol

import aiosqlite

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
    """The engine's handle on one subscriber: a one-shot job per event."""

    def __init__(self, subscriber: Subscriber) -> None:
        self.subscriber = subscriber
        self.kind = subscriber.kind
        self.resumable = bool(getattr(subscriber, "resumable", False))

    def next_occurrence(self, rule: Mapping[str, Any], after: datetime) -> Occurrence | None:
        due = from_epoch(int(rule["at"]))
        return Occurrence(due, str(rule["occurrence"])) if due > after else None

    def grace(self, rule: Mapping[str, Any]) -> timedelta:
        return self.subscriber.grace

    async def run(self, run: DueRun) -> RunOutcome:
        event = Event(
            str(run.rule["event"]), run.key, run.rule.get("data") or {}, from_epoch(run.rule["at"])
        )
        return await self.subscriber.handle(event, run)


class Events:
    def __init__(self, scheduler: Scheduler) -> None:
        self._scheduler = scheduler
        self._subscribers: dict[str, dict[str, Subscriber]] = {}

    def subscribe(self, subscriber: Subscriber) -> None:
        self._scheduler.register(EventJob(subscriber))
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
        """Record event `name` about `key` in the caller's transaction: a job for each
        subscriber (or only `to`), due now. Returns how many jobs were put."""
        now = self._scheduler.clock_now()
        rule = {"at": to_epoch(now), "event": name, "data": dict(data), "occurrence": occurrence}
        kinds = [to] if to is not None else self.subscribers(name)
        for kind in kinds:
            await self._scheduler.put_job(conn, kind, key, rule, after=now - timedelta(seconds=1))
        return len(kinds)
