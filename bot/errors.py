"""The one error type for "tell the member": it carries one friendly sentence for them.

Raised anywhere: by a parser in pure logic (no Discord import here, so logic may use it), by a
service or a handler. The command tree, views and modals show the sentence privately
(bot/tree.py) and nothing in the store has changed: handlers validate before writing.
`bot.inputs.InvalidInput` is the same class under its older name.
"""

from __future__ import annotations

__all__ = ["UserFacingError"]


class UserFacingError(ValueError):
    """Bad input or a refusal; ``message`` (and ``str(error)``) is one sentence for the member.

    A ValueError, so a parser's callers may catch bad input as they catch any bad value."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
