"""Pure domain logic for daily affirmations: parsing, scheduling, deck rotation, text checks.

Nothing here touches Discord, the database or the clock: every "now" is passed in by the
caller, and every instant that goes in or comes out is timezone-aware (instants we return are
in UTC).

Scheduling model (see shared/notes/scheduling-and-streaks-lessons.md):

* A schedule is a local wall time, an IANA zone and a set of weekdays. We never store a UTC
  time of day, so daylight-saving changes cannot drift the post.
* Each local calendar date has at most one occurrence, keyed by ``occurrence_key`` (the ISO
  local date). Recording that key atomically with the send makes restarts, reconnects and
  the repeated fall-back hour idempotent.
* A wall time that does not exist (spring-forward gap) posts at the first valid instant after
  the gap; a wall time that happens twice (fall-back) posts at the first of the two.
"""

from __future__ import annotations

import difflib
import functools
import json
import random
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, available_timezones

__all__ = [
    "COMMON_TIMEZONES",
    "MAX_CUSTOM_LENGTH",
    "MIN_CUSTOM_LENGTH",
    "DaySet",
    "Deck",
    "InvalidInput",
    "Occurrence",
    "PostSchedule",
    "canonical_timezone_name",
    "draw",
    "is_duplicate",
    "is_within_grace",
    "latest_occurrence_at_or_before",
    "local_today",
    "next_occurrence",
    "normalize_for_duplicate_check",
    "occurrence_key",
    "parse_time",
    "parse_timezone",
    "resolve_local",
    "timezone_suggestions",
    "validate_custom_text",
]


class InvalidInput(ValueError):
    """Bad input from a member; ``str(error)`` is one friendly sentence meant for them."""


def _quote(value: str, limit: int = 40) -> str:
    """Echo a member's input back inside curly quotes, shortened if it is long."""
    cleaned = " ".join(value.split())
    if len(cleaned) > limit:
        cleaned = cleaned[: limit - 1].rstrip() + "…"
    return f"“{cleaned}”"


def _require_aware(instant: datetime, what: str) -> None:
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError(f"{what} must be a timezone-aware datetime")


# --------------------------------------------------------------------------------------------
# Times of day
# --------------------------------------------------------------------------------------------

_TIME_24H = re.compile(r"(?P<hour>\d{1,2}):(?P<minute>\d{2})")
_TIME_12H = re.compile(
    r"(?P<hour>\d{1,2})(?::(?P<minute>\d{2}))?\s*(?P<half>[ap])\.?\s*m\.?",
    re.IGNORECASE,
)


def parse_time(text: str) -> time:
    """Read a time of day: ``07:30``, ``7:30``, ``18:05``, ``7am``, ``7:30 pm``, ``12am``.

    Seconds are always 0. Raises :class:`InvalidInput` for anything else.
    """
    cleaned = " ".join(text.split())
    if not cleaned:
        raise InvalidInput("I need a time to post at — try 24-hour HH:MM, like 07:30.")

    match = _TIME_24H.fullmatch(cleaned)
    if match:
        hour, minute = int(match["hour"]), int(match["minute"])
        if hour <= 23 and minute <= 59:
            return time(hour, minute)
    else:
        match = _TIME_12H.fullmatch(cleaned)
        if match:
            hour = int(match["hour"])
            minute = int(match["minute"] or 0)
            if 1 <= hour <= 12 and minute <= 59:
                hour %= 12
                if match["half"].lower() == "p":
                    hour += 12
                return time(hour, minute)

    raise InvalidInput(f"I couldn't read {_quote(text)} as a time — try 24-hour HH:MM, like 07:30.")


# --------------------------------------------------------------------------------------------
# Time zones
# --------------------------------------------------------------------------------------------

# Entries that zoneinfo may report but that are not real places to pick.
_NOT_ZONES = frozenset({"Factory", "localtime", "posixrules"})

# Backward-compatibility prefixes from the tz "backward" file (plus Etc/ fixed offsets).
_LEGACY_PREFIXES = ("Etc/", "SystemV/", "US/", "Canada/", "Brazil/", "Chile/", "Mexico/")

