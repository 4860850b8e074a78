"""Bad input from a member, and how their words are echoed back. Pure: no Discord, no database.

A parser anywhere (core or feature logic) raises :class:`InvalidInput` with one friendly sentence;
the command tree shows that sentence privately and nothing changes. It is the core's one
"tell the member" error (bot/errors.py) under the name parsers use.
"""

from __future__ import annotations

__all__ = ["InvalidInput", "quote"]


from bot.errors import UserFacingError

#: Bad input from a member; ``str(error)`` is one friendly sentence meant for them.
InvalidInput = UserFacingError


def quote(value: str, limit: int = 40) -> str:
    """Echo a member's input back inside curly quotes, shortened if it is long."""
    cleaned = " ".join(value.split())
    if len(cleaned) > limit:
        cleaned = cleaned[: limit - 1].rstrip() + "…"
    return f"“{cleaned}”"
