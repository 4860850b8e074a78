"""Text as a person sees it: the one normaliser for duplicate checks, and visible length.

Pure: no Discord, no database. Length limits for what members type count what a person sees
(a flag or a family emoji is one character; a zero-width space is none).
"""

from __future__ import annotations

import unicodedata

__all__ = ["has_visible_content", "normalize_text", "visible_length"]

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
