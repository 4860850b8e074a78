"""Pure rules for anonymous stories: nudges, crisis words, labels, quotas, and what a story
needs to be posted.

Nothing here touches Discord, the database or the clock; every "now" is passed in. The
sanitiser for member text is the core's one (bot/text.py), re-exported here for the stories'
callers.
"""

from __future__ import annotations

import random
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.crisis import crisis_form as _crisis_form
from bot.crisis import crisis_match
from bot.text import (
    ACTIVE_MENTION,
    CHANNEL_PLACEHOLDER,
    ELLIPSIS,
    INVITE_REMOVED,
    LINK_REMOVED,
    ROLE_PLACEHOLDER,
    URL_PATTERN,
    USER_PLACEHOLDER,
    ZERO_WIDTH_SPACE,
    Sanitised,
    close_spans,
    neutralise_mentions,
    sanitise,
    trim,
)

# -- what a story is made of --------------------------------------------------------------------

# (key, label). The key is stored; the label is shown and matched against forum tags.
STAGES: tuple[tuple[str, str], ...] = (
    ("application", "Application"),
    ("phone_screen", "Phone screen"),
    ("technical", "Technical"),
    ("onsite", "Onsite"),
    ("final_round", "Final round"),
    ("offer_withdrawn", "Offer withdrawn"),
)
HELP_OPTIONS: tuple[tuple[str, str], ...] = (
    ("listening", "Just listening"),
    ("advice", "Advice welcome"),
    ("practice", "Interview practice"),
)
UNSPECIFIED_STAGE = "unspecified"
STAGE_LABELS = {**dict(STAGES), UNSPECIFIED_STAGE: "Not said"}
HELP_LABELS = dict(HELP_OPTIONS)

# A story holds up to 1,800 characters. The form lets up to Discord's 4,000 through, so that a
# longer paste reaches the bot and is handled kindly (shorten it, or post it ending at a natural
# break) instead of being refused by Discord with the text lost.
STORY_MAX_CHARS = 1800
STORY_FORM_MAX = 4000
TAKEAWAY_MAX_INPUT = 600
COMPANY_MAX_INPUT = 100
REASON_MAX_INPUT = 400
# What a post may hold after sanitising (neutralised mentions are longer than the syntax they
# replace). One embed: description <= 4096, a field value <= 1024, all text <= 6000.
STORY_POST_LIMIT = 4000
TAKEAWAY_POST_LIMIT = 1024
QUEUE_PREVIEW_LIMIT = 3000
STATUSES = ("draft", "scheduled", "pending", "posted", "rejected", "removed", "failed")


# -- sanitising: the core's one sanitiser for public member text (bot/text.py) ----------------

__all__ = [
    "ACTIVE_MENTION",
    "CHANNEL_PLACEHOLDER",
    "ELLIPSIS",
    "INVITE_REMOVED",
    "LINK_REMOVED",
    "ROLE_PLACEHOLDER",
    "USER_PLACEHOLDER",
    "ZERO_WIDTH_SPACE",
    "Sanitised",
    "close_spans",
    "crisis_match",
    "neutralise_mentions",
    "sanitise",
    "trim",
]

# -- what a story needs ---------------------------------------------------------------------

# A story needs some words of its own: this many letters once links, invites and mentions are
# left out ("[link removed]", "@someone" or "a" are not a story).
STORY_MIN_LETTERS = 10
_PLACEHOLDERS = re.compile(
    "|".join(
        re.escape(p)
        for p in (INVITE_REMOVED, LINK_REMOVED, USER_PLACEHOLDER, ROLE_PLACEHOLDER,
                  CHANNEL_PLACEHOLDER)
    )
    + r"|@\u200b(?:everyone|here)|<a?:\w+:\d+>"
)  # fmt: skip


def own_letters(body: str) -> int:
    """How many letters of the member's own a story has: what is left after cleaning (links,
    invites and mentions out, whatever the server allows), counted in letters (any script)."""
    cleaned = sanitise(body, limit=len(body) + 100, links_allowed=False).text
    return sum(ch.isalpha() for ch in _PLACEHOLDERS.sub(" ", cleaned))


# -- what could identify the author --------------------------------------------------------------

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE = re.compile(r"(?<![\w+])\+?\(?\d[\d\s().-]{6,}\d(?!\w)")
_MONTHS = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_FULL_DATES = (
    re.compile(r"\b\d{4}-\d{1,2}-\d{1,2}\b"),
    re.compile(r"\b\d{1,2}[/.]\d{1,2}[/.](?:\d{4}|\d{2})\b"),
    re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MONTHS},?\s+\d{{4}}\b", re.IGNORECASE),
    re.compile(rf"\b{_MONTHS}\s+{_DAY},?\s+\d{{4}}\b", re.IGNORECASE),
)
NUDGE_KINDS = ("company", "email", "phone", "date")
TOO_LONG = "length"  # the nudge for a story over STORY_MAX_CHARS
TOO_SHORT = "words"  # a story with too few words of its own: kept to edit, never posted


def parse_watch_terms(raw: str | None) -> tuple[str, ...]:
    """The names a member asked us to watch for ("Acme, Globex"), at least two characters."""
    if not raw:
        return ()
    terms = (" ".join(part.split()) for part in re.split(r"[,;\n]", raw))
    return tuple(dict.fromkeys(t for t in terms if len(t) >= 2))


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def _is_year(digits: str) -> bool:
    return len(digits) == 4 and digits[:2] in ("19", "20")