# Well-known renamed zones (tz "backward" links) that have a modern spelling.
_LEGACY_ALIASES = frozenset(
    {
        "America/Buenos_Aires",
        "America/Catamarca",
        "America/Cordoba",
        "America/Fort_Wayne",
        "America/Godthab",
        "America/Indianapolis",
        "America/Jujuy",
        "America/Knox_IN",
        "America/Louisville",
        "America/Mendoza",
        "America/Montreal",
        "America/Shiprock",
        "Antarctica/South_Pole",
        "Asia/Calcutta",
        "Asia/Chongqing",
        "Asia/Chungking",
        "Asia/Dacca",
        "Asia/Harbin",
        "Asia/Istanbul",
        "Asia/Katmandu",
        "Asia/Macao",
        "Asia/Rangoon",
        "Asia/Saigon",
        "Asia/Tel_Aviv",
        "Asia/Thimbu",
        "Asia/Ujung_Pandang",
        "Asia/Ulan_Bator",
        "Atlantic/Faeroe",
        "Atlantic/Jan_Mayen",
        "Australia/ACT",
        "Australia/Canberra",
        "Australia/LHI",
        "Australia/NSW",
        "Australia/North",
        "Australia/Queensland",
        "Australia/South",
        "Australia/Tasmania",
        "Australia/Victoria",
        "Australia/West",
        "Australia/Yancowinna",
        "Europe/Belfast",
        "Europe/Kiev",
        "Europe/Nicosia",
        "Europe/Tiraspol",
        "Pacific/Enderbury",
        "Pacific/Johnston",
        "Pacific/Ponape",
        "Pacific/Samoa",
        "Pacific/Truk",
        "Pacific/Yap",
    }
)

# Shown for an empty autocomplete query, roughly west to east.
COMMON_TIMEZONES: tuple[str, ...] = (
    "Pacific/Honolulu",
    "America/Anchorage",
    "America/Los_Angeles",
    "America/Denver",
    "America/Phoenix",
    "America/Chicago",
    "America/Mexico_City",
    "America/New_York",
    "America/Toronto",
    "America/Sao_Paulo",
    "UTC",
    "Europe/London",
    "Europe/Dublin",
    "Africa/Lagos",
    "Europe/Paris",
    "Europe/Berlin",
    "Africa/Johannesburg",
    "Africa/Nairobi",
    "Asia/Dubai",
    "Asia/Kolkata",
    "Asia/Singapore",
    "Asia/Shanghai",
    "Asia/Tokyo",
    "Australia/Sydney",
    "Pacific/Auckland",
)

# "UTC+2", "GMT-05:30", "+0200", "UTC +2" … fixed offsets that are not tz database keys.
_OFFSET_STYLE = re.compile(r"(?:utc|gmt|z)?\s*[+\-−]\s*\d{1,2}(?::?\d{2})?", re.IGNORECASE)

_ZONE_EXAMPLE = "a city-based name like Europe/Berlin or America/New_York"


def _is_legacy(name: str) -> bool:
    if "/" not in name:
        return name != "UTC"
    return name.startswith(_LEGACY_PREFIXES) or name in _LEGACY_ALIASES


@functools.cache
def _all_zone_names() -> tuple[str, ...]:
    """Every usable IANA key, sorted (the tz database does not change while we run)."""
    return tuple(sorted(available_timezones() - _NOT_ZONES))


@functools.cache
def _zones_by_folded_name() -> dict[str, str]:
    return {name.casefold(): name for name in _all_zone_names()}


def _fold_zone_query(text: str) -> str:
    """Case-fold and let spaces stand for underscores: "america/new york" → "america/new_york"."""
    return "_".join(text.split()).casefold()


def canonical_timezone_name(name: str) -> str:
    """The tz database's own spelling of ``name`` (matched case-insensitively).

    Raises :class:`InvalidInput` naming the bad value, with up to three suggestions.
    """
    cleaned = " ".join(name.split())
    if not cleaned:
        raise InvalidInput(f"I need a time zone — try {_ZONE_EXAMPLE}.")

    found = _zones_by_folded_name().get(_fold_zone_query(cleaned))
    if found is not None:
        return found

    if _OFFSET_STYLE.fullmatch(cleaned):
        raise InvalidInput(
            f"{_quote(name)} is a fixed offset, which won't follow daylight-saving changes — "
            f"try {_ZONE_EXAMPLE} instead."
        )

    suggestions = _close_zone_names(cleaned)
    if suggestions:
        options = ", ".join(suggestions[:-1])
        options = f"{options} or {suggestions[-1]}" if options else suggestions[-1]
        raise InvalidInput(
            f"I don't recognise {_quote(name)} as a time zone — did you mean {options}?"
        )
    raise InvalidInput(f"I don't recognise {_quote(name)} as a time zone — try {_ZONE_EXAMPLE}.")


