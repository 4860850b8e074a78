"""The core's shared time code: times of day, zones, day sets, DST-safe local recurrence."""

from __future__ import annotations

import io
import itertools
import json
import os
import re
import subprocess
import sys
import tomllib
import zoneinfo
from datetime import UTC, date, datetime, time, timedelta
from importlib.metadata import version
from importlib.resources import files
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.timekeeping import (
    COMMON_TIMEZONES,
    DaySet,
    InvalidInput,
    LocalSchedule,
    Occurrence,
    canonical_timezone_name,
    canonical_timezones,
    is_within_grace,
    latest_occurrence_at_or_before,
    local_today,
    next_occurrence,
    parse_time,
    parse_timezone,
    resolve_local,
    timezone_suggestions,
)
from bot.timekeeping.zone_data import iana_version, tzdata_version

NEW_YORK = ZoneInfo("America/New_York")
BERLIN = ZoneInfo("Europe/Berlin")
KOLKATA = ZoneInfo("Asia/Kolkata")
KIRITIMATI = ZoneInfo("Pacific/Kiritimati")
PAGO_PAGO = ZoneInfo("Pacific/Pago_Pago")


def canonical_names() -> list[str]:
    return list(canonical_timezones())


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def schedule(hour: int, minute: int, zone: ZoneInfo, days: DaySet | None = None) -> LocalSchedule:
    return LocalSchedule(time(hour, minute), zone, days or DaySet.every_day())


def walk(plan: LocalSchedule, start: datetime, end: datetime) -> list[Occurrence]:
    """Every occurrence with start < due_at <= end, found by chaining next_occurrence."""
    found: list[Occurrence] = []
    cursor = start
    while True:
        occurrence = next_occurrence(plan, cursor)
        assert occurrence.due_at > cursor, "next_occurrence must move strictly forward"
        if occurrence.due_at > end:
            return found
        found.append(occurrence)
        cursor = occurrence.due_at


# --------------------------------------------------------------------------------------------
# parse_time
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("07:30", time(7, 30)),
        ("7:30", time(7, 30)),
        (" 18:05 ", time(18, 5)),
        ("00:00", time(0, 0)),
        ("23:59", time(23, 59)),
        ("7am", time(7, 0)),
        ("7 AM", time(7, 0)),
        ("7:30 pm", time(19, 30)),
        ("7:30PM", time(19, 30)),
        ("12pm", time(12, 0)),
        ("12am", time(0, 0)),
        ("12:15 a.m.", time(0, 15)),
    ],
)
def test_parse_time_accepts_24_hour_and_am_pm_forms(text: str, expected: time) -> None:
    assert parse_time(text) == expected


def test_parse_time_always_has_zero_seconds() -> None:
    parsed = parse_time("6:45pm")
    assert (parsed.second, parsed.microsecond, parsed.tzinfo) == (0, 0, None)


@pytest.mark.parametrize(
    "text", ["25:00", "24:00", "7.30", "noonish", "7:60", "13pm", "0am", "730", "7", "07:30:00"]
)
def test_parse_time_rejects_other_text_naming_the_bad_value(text: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_time(text)
    message = str(caught.value)
    assert f"“{text}”" in message
    assert "07:30" in message


def test_parse_time_error_names_the_value_and_gives_an_example() -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_time("25:00")
    assert str(caught.value) == (
        "I couldn't read “25:00” as a time — try 24-hour HH:MM, like 07:30."
    )


def test_parse_time_rejects_empty_text_with_an_example() -> None:
    with pytest.raises(InvalidInput, match="07:30"):
        parse_time("   ")


def test_invalid_input_is_a_value_error() -> None:
    assert issubclass(InvalidInput, ValueError)


def test_long_bad_input_is_shortened_in_the_message() -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_time("x" * 500)
    assert len(str(caught.value)) < 120


# --------------------------------------------------------------------------------------------
# Time zones
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Europe/Berlin", "Europe/Berlin"),
        ("europe/berlin", "Europe/Berlin"),
        ("  AMERICA/NEW_YORK ", "America/New_York"),
        ("America/New York", "America/New_York"),
        ("utc", "UTC"),
        ("US/Eastern", "America/New_York"),
        ("asia/calcutta", "Asia/Kolkata"),
        ("Europe/Kiev", "Europe/Kyiv"),
        ("Japan", "Asia/Tokyo"),
        ("Etc/UTC", "UTC"),
        ("Europe/Amsterdam", "Europe/Amsterdam"),
        ("Asia/Kolkata", "Asia/Kolkata"),
    ],
)
def test_canonical_timezone_name_matches_case_insensitively(text: str, expected: str) -> None:
    assert canonical_timezone_name(text) == expected


def test_parse_timezone_returns_the_canonical_zone() -> None:
    zone = parse_timezone("asia/tokyo")
    assert zone.key == "Asia/Tokyo"
    assert zone is ZoneInfo("Asia/Tokyo")


