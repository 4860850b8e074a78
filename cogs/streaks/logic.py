"""Pure streak arithmetic: no Discord, no database, no clock. Every "now" is passed in.

A streak is recomputed from the log of check-ins keyed by local date, never kept as a counter.
The rules (counted, neutral and missed days, freezes, the time-zone change rule) are in
docs/design.md, "Streak arithmetic", and for members in docs/user-guide.md.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

MILESTONES: tuple[int, ...] = (3, 7, 14, 30, 50, 100, 200, 365)
FREEZE_EVERY = 7
MAX_FREEZES = 2
MAX_PAUSE_DAYS = 14
HEATMAP_WEEKS = 16
COUNT_MIN = 0
COUNT_MAX = 100
NOTE_MAX = 500
ALL_DAYS_MASK = 0b1111111
WEEKENDS_MASK = 0b1100000
_WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


class DayKind(enum.Enum):
    CHECKED = "checked"
    PENDING = "pending"  # today, not checked in yet: never a miss
    PAUSED = "paused"
    TRAVEL = "travel"
    REST = "rest"
    FROZEN = "frozen"
    MISSED = "missed"


NEUTRAL_KINDS = frozenset({DayKind.PAUSED, DayKind.TRAVEL, DayKind.REST})


@dataclass(frozen=True, slots=True)
class RestRule:
    """From ``effective_from`` on (until the next rule), the weekdays in ``mask`` are rest days
    (bit 0 = Monday … bit 6 = Sunday). A change applies from the day it is made, never to the
    past, so changing rest days cannot break a streak retroactively."""

    effective_from: date
    mask: int

    def __post_init__(self) -> None:
        if not 0 <= self.mask <= ALL_DAYS_MASK:
            raise ValueError("a rest-day mask has 7 bits")


@dataclass(frozen=True, slots=True)
class Pause:
    """Both ends inclusive, local dates. ``resumed``: ended early by the member (on ``end``);
    every day it covered, the last one included, stays paused, but it no longer runs."""

    start: date
    end: date
    resumed: bool = False

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError("a pause ends on or after its start")

    def covers(self, day: date) -> bool:
        return self.start <= day <= self.end


@dataclass(frozen=True, slots=True)
class History:
    """Everything the arithmetic needs about one member.

    ``checkins`` maps each checked-in local date to its activity (the sum of the counts given;
    0 when the member checked in without numbers)."""

    checkins: Mapping[date, int] = field(default_factory=dict)
    rest: Sequence[RestRule] = ()
    pauses: Sequence[Pause] = ()
    travel: frozenset[date] = frozenset()

    def rest_mask_on(self, day: date) -> int:
        mask = 0
        for rule in sorted(self.rest, key=lambda r: r.effective_from):
            if rule.effective_from <= day:
                mask = rule.mask
            else:
                break
        return mask

    def is_rest(self, day: date) -> bool:
        return bool(self.rest_mask_on(day) >> day.weekday() & 1)

    def is_paused(self, day: date) -> bool:
        return any(p.covers(day) for p in self.pauses)


@dataclass(frozen=True, slots=True)
class StreakState:
    today: date
    current: int
    best: int
    total: int
    freezes: int
    # The first counted day of the current streak (None when it is 0).
    run_start: date | None
    week_done: int
    week_target: int
    # Every date from the first check-in to today, classified.
    days: Mapping[date, DayKind]

    @property
    def frozen_days(self) -> tuple[date, ...]:
        return tuple(d for d, kind in sorted(self.days.items()) if kind is DayKind.FROZEN)

    @property
    def checked_today(self) -> bool:
        return self.days.get(self.today) is DayKind.CHECKED


def daterange(first: date, last: date) -> Iterator[date]:
    """Every date from ``first`` to ``last``, both included."""
    for offset in range((last - first).days + 1):
        yield first + timedelta(days=offset)


def week_start(day: date) -> date:
    """The Monday of ``day``'s week."""
    return day - timedelta(days=day.weekday())


def compute(history: History, today: date) -> StreakState:
    """The member's streak as of ``today`` (their effective local date, see `effective_today`).

    A check-in dated after ``today`` counts as today (rule 2): ``today`` moves up to it.
    """
    if history.checkins:
        today = max(today, max(history.checkins))
    days: dict[date, DayKind] = {}
    streak = best = total = freezes = 0
    run_start: date | None = None
    if history.checkins:
        for day in daterange(min(history.checkins), today):
            if day in history.checkins:
                kind = DayKind.CHECKED
                total += 1
                if streak == 0:
                    run_start = day
                streak += 1
                best = max(best, streak)
                if streak % FREEZE_EVERY == 0 and freezes < MAX_FREEZES:
                    freezes += 1
            elif day == today:
                kind = DayKind.PENDING
            elif history.is_paused(day):
                kind = DayKind.PAUSED
            elif day in history.travel:
                kind = DayKind.TRAVEL
            elif history.is_rest(day):
                kind = DayKind.REST
            elif streak > 0 and freezes > 0:
                kind = DayKind.FROZEN
                freezes -= 1
            else:
                kind = DayKind.MISSED
                streak = 0
                run_start = None
            days[day] = kind
    done, target = week_progress(history, today)
    return StreakState(
        today=today,
        current=streak,
        best=best,
        total=total,
        freezes=freezes,
        run_start=run_start,
        week_done=done,
        week_target=target,
        days=days,
    )


