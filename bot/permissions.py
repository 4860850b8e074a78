"""The least permissions Rebound asks for when invited, and why each is needed."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Collection
from urllib.parse import urlencode

import discord

# (discord.Permissions flag, why Rebound needs it, the feature packages that need it) — the
# invite asks only for what the features in this build use, and `python -m bot invite` says why.
REQUIRED: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    (
        "view_channel",
        "see the channels you choose for its posts",
        ("affirmations", "stories", "encouragement", "streaks", "accountability"),
    ),
    (
        "send_messages",
        "post the morning affirmation (and the other features' posts)",
        ("affirmations", "stories", "encouragement", "streaks", "accountability"),
    ),
    (
        "embed_links",
        "posts are tidy embeds",
        ("affirmations", "stories", "encouragement", "streaks", "accountability"),
    ),
    (
        "send_messages_in_threads",
        "post encouragement and the author's anonymous replies in story threads",
        ("stories", "encouragement", "accountability"),
    ),
    (
        "create_public_threads",
        "open a peer-encouragement thread under every story",
        ("stories", "encouragement"),
    ),
    (
        "create_private_threads",
        "a weekly check-in in a private thread for a member whose DMs are closed",
        ("accountability",),
    ),
    ("attach_files", "streak summaries come as a small image", ("streaks",)),
    (
        "read_message_history",
        "find and update its own earlier posts (for example a story's thread)",
        ("stories", "encouragement"),
    ),
)
SCOPES = ("bot", "applications.commands")


def needed(features: Collection[str]) -> list[tuple[str, str]]:
    """(flag, reason) for every permission a feature in ``features`` uses."""
    return [(name, why) for name, why, users in REQUIRED if set(users) & set(features)]


def required_permissions(features: Collection[str]) -> discord.Permissions:
    return discord.Permissions(**{name: True for name, _ in needed(features)})


def application_id_from_token(token: str | None) -> int | None:
    """A bot token's first segment is the base64 of the bot's (and application's) id."""
    if not token or "." not in token:
        return None
    head = token.split(".", 1)[0]
    try:
        decoded = base64.b64decode(head + "=" * (-len(head) % 4), validate=False).decode("ascii")
    except (binascii.Error, UnicodeDecodeError):
        return None
    return int(decoded) if decoded.isdigit() else None


def invite_url(client_id: int | str, features: Collection[str]) -> str:
    query = urlencode(
        {
            "client_id": str(client_id),
            "scope": " ".join(SCOPES),
            "permissions": str(required_permissions(features).value),
            "integration_type": "0",
        }
    )
    return f"https://discord.com/oauth2/authorize?{query}"
