"""Streak arithmetic without Discord: examples, then properties against a reference model."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cogs.streaks import logic
from cogs.streaks.logic import DayKind, History, Pause, RestRule

MON = date(2026, 1, 5)  # a Monday


def day(n: int) -> date:
    return MON + timedelta(days=n)


def hist(offsets: list[int], **kw: object) -> History:
    return History(checkins={day(n): 1 for n in offsets}, **kw)  # type: ignore[arg-type]


# -- examples ---------------------------------------------------------------------------------


def test_no_history_is_all_zero() -> None:
    state = logic.compute(History(), day(3))
    assert (state.current, state.best, state.total, state.freezes) == (0, 0, 0, 0)
    assert (state.week_done, state.week_target) == (0, 7)


def test_consecutive_days_build_a_streak() -> None:
    state = logic.compute(hist(list(range(5))), day(4))
    assert (state.current, state.best, state.total) == (5, 5, 5)
    assert state.checked_today


def test_today_is_pending_and_never_breaks_the_streak() -> None:
    state = logic.compute(hist([0, 1, 2]), day(3))
    assert state.current == 3
    assert state.days[day(3)] is DayKind.PENDING


def test_a_missed_day_without_a_freeze_ends_the_streak() -> None:
    state = logic.compute(hist([0, 1, 2, 4]), day(4))
    assert (state.current, state.best) == (1, 3)
    assert state.days[day(3)] is DayKind.MISSED


def test_seven_days_earn_a_freeze_that_covers_a_missed_day() -> None:
    state = logic.compute(hist([*range(7), 8]), day(8))
    assert state.current == 8
    assert state.frozen_days == (day(7),)
    assert state.freezes == 0


def test_at_most_two_freezes_are_held() -> None:
    state = logic.compute(hist(list(range(28))), day(27))
    assert state.freezes == 2


def test_three_missed_days_in_a_row_break_even_with_two_freezes() -> None:
    state = logic.compute(hist([*range(14), 17]), day(17))
    assert state.frozen_days == (day(14), day(15))
    assert state.days[day(16)] is DayKind.MISSED
    assert state.current == 1 and state.best == 14


def test_weekend_rest_days_do_not_break_and_the_week_is_five_days() -> None:
    weekdays = [n for n in range(18) if day(n).weekday() < 5]  # to Thursday of week three
    state = logic.compute(hist(weekdays, rest=[RestRule(day(0), logic.WEEKENDS_MASK)]), day(17))
    assert state.current == len(weekdays) == 14
    assert (state.week_done, state.week_target) == (4, 5)
    assert state.days[day(5)] is DayKind.REST


def test_a_check_in_on_a_rest_day_counts() -> None:
    state = logic.compute(hist([4, 5, 6], rest=[RestRule(day(0), logic.WEEKENDS_MASK)]), day(6))
    assert state.current == 3
    assert (state.week_done, state.week_target) == (3, 5)


def test_rest_day_changes_apply_from_their_date_only() -> None:
    rules = [RestRule(day(0), logic.WEEKENDS_MASK), RestRule(day(10), 0)]
    state = logic.compute(hist([0, 1, 2, 3, 4, 7, 8, 9, 10], rest=rules), day(10))
    assert state.current == 9  # the first weekend stays a rest weekend


def test_a_pause_keeps_the_streak_and_ends_by_itself() -> None:
    pause = logic.pause_window(day(3), 14)
    assert pause.end == day(16)
    state = logic.compute(hist([0, 1, 2, 17], pauses=[pause]), day(17))
    assert state.current == 4
    state = logic.compute(hist([0, 1, 2, 17], pauses=[pause]), day(19))
    assert state.days[day(18)] is DayKind.MISSED  # the pause is over: normal rules again
    assert state.current == 0


def test_pause_length_is_one_to_fourteen_days() -> None:
    with pytest.raises(ValueError):
        logic.pause_window(day(0), 15)
    with pytest.raises(ValueError):
        logic.pause_window(day(0), 0)


def test_backfilling_yesterday_gives_the_freeze_back() -> None:
    before = logic.compute(hist([*range(7), 8]), day(8))
    after = logic.compute(hist([*range(9)]), day(8))
    assert (before.current, before.freezes) == (8, 0)
    assert (after.current, after.freezes) == (9, 1)


def test_milestones_are_found_even_when_a_backfill_jumps_past_one() -> None:
    assert logic.milestones_crossed(2, 3) == (3,)
    assert logic.milestones_crossed(5, 8) == (7,)
    assert logic.milestones_crossed(3, 3) == ()
    assert logic.next_milestone(7) == 14 and logic.next_milestone(365) is None


def test_count_validation() -> None:
    assert logic.validate_count("applications", 0) == 0
    assert logic.validate_count("applications", 100) == 100
    for bad in (-1, 101):
        with pytest.raises(logic.CheckinError) as caught:
            logic.validate_count("skills", bad)
        assert caught.value.field == "skills"
    assert logic.parse_count("networking", " ") is None
    with pytest.raises(logic.CheckinError):
        logic.parse_count("networking", "three")
    with pytest.raises(logic.CheckinError):
        logic.clean_note("x" * 501)
    assert logic.clean_note("  ") is None


def test_activity_levels() -> None:
    assert [logic.activity_level(v) for v in (None, 0, 1, 3, 10)] == [0, 1, 2, 3, 4]


# -- time zones: DST and the date line --------------------------------------------------------


def test_kiritimati_day_starts_fourteen_hours_before_utc() -> None:
    # UTC+14: 09:59 UTC on 2 March is 23:59 on 2 March there; 10:00 UTC is already 3 March.
    zone = "Pacific/Kiritimati"
    assert logic.local_date(datetime(2026, 3, 2, 9, 59, tzinfo=UTC), zone) == date(2026, 3, 2)
    assert logic.local_date(datetime(2026, 3, 2, 10, 0, tzinfo=UTC), zone) == date(2026, 3, 3)


def test_pago_pago_today_lasts_until_eleven_utc_next_day() -> None:
    # UTC-11: at 10:30 UTC on 3 March it is still 23:30 on 2 March, so 2 March is still "today".
    zone = "Pacific/Pago_Pago"
    now = datetime(2026, 3, 3, 10, 30, tzinfo=UTC)
    history = History(checkins={date(2026, 3, 1): 1})
    today = logic.effective_today(now, zone, date(2026, 3, 1))
    assert today == date(2026, 3, 2)
    state = logic.compute(history, today)
    assert state.current == 1 and state.days[today] is DayKind.PENDING


def test_the_date_line_jump_east_loses_nothing() -> None:
    # Pago Pago (UTC-11) to Kiritimati (UTC+14) is a 25-hour jump: 2 March 23:30 becomes 4 March.
    changed = datetime(2026, 3, 3, 10, 30, tzinfo=UTC)
    jumped = logic.travel_days(changed, "Pacific/Pago_Pago", "Pacific/Kiritimati")
    assert jumped == {date(2026, 3, 2), date(2026, 3, 3)}
    history = History(checkins={date(2026, 3, 1): 1, date(2026, 3, 4): 1}, travel=jumped)
    state = logic.compute(history, date(2026, 3, 4))
    assert state.current == 2 and state.days[date(2026, 3, 2)] is DayKind.TRAVEL


def test_the_date_line_jump_west_never_offers_a_day_twice() -> None:
    # Checked in on 4 March in Kiritimati, then moved to Pago Pago where it is 2 March again.
    changed = datetime(2026, 3, 3, 11, 0, tzinfo=UTC)
    assert logic.travel_days(changed, "Pacific/Kiritimati", "Pacific/Pago_Pago") == frozenset()
    today = logic.effective_today(changed, "Pacific/Pago_Pago", date(2026, 3, 4))
    assert today == date(2026, 3, 4)  # the check-in they already made is still today's


@pytest.mark.parametrize(
    ("local", "expected"),
    [
        # New York springs forward on 8 March 2026 and falls back on 1 November 2026.
        (datetime(2026, 3, 8, 23, 30), date(2026, 3, 8)),
        (datetime(2026, 3, 9, 0, 30), date(2026, 3, 9)),
        (datetime(2026, 11, 1, 23, 59), date(2026, 11, 1)),
        (datetime(2026, 11, 2, 0, 1), date(2026, 11, 2)),
    ],
)
def test_dst_days_keep_their_local_dates(local: datetime, expected: date) -> None:
    zone = logic.ZoneInfo("America/New_York")
    instant = local.replace(tzinfo=zone).astimezone(UTC)
    assert logic.local_date(instant, "America/New_York") == expected


def test_a_dst_week_in_new_york_is_an_unbroken_streak() -> None:
    zone = logic.ZoneInfo("America/New_York")
    # Check in at 23:30 local every evening around both changes: every date counts once.
    for start in (date(2026, 3, 5), date(2026, 10, 29)):
        dates = []
        for n in range(7):
            local = datetime.combine(start + timedelta(days=n), datetime.min.time()).replace(
                hour=23, minute=30, tzinfo=zone
            )
            dates.append(logic.local_date(local.astimezone(UTC), zone))
        assert dates == [start + timedelta(days=n) for n in range(7)]
        state = logic.compute(History(checkins=dict.fromkeys(dates, 1)), dates[-1])
        assert state.current == 7


# -- reference model and properties -----------------------------------------------------------


def reference(h: History, today: date) -> tuple[int, int, int, int]:
    """The rules as plainly as they can be written: runs of counted days, a freeze bank."""
    checked = sorted(h.checkins)
    if not checked:
        return 0, 0, 0, 0
    today = max(today, checked[-1])

    def rest(d: date) -> bool:
        rules = [r for r in h.rest if r.effective_from <= d]
        if not rules:
            return False
        latest = max(rules, key=lambda r: r.effective_from)
        return d.weekday() in [i for i in range(7) if latest.mask & (1 << i)]

    def neutral(d: date) -> bool:
        return any(p.start <= d <= p.end for p in h.pauses) or d in h.travel or rest(d)

    runs: list[list[date]] = [[]]
    bank = 0
    d = checked[0]
    while d <= today:
        if d in h.checkins:
            runs[-1].append(d)
            if len(runs[-1]) % 7 == 0:
                bank = min(2, bank + 1)
        elif d != today and not neutral(d):
            if runs[-1] and bank:
                bank -= 1
            elif runs[-1]:
                runs.append([])
        d += timedelta(days=1)
    return len(runs[-1]), max(len(r) for r in runs), len(checked), bank


SPAN = 70


@st.composite
def histories(draw: st.DrawFn) -> tuple[History, date]:
    offsets = draw(st.sets(st.integers(0, SPAN - 1), max_size=SPAN))
    checkins = {day(n): draw(st.integers(0, 12)) for n in offsets}
    # One rule per date, as stored (a second change the same day replaces the first).
    rest = [
        RestRule(day(n), mask)
        for n, mask in draw(
            st.dictionaries(st.integers(0, SPAN), st.integers(0, 127), max_size=3)
        ).items()
    ]
    pauses = [
        logic.pause_window(day(n), length)
        for n, length in draw(
            st.lists(st.tuples(st.integers(0, SPAN), st.integers(1, 14)), max_size=3)
        )
    ]
    travel = frozenset(day(n) for n in draw(st.sets(st.integers(0, SPAN), max_size=4)))
    today = day(draw(st.integers(0, SPAN + 5)))
    return History(checkins, rest, pauses, travel), today


@settings(max_examples=250, deadline=None)
@given(histories())
def test_matches_the_reference_model(case: tuple[History, date]) -> None:
    h, today = case
    state = logic.compute(h, today)
    assert (state.current, state.best, state.total, state.freezes) == reference(h, today)


@settings(max_examples=200, deadline=None)
@given(histories())
def test_invariants(case: tuple[History, date]) -> None:
    h, today = case
    state = logic.compute(h, today)
    assert 0 <= state.current <= state.best <= state.total == len(h.checkins)
    assert 0 <= state.freezes <= logic.MAX_FREEZES
    assert len(state.frozen_days) <= state.total // logic.FREEZE_EVERY
    assert state.days.get(state.today, DayKind.PENDING) in (DayKind.PENDING, DayKind.CHECKED)
    assert 0 <= state.week_done <= state.week_target <= 7
    assert not any(kind is DayKind.FROZEN for d, kind in state.days.items() if d in h.checkins)


@settings(max_examples=200, deadline=None)
@given(histories(), st.integers(0, SPAN - 1))
def test_a_check_in_never_lowers_the_streak(case: tuple[History, date], extra: int) -> None:
    h, today = case
    if day(extra) > today:
        return
    more = History({**h.checkins, day(extra): 1}, h.rest, h.pauses, h.travel)
    before, after = logic.compute(h, today), logic.compute(more, today)
    assert after.current >= before.current
    assert after.best >= before.best


@settings(max_examples=200, deadline=None)
@given(histories())
def test_checking_in_today_adds_exactly_one(case: tuple[History, date]) -> None:
    h, today = case
    if any(d >= today for d in h.checkins):
        return
    more = History({**h.checkins, today: 1}, h.rest, h.pauses, h.travel)
    assert logic.compute(more, today).current == logic.compute(h, today).current + 1


@settings(max_examples=150, deadline=None)
@given(histories(), st.integers(0, SPAN), st.integers(1, 14))
def test_a_pause_never_lowers_the_streak(
    case: tuple[History, date], start: int, length: int
) -> None:
    h, today = case
    paused = History(
        h.checkins, h.rest, [*h.pauses, logic.pause_window(day(start), length)], h.travel
    )
    assert logic.compute(paused, today).current >= logic.compute(h, today).current


# -- zone changes: a member who checks in every local day never loses one ---------------------

ZONES = (
    "UTC",
    "America/New_York",
    "America/Santiago",
    "Europe/Berlin",
    "Asia/Kolkata",
    "Asia/Kathmandu",
    "Australia/Lord_Howe",
    "Pacific/Kiritimati",
    "Pacific/Pago_Pago",
)


@settings(max_examples=120, deadline=None)
@given(
    st.sampled_from(ZONES),
    st.lists(st.tuples(st.integers(1, 60), st.sampled_from(ZONES)), max_size=6),
    st.integers(0, 364),
)
def test_zone_changes_never_lose_or_double_count_a_day(
    first_zone: str, moves: list[tuple[int, str]], start_day: int
) -> None:
    """Hourly, the member checks in if today has no check-in yet; now and then they move.
    Whatever the moves (DST, half-hour zones, the date line), no day is missed, every day they
    checked in counts once, and they never collect more days than real days went by (+2 for
    the widest offset gap)."""
    start = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(days=start_day)
    zone = first_zone
    checkins: dict[date, int] = {}
    travel: set[date] = set()
    moves_at = {}
    hour = 0
    for gap, new_zone in moves:
        hour += gap
        moves_at[hour] = new_zone
    end = hour + 72
    actions = 0
    for h in range(end + 1):
        now = start + timedelta(hours=h)
        if h in moves_at and moves_at[h] != zone:
            travel |= logic.travel_days(now, zone, moves_at[h])
            zone = moves_at[h]
        latest = max(checkins) if checkins else None
        today = logic.effective_today(now, zone, latest)
        if latest is not None:
            assert today >= latest  # dates handed out never go backwards
        if today not in checkins:
            checkins[today] = 1
            actions += 1
    history = History(checkins=checkins, travel=frozenset(travel))
    final = logic.effective_today(start + timedelta(hours=end), zone, max(checkins))
    state = logic.compute(history, final)
    assert DayKind.MISSED not in state.days.values()
    assert state.current == state.total == len(checkins) == actions
    assert state.total <= end // 24 + 3


def test_days_and_milestones_helpers() -> None:
    assert logic.describe_rest_mask(0) == "none"
    assert logic.describe_rest_mask(logic.WEEKENDS_MASK) == "weekends"
    assert logic.describe_rest_mask(0b1) == "Monday"
    assert logic.rest_mask_from_names(["Saturday", "Sunday"]) == logic.WEEKENDS_MASK
    assert logic.active_pause([Pause(day(1), day(3))], day(2)) == Pause(day(1), day(3))
    assert logic.active_pause([Pause(day(1), day(3))], day(4)) is None


def test_heatmap_grid_is_sixteen_weeks_ending_this_week() -> None:
    h = hist([0, 1, 2])
    state = logic.compute(h, day(2))
    grid = logic.heatmap_cells(state, h.checkins)
    assert len(grid) == 16 and all(len(column) == 7 for column in grid)
    assert grid[-1][0].day == day(0) and grid[-1][6].day == day(6)
    assert grid[-1][3].future and not grid[-1][2].future
    assert grid[-1][2].kind is DayKind.CHECKED and grid[-1][2].level == 2


def test_a_pause_resumed_the_day_it_began_still_covers_that_day() -> None:
    pause = logic.pause_window(day(7), 3)
    resumed = logic.resumed_pause(pause, day(7))
    assert resumed == Pause(day(7), day(7), resumed=True)
    assert logic.active_pause([resumed], day(7)) is None  # over, so a new pause may start
    h = History(checkins={day(n): 1 for n in range(7)} | {day(8): 1}, pauses=[resumed])
    state = logic.compute(h, day(8))
    assert state.days[day(7)] is DayKind.PAUSED
    assert state.current == 8 and state.freezes == 1
