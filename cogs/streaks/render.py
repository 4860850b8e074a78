"""Words for streak numbers: check-in replies, /streak show, the leaderboard. No I/O."""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date

from bot.i18n import plural
from cogs.streaks import logic
from cogs.streaks import messages as m
from cogs.streaks.repository import Counts
from cogs.streaks.service import CheckinOutcome, LeaderboardEntry, Snapshot


def day_label(day: date) -> str:
    return f"{day:%A} {day.day} {day:%B}"


def streak_line(snap: Snapshot) -> str:
    state = snap.state
    if state.current == 1:
        return m.STREAK_START
    return m.STREAK_LINE.format(
        days=plural(state.current, *m.DAYS),
        week_done=state.week_done,
        week_target=state.week_target,
    )


def counts_line(counts: Counts) -> str | None:
    parts = []
    if counts.applications is not None:
        parts.append(plural(counts.applications, *m.COUNT_APPLICATIONS))
    if counts.networking is not None:
        parts.append(m.COUNT_NETWORKING.format(n=counts.networking))
    if counts.skills is not None:
        parts.append(m.COUNT_SKILLS.format(n=counts.skills))
    return m.COUNTS_LINE.format(parts=", ".join(parts)) if parts else None


def freeze_line(days: Sequence[date]) -> str | None:
    if not days:
        return None
    names = m.AND.join(day_label(d) for d in days[-2:])
    return (m.FREEZE_USED_ONE if len(days) == 1 else m.FREEZE_USED_MANY).format(days=names)


def checkin_reply(outcome: CheckinOutcome, channel_mention: str | None, rng: random.Random) -> str:
    template = (
        m.BACKFILLED
        if outcome.backfilled
        else m.CHECKED_IN
        if outcome.created
        else m.CHECKED_IN_AGAIN
    )
    lines = [template.format(day=day_label(outcome.day), streak_line=streak_line(outcome.snapshot))]
    counted = counts_line(outcome.counts)
    if counted:
        lines.append(counted)
    frozen = freeze_line(outcome.freezes_used)
    if frozen:
        lines.append(frozen)
    if outcome.milestone is not None and channel_mention:
        lines.append(
            m.MILESTONE_ANNOUNCED.format(milestone=outcome.milestone, channel=channel_mention)
        )
    elif outcome.reached is not None:
        lines.append(m.MILESTONE_NOT_SHARED.format(milestone=outcome.reached))
    else:
        nxt = logic.next_milestone(outcome.snapshot.state.current)
        if nxt is not None and outcome.created:
            lines.append(m.NEXT_MILESTONE.format(milestone=nxt))
    lines.append(rng.choice(m.ENCOURAGE))
    return "\n".join(lines)


def show_title(snap: Snapshot) -> str:
    state = snap.state
    if state.current == 0:
        return m.SHOW_TITLE_ZERO.format(best=state.best)
    return m.SHOW_TITLE.format(current=state.current, best=state.best)


def show_subtitle(snap: Snapshot) -> str:
    state = snap.state
    return m.SHOW_SUBTITLE.format(
        week_done=state.week_done,
        week_target=state.week_target,
        days_in_all=plural(state.total, *m.DAYS_IN_ALL),
        freezes_held=plural(state.freezes, *m.FREEZES_HELD),
    )


def show_text(snap: Snapshot, zone_source: str) -> str:
    state = snap.state
    note = {"server": m.ZONE_FROM_SERVER, "default": m.ZONE_DEFAULT}.get(zone_source, "")
    return m.SHOW_TEXT.format(
        current_days=plural(state.current, *m.DAYS),
        best=state.best,
        total=state.total,
        week_done=state.week_done,
        week_target=state.week_target,
        freezes=state.freezes,
        rest=logic.describe_rest_mask(snap.history.rest_mask_on(state.today)),
        zone=snap.zone,
        zone_note=note,
    )


def shared_text(snap: Snapshot, member: str) -> str:
    state = snap.state
    return m.SHOW_TEXT_SHARED.format(
        member=member,
        current=state.current,
        best=state.best,
        days_in_all=plural(state.total, *m.DAYS_IN_ALL),
        week_done=state.week_done,
        week_target=state.week_target,
    )


def leaderboard_sections(entries: Sequence[LeaderboardEntry], limit: int = 10) -> tuple[str, str]:
    by_streak = sorted(entries, key=lambda e: (-e.current, -e.week_done, e.user_id))[:limit]
    by_week = sorted(entries, key=lambda e: (-e.week_done, -e.current, e.user_id))[:limit]
    streaks = "\n".join(
        m.LEADERBOARD_LINE.format(
            rank=i, member=f"<@{e.user_id}>", value=plural(e.current, *m.DAYS)
        )
        for i, e in enumerate(by_streak, start=1)
    )
    week = "\n".join(
        m.LEADERBOARD_LINE.format(
            rank=i,
            member=f"<@{e.user_id}>",
            value=m.WEEK_OF.format(done=e.week_done, target=e.week_target),
        )
        for i, e in enumerate(by_week, start=1)
    )
    return streaks, week
