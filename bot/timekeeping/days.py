"""Sets of weekdays: "every day", "weekdays", "mon, wed, fri", "tue-thu"."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from bot.inputs import InvalidInput, quote

__all__ = ["DAY_PRESETS", "DaySet", "day_set_suggestions"]

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
            f"I couldn't read {quote(text)} as days of the week — {_DAYS_EXAMPLE}."
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


# Offered by autocomplete of a days option, in this order.
DAY_PRESETS: tuple[str, ...] = ("every day", "weekdays", "weekends", "mon, wed, fri", "tue, thu")


def day_set_suggestions(query: str, limit: int = 25) -> list[str]:
    """Answers for a days autocomplete: what the typed text means, when it reads as days (so
    "mon-fri" offers "weekdays"), then the presets that start with it. Every answer is short and
    is read back by :meth:`DaySet.parse` as the same days.
    """
    typed = " ".join(query.split()).casefold()
    picks: list[str] = []
    with contextlib.suppress(InvalidInput):
        picks.append(DaySet.parse(query).describe())
    for preset in DAY_PRESETS:
        if preset.startswith(typed) and preset not in picks:
            picks.append(preset)
    return picks[: max(0, limit)]
