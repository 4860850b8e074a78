"""Turning an outcome into words where it takes more than one line: the status and the current
settings. Pure formatting over messages.py; no Discord calls."""

from __future__ import annotations

from bot.scheduling import Occurrence
from bot.timekeeping import format_time
from bot.ui import discord_timestamp
from cogs.affirmations import messages as say
from cogs.affirmations.repository import GuildSchedule
from cogs.affirmations.service import Today


def next_stamps(occurrence: Occurrence) -> dict[str, str]:
    return {
        "next_full": discord_timestamp(occurrence.due_at, "F"),
        "next_rel": discord_timestamp(occurrence.due_at, "R"),
    }


def current_settings_text(schedule: GuildSchedule, *, setup: str) -> str:
    role_id = schedule.role_id
    return say.SETUP_CURRENT.format(
        channel=f"<#{schedule.channel_id}>",
        time=format_time(schedule.local_time),
        zone=schedule.timezone,
        days=schedule.days.describe(),
        role=say.SETUP_ROLE_PART.format(role=f"<@&{role_id}>") if role_id else "",
        setup=setup,
    )


def status_text(
    schedule: GuildSchedule,
    nxt: Occurrence | None,
    today: Today,
    custom_count: int,
    *,
    resume: str,
) -> str:
    """`/affirmations status`. ``nxt`` is the scheduler's stored next run: the instant that
    really posts."""
    lines = [
        say.STATUS_TITLE,
        say.STATUS_CHANNEL.format(channel=f"<#{schedule.channel_id}>"),
        say.STATUS_TIME.format(
            time=format_time(schedule.local_time),
            zone=schedule.timezone,
            days=schedule.days.describe(),
        ),
    ]
    if schedule.role_id:
        lines.append(say.STATUS_ROLE.format(role=f"<@&{schedule.role_id}>"))
    if schedule.paused:
        reason = say.PAUSE_REASONS.get(schedule.pause_reason or "", "paused")
        at = schedule.paused_at
        since = f" (since {discord_timestamp(at)})" if at else ""
        lines.append(say.STATUS_PAUSED.format(reason=reason[:1].upper() + reason[1:], since=since))
        lines.append(say.STATUS_NEXT_PAUSED.format(resume=resume))
    else:
        lines.append(say.STATUS_RUNNING)
        if nxt is not None:
            lines.append(say.STATUS_NEXT.format(**next_stamps(nxt)))
    if today.state == "posted" and today.posted_at is not None:
        lines.append(say.STATUS_POSTED.format(at=discord_timestamp(today.posted_at, "t")))
    elif today.state == "sending":
        lines.append(say.STATUS_SENDING)
    else:
        lines.append(say.STATUS_NOT_POSTED)
    lines.append(say.STATUS_CUSTOM.format(count=custom_count))
    return "\n".join(lines)