@functools.cache
def _zones_by_city() -> dict[str, list[str]]:
    cities: dict[str, list[str]] = {}
    for name in _all_zone_names():
        if "/" in name:
            cities.setdefault(_city_words(name), []).append(name)
    return cities


def _close_zone_names(query: str, limit: int = 3) -> list[str]:
    """Up to ``limit`` likely intended zones: prefix/city matches first, then near-spellings
    of the full name or of the city part (difflib). Legacy aliases only if nothing else fits.
    """
    picks: list[str] = list(timezone_suggestions(query, limit=limit))
    folded_names = _zones_by_folded_name()
    near = [
        folded_names[key]
        for key in difflib.get_close_matches(
            _fold_zone_query(query), list(folded_names), n=limit, cutoff=0.6
        )
    ]
    cities = _zones_by_city()
    city_query = " ".join(query.replace("_", " ").split()).casefold()
    for city in difflib.get_close_matches(city_query, list(cities), n=limit, cutoff=0.75):
        near.extend(cities[city])
    modern = [name for name in near if not _is_legacy(name)]
    for name in modern or near:
        if name not in picks:
            picks.append(name)
    return picks[:limit]


def parse_timezone(name: str) -> ZoneInfo:
    """The :class:`ZoneInfo` for an IANA name typed in any case (``europe/berlin`` is fine)."""
    return ZoneInfo(canonical_timezone_name(name))


def _city_words(name: str) -> str:
    return name.rsplit("/", 1)[-1].replace("_", " ").casefold()


def timezone_suggestions(query: str, limit: int = 25) -> list[str]:
    """Zone names for autocomplete, best first, deterministic, at most ``limit`` of them.

    Ranking: exact name, then names starting with the query, then names whose city part
    (after the last "/", "_" read as a space) starts with it, then substring matches (inside
    the part after the region first, then anywhere).
    Within a rank, the common zones come first, then alphabetical order. Legacy aliases
    (``US/Eastern``, ``Etc/GMT+2``, ``Asia/Calcutta``…) appear only when nothing else matches.
    """
    if limit <= 0:
        return []
    words = " ".join(query.replace("_", " ").split()).casefold()
    if not words:
        available = set(_all_zone_names())
        return [name for name in COMMON_TIMEZONES if name in available][:limit]
    underscored = words.replace(" ", "_")
    common_rank = {name: index for index, name in enumerate(COMMON_TIMEZONES)}

    def tier(name: str) -> int | None:
        folded = name.casefold()
        if folded == underscored:
            return 0
        if folded.startswith(underscored):
            return 1
        if _city_words(name).startswith(words):
            return 2
        # Substring matches: inside the place name first, then anywhere (so "ca" lists
        # Jamaica before every "America/…" zone).
        spaced = folded.replace("_", " ")
        if words in spaced.partition("/")[2]:
            return 3
        if words in spaced:
            return 4
        return None

    ranked: list[tuple[int, int, str]] = []
    legacy: list[tuple[int, int, str]] = []
    for name in _all_zone_names():
        rank = tier(name)
        if rank is None:
            continue
        entry = (rank, common_rank.get(name, len(common_rank)), name)
        (legacy if _is_legacy(name) else ranked).append(entry)
    chosen = ranked or legacy
    # An exact hit on a legacy key (say "EST" or "US/Eastern") still belongs at the top.
    exact = [entry for entry in legacy if entry[0] == 0]
    if ranked and exact:
        chosen = exact + ranked
    return [name for _, _, name in sorted(chosen)][:limit]


def _as_zone(zone: ZoneInfo | str) -> ZoneInfo:
    return zone if isinstance(zone, ZoneInfo) else parse_timezone(zone)


# --------------------------------------------------------------------------------------------
# Days of the week
# --------------------------------------------------------------------------------------------

_DAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_DAY_ABBREVIATIONS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_ALL_DAYS = 0b1111111
_WEEKDAYS = 0b0011111
_WEEKENDS = 0b1100000

_EVERY_DAY_WORDS = frozenset({"every day", "everyday", "every-day", "daily", "all", "all days"})
_WEEKDAY_WORDS = frozenset({"weekdays", "weekday", "workdays", "work days"})
_WEEKEND_WORDS = frozenset({"weekends", "weekend"})
_DAYS_EXAMPLE = "try “every day”, “weekdays”, or a list like mon, wed, fri"


