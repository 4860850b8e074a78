"""Text as a person sees it: the one normaliser for duplicate checks, visible length, and the
one sanitiser for member text the bot shows in public.

Pure: no Discord, no database. Length limits for what members type count what a person sees
(a flag or a family emoji is one character; a zero-width space is none).

The sanitiser is the security boundary for what members type: whatever goes in, what comes out
is within the given limit, contains no active mention syntax and no bidirectional control
character (a right-to-left override makes "gnp.exe" read "exe.png" and can turn a post's words
around), and links collapse to one plain placeholder, masked or not (a property test feeds it
arbitrary text). Every feature that posts member text uses it (`sanitise`, or
`neutralise_mentions` for short labels such as a name).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

__all__ = [
    "ACTIVE_MENTION",
    "CHANNEL_PLACEHOLDER",
    "ELLIPSIS",
    "INVITE_REMOVED",
    "LINK_REMOVED",
    "ROLE_PLACEHOLDER",
    "URL_PATTERN",
    "USER_PLACEHOLDER",
    "ZERO_WIDTH_SPACE",
    "Sanitised",
    "close_spans",
    "has_visible_content",
    "neutralise_mentions",
    "normalize_text",
    "sanitise",
    "strip_bidi_controls",
    "trim",
    "visible_length",
]

_ZWJ = "\u200d"
# Letters that render as nothing (Hangul fillers, the blank Braille pattern): used to fake an
# empty-looking message, so they count as invisible even though Unicode calls them letters.
_BLANK_LOOKING = frozenset("\u115f\u1160\u3164\uffa0\u2800")


def _is_variation_selector(char: str) -> bool:
    code = ord(char)
    return 0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF


def normalize_text(text: str) -> str:
    """A comparison key that ignores case, punctuation, spacing and invisible characters.

    "You've got this!" and "youve   got THIS" give the same key; letters (accents kept: "é" is
    not "e"), digits and symbols such as emoji are kept.
    """
    folded = unicodedata.normalize("NFKC", text).casefold()
    return "".join(
        char
        for char in folded
        if not char.isspace()
        and char not in _BLANK_LOOKING
        and not _is_variation_selector(char)
        and not unicodedata.category(char).startswith(("P", "Z", "C"))
    )


def _is_visible(char: str) -> bool:
    if char in _BLANK_LOOKING or _is_variation_selector(char):
        return False
    return not unicodedata.category(char).startswith(("Z", "C", "M"))


def has_visible_content(text: str) -> bool:
    """Whether anything in ``text`` shows up on screen (not only spaces or zero-width marks)."""
    return any(_is_visible(char) for char in text)


def _extends_cluster(previous: str, char: str, regional_run: int) -> bool:
    code = ord(char)
    if previous == _ZWJ or char == _ZWJ:
        return True
    if unicodedata.category(char).startswith("M") or _is_variation_selector(char):
        return True
    if 0x1F3FB <= code <= 0x1F3FF or 0xE0020 <= code <= 0xE007F:  # skin tones, flag tags
        return True
    # The second regional indicator of a pair completes a flag.
    return 0x1F1E6 <= code <= 0x1F1FF and regional_run % 2 == 1


def visible_length(text: str) -> int:
    """How many characters a person sees: grapheme clusters (approximately, without tables),
    not counting invisible ones. A space or a line break counts as one."""
    count = 0
    previous = ""
    regional_run = 0
    for char in text:
        if previous and _extends_cluster(previous, char, regional_run):
            pass
        elif char.isspace() or _is_visible(char):
            count += 1
        regional_run = regional_run + 1 if 0x1F1E6 <= ord(char) <= 0x1F1FF else 0
        previous = char
    return count


# -- the sanitiser for public member text -------------------------------------------------------

_INVITE = re.compile(
    r"(?:https?://)?(?:www\.)?"
    r"(?:discord(?:app)?\.com/invite|discord\.(?:gg|io|me|li)|dsc\.gg|invite\.gg)"
    r"/[\w-]+/?",
    re.IGNORECASE,
)
URL_PATTERN = re.compile(r"(?:https?://|www\.)[^\s<>()\[\]]+", re.IGNORECASE)
# A masked link `[label](url)` (optionally `(<url> "title")`) and a link in angle brackets
# `<url>` (Discord's way to post a link without a preview): each collapses to one placeholder,
# never `[label]([link removed])` or `<[link removed]>`.
_MASKED_LINK = re.compile(
    r"\[(?P<label>[^\[\]\n]{0,256})\]\(\s*<?(?P<url>(?:https?://|www\.)[^\s<>()]+)>?"
    r'(?:\s+"[^"\n]*")?\s*\)',
    re.IGNORECASE,
)
_ANGLE_LINK = re.compile(r"<\s*(?P<url>(?:https?://|www\.)[^\s<>]+)\s*>", re.IGNORECASE)
_USER_MENTION = re.compile(r"<@!?\d+>")
_ROLE_MENTION = re.compile(r"<@&\d+>")
_CHANNEL_MENTION = re.compile(r"<#\d+>")
_MASS_MENTION = re.compile(r"@(everyone|here)", re.IGNORECASE)
# Control characters other than newline and tab render as nothing and can hide text.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Bidirectional embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069): invisible,
# and they reorder the text around them ("right-to-left override").
_BIDI_CONTROL = re.compile("[\u202a-\u202e\u2066-\u2069]")

INVITE_REMOVED = "[invite link removed]"
LINK_REMOVED = "[link removed]"
USER_PLACEHOLDER = "@someone"
ROLE_PLACEHOLDER = "@some-role"
CHANNEL_PLACEHOLDER = "#some-channel"
ZERO_WIDTH_SPACE = "\u200b"
ELLIPSIS = "…"

# Anything that Discord turns into a mention or a ping, for the checks and the property test.
ACTIVE_MENTION = re.compile(r"<@[!&]?\d+>|<#\d+>|@everyone|@here", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Sanitised:
    text: str
    invites_removed: int = 0
    links_removed: int = 0
    mentions_neutralised: int = 0
    trimmed: bool = False


def strip_bidi_controls(text: str) -> str:
    """`text` without bidirectional control characters (they must not reach a public post)."""
    return _BIDI_CONTROL.sub("", text)


def neutralise_mentions(text: str) -> tuple[str, int]:
    """Make every mention inert but visible: ids become placeholders, @everyone/@here get a
    zero-width space after the @ (they read the same and ping nobody). Repeated until nothing
    changes, so no replacement can assemble a new mention out of the pieces around it.
    Bidirectional controls go too: whatever this returns may be shown in public."""
    text = strip_bidi_controls(text)
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


def _collapse_links(text: str, *, links_allowed: bool) -> tuple[str, int, int]:
    """Masked and angle-bracket links as one placeholder each (the label kept, as plain text):
    invites always, other links unless allowed. Returns (text, invites, links)."""
    invites = links = 0

    def placeholder(url: str) -> str | None:
        nonlocal invites, links
        if _INVITE.match(url):
            invites += 1
            return INVITE_REMOVED
        if not links_allowed:
            links += 1
            return LINK_REMOVED
        return None

    def masked(match: re.Match[str]) -> str:
        replacement = placeholder(match["url"])
        if replacement is None:
            return match.group()
        label = " ".join(match["label"].split())
        return f"{label} {replacement}" if label else replacement

    def angled(match: re.Match[str]) -> str:
        replacement = placeholder(match["url"])
        return match.group() if replacement is None else replacement

    text = _MASKED_LINK.sub(masked, text)
    text = _ANGLE_LINK.sub(angled, text)
    return text, invites, links


def sanitise(text: str, *, limit: int, links_allowed: bool) -> Sanitised:
    """What may be posted of `text`: invites removed, other links removed unless allowed,
    mentions neutralised, bidirectional controls removed, trimmed to `limit` without breaking
    a word or a markdown span."""
    cleaned = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    cleaned = strip_bidi_controls(cleaned).strip()
    cleaned, invites, links = _collapse_links(cleaned, links_allowed=links_allowed)
    cleaned, n = _INVITE.subn(INVITE_REMOVED, cleaned)
    invites += n
    if not links_allowed:
        cleaned, n = URL_PATTERN.subn(LINK_REMOVED, cleaned)
        links += n
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
