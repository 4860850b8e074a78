"""custom_ids of buttons, selects and modals: "<feature>:<action>:<opaque id>".

Each feature owns one prefix, so a click is never routed to another feature's handler after a
restart. Never put a member id (or anything else personal) in a custom_id: Discord shows it to
every client that renders the message.
"""

from __future__ import annotations

__all__ = ["FEATURE_PREFIXES", "MAX_CUSTOM_ID", "custom_id"]

# prefix -> what it is for. Adding a feature adds a line here.
FEATURE_PREFIXES: dict[str, str] = {
    "aff": "daily affirmations",
    "story": "anonymous stories",
    "enc": "encouragement threads",
    "streak": "streaks and weekly check-ins",
    "acct": "a member's own account and data",
    "setup": "server setup",
    "privacy": "privacy requests",
    "help": "help pages",
}
MAX_CUSTOM_ID = 100


def custom_id(prefix: str, action: str, opaque: str | int = "") -> str:
    """Build a custom_id, checking the prefix is registered and the length fits Discord's 100."""
    if prefix not in FEATURE_PREFIXES:
        raise ValueError(f"unknown custom_id prefix {prefix!r}; add it to FEATURE_PREFIXES")
    if not action or ":" in action:
        raise ValueError("a custom_id action is one non-empty word without ':'")
    value = f"{prefix}:{action}:{opaque}"
    if len(value) > MAX_CUSTOM_ID:
        raise ValueError(f"custom_id is {len(value)} characters; Discord allows {MAX_CUSTOM_ID}")
    return value
