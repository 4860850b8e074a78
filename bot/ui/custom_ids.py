"""custom_ids of buttons, selects and modals: "<feature>:<action>:<opaque id>".

Each feature declares one prefix (in its feature.py), so a click is never routed to another
feature's handler after a restart. Never put a member id (or anything else personal) in a
custom_id: Discord shows it to every client that renders the message.
"""

from __future__ import annotations

from collections.abc import Mapping

from bot.features import Prefixes

__all__ = ["FEATURE_PREFIXES", "MAX_CUSTOM_ID", "custom_id"]

# prefix -> what it is for, as the features declare it (bot/features.py); a live view, so a
# feature is known however late it is discovered.
FEATURE_PREFIXES: Mapping[str, str] = Prefixes()
MAX_CUSTOM_ID = 100


def custom_id(prefix: str, action: str, opaque: str | int = "") -> str:
    """Build a custom_id, checking the prefix is registered and the length fits Discord's 100."""
    if prefix not in FEATURE_PREFIXES:
        raise ValueError(f"unknown custom_id prefix {prefix!r}; declare it in the feature.py")
    if not action or ":" in action:
        raise ValueError("a custom_id action is one non-empty word without ':'")
    value = f"{prefix}:{action}:{opaque}"
    if len(value) > MAX_CUSTOM_ID:
        raise ValueError(f"custom_id is {len(value)} characters; Discord allows {MAX_CUSTOM_ID}")
    return value