def _day_index(token: str) -> int | None:
    """Monday=0 … Sunday=6 for "mon", "tues", "thurs", "wednesday", "fridays"…; else None."""
    word = token.removesuffix("s") if len(token) > 3 else token
    if word == "weds":
        word = "wed"
    if len(word) < 3:
        return None
    for index, full in enumerate(_DAY_NAMES):
        if full.startswith(word):
            return index
    return None


@dataclass(frozen=True)
class DaySet:
    """A non-empty set of weekdays as a 7-bit mask: bit 0 = Monday … bit 6 = Sunday."""

    mask: int

    def __post_init__(self) -> None:
        if isinstance(self.mask, bool) or not isinstance(self.mask, int):
            raise TypeError("DaySet.mask must be an int")
        if not 1 <= self.mask <= _ALL_DAYS:
            raise ValueError(f"DaySet.mask must be between 1 and {_ALL_DAYS}, got {self.mask}")

    @classmethod
    def every_day(cls) -> DaySet:
        return cls(_ALL_DAYS)

    @classmethod
    def weekdays(cls) -> DaySet:
        return cls(_WEEKDAYS)

    @classmethod
    def weekends(cls) -> DaySet:
        return cls(_WEEKENDS)

    @classmethod
    def from_mask(cls, mask: int) -> DaySet:
        """Rebuild from storage; raises ValueError for 0 or anything outside 7 bits."""
        return cls(mask)

    @classmethod
    def of(cls, weekdays: Iterable[int]) -> DaySet:
        """From weekday numbers as ``date.weekday()`` gives them (Monday=0)."""
        mask = 0
        for day in weekdays:
            if not 0 <= day <= 6:
                raise ValueError(f"weekday must be 0..6, got {day}")
            mask |= 1 << day
        return cls(mask)

    @classmethod
    def parse(cls, text: str) -> DaySet:
        """Read "every day"/"daily", "weekdays", "weekends", "mon,wed,fri", "Mon Wed Fri",
        "monday, thursday", "tue-thu", "fri-mon" (ranges wrap past Sunday), "mon to fri".
        """
        # "every_day" and "week days" are how people type choices they have seen elsewhere.
        cleaned = " ".join(text.replace("_", " ").split()).casefold()
        cleaned = re.sub(r"\bweek (days|ends)\b", r"week\1", cleaned)
        if not cleaned:
            raise InvalidInput(f"I need at least one day to post on — {_DAYS_EXAMPLE}.")
        if cleaned in _EVERY_DAY_WORDS:
            return cls.every_day()
        if cleaned in _WEEKDAY_WORDS:
            return cls.weekdays()
        if cleaned in _WEEKEND_WORDS:
            return cls.weekends()

        error = InvalidInput(
            f"I couldn't read {_quote(text)} as days of the week — {_DAYS_EXAMPLE}."
        )
        spaced = re.sub(r"\s*(?:[-–—]|\bto\b|\bthrough\b|\bthru\b)\s*", "-", cleaned)
        tokens = [token for token in re.split(r"[\s,;/&+]+|\band\b", spaced) if token]
        if not tokens:
            raise error
        mask = 0
        for token in tokens:
            if token in _WEEKDAY_WORDS:
                mask |= _WEEKDAYS
            elif token in _WEEKEND_WORDS:
                mask |= _WEEKENDS
            elif "-" in token:
                start_text, _, end_text = token.partition("-")
                start, end = _day_index(start_text), _day_index(end_text)
                if start is None or end is None:
                    raise error
                day = start
                while True:
                    mask |= 1 << day
                    if day == end:
                        break
                    day = (day + 1) % 7
            else:
                index = _day_index(token)
                if index is None:
                    raise error
                mask |= 1 << index
        return cls(mask)

    def contains(self, weekday: int) -> bool:
        """Whether ``weekday`` (Monday=0 … Sunday=6, as ``date.weekday()``) is in the set."""
        if not 0 <= weekday <= 6:
            raise ValueError(f"weekday must be 0..6, got {weekday}")
        return bool(self.mask >> weekday & 1)

    def includes(self, day: date) -> bool:
        return self.contains(day.weekday())

    def weekday_numbers(self) -> tuple[int, ...]:
        return tuple(day for day in range(7) if self.contains(day))

    def describe(self) -> str:
        """ "every day", "weekdays", "weekends", or a list like "Mon, Wed, Fri"."""
        if self.mask == _ALL_DAYS:
            return "every day"
        if self.mask == _WEEKDAYS:
            return "weekdays"
        if self.mask == _WEEKENDS:
            return "weekends"
        return ", ".join(_DAY_ABBREVIATIONS[day] for day in self.weekday_numbers())


