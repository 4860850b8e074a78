"""Pure rules of /setup: which permission is missing where, in words, and how values read."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import time

# Discord's own names for the permissions Rebound may need in a channel.
PERMISSION_NAMES: dict[str, str] = {
    "view_channel": "View Channel",
    "send_messages": "Send Messages",
    "embed_links": "Embed Links",
    "attach_files": "Attach Files",
    "read_message_history": "Read Message History",
    "create_public_threads": "Create Public Threads",
    "create_private_threads": "Create Private Threads",
    "send_messages_in_threads": "Send Messages in Threads",
    "manage_threads": "Manage Threads",
    "add_reactions": "Add Reactions",
}


def missing_permissions(granted: Mapping[str, bool], needed: Sequence[str]) -> list[str]:
    """Discord's names of the needed permissions not granted, in the order they are needed."""
    return [
        PERMISSION_NAMES.get(p, p.replace("_", " ").title()) for p in needed if not granted.get(p)
    ]


def join_words(words: Sequence[str]) -> str:
    """'A', 'A and B', 'A, B and C'."""
    if not words:
        return ""
    if len(words) == 1:
        return words[0]
    return ", ".join(words[:-1]) + " and " + words[-1]


def missing_sentence(where: str, missing: Sequence[str]) -> str:
    """'In #stories I’m missing Create Public Threads and Embed Links.'"""
    return f"In {where} I’m missing {join_words(missing)}."


def format_time(value: time | None) -> str | None:
    return None if value is None else value.strftime("%H:%M")
