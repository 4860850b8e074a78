"""Pure rules of the comeback (a story's update): its kinds, its limits and what it needs.

Nothing here touches Discord, the database or the clock.
"""

from __future__ import annotations

import re

from bot.text import has_visible_content
from cogs.stories.logic import identifying_details, own_letters

# (key, label, how the card says it). The key is stored; the label is shown in the form.
KINDS: tuple[tuple[str, str, str], ...] = (
    ("offer", "I got an offer", "they got an offer"),
    ("second_interview", "I got a second interview", "they got a second interview"),
    ("new_direction", "I found a new direction", "they found a new direction"),
    ("doing_better", "I'm just doing better", "they're doing better"),
)
KIND_LABELS = {key: label for key, label, _ in KINDS}
KIND_CARDS = {key: card for key, _, card in KINDS}
DEFAULT_KIND = "doing_better"

# An update is short: Discord's form refuses more (max_length), so nothing typed is lost to it.
UPDATE_MAX_CHARS = 1000
# What the thread's post may hold after sanitising (neutralised mentions grow): one embed's
# description takes 4096.
UPDATE_POST_LIMIT = 1500
# A few words of the member's own ("ok" or a link alone is not an update).
UPDATE_MIN_LETTERS = 5
CARD_CHOICES = ("yes", "no")

EMPTY = "empty"
TOO_SHORT = "words"
TOO_LONG = "length"  # only a form Discord never checked (the form itself stops at the limit)


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def cleaned(text: str) -> str:
    """What a member typed, as typed, without control characters: nobody sees them, and
    PostgreSQL's TEXT refuses a NUL (the same form must be stored on either store)."""
    return _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n")).strip()


def kind_of(raw: str | None) -> str:
    """The kind chosen in the form; an unknown one (a forged form) is "doing better"."""
    return raw if raw in KIND_LABELS else DEFAULT_KIND


def refusal(body: str) -> str | None:
    """Why an update cannot be taken as typed (EMPTY, TOO_SHORT, TOO_LONG), or None."""
    if not has_visible_content(body):
        return EMPTY
    if own_letters(body) < UPDATE_MIN_LETTERS:
        return TOO_SHORT
    if len(body) > UPDATE_MAX_CHARS:
        return TOO_LONG
    return None


def nudges(body: str) -> tuple[str, ...]:
    """The identifying details found in an update (as for a story: email, phone, date)."""
    return identifying_details(body)
