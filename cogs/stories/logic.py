"""Pure rules for anonymous stories: sanitising, trimming, nudges, crisis words, labels, quotas.

Nothing here touches Discord, the database or the clock; every "now" is passed in. The
sanitiser is the security boundary for what members type: whatever goes in, what comes out is
within the given limit and contains no active mention syntax (a property test feeds it
arbitrary text).
"""

from __future__ import annotations

import random
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

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
ELLIPSIS = "…"

STATUSES = ("draft", "scheduled", "pending", "posted", "rejected", "removed", "failed")


# -- sanitising ---------------------------------------------------------------------------------

_INVITE = re.compile(
    r"(?:https?://)?(?:www\.)?"
    r"(?:discord(?:app)?\.com/invite|discord\.(?:gg|io|me|li)|dsc\.gg|invite\.gg)"
    r"/[\w-]+/?",
    re.IGNORECASE,
)
_URL = re.compile(r"(?:https?://|www\.)[^\s<>()\[\]]+", re.IGNORECASE)
_USER_MENTION = re.compile(r"<@!?\d+>")
_ROLE_MENTION = re.compile(r"<@&\d+>")
_CHANNEL_MENTION = re.compile(r"<#\d+>")
_MASS_MENTION = re.compile(r"@(everyone|here)", re.IGNORECASE)
# Control characters other than newline and tab render as nothing and can hide text.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

INVITE_REMOVED = "[invite link removed]"
LINK_REMOVED = "[link removed]"
USER_PLACEHOLDER = "@someone"
ROLE_PLACEHOLDER = "@some-role"
CHANNEL_PLACEHOLDER = "#some-channel"
ZERO_WIDTH_SPACE = "\u200b"

# Anything that Discord turns into a mention or a ping, for the checks and the property test.
ACTIVE_MENTION = re.compile(r"<@[!&]?\d+>|<#\d+>|@everyone|@here", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Sanitised:
    text: str
    invites_removed: int = 0
    links_removed: int = 0
    mentions_neutralised: int = 0
    trimmed: bool = False


def neutralise_mentions(text: str) -> tuple[str, int]:
    """Make every mention inert but visible: ids become placeholders, @everyone/@here get a
    zero-width space after the @ (they read the same and ping nobody). Repeated until nothing
    changes, so no replacement can assemble a new mention out of the pieces around it."""
    total = 0
    for _ in range(10):
        count = 0
        text, n = _USER_MENTION.subn(USER_PLACEHOLDER, text)
        count += n
        text, n = _ROLE_MENTION.subn(ROLE_PLACEHOLDER, text)
        count += n
        text, n = _CHANNEL_MENTION.subn(CHANNEL_PLACEHOLDER, text)
        count += n
        text, n = _MASS_MENTION.subn(lambda m: "@" + ZERO_WIDTH_SPACE + m.group(1), text)
        count += n
        total += count
        if count == 0:
            break
    return text, total


def sanitise(text: str, *, limit: int, links_allowed: bool) -> Sanitised:
    """What may be posted of `text`: invites removed, other links removed unless allowed,
    mentions neutralised, trimmed to `limit` without breaking a word or a markdown span."""
    cleaned = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n")).strip()
    cleaned, invites = _INVITE.subn(INVITE_REMOVED, cleaned)
    links = 0
    if not links_allowed:
        cleaned, links = _URL.subn(LINK_REMOVED, cleaned)
    cleaned, mentions = neutralise_mentions(cleaned)
    trimmed_text, trimmed = trim(cleaned, limit)
    return Sanitised(trimmed_text, invites, links, mentions, trimmed)


# -- trimming -----------------------------------------------------------------------------------

# Longest first: "```" must be considered before "`", "**" before "*".
_PAIRED_MARKERS = ("```", "||", "~~", "**", "__", "`", "*")


def _open_link_start(text: str) -> int | None:
    """Where a masked link `[label](url)` that the cut left unfinished begins, if any."""
    start = text.rfind("[")
    if start == -1:
        return None
    rest = text[start:]
    if "]" not in rest:
        return start
    if "](" in rest and ")" not in rest[rest.index("](") + 2 :]:
        return start
    return None


def close_spans(text: str) -> str:
    """Cut back to before any markdown span the text opens but does not close."""
    for _ in range(len(text) + 1):
        link = _open_link_start(text)
        if link is not None:
            text = text[:link].rstrip()
            continue
        for marker in _PAIRED_MARKERS:
            if text.count(marker) % 2:
                text = text[: text.rfind(marker)].rstrip()
                break
        else:
            return text
    return text


def trim(text: str, limit: int) -> tuple[str, bool]:
    """`text` if it fits, else the longest prefix ending at a word boundary, with no span left
    open, plus an ellipsis. A single word longer than the limit is cut (nothing else fits)."""
    if limit < len(ELLIPSIS) + 1:
        raise ValueError("the limit is too small to trim to")
    if len(text) <= limit:
        return text, False
    budget = limit - len(ELLIPSIS)
    cut = text[:budget]
    if not text[budget].isspace():
        boundary = max(cut.rfind(" "), cut.rfind("\n"), cut.rfind("\t"))
        if boundary > 0:
            cut = cut[:boundary]
    cut = close_spans(cut.rstrip())
    return cut + ELLIPSIS, True


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
    plain = _URL.sub(" ", re.sub(r"<(?:@[!&]?|#)\d+>", " ", text))
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


# -- crisis words -------------------------------------------------------------------------------


def _crisis_form(text: str) -> str:
    folded = _fold(text).replace("’", "'").replace("‘", "'")
    return " ".join(re.sub(r"[^\w']+", " ", folded).split())


def crisis_match(text: str, phrases: Iterable[str]) -> bool:
    """True if any phrase appears in the text as whole words (case, accents, punctuation and
    spacing ignored)."""
    haystack = f" {_crisis_form(text)} "
    for phrase in phrases:
        needle = _crisis_form(phrase)
        if needle and f" {needle} " in haystack:
            return True
    return False


def parse_phrase_list(raw: str) -> tuple[str, ...]:
    """A server's own crisis phrases from "phrase one, phrase two"; blanks dropped."""
    phrases = (" ".join(p.split()) for p in re.split(r"[,;\n]", raw))
    return tuple(dict.fromkeys(p for p in phrases if len(p) >= 2))


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
