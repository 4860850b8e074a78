"""Weekly accountability, pure: when the prompt is due, goals and reviews, the summary text.

The prompt is a local wall time on one weekday in the member's zone (never a UTC time of day),
so daylight-saving changes do not move it. Each prompt is named by its local date (the
scheduler's occurrence label), which makes it happen once per week across restarts.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from bot.timekeeping import DaySet, LocalSchedule, next_occurrence

MAX_GOALS = 3
GOAL_MAX = 200
REFLECTION_MAX = 300
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
REVIEWS = ("done", "partly", "not_yet")


@dataclass(frozen=True, slots=True)
class WeeklyRule:
    weekday: int  # 0 = Monday
    local_time: time
    zone: str

    def to_rule(self) -> dict[str, object]:
        return {"weekday": self.weekday, "time": self.local_time.strftime("%H:%M"), "tz": self.zone}

    @classmethod
    def from_rule(cls, rule: dict[str, object] | object) -> WeeklyRule:
        assert isinstance(rule, dict)
        hours, minutes = str(rule["time"]).split(":")
        return cls(int(str(rule["weekday"])), time(int(hours), int(minutes)), str(rule["tz"]))


def next_prompt(rule: WeeklyRule, after: datetime) -> tuple[datetime, str]:
    """The first prompt strictly after ``after``: (UTC instant, its local date as a label)."""
    schedule = LocalSchedule.build(rule.local_time, rule.zone, DaySet.of([rule.weekday]))
    occurrence = next_occurrence(schedule, after)
    return occurrence.due_at, occurrence.label


# A review looks back only at the prompt just before (a week ago, or less after a change of
# day): goals from two weeks ago, after a skipped week, are not "last week's".
LAST_WEEK_WITHIN = timedelta(days=13)
# A week's prompt serves until the next one comes; if none came (the bot was away past its
# grace of a day), it has passed a day after the next one was due.
WEEK_LASTS = timedelta(days=8)


def last_week_since(week_of: date) -> date:
    """The earliest prompt date that is still "last week" for the week of ``week_of``."""
    return week_of - LAST_WEEK_WITHIN


def week_has_passed(week_of: date, today: date, *, newer_prompt: bool) -> bool:
    """Whether the week that began with the prompt of ``week_of`` is over on ``today`` (the
    member's local date): a newer prompt came, or it is long past when one should have."""
    return newer_prompt or today >= week_of + WEEK_LASTS


def clean_goals(texts: Sequence[str | None]) -> list[str]:
    """Up to three goals, blanks dropped, whitespace tidied; at least one."""
    goals = [" ".join(t.split()) for t in texts if t and t.strip()]
    if not goals:
        raise ValueError("at least one goal")
    if len(goals) > MAX_GOALS:
        raise ValueError("at most three goals")
    for goal in goals:
        if len(goal) > GOAL_MAX:
            raise ValueError("a goal is too long")
    return goals


def clean_reflection(text: str | None) -> str | None:
    if text is None or not text.strip():
        return None
    cleaned = " ".join(text.split())
    if len(cleaned) > REFLECTION_MAX:
        raise ValueError("reflection too long")
    return cleaned


@dataclass(frozen=True, slots=True)
class Goal:
    position: int
    text: str
    review: str | None


@dataclass(frozen=True, slots=True)
class SummaryWords:
    """The words a summary uses (from messages.py: logic stays free of wording)."""

    last_week: str
    this_week: str
    reviews: Mapping[str, str]


def summary_lines(
    goals: Sequence[Goal],
    previous: Sequence[Goal],
    reflection: str | None,
    words: SummaryWords,
) -> list[str]:
    """The body of a summary: last week's review (if any), then this week's goals."""
    lines: list[str] = []
    if previous and any(g.review for g in previous):
        lines.append(words.last_week)
        lines.extend(
            f"• {g.text} — {words.reviews[g.review]}" for g in previous if g.review is not None
        )
        if reflection:
            lines.append(f"> {reflection}")
    if goals:
        lines.append(words.this_week)
        lines.extend(f"{g.position}. {g.text}" for g in goals)
    return lines