@pytest.mark.parametrize("text", ["GMT+2", "UTC+2", "+0200", "utc +1"])
def test_fixed_offsets_are_refused_with_a_city_suggestion(text: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_timezone(text)
    message = str(caught.value)
    assert f"“{text}”" in message
    assert "Europe/Berlin" in message


def test_an_offset_no_common_place_uses_still_gives_an_example() -> None:
    with pytest.raises(InvalidInput, match="Europe/Berlin or America/New_York"):
        parse_timezone("UTC-05:30")


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ("EST", "America/New_York"),
        ("est", "America/New_York"),
        ("Etc/GMT+5", "America/New_York"),
        ("GMT", "Europe/London"),
        ("Etc/GMT", "UTC"),
        ("MST", "America/Denver"),
        ("HST", "Pacific/Honolulu"),
        ("CET", "Europe/Berlin"),
        ("EST5EDT", "America/New_York"),
        ("PST", "America/Los_Angeles"),
    ],
)
def test_zones_that_do_not_follow_a_place_are_refused_with_a_hint(text: str, hint: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        canonical_timezone_name(text)
    message = str(caught.value)
    assert f"“{text}”" in message
    assert f"did you mean {hint}" in message or hint in message.split("did you mean", 1)[1]


def test_every_accepted_name_is_a_place_or_utc() -> None:
    for name in canonical_timezones():
        assert name == "UTC" or ("/" in name and not name.startswith("Etc/")), name
        assert canonical_timezone_name(name) == name
        assert canonical_timezone_name(name.lower()) == name


def test_misspelled_zone_suggests_close_matches() -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_timezone("Europe/Berln")
    message = str(caught.value)
    assert "“Europe/Berln”" in message
    assert "Europe/Berlin" in message


def test_bare_city_name_suggests_its_zone() -> None:
    with pytest.raises(InvalidInput, match="America/New_York"):
        parse_timezone("new york")


def test_zone_error_suggests_at_most_three_names() -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_timezone("America/Nort")
    message = str(caught.value)
    suggested = [name for name in canonical_names() if name in message.split("mean ", 1)[-1]]
    assert 1 <= len(suggested) <= 3
    assert all(name.startswith("America/North") for name in suggested)


def test_misspelled_city_suggests_its_zone() -> None:
    with pytest.raises(InvalidInput, match="Asia/Tokyo"):
        parse_timezone("tokio")


def test_zone_suggestions_prefer_modern_names() -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_timezone("Europe/Berln")
    assert "Europe/Belfast" not in str(caught.value)


def test_unknown_zone_without_close_matches_still_gives_an_example() -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_timezone("qqqqzzzz")
    message = str(caught.value)
    assert "“qqqqzzzz”" in message
    assert "Europe/Berlin" in message


def test_empty_zone_is_refused_with_an_example() -> None:
    with pytest.raises(InvalidInput, match="Europe/Berlin"):
        parse_timezone("  ")


@pytest.mark.parametrize("text", ["Factory", "localtime", "posixrules"])
def test_non_places_in_the_zone_list_are_refused(text: str) -> None:
    with pytest.raises(InvalidInput):
        parse_timezone(text)


# --------------------------------------------------------------------------------------------
# timezone_suggestions
# --------------------------------------------------------------------------------------------


def test_suggestions_for_berlin_put_europe_berlin_first() -> None:
    assert timezone_suggestions("berlin")[0] == "Europe/Berlin"


def test_suggestions_for_new_york_find_america_new_york() -> None:
    assert timezone_suggestions("new york")[0] == "America/New_York"


def test_suggestions_accept_underscores_and_case() -> None:
    assert timezone_suggestions("NEW_YORK")[0] == "America/New_York"


def test_suggestions_rank_exact_name_first() -> None:
    assert timezone_suggestions("america/new_york")[0] == "America/New_York"


def test_suggestions_rank_full_name_prefix_before_city_prefix() -> None:
    results = timezone_suggestions("ind")
    # "Indian/…" starts the full name; "America/Indiana/Indianapolis" only starts the city.
    assert results[0].startswith("Indian/")
    assert "America/Indiana/Indianapolis" in results
    last_full_prefix = max(i for i, name in enumerate(results) if name.startswith("Indian/"))
    assert results.index("America/Indiana/Indianapolis") > last_full_prefix


def test_suggestions_rank_city_prefix_before_substring() -> None:
    results = timezone_suggestions("ca")
    # "Africa/Cairo" and "Atlantic/Canary" start their city with "ca"; "America/Jamaica" and
    # every other "America/…" zone only contain it.
    city_matches = [name for name in results if name.rsplit("/", 1)[-1].lower().startswith("ca")]
    assert {"Africa/Cairo", "Atlantic/Canary"} <= set(city_matches)
    assert results[: len(city_matches)] == city_matches


def test_suggestions_rank_place_substring_before_region_substring() -> None:
    results = timezone_suggestions("ca", limit=100)
    assert results.index("America/Jamaica") < results.index("America/Denver")


def test_suggestions_find_a_substring_of_the_city() -> None:
    assert "America/New_York" in timezone_suggestions("york")


def test_suggestions_never_exceed_25() -> None:
    assert len(timezone_suggestions("a")) == 25
    assert len(timezone_suggestions("")) <= 25


def test_suggestions_respect_a_smaller_limit() -> None:
    assert len(timezone_suggestions("america", limit=5)) == 5
    assert timezone_suggestions("america", limit=0) == []


def test_empty_query_gives_common_zones() -> None:
    results = timezone_suggestions("")
    for name in ("America/New_York", "Europe/London", "Asia/Kolkata", "UTC", "Australia/Sydney"):
        assert name in results
    assert results == timezone_suggestions("   ")
    assert results == [name for name in COMMON_TIMEZONES][: len(results)]


def test_suggestions_hide_legacy_names_when_modern_ones_match() -> None:
    results = timezone_suggestions("pacific")
    assert "US/Pacific" not in results
    assert "Canada/Pacific" not in results
    assert results[0].startswith("Pacific/")


def test_suggestions_bring_the_place_for_a_legacy_name() -> None:
    assert timezone_suggestions("eastern")[0] == "America/New_York"
    assert timezone_suggestions("calcutta") == ["Asia/Kolkata"]
    assert timezone_suggestions("US/Eastern")[0] == "America/New_York"


def test_suggestions_for_an_abbreviation_put_its_place_first() -> None:
    assert timezone_suggestions("EST")[0] == "America/New_York"
    assert timezone_suggestions("est")[0] == "America/New_York"
    assert "EST" not in timezone_suggestions("est")
    assert timezone_suggestions("pst")[0] == "America/Los_Angeles"


def test_suggestions_never_offer_a_fixed_offset() -> None:
    for query in ("etc", "gmt", "est", "utc", "mst", "hst", "cet", "GMT+5", "Etc/GMT-2"):
        for name in timezone_suggestions(query, limit=100):
            assert name == "UTC" or "/" in name, (query, name)
            assert not name.startswith("Etc/"), (query, name)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=120))
