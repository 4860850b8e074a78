"""Shared pure time code: times of day, IANA zones, day sets, local-day recurrence.

Every feature that schedules (affirmations, streaks, weekly check-ins, digests) uses these, so a
rule about time is written once. Nothing here touches Discord, the database or the clock.
"""

from __future__ import annotations

from bot.inputs import InvalidInput
from bot.timekeeping.clock_time import format_time, parse_time
from bot.timekeeping.days import DAY_PRESETS, DaySet, day_set_suggestions
from bot.timekeeping.recurrence import (
    LocalSchedule,
    Occurrence,
    is_within_grace,
    latest_occurrence_at_or_before,
    local_today,
    next_occurrence,
    require_aware,
    resolve_local,
)
from bot.timekeeping.zones import (
    COMMON_TIMEZONES,
    UTC_NAME,
    as_zone,
    canonical_timezone_name,
    canonical_timezones,
    parse_timezone,
    timezone_suggestions,
)

__all__ = [
    "COMMON_TIMEZONES",
    "DAY_PRESETS",
    "UTC_NAME",
    "DaySet",
    "InvalidInput",
    "LocalSchedule",
    "Occurrence",
    "as_zone",
    "canonical_timezone_name",
    "canonical_timezones",
    "day_set_suggestions",
    "format_time",
    "is_within_grace",
    "latest_occurrence_at_or_before",
    "local_today",
    "next_occurrence",
    "parse_time",
    "parse_timezone",
    "require_aware",
    "resolve_local",
    "timezone_suggestions",
]