# --------------------------------------------------------------------------------------------
# Scheduling
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PostSchedule:
    """Post at ``local_time`` (naive wall-clock time) in ``zone`` on ``days``."""

    local_time: time
    zone: ZoneInfo
    days: DaySet = field(default_factory=DaySet.every_day)

    def __post_init__(self) -> None:
        if self.local_time.tzinfo is not None:
            raise ValueError("PostSchedule.local_time must be a naive wall-clock time")

    @classmethod
    def build(cls, local_time: time, zone: ZoneInfo | str, days: DaySet) -> PostSchedule:
        """Like the constructor, but ``zone`` may be an IANA name (any case)."""
        return cls(local_time, _as_zone(zone), days)

    @property
    def zone_name(self) -> str:
        return self.zone.key


@dataclass(frozen=True)
class Occurrence:
    """One scheduled post: the local date it belongs to and the UTC instant it is due."""

    local_date: date
    due_at: datetime

    @property
    def key(self) -> str:
        return occurrence_key(self)


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
    tz = _as_zone(zone)
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
    _require_aware(now, "now")
    return now.astimezone(_as_zone(zone)).date()


def _occurrence_on(schedule: PostSchedule, day: date) -> Occurrence:
    return Occurrence(day, resolve_local(day, schedule.local_time, schedule.zone))


def next_occurrence(schedule: PostSchedule, after: datetime) -> Occurrence:
    """The first scheduled occurrence whose ``due_at`` is strictly after ``after``.

    One occurrence per local date: a repeated fall-back hour can never produce a second post,
    because the next call (with ``after`` = this ``due_at``) moves on to a later date.
    """
    _require_aware(after, "after")
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


def latest_occurrence_at_or_before(schedule: PostSchedule, instant: datetime) -> Occurrence | None:
    """The most recent occurrence with ``due_at <= instant``, looking back at most 8 days."""
    _require_aware(instant, "instant")
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


def occurrence_key(occurrence: Occurrence) -> str:
    """The exactly-once key for a server's post: the ISO local date, like "2026-03-08"."""
    return occurrence.local_date.isoformat()


def is_within_grace(occurrence: Occurrence, now: datetime, grace: timedelta) -> bool:
    """Whether ``now`` is at or after ``due_at`` and no more than ``grace`` past it."""
    _require_aware(now, "now")
    late_by = now - occurrence.due_at
    return timedelta(0) <= late_by <= grace


# --------------------------------------------------------------------------------------------
# Deck rotation
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Deck:
    """A per-server shuffle bag over affirmation ids.

    ``remaining`` is the rest of the current cycle in draw order, ``drawn`` holds the ids
    already shown in this cycle and ``last_drawn`` the most recent id (kept across cycles so
    a new cycle never opens with the item that closed the previous one).
    """

    remaining: tuple[str, ...] = ()
    last_drawn: str | None = None
    drawn: frozenset[str] = frozenset()

    @classmethod
    def empty(cls) -> Deck:
        return cls()

    def to_json(self) -> str:
        """Compact, stable JSON for storage (``drawn`` is sorted)."""
        return json.dumps(
            {
                "drawn": sorted(self.drawn),
                "last": self.last_drawn,
                "remaining": list(self.remaining),
                "v": 1,
            },
            ensure_ascii=False,
            separators=(",", ":"),
            sort_keys=True,
        )

    @classmethod
    def from_json(cls, text: str) -> Deck:
        """Inverse of :meth:`to_json`; raises ValueError if the text is not a stored deck."""
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise ValueError("stored deck is not valid JSON") from error
        if not isinstance(data, dict) or data.get("v") != 1:
            raise ValueError("stored deck has an unknown format")
        remaining = data.get("remaining", [])
        drawn = data.get("drawn", [])
        last = data.get("last")
        if not (
            isinstance(remaining, list)
            and all(isinstance(item, str) for item in remaining)
            and isinstance(drawn, list)
            and all(isinstance(item, str) for item in drawn)
            and (last is None or isinstance(last, str))
        ):
            raise ValueError("stored deck has fields of the wrong type")
        return cls(remaining=tuple(remaining), last_drawn=last, drawn=frozenset(drawn))