def test_every_suggestion_is_accepted_as_it_is(query: str) -> None:
    suggestions = timezone_suggestions(query)
    assert len(suggestions) <= 25
    for name in suggestions:
        assert len(name) <= 100
        assert canonical_timezone_name(name) == name


def test_suggestions_are_deterministic() -> None:
    assert timezone_suggestions("an") == timezone_suggestions("an")


def test_suggestions_for_nonsense_are_empty() -> None:
    assert timezone_suggestions("qqqqzzzz") == []


# --------------------------------------------------------------------------------------------
# DaySet
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "weekdays"),
    [
        ("every day", (0, 1, 2, 3, 4, 5, 6)),
        ("Daily", (0, 1, 2, 3, 4, 5, 6)),
        ("everyday", (0, 1, 2, 3, 4, 5, 6)),
        ("weekdays", (0, 1, 2, 3, 4)),
        ("Weekends", (5, 6)),
        ("mon,wed,fri", (0, 2, 4)),
        ("Mon Wed Fri", (0, 2, 4)),
        ("monday, thursday", (0, 3)),
        ("tue-thu", (1, 2, 3)),
        ("tue - thu", (1, 2, 3)),
        ("mon to fri", (0, 1, 2, 3, 4)),
        ("fri-mon", (0, 4, 5, 6)),
        ("tues, thurs and sat", (1, 3, 5)),
        ("Sundays", (6,)),
        ("mon, mon", (0,)),
    ],
)
def test_dayset_parse_reads_common_forms(text: str, weekdays: tuple[int, ...]) -> None:
    assert DaySet.parse(text).weekday_numbers() == weekdays


