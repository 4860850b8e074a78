"""Pure rules of peer encouragement: thread names, kind-word checks, me-too toggling, when an
author's digest may go out, and which week a roundup covers.

Nothing here touches Discord, the database or the clock: every "now" is passed in, and every
instant going in or out is timezone-aware (the ones we return are UTC).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Final, Literal
from zoneinfo import ZoneInfo

from bot import text as text_rules
from bot.inputs import InvalidInput
from cogs.encouragement import messages as m

__all__ = ["InvalidInput"]  # re-exported: the one bad-input type, from the core


# The core's rules for member text (bot/text.py), the same as a story's. Tests may hand in others.
Sanitise = Callable[..., text_rules.Sanitised]
Neutralise = Callable[[str], tuple[str, int]]

# Discord's limits and ours.
THREAD_NAME_LIMIT = 100
# One week: the longest auto-archive Discord offers (minutes).
AUTO_ARCHIVE_MINUTES: Final[Literal[10080]] = 10080
ENCOURAGEMENT_LIMIT = 1000
REPLY_LIMIT = 1000
# A display name shown as a signature; Discord's own limit is 32, nicknames included.
SIGNATURE_LIMIT = 32

# Digest pacing: gather for a little while after the first kind word, then at most hourly.
DIGEST_GATHER = timedelta(minutes=10)
DIGEST_MIN_GAP = timedelta(hours=1)
# Digest excerpts: how many and how long.
DIGEST_EXCERPTS = 5
DIGEST_EXCERPT_LENGTH = 200

# The roundup goes out on Mondays at this local hour, about the week that just ended.
ROUNDUP_WEEKDAY = 0
ROUNDUP_HOUR = 9


def _require_aware(instant: datetime, what: str) -> None:
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError(f"{what} must be a timezone-aware datetime")


# --------------------------------------------------------------------------------------------
# Text
# --------------------------------------------------------------------------------------------

_CONTROL = {"Cc", "Cf", "Co", "Cs"}
# What a kind word may take in a post after mentions are neutralised (they grow a little):
# under Discord's 2,000 characters with the "Encouragement from <name>" line.
POST_BODY_LIMIT = 1800


def _strip_controls(text: str) -> str:
    return "".join(
        ch for ch in text if ch in "\n\t" or unicodedata.category(ch) not in _CONTROL
    ).replace("\t", " ")


def clean_message(
    text: str,
    *,
    limit: int,
    what: str,
    links_allowed: bool,
    sanitise: Sanitise = text_rules.sanitise,
) -> str:
    """A member's kind words, ready to post with the core's sanitiser (a story's rules):
    trimmed, within `limit`, no invite links (nor other links unless the server allows them in
    stories), mention syntax visible but inert, at most one blank line in a row. Raises
    InvalidInput."""
    cleaned = _strip_controls(unicodedata.normalize("NFC", text)).strip()
    cleaned = re.sub(r"\n{3,}", "\n\n", cleaned)
    if not cleaned:
        raise InvalidInput(m.TEXT_EMPTY.format(what=what))
    if len(cleaned) > limit:
        raise InvalidInput(m.TEXT_TOO_LONG.format(what=what, length=len(cleaned), limit=limit))
    safe = sanitise(cleaned, limit=POST_BODY_LIMIT, links_allowed=links_allowed)
    if safe.invites_removed:
        raise InvalidInput(m.TEXT_INVITE.format(what=what))
    if safe.links_removed:
        raise InvalidInput(m.TEXT_LINK.format(what=what))
    return safe.text


def signature(
    display_name: str | None, neutralise: Neutralise = text_rules.neutralise_mentions
) -> str:
    """How a kind word is signed: the member's display name, or "a member" when anonymous.
    The name is shown as plain text: no markdown, no mention syntax, no line breaks."""
    if display_name is None:
        return "a member"
    name = shorten(" ".join(_strip_controls(display_name).split()), SIGNATURE_LIMIT)
    name, _ = neutralise(name)
    return discord_escape(name) or "a member"


def shorten(text: str, limit: int) -> str:
    """`text` within `limit` characters: whole when it fits, else cut at the last word boundary
    (mid-word only when one word is most of it) and ended with "…"."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,.;:") + "…"


def discord_escape(text: str) -> str:
    """Markdown characters shown as themselves."""
    return re.sub(r"([\\*_~`|>\[\]()#-])", r"\\\1", text)


def excerpt(text: str, limit: int = DIGEST_EXCERPT_LENGTH) -> str:
    """A one-paragraph preview that ends on a word."""
    return shorten(" ".join(text.split()), limit)


def thread_name(label: str, stage: str | None) -> str:
    """ "Story #42 · Onsite" — what the thread is about, never who wrote it; 1–100 characters."""
    label = " ".join(label.split()) or "A story"
    stage = " ".join((stage or "").split())
    name = f"{label} · {stage}" if stage else label
    if len(name) > THREAD_NAME_LIMIT:
        name = name[: THREAD_NAME_LIMIT - 1].rstrip() + "…"
    return name


# --------------------------------------------------------------------------------------------
# How often one member may encourage
# --------------------------------------------------------------------------------------------