def identifying_details(text: str, watch_terms: Iterable[str] = ()) -> tuple[str, ...]:
    """Which kinds of identifying detail `text` contains, in NUDGE_KINDS order."""
    found: set[str] = set()
    folded = _fold(text)
    for term in watch_terms:
        if re.search(rf"(?<!\w){re.escape(_fold(term))}(?!\w)", folded):
            found.add("company")
            break
    # Mention syntax and links carry long numbers that are neither phones nor dates.
    plain = URL_PATTERN.sub(" ", re.sub(r"<(?:@[!&]?|#)\d+>", " ", text))
    without_emails = _EMAIL.sub(" ", plain)
    if without_emails != plain:
        found.add("email")
    without_dates = without_emails
    for pattern in _FULL_DATES:
        without_dates, n = pattern.subn(" ", without_dates)
        if n:
            found.add("date")
    for match in _PHONE.finditer(without_dates):
        groups = re.findall(r"\d+", match.group())
        if sum(len(g) for g in groups) < 8 or all(_is_year(g) for g in groups):
            continue  # too short for a phone number, or a list of years ("2023 2024")
        found.add("phone")
        break
    return tuple(kind for kind in NUDGE_KINDS if kind in found)


# -- crisis words (the rule is the core's: bot/crisis.py) ----------------------------------------


def parse_phrase_list(raw: str) -> tuple[str, ...]:
    """A server's own crisis phrases from "phrase one, phrase two"; blanks dropped."""
    phrases = (" ".join(p.split()) for p in re.split(r"[,;\n]", raw))
    return tuple(dict.fromkeys(p for p in phrases if len(p) >= 2))


def shortened_list(items: Sequence[str], limit: int, and_more: str) -> str:
    """ "a, b, c" within about `limit` characters; what does not fit is counted ("and 3 more")."""
    shown: list[str] = []
    used = 0
    for item in items:
        if used + len(item) + 2 > limit:
            break
        shown.append(item)
        used += len(item) + 2
    rest = len(items) - len(shown)
    text = ", ".join(shown)
    if rest:
        text = f"{text}, {and_more.format(count=rest)}" if shown else and_more.format(count=rest)
    return text


# -- labels -------------------------------------------------------------------------------------

_TAG_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base32: no I, L, O, U


def story_label(number: int) -> str:
    return f"Story #{number}"


def anon_tag(pseudonym: str) -> str:
    """The short form moderators see ("Anon 7F3K"): 20 bits of the keyed pseudonym. Only ever a
    label; blocks use the full pseudonym, since short forms can collide."""
    value = int(pseudonym[:5], 16)
    chars = "".join(_TAG_ALPHABET[(value >> shift) & 31] for shift in (15, 10, 5, 0))
    return f"Anon {chars}"


def normalise_anon_tag(raw: str) -> str | None:
    """ "anon 7f3k", "7F3K", "Anon-7F3K" -> "Anon 7F3K"; None if it cannot be one."""
    text = re.sub(r"[\s_-]+", "", raw.strip().upper())
    text = text.removeprefix("ANON")
    if len(text) != 4 or any(ch not in _TAG_ALPHABET for ch in text):
        return None
    return f"Anon {text}"


def stage_label(stage: str) -> str:
    return STAGE_LABELS.get(stage, STAGE_LABELS[UNSPECIFIED_STAGE])


def thread_title(number: int, stage: str) -> str:
    """A forum post's title: label and stage (well under Discord's 100 characters)."""
    if stage not in STAGE_LABELS or stage == UNSPECIFIED_STAGE:
        return story_label(number)
    return f"{story_label(number)} · {STAGE_LABELS[stage]}"


def match_forum_tag(stage: str, tags: Sequence[tuple[int, str]]) -> int | None:
    """The id of the forum tag named like the stage (key or label, loosely), if there is one."""
    wanted = {_crisis_form(stage.replace("_", " ")), _crisis_form(STAGE_LABELS.get(stage, ""))}
    for tag_id, name in tags:
        if _crisis_form(name) in wanted:
            return tag_id
    return None


# -- pacing members -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Limits:
    cooldown: timedelta
    daily: int


@dataclass(frozen=True, slots=True)
class QuotaRefusal:
    reason: str  # "cooldown" or "daily"
    retry_at: datetime


def quota_refusal(
    now: datetime, recent_submissions: Sequence[datetime], limits: Limits
) -> QuotaRefusal | None:
    """Why a member may not share again yet, or None. `recent_submissions` are their
    submissions in this server (any order); the day is the last 24 hours."""
    day_ago = now - timedelta(days=1)
    today = sorted(t for t in recent_submissions if t > day_ago)
    if today and limits.cooldown > timedelta(0) and now - today[-1] < limits.cooldown:
        return QuotaRefusal("cooldown", today[-1] + limits.cooldown)
    if len(today) >= limits.daily:
        return QuotaRefusal("daily", today[len(today) - limits.daily] + timedelta(days=1))
    return None


def posting_delay(rng: random.Random, max_seconds: int) -> timedelta:
    """A random delay in [0, max_seconds] seconds, so that the moment a story appears cannot
    be matched to who was typing."""
    return timedelta(seconds=rng.randint(0, max(0, max_seconds)))
