"""Local-day recurrence: "at 07:30 in Europe/Berlin on weekdays", and the one Occurrence type.

Every instant that goes in or comes out is timezone-aware (instants we return are in UTC);
every "now" is passed in by the caller.

* A schedule is a local wall time, an IANA zone and a set of weekdays. We never store a UTC
  time of day, so daylight-saving changes cannot drift it.
* Each local calendar date has at most one occurrence, labelled with the ISO local date.
  Recording that label atomically with the work makes restarts, reconnects and the repeated
  fall-back hour idempotent.
* A wall time that does not exist (spring-forward gap) happens at the first valid instant after
  the gap; a wall time that happens twice (fall-back) happens at the first of the two.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.timekeeping.clock_time import format_time
from bot.timekeeping.days import DaySet
from bot.timekeeping.zones import as_zone

__all__ = [
    "LocalSchedule",
    "Occurrence",
    "is_within_grace",
    "latest_occurrence_at_or_before",
    "local_today",
    "next_occurrence",
    "require_aware",
    "resolve_local",
]


def require_aware(instant: datetime, what: str = "instant") -> datetime:
    """The one guard against naive datetimes: returns ``instant``, or raises ValueError."""
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError(f"{what} must be a timezone-aware datetime")
    return instant


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One due run of a schedule: the aware instant it is due and the label that makes it unique
    (for a local-day schedule, the ISO local date it belongs to). The scheduler stores and claims
    exactly this."""

    due_at: datetime
    label: str

    def __post_init__(self) -> None:
        require_aware(self.due_at, "Occurrence.due_at")

    @classmethod
    def on_local_date(cls, day: date, due_at: datetime) -> Occurrence:
        return cls(due_at, day.isoformat())


def is_within_grace(occurrence: Occurrence, now: datetime, grace: timedelta) -> bool:
    """The grace rule: ``now`` is at or after ``due_at`` and no more than ``grace`` past it.
    Later than that, the occurrence is recorded as missed rather than run."""
    require_aware(now, "now")
    late_by = now - occurrence.due_at
    return timedelta(0) <= late_by <= grace


@dataclass(frozen=True, slots=True)
class LocalSchedule:
    """At ``local_time`` (naive wall-clock time) in ``zone`` on ``days``."""

    local_time: time
    zone: ZoneInfo
    days: DaySet = field(default_factory=DaySet.every_day)

    def __post_init__(self) -> None:
        if self.local_time.tzinfo is not None:
            raise ValueError("LocalSchedule.local_time must be a naive wall-clock time")

    @classmethod
    def build(cls, local_time: time, zone: ZoneInfo | str, days: DaySet) -> LocalSchedule:
        """Like the constructor, but ``zone`` may be a zone name (any case)."""
        return cls(local_time, as_zone(zone), days)

    @property
    def zone_name(self) -> str:
        return self.zone.key

    def to_rule(self) -> dict[str, Any]:
        """The scheduler's JSON rule for this schedule."""
        return {"time": format_time(self.local_time), "tz": self.zone_name, "days": self.days.mask}

    @classmethod
    def from_rule(cls, rule: Mapping[str, Any]) -> LocalSchedule:
        hours, minutes = str(rule["time"]).split(":")
        return cls.build(
            time(int(hours), int(minutes)), str(rule["tz"]), DaySet.from_mask(int(rule["days"]))
        )


def _wall(instant: datetime, zone: ZoneInfo) -> datetime:
    """The naive local wall-clock reading of ``instant`` in ``zone``."""
    return instant.astimezone(zone).replace(tzinfo=None)


def resolve_local(day: date, local_time: time, zone: ZoneInfo | str) -> datetime:
    """The aware UTC instant at which ``local_time`` happens on local date ``day``.

    * Ambiguous (fall-back, the hour happens twice): the first occurrence.
    * Nonexistent (spring-forward gap): the first valid instant after the gap, e.g. 02:30 on
      2026-03-08 in America/New_York → 03:00 EDT (07:00 UTC). A gap is detected because the
      wall time does not survive a round trip through UTC; no offsets are hard-coded.
    """
    tz = as_zone(zone)
    wall = datetime.combine(day, local_time.replace(tzinfo=None, fold=0))
    first = wall.replace(tzinfo=tz, fold=0).astimezone(UTC)
    if _wall(first, tz) == wall:
        return first

    # In a gap, fold=0 and fold=1 read the wall time with the offsets from either side of
    # the transition, so the transition lies between the two instants. Find the earliest
    # whole second there whose wall reading has reached the requested wall time.
    second = wall.replace(tzinfo=tz, fold=1).astimezone(UTC)
    low, high = min(first, second), max(first, second)
    if _wall(high, tz) < wall:  # not a simple gap; never seen in the tz database
        return high
    steps_low, steps_high = 0, int((high - low).total_seconds())
    while steps_low < steps_high:
        middle = (steps_low + steps_high) // 2
        if _wall(low + timedelta(seconds=middle), tz) >= wall:
            steps_high = middle
        else:
            steps_low = middle + 1
    return low + timedelta(seconds=steps_low)


def local_today(now: datetime, zone: ZoneInfo | str) -> date:
    """The calendar date in ``zone`` at the aware instant ``now``."""
    require_aware(now, "now")
    return now.astimezone(as_zone(zone)).date()


def _occurrence_on(schedule: LocalSchedule, day: date) -> Occurrence:
    return Occurrence.on_local_date(day, resolve_local(day, schedule.local_time, schedule.zone))


def next_occurrence(schedule: LocalSchedule, after: datetime) -> Occurrence:
    """The first occurrence whose ``due_at`` is strictly after ``after``.

    One occurrence per local date: a repeated fall-back hour can never produce a second one,
    because the next call (with ``after`` = this ``due_at``) moves on to a later date.
    """
    require_aware(after, "after")
    start = local_today(after, schedule.zone)
    best: Occurrence | None = None
    # The day before covers a wall time pushed past midnight by a gap; a week ahead always
    # contains one of the (non-empty) scheduled weekdays, whose due_at is after midnight.
    for offset in range(-1, 9):
        day = start + timedelta(days=offset)
        if not schedule.days.includes(day):
            continue
        occurrence = _occurrence_on(schedule, day)
        if occurrence.due_at > after and (best is None or occurrence.due_at < best.due_at):
            best = occurrence
        if best is not None and offset >= 1:
            break
    if best is None:  # pragma: no cover - impossible with a non-empty DaySet
        raise RuntimeError("no occurrence found within a week")
    return best


def latest_occurrence_at_or_before(schedule: LocalSchedule, instant: datetime) -> Occurrence | None:
    """The most recent occurrence with ``due_at <= instant``, looking back at most 8 days."""
    require_aware(instant, "instant")
    today = local_today(instant, schedule.zone)
    best: Occurrence | None = None
    for offset in range(0, 9):
        day = today - timedelta(days=offset)
        if not schedule.days.includes(day):
            continue
        occurrence = _occurrence_on(schedule, day)
        if occurrence.due_at <= instant and (best is None or occurrence.due_at > best.due_at):
            best = occurrence
    return best
