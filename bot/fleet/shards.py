"""Pure shard arithmetic: parsing `--shards`, and which shard a server belongs to."""

from __future__ import annotations

#: A snowflake's shard is its top bits: ``(guild_id >> 22) % shard_count`` (Discord's rule).
#: ``guild_id / 4194304`` is the same shift in SQL that SQLite and PostgreSQL both accept.
SHARD_SHIFT = 22


class ShardSpecError(ValueError):
    """`--shards` or `--shard-count` is malformed; the message says what it should be."""


def parse_shards(text: str, shard_count: int) -> tuple[int, ...]:
    """``1``, ``0,2``, ``0-4`` or a mix (``0-2,5``) → the sorted shard ids, each below
    `shard_count`. Raises ShardSpecError with a sentence an operator can act on."""
    if shard_count < 1:
        raise ShardSpecError("--shard-count must be a whole number of at least 1.")
    ids: set[int] = set()
    for part in text.replace(" ", "").split(","):
        if not part:
            raise ShardSpecError(f"--shards has an empty item (got {text!r}); try 0,2 or 0-4.")
        low_text, dash, high_text = part.partition("-")
        if not low_text.isdigit() or (dash and not high_text.isdigit()):
            raise ShardSpecError(
                f"--shards takes shard ids: one (1), a list (0,2) or a range (0-4); got {text!r}."
            )
        low = int(low_text)
        high = int(high_text) if dash else low
        if high < low:
            raise ShardSpecError(f"--shards range {part} goes backwards; write {high}-{low}.")
        if high >= shard_count:
            raise ShardSpecError(
                f"--shards {part} is past the last shard: with --shard-count {shard_count} "
                f"the shards are 0 to {shard_count - 1}."
            )
        ids.update(range(low, high + 1))
    return tuple(sorted(ids))


def format_shards(shards: tuple[int, ...] | list[int]) -> str:
    """The shortest `--shards` text for `shards`: ``0-4``, ``0,2``, ``0-2,5``."""
    parts: list[str] = []
    ordered = sorted(shards)
    i = 0
    while i < len(ordered):
        j = i
        while j + 1 < len(ordered) and ordered[j + 1] == ordered[j] + 1:
            j += 1
        parts.append(str(ordered[i]) if i == j else f"{ordered[i]}-{ordered[j]}")
        i = j + 1
    return ",".join(parts)


def shard_of(guild_id: int, shard_count: int) -> int:
    return (guild_id >> SHARD_SHIFT) % shard_count
