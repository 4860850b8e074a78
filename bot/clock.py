"""Every "now" in Rebound comes from an injected Clock, so tests can move time at will."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Protocol

from bot.timekeeping import require_aware


class Clock(Protocol):
    def now(self) -> datetime:
        """The current instant, aware, in UTC."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class ManualClock:
    """A clock that only moves when told to; used by tests and the emulator harness."""

    def __init__(self, start: datetime) -> None:
        self._now = _require_aware(start)

    def now(self) -> datetime:
        return self._now

    def set(self, instant: datetime) -> None:
        self._now = _require_aware(instant)

    def advance(self, delta: timedelta) -> datetime:
        if delta < timedelta(0):
            raise ValueError("a ManualClock never goes backwards")
        self._now += delta
        return self._now


def _require_aware(instant: datetime) -> datetime:
    return require_aware(instant, "a Clock instant").astimezone(UTC)