def week_progress(history: History, today: date) -> tuple[int, int]:
    """(days checked in this week, days this week that count): "4 of 5".

    The target leaves out rest days, paused days and travel days (today's rules applied to the
    rest of the week). A check-in on a rest day still counts, so done may reach past the target;
    the target is then raised to match ("6 of 6", never "6 of 5")."""
    monday = week_start(today)
    done = target = 0
    for day in daterange(monday, monday + timedelta(days=6)):
        checked = day in history.checkins and day <= today
        done += checked
        neutral = history.is_paused(day) or day in history.travel or history.is_rest(day)
        target += not neutral
    return done, max(done, target)


# -- time zones ------------------------------------------------------------------------------------


def local_date(instant: datetime, zone: str | ZoneInfo) -> date:
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError("instants must be timezone-aware")
    tz = zone if isinstance(zone, ZoneInfo) else ZoneInfo(zone)
    return instant.astimezone(tz).date()


def effective_today(now: datetime, zone: str | ZoneInfo, latest_checkin: date | None) -> date:
    """Rule 2: the local date in ``zone``, never earlier than the latest checked-in date."""
    today = local_date(now, zone)
    if latest_checkin is not None and latest_checkin > today:
        return latest_checkin
    return today


def travel_days(changed_at: datetime, old_zone: str, new_zone: str) -> frozenset[date]:
    """Rule 3: the dates a zone change at ``changed_at`` jumps over (empty moving west)."""
    before = local_date(changed_at, old_zone)
    after = local_date(changed_at, new_zone)
    return frozenset(before + timedelta(days=k) for k in range((after - before).days))


# -- milestones, freezes, pauses -------------------------------------------------------------------


def milestones_crossed(before: int, after: int) -> tuple[int, ...]:
    """Milestones reached going from a streak of ``before`` to ``after`` (a backfill can join two
    runs and jump past one; it is still celebrated)."""
    return tuple(m for m in MILESTONES if before < m <= after)


def next_milestone(current: int) -> int | None:
    return next((m for m in MILESTONES if m > current), None)


def freezes_used_since(state: StreakState, told_through: date | None) -> tuple[date, ...]:
    """Frozen days the member has not been told about yet."""
    return tuple(d for d in state.frozen_days if told_through is None or d > told_through)


def pause_window(today: date, days: int) -> Pause:
    """A pause of ``days`` days starting today (1 to MAX_PAUSE_DAYS)."""
    if not 1 <= days <= MAX_PAUSE_DAYS:
        raise ValueError(f"a pause lasts 1 to {MAX_PAUSE_DAYS} days")
    return Pause(today, today + timedelta(days=days - 1))


def active_pause(pauses: Iterable[Pause], today: date) -> Pause | None:
    """The pause running today (one the member resumed is over, though today stays paused)."""
    return next(
        (p for p in sorted(pauses, key=lambda p: p.start) if p.covers(today) and not p.resumed),
        None,
    )


def resumed_pause(pause: Pause, today: date) -> Pause:
    """``pause`` ended early today: it still covers today (a day paused at any moment is never
    a missed day), and it is over."""
    return Pause(pause.start, max(today, pause.start), resumed=True)


# -- check-in input --------------------------------------------------------------------------------


class CheckinError(ValueError):
    """A check-in value out of range; ``field`` names the option, ``str()`` is for the member."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def validate_count(name: str, value: int | None) -> int | None:
    if value is None:
        return None
    if not COUNT_MIN <= value <= COUNT_MAX:
        raise CheckinError(name, f"{name} must be between {COUNT_MIN} and {COUNT_MAX}")
    return value


def parse_count(name: str, text: str) -> int | None:
    """A count typed in the modal: blank is "not given"; else a whole number 0–100."""
    cleaned = text.strip()
    if not cleaned:
        return None
    if not cleaned.isdigit():
        raise CheckinError(name, f"{name} must be a whole number")
    return validate_count(name, int(cleaned))


def clean_note(text: str | None) -> str | None:
    if text is None:
        return None
    cleaned = text.strip()
    if not cleaned:
        return None
    if len(cleaned) > NOTE_MAX:
        raise CheckinError("note", f"note must be at most {NOTE_MAX} characters")
    return cleaned


def activity(counts: Iterable[int | None]) -> int:
    return sum(c for c in counts if c is not None)


def activity_level(value: int | None) -> int:
    """Heatmap shade: 0 = no check-in, 1 = checked in without numbers, up to 4."""
    if value is None:
        return 0
    if value <= 0:
        return 1
    if value <= 2:
        return 2
    if value <= 5:
        return 3
    return 4


# -- rest days -------------------------------------------------------------------------------------


def rest_mask_from_names(names: Iterable[str]) -> int:
    mask = 0
    for name in names:
        mask |= 1 << _WEEKDAY_NAMES.index(name)
    return mask


def describe_rest_mask(mask: int) -> str:
    if mask == 0:
        return "none"
    if mask == WEEKENDS_MASK:
        return "weekends"
    return ", ".join(_WEEKDAY_NAMES[i] for i in range(7) if mask >> i & 1)


def weekday_name(index: int) -> str:
    return _WEEKDAY_NAMES[index]


# -- the heatmap's grid ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class HeatCell:
    day: date
    level: int  # 0-4
    kind: DayKind | None  # None: before the history began, or in the future
    future: bool


def heatmap_cells(
    state: StreakState, checkins: Mapping[date, int], weeks: int = HEATMAP_WEEKS
) -> list[list[HeatCell]]:
    """Columns of weeks (oldest first), each Monday to Sunday, ending with today's week."""
    first = week_start(state.today) - timedelta(weeks=weeks - 1)
    columns: list[list[HeatCell]] = []
    for week in range(weeks):
        column = []
        for weekday in range(7):
            day = first + timedelta(weeks=week, days=weekday)
            level = activity_level(checkins.get(day)) if day in checkins else 0
            column.append(HeatCell(day, level, state.days.get(day), day > state.today))
        columns.append(column)
    return columns
