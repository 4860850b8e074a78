"""Weekly accountability rules without Discord: when prompts are due, goals, summaries."""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest

from cogs.accountability import logic
from cogs.accountability.logic import Goal, WeeklyRule


def test_the_prompt_keeps_its_local_time_across_dst() -> None:
    rule = WeeklyRule(0, time(9, 0), "Europe/Berlin")  # Mondays 09:00
    before = logic.next_prompt(rule, datetime(2026, 3, 20, tzinfo=UTC))
    after = logic.next_prompt(rule, datetime(2026, 3, 27, tzinfo=UTC))  # clocks change 29 March
    assert before == (datetime(2026, 3, 23, 8, 0, tzinfo=UTC), "2026-03-23")
    assert after == (datetime(2026, 3, 30, 7, 0, tzinfo=UTC), "2026-03-30")


def test_the_prompt_on_the_date_line() -> None:
    rule = WeeklyRule(6, time(20, 0), "Pacific/Kiritimati")  # Sundays 20:00 at UTC+14
    assert logic.next_prompt(rule, datetime(2026, 3, 1, tzinfo=UTC)) == (
        datetime(2026, 3, 1, 6, 0, tzinfo=UTC),
        "2026-03-01",
    )
    rule = WeeklyRule(6, time(20, 0), "Pacific/Pago_Pago")  # Sundays 20:00 at UTC-11
    assert logic.next_prompt(rule, datetime(2026, 3, 1, tzinfo=UTC)) == (
        datetime(2026, 3, 2, 7, 0, tzinfo=UTC),
        "2026-03-01",
    )


def test_a_rule_round_trips_through_the_scheduler_json() -> None:
    rule = WeeklyRule(3, time(18, 30), "America/New_York")
    assert WeeklyRule.from_rule(rule.to_rule()) == rule


def test_goals_are_tidied_and_limited() -> None:
    assert logic.clean_goals(["  Apply   to 5 ", "", None]) == ["Apply to 5"]
    with pytest.raises(ValueError):
        logic.clean_goals(["", "  "])
    with pytest.raises(ValueError):
        logic.clean_goals(["x" * 201])
    with pytest.raises(ValueError):
        logic.clean_goals(["a", "b", "c", "d"])


def test_summary_has_last_weeks_review_then_this_weeks_goals() -> None:
    lines = logic.summary_lines(
        [Goal(1, "Two interviews", None)],
        [Goal(1, "Apply to 5", "done"), Goal(2, "Coffee chat", "not_yet")],
        "Mornings work",
        logic.SummaryWords(
            "**Last week**", "**This week**", {"done": "Done ✅", "not_yet": "Not yet 🌱"}
        ),
    )
    assert lines == [
        "**Last week**",
        "• Apply to 5 — Done ✅",
        "• Coffee chat — Not yet 🌱",
        "> Mornings work",
        "**This week**",
        "1. Two interviews",
    ]


def test_the_invite_asks_for_what_the_thread_fallback_needs() -> None:
    from bot.permissions import needed

    asked = dict(needed(["accountability"]))
    assert {"create_private_threads", "send_messages_in_threads", "send_messages"} <= set(asked)


def test_a_week_passes_when_the_next_prompt_comes_or_a_day_after_it_should_have() -> None:
    from datetime import date

    monday = date(2026, 3, 2)
    assert not logic.week_has_passed(monday, date(2026, 3, 9), newer_prompt=False)
    assert logic.week_has_passed(monday, date(2026, 3, 9), newer_prompt=True)
    assert logic.week_has_passed(monday, date(2026, 3, 10), newer_prompt=False)
    assert logic.last_week_since(date(2026, 3, 16)) == date(2026, 3, 3)  # not 2 March