@pytest.mark.parametrize("text", ["", "  ", "someday", "mon,funday", "m", "tue-", "1,2,3", ","])
def test_dayset_parse_rejects_unreadable_or_empty_text(text: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        DaySet.parse(text)
    assert "mon, wed, fri" in str(caught.value)


def test_dayset_parse_error_names_the_bad_value() -> None:
    with pytest.raises(InvalidInput, match="“someday”"):
        DaySet.parse("someday")


def test_dayset_bits_run_from_monday_to_sunday() -> None:
    assert DaySet.parse("mon").mask == 0b0000001
    assert DaySet.parse("sun").mask == 0b1000000
    assert DaySet.every_day().mask == 127
    assert DaySet.weekdays().mask == 0b0011111


def test_dayset_contains_checks_one_weekday() -> None:
    days = DaySet.parse("mon,wed,fri")
    assert [days.contains(day) for day in range(7)] == [
        True,
        False,
        True,
        False,
        True,
        False,
        False,
    ]


def test_dayset_contains_rejects_out_of_range_weekday() -> None:
    with pytest.raises(ValueError):
        DaySet.every_day().contains(7)


def test_dayset_from_mask_round_trips() -> None:
    for mask in range(1, 128):
        assert DaySet.from_mask(mask).mask == mask


@pytest.mark.parametrize("mask", [0, 128, -1])
def test_dayset_from_mask_rejects_empty_or_out_of_range(mask: int) -> None:
    with pytest.raises(ValueError):
        DaySet.from_mask(mask)


@pytest.mark.parametrize(
    ("text", "description"),
    [
        ("daily", "every day"),
        ("mon-fri", "weekdays"),
        ("sat,sun", "weekends"),
        ("fri, wed, mon", "Mon, Wed, Fri"),
        ("sun", "Sun"),
    ],
)
def test_dayset_describe(text: str, description: str) -> None:
    assert DaySet.parse(text).describe() == description


# --------------------------------------------------------------------------------------------
# resolve_local
# --------------------------------------------------------------------------------------------


def test_resolve_local_normal_day() -> None:
    assert resolve_local(date(2026, 6, 1), time(7, 30), NEW_YORK) == utc(2026, 6, 1, 11, 30)


def test_resolve_local_returns_aware_utc() -> None:
    resolved = resolve_local(date(2026, 6, 1), time(7, 30), BERLIN)
    assert resolved.tzinfo is UTC


def test_resolve_local_accepts_a_zone_name() -> None:
    assert resolve_local(date(2026, 6, 1), time(7, 30), "europe/berlin") == utc(2026, 6, 1, 5, 30)


def test_resolve_local_new_york_spring_gap_uses_first_valid_minute() -> None:
    resolved = resolve_local(date(2026, 3, 8), time(2, 30), NEW_YORK)
    assert resolved == utc(2026, 3, 8, 7, 0)
    assert resolved.astimezone(NEW_YORK).time() == time(3, 0)


def test_resolve_local_berlin_spring_gap_uses_first_valid_minute() -> None:
    resolved = resolve_local(date(2026, 3, 29), time(2, 30), BERLIN)
    assert resolved == utc(2026, 3, 29, 1, 0)
    assert resolved.astimezone(BERLIN).time() == time(3, 0)


def test_resolve_local_new_york_fall_back_uses_first_occurrence() -> None:
    # 01:30 happens twice on 2026-11-01; the first is EDT (UTC-4).
    assert resolve_local(date(2026, 11, 1), time(1, 30), NEW_YORK) == utc(2026, 11, 1, 5, 30)


def test_resolve_local_berlin_fall_back_uses_first_occurrence() -> None:
    # 02:30 happens twice on 2026-10-25; the first is CEST (UTC+2).
    assert resolve_local(date(2026, 10, 25), time(2, 30), BERLIN) == utc(2026, 10, 25, 0, 30)


def test_resolve_local_half_hour_dst_gap_lord_howe() -> None:
    # Lord Howe moves forward by only 30 minutes: 02:00 → 02:30 on 2026-10-04.
    zone = ZoneInfo("Australia/Lord_Howe")
    resolved = resolve_local(date(2026, 10, 4), time(2, 10), zone)
    assert resolved.astimezone(zone).replace(tzinfo=None) == datetime(2026, 10, 4, 2, 30)


def test_resolve_local_kolkata_half_hour_offset() -> None:
    assert resolve_local(date(2026, 6, 1), time(7, 0), KOLKATA) == utc(2026, 6, 1, 1, 30)


# --------------------------------------------------------------------------------------------
# next_occurrence
# --------------------------------------------------------------------------------------------


def test_next_occurrence_later_today() -> None:
    plan = schedule(7, 30, NEW_YORK)
    occurrence = next_occurrence(plan, utc(2026, 6, 1, 10, 0))
    assert occurrence == Occurrence.on_local_date(date(2026, 6, 1), utc(2026, 6, 1, 11, 30))


def test_next_occurrence_after_todays_time_is_tomorrow() -> None:
    plan = schedule(7, 30, NEW_YORK)
    occurrence = next_occurrence(plan, utc(2026, 6, 1, 12, 0))
    assert occurrence == Occurrence.on_local_date(date(2026, 6, 2), utc(2026, 6, 2, 11, 30))


def test_next_occurrence_is_strictly_after() -> None:
    plan = schedule(7, 30, NEW_YORK)
    due = utc(2026, 6, 1, 11, 30)
    assert next_occurrence(plan, due).label == date(2026, 6, 2).isoformat()
    assert (
        next_occurrence(plan, due - timedelta(microseconds=1)).label == date(2026, 6, 1).isoformat()
    )


def test_next_occurrence_accepts_non_utc_after() -> None:
    plan = schedule(7, 30, NEW_YORK)
    after = datetime(2026, 6, 1, 6, 0, tzinfo=NEW_YORK)
    assert next_occurrence(plan, after).due_at == utc(2026, 6, 1, 11, 30)


def test_next_occurrence_rejects_naive_after() -> None:
    with pytest.raises(ValueError):
        next_occurrence(schedule(7, 30, NEW_YORK), datetime(2026, 6, 1, 6, 0))


def test_next_occurrence_due_at_is_utc() -> None:
    occurrence = next_occurrence(schedule(7, 30, BERLIN), utc(2026, 6, 1))
    assert occurrence.due_at.tzinfo is UTC


def test_next_occurrence_new_york_spring_forward_posts_at_0300() -> None:
    plan = schedule(2, 30, NEW_YORK)
    occurrence = next_occurrence(plan, utc(2026, 3, 7, 12, 0))
    assert occurrence == Occurrence.on_local_date(date(2026, 3, 8), utc(2026, 3, 8, 7, 0))
    assert occurrence.due_at.astimezone(NEW_YORK).time() == time(3, 0)


def test_next_occurrence_berlin_spring_forward_posts_at_0300() -> None:
    plan = schedule(2, 30, BERLIN)
    occurrence = next_occurrence(plan, utc(2026, 3, 28, 12, 0))
    assert occurrence == Occurrence.on_local_date(date(2026, 3, 29), utc(2026, 3, 29, 1, 0))
    assert occurrence.due_at.astimezone(BERLIN).time() == time(3, 0)


@pytest.mark.parametrize(
    ("zone", "local_time", "fall_back_day", "first_due"),
    [
        (NEW_YORK, time(1, 30), date(2026, 11, 1), utc(2026, 11, 1, 5, 30)),
        (NEW_YORK, time(1, 0), date(2026, 11, 1), utc(2026, 11, 1, 5, 0)),
        (BERLIN, time(2, 30), date(2026, 10, 25), utc(2026, 10, 25, 0, 30)),
        (BERLIN, time(2, 0), date(2026, 10, 25), utc(2026, 10, 25, 0, 0)),
    ],
)
def test_fall_back_day_posts_once_at_first_occurrence(
    zone: ZoneInfo, local_time: time, fall_back_day: date, first_due: datetime
) -> None:
    plan = LocalSchedule(local_time, zone, DaySet.every_day())
    found = walk(plan, first_due - timedelta(days=2), first_due + timedelta(days=2))
    on_day = [
        occurrence for occurrence in found if date.fromisoformat(occurrence.label) == fall_back_day
    ]
    assert on_day == [Occurrence.on_local_date(fall_back_day, first_due)]


@pytest.mark.parametrize(
    "after_offset",
    [timedelta(0), timedelta(minutes=30), timedelta(hours=1), timedelta(hours=1, minutes=30)],
)
def test_fall_back_repeated_hour_never_yields_the_same_date_again(after_offset: timedelta) -> None:
    # Asking from anywhere inside the repeated hour moves on to the next day.
    plan = schedule(1, 30, NEW_YORK)
    first_due = utc(2026, 11, 1, 5, 30)
    assert next_occurrence(plan, first_due + after_offset).label == date(2026, 11, 2).isoformat()


def test_next_occurrence_kolkata_half_hour_offset() -> None:
    plan = schedule(7, 0, KOLKATA)
    occurrence = next_occurrence(plan, utc(2026, 6, 1, 0, 0))
    assert occurrence == Occurrence.on_local_date(date(2026, 6, 1), utc(2026, 6, 1, 1, 30))


def test_next_occurrence_kiritimati_plus_14_late_evening() -> None:
    plan = schedule(23, 30, KIRITIMATI)
    # 09:00 UTC on 10 June is 23:00 on 10 June in Kiritimati.
    occurrence = next_occurrence(plan, utc(2026, 6, 10, 9, 0))
    assert occurrence == Occurrence.on_local_date(date(2026, 6, 10), utc(2026, 6, 10, 9, 30))


def test_next_occurrence_kiritimati_local_date_is_ahead_of_utc_date() -> None:
    plan = schedule(7, 0, KIRITIMATI)
    # 20:00 UTC on 9 June is already 10:00 on 10 June in Kiritimati.
    occurrence = next_occurrence(plan, utc(2026, 6, 9, 20, 0))
    assert occurrence == Occurrence.on_local_date(date(2026, 6, 11), utc(2026, 6, 10, 17, 0))


def test_next_occurrence_pago_pago_minus_11_late_evening() -> None:
    plan = schedule(23, 30, PAGO_PAGO)
    occurrence = next_occurrence(plan, utc(2026, 6, 10, 12, 0))
    # 23:30 on 10 June in Pago Pago is 10:30 UTC on 11 June.
    assert occurrence == Occurrence.on_local_date(date(2026, 6, 10), utc(2026, 6, 11, 10, 30))


def test_next_occurrence_skips_days_not_in_the_mask() -> None:
    plan = schedule(9, 0, BERLIN, DaySet.parse("mon,wed,fri"))
    # 2026-06-01 is a Monday; after its post, the next is Wednesday.
    occurrence = next_occurrence(plan, utc(2026, 6, 1, 8, 0))
    assert date.fromisoformat(occurrence.label) == date(2026, 6, 3)
    assert date.fromisoformat(occurrence.label).weekday() == 2


def test_next_occurrence_weekdays_skip_the_weekend() -> None:
    plan = schedule(9, 0, BERLIN, DaySet.weekdays())
    # Friday 2026-06-05 after the post → Monday 2026-06-08.
    assert next_occurrence(plan, utc(2026, 6, 5, 12, 0)).label == date(2026, 6, 8).isoformat()


def test_next_occurrence_single_weekday_waits_a_full_week() -> None:
    plan = schedule(9, 0, BERLIN, DaySet.parse("mon"))
    monday_due = utc(2026, 6, 1, 7, 0)
    assert next_occurrence(plan, monday_due).label == date(2026, 6, 8).isoformat()


def test_next_occurrence_uses_the_local_weekday_not_the_utc_one() -> None:
    # Saturday 23:30 in Pago Pago is Sunday in UTC; a Saturday-only plan must still post.
    plan = schedule(23, 30, PAGO_PAGO, DaySet.parse("sat"))
    occurrence = next_occurrence(plan, utc(2026, 6, 6, 0, 0))
    assert date.fromisoformat(occurrence.label) == date(2026, 6, 6)
    assert occurrence.due_at == utc(2026, 6, 7, 10, 30)


def test_build_accepts_a_zone_name() -> None:
    plan = LocalSchedule.build(time(7, 0), "asia/kolkata", DaySet.every_day())
    assert plan.zone_name == "Asia/Kolkata"


def test_schedule_rejects_an_aware_local_time() -> None:
    with pytest.raises(ValueError):
        LocalSchedule(time(7, 0, tzinfo=UTC), BERLIN, DaySet.every_day())


# --------------------------------------------------------------------------------------------
# latest_occurrence_at_or_before, keys, grace, today
# --------------------------------------------------------------------------------------------


def test_latest_occurrence_includes_an_exact_match() -> None:
    plan = schedule(7, 30, NEW_YORK)
    due = utc(2026, 6, 1, 11, 30)
    assert latest_occurrence_at_or_before(plan, due) == Occurrence.on_local_date(
        date(2026, 6, 1), due
    )


def test_latest_occurrence_before_todays_time_is_yesterday() -> None:
    plan = schedule(7, 30, NEW_YORK)
    latest = latest_occurrence_at_or_before(plan, utc(2026, 6, 1, 11, 29))
    assert latest == Occurrence.on_local_date(date(2026, 5, 31), utc(2026, 5, 31, 11, 30))


def test_latest_occurrence_respects_the_mask() -> None:
    plan = schedule(9, 0, BERLIN, DaySet.parse("mon"))
    # Sunday 2026-06-07 → the Monday before, 2026-06-01.
    latest = latest_occurrence_at_or_before(plan, utc(2026, 6, 7, 12, 0))
    assert latest is not None
    assert date.fromisoformat(latest.label) == date(2026, 6, 1)


def test_latest_occurrence_on_spring_gap_day() -> None:
    plan = schedule(2, 30, NEW_YORK)
    latest = latest_occurrence_at_or_before(plan, utc(2026, 3, 8, 7, 0))
    assert latest == Occurrence.on_local_date(date(2026, 3, 8), utc(2026, 3, 8, 7, 0))


def test_occurrence_key_is_the_iso_local_date() -> None:
    occurrence = Occurrence.on_local_date(date(2026, 3, 8), utc(2026, 3, 8, 7, 0))
    assert occurrence.label == "2026-03-08"
    assert occurrence.label == "2026-03-08"


def test_occurrence_key_uses_local_date_not_utc_date() -> None:
    occurrence = next_occurrence(schedule(23, 30, PAGO_PAGO), utc(2026, 6, 10, 12, 0))
    assert occurrence.label == "2026-06-10"


@pytest.mark.parametrize(
    ("late_by", "expected"),
    [
        (timedelta(0), True),
        (timedelta(hours=3), True),
        (timedelta(hours=3, seconds=1), False),
        (timedelta(seconds=-1), False),
    ],
)
def test_is_within_grace(late_by: timedelta, expected: bool) -> None:
    occurrence = Occurrence.on_local_date(date(2026, 6, 1), utc(2026, 6, 1, 11, 30))
    now = occurrence.due_at + late_by
    assert is_within_grace(occurrence, now, timedelta(hours=3)) is expected


def test_local_today_uses_the_zone() -> None:
    now = utc(2026, 6, 10, 20, 0)
    assert local_today(now, KIRITIMATI) == date(2026, 6, 11)
    assert local_today(now, PAGO_PAGO) == date(2026, 6, 10)
    assert local_today(now, "Asia/Kolkata") == date(2026, 6, 11)


def test_local_today_rejects_naive_now() -> None:
    with pytest.raises(ValueError):
        local_today(datetime(2026, 6, 10, 20, 0), BERLIN)


# --------------------------------------------------------------------------------------------
# Scheduling properties
# --------------------------------------------------------------------------------------------

# Zones with DST at odd hours, half- and quarter-hour offsets, midnight transitions, ±14h.
PROPERTY_ZONES = [
    "UTC",
    "America/New_York",
    "America/Los_Angeles",
    "America/Santiago",
    "America/Havana",
    "America/St_Johns",
    "Europe/Berlin",
    "Europe/London",
    "Asia/Kolkata",
    "Asia/Kathmandu",
    "Asia/Tehran",
    "Australia/Lord_Howe",
    "Australia/Adelaide",
    "Pacific/Chatham",
    "Pacific/Auckland",
    "Pacific/Kiritimati",
    "Pacific/Pago_Pago",
    "Africa/Casablanca",
]


def _exists(day: date, local_time: time, zone: ZoneInfo) -> bool:
    wall = datetime.combine(day, local_time)
    aware = wall.replace(tzinfo=zone)
    return aware.astimezone(UTC).astimezone(zone).replace(tzinfo=None) == wall


@settings(max_examples=150, deadline=None)
@given(
    start=st.datetimes(
        min_value=datetime(2000, 1, 1), max_value=datetime(2037, 12, 31), timezones=st.just(UTC)
    ),
    zone_name=st.sampled_from(PROPERTY_ZONES),
    hour=st.integers(0, 23),
    minute=st.sampled_from([0, 1, 15, 29, 30, 45, 59]),
    mask=st.integers(1, 127),
)
def test_walking_sixty_days_posts_once_on_every_scheduled_local_date(
    start: datetime, zone_name: str, hour: int, minute: int, mask: int
) -> None:
    zone = ZoneInfo(zone_name)
    days = DaySet.from_mask(mask)
    plan = LocalSchedule(time(hour, minute), zone, days)
    end = start + timedelta(days=60)
    found = walk(plan, start, end)

    due_times = [occurrence.due_at for occurrence in found]
    assert all(earlier < later for earlier, later in itertools.pairwise(due_times))
    local_dates = [date.fromisoformat(occurrence.label) for occurrence in found]
    assert len(set(local_dates)) == len(local_dates)

    # Every local date with a scheduled weekday from the day after start to the day before end
    # appears exactly once (the edge days may fall either side of the window).
    first_day = start.astimezone(zone).date() + timedelta(days=1)
    last_day = end.astimezone(zone).date() - timedelta(days=1)
    expected = [
        first_day + timedelta(days=offset)
        for offset in range((last_day - first_day).days + 1)
        if days.contains((first_day + timedelta(days=offset)).weekday())
    ]
    assert [day for day in local_dates if first_day <= day <= last_day] == expected
    assert all(days.contains(day.weekday()) for day in local_dates)

    for occurrence in found:
        assert start < occurrence.due_at <= end
        assert occurrence.due_at.tzinfo is UTC
        local = occurrence.due_at.astimezone(zone)
        assert local.date() == date.fromisoformat(occurrence.label)
        if _exists(date.fromisoformat(occurrence.label), plan.local_time, zone):
            assert local.time() == plan.local_time
            # Ambiguous wall times use the first of the two instants.
            wall = datetime.combine(date.fromisoformat(occurrence.label), plan.local_time)
            earlier = wall.replace(tzinfo=zone, fold=0).astimezone(UTC)
            later = wall.replace(tzinfo=zone, fold=1).astimezone(UTC)
            assert occurrence.due_at == min(earlier, later)
        else:
            # Gap day: the first valid minute after the gap, so a moment earlier is before it.
            assert local.time() > plan.local_time
            just_before = (occurrence.due_at - timedelta(minutes=1)).astimezone(zone)
            assert just_before.replace(tzinfo=None) < datetime.combine(
                date.fromisoformat(occurrence.label), plan.local_time
            )


@settings(max_examples=150, deadline=None)
@given(
    instant=st.datetimes(
        min_value=datetime(2000, 1, 1), max_value=datetime(2037, 12, 31), timezones=st.just(UTC)
    ),
    zone_name=st.sampled_from(PROPERTY_ZONES),
    hour=st.integers(0, 23),
    minute=st.sampled_from([0, 30, 59]),
    mask=st.integers(1, 127),
)
def test_latest_and_next_occurrence_meet_at_the_instant(
    instant: datetime, zone_name: str, hour: int, minute: int, mask: int
) -> None:
    plan = LocalSchedule(time(hour, minute), ZoneInfo(zone_name), DaySet.from_mask(mask))
    latest = latest_occurrence_at_or_before(plan, instant)
    following = next_occurrence(plan, instant)
    assert latest is not None
    assert latest.due_at <= instant < following.due_at
    # Nothing scheduled lies between them.
    assert next_occurrence(plan, latest.due_at) == following


@pytest.mark.parametrize(
    ("text", "expected"),
    [("every_day", "every day"), ("week days", "weekdays"), ("Week_Ends", "weekends")],
)
def test_dayset_parse_accepts_choice_spellings(text: str, expected: str) -> None:
    assert DaySet.parse(text).describe() == expected


# -- one source of zone data ------------------------------------------------------------------

ROOT = Path(__file__).resolve().parents[2]
# The zones whose rules differ between the system's 2025b and the package's 2026f, and a few more.
DISAGREEING_ZONES = (
    "America/Vancouver",
    "America/Edmonton",
    "America/Winnipeg",
    "America/Inuvik",
    "America/Havana",
    "Africa/Casablanca",
    "Africa/El_Aaiun",
    "Europe/Chisinau",
    "Canada/Pacific",
    "America/New_York",
    "Europe/Berlin",
)
# What the bot computes with whatever zone data the process reads: a cogs module that builds
# ZoneInfo itself is imported first, before anything of the core.
ZONE_PROBE = """
import json, sys
from datetime import UTC, date, datetime, time
import cogs.streaks.logic as streaks
from zoneinfo import ZoneInfo
from bot.timekeeping import LocalSchedule, DaySet, next_occurrence, resolve_local
answers = []
for name in sys.argv[1:]:
    for day in (date(2026, 3, 8), date(2026, 3, 29), date(2026, 11, 1), date(2026, 11, 2)):
        answers.append(resolve_local(day, time(0, 0), name).isoformat())
    plan = LocalSchedule.build(time(0, 0), name, DaySet.every_day())
    answers.append(next_occurrence(plan, datetime(2026, 11, 1, 12, tzinfo=UTC)).due_at.isoformat())
    answers.append(streaks.local_date(datetime(2026, 11, 2, 7, 30, tzinfo=UTC), name).isoformat())
    answers.append(str(ZoneInfo(name).utcoffset(datetime(2027, 1, 15, 12))))
print(json.dumps(answers))
"""


def _zone_answers(system_zone_folder: Path) -> list[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("TZ", "PYTHONTZPATH")}
    env["PYTHONTZPATH"] = str(system_zone_folder)
    result = subprocess.run(
        [sys.executable, "-c", ZONE_PROBE, *DISAGREEING_ZONES],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    answers: list[str] = json.loads(result.stdout)
    return answers


@pytest.mark.slow
def test_the_systems_zone_files_change_no_answer(tmp_path: Path) -> None:
    """Part F: a machine with no zone files, one whose files disagree with the package (here:
    every probed zone has Berlin's rules) and this machine's own folder post at the same
    instants and date days the same way."""
    empty = tmp_path / "no-zone-files"
    empty.mkdir()
    wrong = tmp_path / "stale-zone-files"
    berlin = files("tzdata").joinpath("zoneinfo", "Europe", "Berlin").read_bytes()
    for name in DISAGREEING_ZONES:
        (wrong / name).parent.mkdir(parents=True, exist_ok=True)
        (wrong / name).write_bytes(berlin)

    expected = _zone_answers(empty)
    assert _zone_answers(wrong) == expected
    system = Path("/usr/share/zoneinfo")
    if system.is_dir():
        assert _zone_answers(system) == expected


def test_zones_are_read_from_the_package_in_this_process_too() -> None:
    assert zoneinfo.TZPATH == ()
    packaged = files("tzdata").joinpath("zoneinfo", "America", "Vancouver").read_bytes()
    from_package = ZoneInfo.from_file(io.BytesIO(packaged))
    for month in range(1, 13):
        instant = datetime(2026, month, 2, 8, tzinfo=UTC)
        assert ZoneInfo("America/Vancouver").utcoffset(instant) == from_package.utcoffset(instant)


def test_tzdata_is_pinned_to_exactly_the_installed_version() -> None:
    """Raise the pin on purpose: a different installed tzdata fails here until it is."""
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    pins = [d for d in pyproject["project"]["dependencies"] if d.startswith("tzdata")]
    assert len(pins) == 1 and pins[0].startswith("tzdata=="), pins
    assert pins[0].removeprefix("tzdata==") == version("tzdata") == tzdata_version()
    assert re.fullmatch(r"20\d\d[a-z]", iana_version())


def test_an_hour_skipped_up_to_midnight_moves_the_post_to_the_next_day() -> None:
    """What the user guide promises: America/Nuuk springs from 23:00 to 00:00 on Saturday
    28 March 2026, so a 23:30 post comes at Sunday 00:00 (still Saturday's post) and Sunday
    has two."""
    nuuk = ZoneInfo("America/Nuuk")
    plan = LocalSchedule(time(23, 30), nuuk, DaySet.every_day())
    first = next_occurrence(plan, utc(2026, 3, 28, 12))
    second = next_occurrence(plan, first.due_at)
    assert first.label == "2026-03-28"
    assert first.due_at.astimezone(nuuk).replace(tzinfo=None) == datetime(2026, 3, 29, 0, 0)
    assert second.label == "2026-03-29"
    assert second.due_at.astimezone(nuuk).replace(tzinfo=None) == datetime(2026, 3, 29, 23, 30)


def test_a_repeated_hour_posts_on_its_first_pass() -> None:
    """What the user guide promises: 01:30 on 1 November 2026 in New York happens twice; the post
    comes at the first (EDT), once."""
    plan = LocalSchedule(time(1, 30), NEW_YORK, DaySet.every_day())
    first = next_occurrence(plan, utc(2026, 10, 31, 12))
    assert first == Occurrence.on_local_date(date(2026, 11, 1), utc(2026, 11, 1, 5, 30))
    assert next_occurrence(plan, first.due_at).label == "2026-11-02"


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("EST", ["America/New_York", "America/Toronto"]),
        ("est", ["America/New_York", "America/Toronto"]),
        ("PST", ["America/Los_Angeles", "America/Vancouver"]),
        ("CET", ["Europe/Berlin", "Europe/Paris"]),
        ("IST", ["Asia/Kolkata", "Europe/Dublin", "Asia/Jerusalem"]),
    ],
)
def test_an_abbreviation_offers_the_zones_it_means_first(typed: str, meant: list[str]) -> None:
    """Part D: "EST" in /setup's search offered Europe/Bucharest and Europe/Budapest."""
    found = timezone_suggestions(typed)
    assert found[: len(meant)] == meant
    # Nothing that merely has the letters inside its name ("bucharEST").
    for name in found[len(meant) :]:
        assert name.rsplit("/", 1)[-1].casefold().startswith(typed.casefold()), name