# At most this many kind words per member on one story, and across all stories, per window.
# Moderators are exempt from the overall limit only (they may welcome many stories in an
# hour); on one story they count like everyone, so no thread can be flooded.
PER_STORY_LIMIT = 3
PER_MEMBER_LIMIT = 20
THROTTLE_WINDOW = timedelta(hours=1)


@dataclass(frozen=True, slots=True)
class Throttled:
    """The member reached a limit: which one, and when they may post again (UTC)."""

    scope: Literal["story", "overall"]
    until: datetime


def _next_free(now: datetime, times: list[datetime], limit: int) -> datetime | None:
    recent = sorted(t for t in times if t > now - THROTTLE_WINDOW)
    if len(recent) < limit:
        return None
    # Free again when enough of the window's kind words have aged out of it.
    return (recent[len(recent) - limit] + THROTTLE_WINDOW).astimezone(UTC)


def throttle(
    now: datetime,
    on_story: list[datetime],
    everywhere: list[datetime],
    *,
    moderator: bool,
) -> Throttled | None:
    """Whether one more kind word is allowed now, given when the member sent the ones before
    (on this story, and on every story of the server); None when it is."""
    _require_aware(now, "now")
    until = _next_free(now, on_story, PER_STORY_LIMIT)
    if until is not None:
        return Throttled("story", until)
    if not moderator:
        until = _next_free(now, everywhere, PER_MEMBER_LIMIT)
        if until is not None:
            return Throttled("overall", until)
    return None


def copyable(text: str) -> str:
    """A member's own text in a code block they can copy from (no fence inside can close it)."""
    return "```\n" + text.replace("```", "`\u200b`\u200b`") + "\n```"


# --------------------------------------------------------------------------------------------
# Me too
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MeTooChange:
    """The result of one click: whether the member now counts, and the new total."""

    added: bool
    count: int


def toggle_me_too(already_counted: bool, count_before: int) -> MeTooChange:
    """One click adds the member; the next click takes them off again. Never below zero."""
    if already_counted:
        return MeTooChange(added=False, count=max(0, count_before - 1))
    return MeTooChange(added=True, count=count_before + 1)


# --------------------------------------------------------------------------------------------
# Author digests
# --------------------------------------------------------------------------------------------


def digest_due_at(now: datetime, last_sent_at: datetime | None) -> datetime:
    """When the next digest may go out after a new kind word at `now`: a short gathering
    window, and never sooner than an hour after the previous digest for the same story."""
    _require_aware(now, "now")
    due = now + DIGEST_GATHER
    if last_sent_at is not None:
        _require_aware(last_sent_at, "last_sent_at")
        due = max(due, last_sent_at + DIGEST_MIN_GAP)
    return due.astimezone(UTC)


def digest_allowed(now: datetime, last_sent_at: datetime | None) -> bool:
    """At most one digest per story per hour, whatever scheduled it."""
    return last_sent_at is None or now - last_sent_at >= DIGEST_MIN_GAP


def digest_label(due_at: datetime) -> str:
    """The occurrence label of one digest: its due minute in UTC. Digests of one story are an
    hour apart, so labels never repeat."""
    return due_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%MZ")


# --------------------------------------------------------------------------------------------
# The weekly roundup
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RoundupOccurrence:
    """One roundup: when it goes out (UTC) and the ISO week it is about ("2026-W10")."""

    due_at: datetime
    week: str


@dataclass(frozen=True, slots=True)
class RoundupCounts:
    stories: int
    encouragements: int
    me_toos: int
    # Members who shared a comeback (an update on their story), from the stories feature.
    comebacks: int = 0

    @property
    def empty(self) -> bool:
        return (
            self.stories == 0
            and self.encouragements == 0
            and self.me_toos == 0
            and self.comebacks == 0
        )


def week_label(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def week_window(week: str, zone: ZoneInfo | str) -> tuple[datetime, datetime]:
    """The UTC instants [start, end) of an ISO week ("2026-W10") in the server's zone:
    Monday 00:00 local to the next Monday 00:00 local."""
    tz = ZoneInfo(zone) if isinstance(zone, str) else zone
    year, number = week.split("-W")
    monday = date.fromisocalendar(int(year), int(number), 1)
    start = datetime.combine(monday, time(0), tz)
    end = datetime.combine(monday + timedelta(days=7), time(0), tz)
    return start.astimezone(UTC), end.astimezone(UTC)


def next_roundup(after: datetime, zone: ZoneInfo | str) -> RoundupOccurrence:
    """The first roundup strictly after `after`: Monday 09:00 local, about the week before."""
    _require_aware(after, "after")
    tz = ZoneInfo(zone) if isinstance(zone, str) else zone
    local = after.astimezone(tz)
    monday = local.date() - timedelta(days=(local.weekday() - ROUNDUP_WEEKDAY) % 7)
    for weeks in range(3):
        day = monday + timedelta(weeks=weeks)
        # 09:00 exists every day in every zone (DST moves happen at night); fold=0 is fine.
        due = datetime.combine(day, time(ROUNDUP_HOUR), tz)
        if due > after:
            return RoundupOccurrence(due.astimezone(UTC), week_label(day - timedelta(days=7)))
    raise AssertionError("a Monday 09:00 always comes within three weeks")