def _new_cycle(pool: Sequence[str], avoid_first: str | None, rng: random.Random) -> list[str]:
    order = list(pool)
    rng.shuffle(order)
    if len(order) >= 2 and order[0] == avoid_first:
        # Swapping with a uniformly chosen other slot keeps the result uniform over all
        # orders that do not start with ``avoid_first``.
        swap = rng.randrange(1, len(order))
        order[0], order[swap] = order[swap], order[0]
    return order


def draw(deck: Deck, pool: Sequence[str], rng: random.Random) -> tuple[str, Deck]:
    """Draw the next id and return it with the updated deck.

    * Ids in ``remaining`` that left ``pool`` are skipped.
    * Ids in ``pool`` that are neither drawn this cycle nor waiting (newly added) are inserted
      at random places in ``remaining``, so they appear before this cycle ends.
    * When the cycle is used up, a new one is a shuffle of the whole pool that does not start
      with the previous draw (when the pool has two or more ids).

    Within a cycle nothing repeats. The result depends only on the deck, the *set* of pool
    ids and the rng state. Raises ValueError for an empty pool.
    """
    unique_pool = sorted(set(pool))
    if not unique_pool:
        raise ValueError("cannot draw from an empty pool")
    in_pool = set(unique_pool)

    remaining: list[str] = []
    waiting: set[str] = set()
    for item in deck.remaining:
        if item in in_pool and item not in deck.drawn and item not in waiting:
            remaining.append(item)
            waiting.add(item)
    for item in unique_pool:
        if item not in deck.drawn and item not in waiting:
            remaining.insert(rng.randint(0, len(remaining)), item)

    drawn = deck.drawn
    if not remaining:
        remaining = _new_cycle(unique_pool, deck.last_drawn, rng)
        drawn = frozenset()

    item = remaining[0]
    return item, Deck(remaining=tuple(remaining[1:]), last_drawn=item, drawn=drawn | {item})


# --------------------------------------------------------------------------------------------
# Custom affirmation text
# --------------------------------------------------------------------------------------------

MIN_CUSTOM_LENGTH = 10
MAX_CUSTOM_LENGTH = 300

_MASS_MENTION = re.compile(r"@(?:everyone|here)\b", re.IGNORECASE)
_DISCORD_MENTION = re.compile(r"<(?:@[!&]?|#)\d+>")


def validate_custom_text(text: str) -> str:
    """Clean a member's affirmation (trim, collapse all whitespace to single spaces) and check
    it: 10–300 characters, no @everyone/@here and no user, role or channel mentions.

    Returns the cleaned text; raises :class:`InvalidInput` with a friendly sentence.
    """
    cleaned = " ".join(text.split())
    if not cleaned:
        raise InvalidInput(
            "That one came through empty — an affirmation can be a short sentence, "
            "like “I am more than one rejection.”"
        )
    if _MASS_MENTION.search(cleaned) or _DISCORD_MENTION.search(cleaned):
        raise InvalidInput(
            "Affirmations are posted for the whole server, so they can't ping everyone or "
            "mention people, roles or channels — try it without, like “You belong here.”"
        )
    length = len(cleaned)
    if length < MIN_CUSTOM_LENGTH:
        noun = "character" if length == 1 else "characters"
        raise InvalidInput(
            f"That one is {length} {noun} — affirmations need at least {MIN_CUSTOM_LENGTH}, "
            "so there's room to say a little more, like “I am still growing.”"
        )
    if length > MAX_CUSTOM_LENGTH:
        raise InvalidInput(
            f"That one is {length} characters — affirmations can be up to {MAX_CUSTOM_LENGTH}, "
            "so there's room to trim a little."
        )
    return cleaned


def normalize_for_duplicate_check(text: str) -> str:
    """A comparison key that ignores case, punctuation and whitespace.

    "You've got this!" and "youve   got THIS" give the same key; letters, digits and
    symbols such as emoji are kept.
    """
    folded = unicodedata.normalize("NFKC", text).casefold()
    return "".join(
        char
        for char in folded
        if not char.isspace() and not unicodedata.category(char).startswith(("P", "Z", "C"))
    )


def is_duplicate(text: str, existing: Iterable[str]) -> bool:
    """Whether ``text`` matches any of ``existing`` once both are normalized."""
    key = normalize_for_duplicate_check(text)
    return any(normalize_for_duplicate_check(other) == key for other in existing)
