"""Pure domain logic for daily affirmations: deck rotation and the server's own texts.

Nothing here touches Discord, the database or the clock. Time rules (parsing, zones, day sets,
recurrence) are the core's: :mod:`bot.timekeeping`.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import orjson

from bot.inputs import InvalidInput
from bot.text import has_visible_content, normalize_text, visible_length

__all__ = [
    "MAX_CUSTOM_LENGTH",
    "MIN_CUSTOM_LENGTH",
    "Deck",
    "InvalidInput",
    "arrange",
    "draw",
    "is_duplicate",
    "normalize_for_duplicate_check",
    "one_line",
    "validate_custom_text",
]


# --------------------------------------------------------------------------------------------
# Deck rotation
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Deck:
    """A per-server shuffle bag over affirmation ids.

    ``remaining`` is the rest of the current cycle in draw order, ``drawn`` holds the ids
    already shown in this cycle and ``last_drawn`` the most recent id (kept across cycles so
    a new cycle never opens with the item that closed the previous one).
    """

    remaining: tuple[str, ...] = ()
    last_drawn: str | None = None
    drawn: frozenset[str] = frozenset()

    @classmethod
    def empty(cls) -> Deck:
        return cls()

    def to_json(self) -> str:
        """Compact, stable JSON for storage (``drawn`` is sorted)."""
        # orjson: every post of a morning rewrites its server's deck (a few hundred ids).
        data = {
            "drawn": sorted(self.drawn),
            "last": self.last_drawn,
            "remaining": list(self.remaining),
            "v": 1,
        }
        return orjson.dumps(data, option=orjson.OPT_SORT_KEYS).decode("utf-8")

    @classmethod
    def from_json(cls, text: str) -> Deck:
        """Inverse of :meth:`to_json`; raises ValueError if the text is not a stored deck."""
        try:
            data = orjson.loads(text)
        except orjson.JSONDecodeError as error:
            raise ValueError("stored deck is not valid JSON") from error
        if not isinstance(data, dict) or data.get("v") != 1:
            raise ValueError("stored deck has an unknown format")
        remaining = data.get("remaining", [])
        drawn = data.get("drawn", [])
        last = data.get("last")
        if not (
            isinstance(remaining, list)
            and all(isinstance(item, str) for item in remaining)
            and isinstance(drawn, list)
            and all(isinstance(item, str) for item in drawn)
            and (last is None or isinstance(last, str))
        ):
            raise ValueError("stored deck has fields of the wrong type")
        return cls(remaining=tuple(remaining), last_drawn=last, drawn=frozenset(drawn))


def _new_cycle(pool: Sequence[str], avoid_first: str | None, rng: random.Random) -> list[str]:
    order = list(pool)
    rng.shuffle(order)
    if len(order) >= 2 and order[0] == avoid_first:
        # Swapping with a uniformly chosen other slot keeps the result uniform over all
        # orders that do not start with ``avoid_first``.
        swap = rng.randrange(1, len(order))
        order[0], order[swap] = order[swap], order[0]
    return order


def arrange(deck: Deck, pool: Sequence[str], rng: random.Random) -> Deck:
    """The deck made ready for its next draw, nothing consumed: ``remaining[0]`` is the next id.

    * Ids in ``remaining`` that left ``pool`` are dropped.
    * Ids in ``pool`` that are neither drawn this cycle nor waiting (newly added) are inserted
      at random places in ``remaining``, so they appear before this cycle ends.
    * When the cycle is used up, a new one is a shuffle of the whole pool that does not start
      with the previous draw (when the pool has two or more ids).

    Arranging an arranged deck changes nothing (for the same pool), so a preview that stores
    the arranged deck shows exactly what the next post will draw. Raises ValueError for an
    empty pool.
    """
    unique_pool = sorted(set(pool))
    if not unique_pool:
        raise ValueError("cannot draw from an empty pool")
    in_pool = set(unique_pool)

    remaining: list[str] = []
    waiting: set[str] = set()
    for item in deck.remaining:
        if item in in_pool and item not in deck.drawn and item not in waiting:
            remaining.append(item)
            waiting.add(item)
    for item in unique_pool:
        if item not in deck.drawn and item not in waiting:
            remaining.insert(rng.randint(0, len(remaining)), item)

    drawn = deck.drawn
    if not remaining:
        remaining = _new_cycle(unique_pool, deck.last_drawn, rng)
        drawn = frozenset()
    return Deck(remaining=tuple(remaining), last_drawn=deck.last_drawn, drawn=drawn)


def draw(deck: Deck, pool: Sequence[str], rng: random.Random) -> tuple[str, Deck]:
    """Draw the next id (see :func:`arrange`) and return it with the updated deck.

    Within a cycle nothing repeats. The result depends only on the deck, the *set* of pool
    ids and the rng state.
    """
    ready = arrange(deck, pool, rng)
    item = ready.remaining[0]
    return item, Deck(remaining=ready.remaining[1:], last_drawn=item, drawn=ready.drawn | {item})


# --------------------------------------------------------------------------------------------
# Custom affirmation text
# --------------------------------------------------------------------------------------------

MIN_CUSTOM_LENGTH = 10
MAX_CUSTOM_LENGTH = 300
# Line breaks are kept (a short verse reads better on its lines), but never more than this many.
MAX_LINES = 6

_MASS_MENTION = re.compile(r"@(?:everyone|here)\b", re.IGNORECASE)
_DISCORD_MENTION = re.compile(r"<(?:@[!&]?|#)\d+>")


def _clean(text: str) -> str:
    """Trim, collapse spaces inside each line, keep single line breaks, drop blank lines."""
    lines = [" ".join(line.split()) for line in text.replace("\r\n", "\n").split("\n")]
    return "\n".join(line for line in lines if has_visible_content(line))


def validate_custom_text(text: str) -> str:
    """Clean a member's affirmation and check it: 10–300 characters as a person sees them, at
    most six lines, something visible, no @everyone/@here and no user, role or channel mentions.

    Returns the cleaned text; raises :class:`InvalidInput` with a friendly sentence.
    """
    cleaned = _clean(text)
    if not has_visible_content(cleaned):
        raise InvalidInput(
            "That one came through empty — an affirmation can be a short sentence, "
            "like “I am more than one rejection.”"
        )
    if _MASS_MENTION.search(cleaned) or _DISCORD_MENTION.search(cleaned):
        raise InvalidInput(
            "Affirmations are posted for the whole server, so they can't ping everyone or "
            "mention people, roles or channels — try it without, like “You belong here.”"
        )
    if cleaned.count("\n") >= MAX_LINES:
        raise InvalidInput(
            f"That one has {cleaned.count(chr(10)) + 1} lines — affirmations can have up to "
            f"{MAX_LINES}, so it still fits on a phone screen."
        )
    length = visible_length(cleaned)
    if length < MIN_CUSTOM_LENGTH:
        noun = "character" if length == 1 else "characters"
        raise InvalidInput(
            f"That one is {length} {noun} — affirmations need at least {MIN_CUSTOM_LENGTH}, "
            "so there's room to say a little more, like “I am still growing.”"
        )
    if length > MAX_CUSTOM_LENGTH:
        raise InvalidInput(
            f"That one is {length} characters — affirmations can be up to {MAX_CUSTOM_LENGTH}, "
            "so there's room to trim a little."
        )
    return cleaned


def one_line(text: str) -> str:
    """A stored affirmation on one line (for lists and autocomplete): line breaks become " / "."""
    return " / ".join(text.split("\n"))


def normalize_for_duplicate_check(text: str) -> str:
    """The duplicate-check key: the core's one normaliser (:func:`bot.text.normalize_text`)."""
    return normalize_text(text)


def is_duplicate(text: str, existing: Iterable[str]) -> bool:
    """Whether ``text`` matches any of ``existing`` once both are normalized."""
    key = normalize_text(text)
    return any(normalize_text(other) == key for other in existing)
