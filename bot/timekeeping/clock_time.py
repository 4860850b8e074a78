"""Times of day typed by members: ``07:30``, ``7:30 pm``, ``7am``."""

from __future__ import annotations

import re
from datetime import time

from bot.inputs import InvalidInput, quote

__all__ = ["format_time", "parse_time"]

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
        raise InvalidInput("I need a time — try 24-hour HH:MM, like 07:30.")

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

    raise InvalidInput(f"I couldn't read {quote(text)} as a time — try 24-hour HH:MM, like 07:30.")


def format_time(value: time) -> str:
    """The 24-hour ``HH:MM`` form we store and show."""
    return value.strftime("%H:%M")
