"""The least permissions Rebound asks for when invited, and why each is needed."""

from __future__ import annotations

import base64
import binascii
from urllib.parse import urlencode

import discord

# (discord.Permissions flag, why Rebound needs it) — shown by `python -m bot invite`.
REQUIRED: tuple[tuple[str, str], ...] = (
    ("view_channel", "see the channels you choose for affirmations and stories"),
    ("send_messages", "post the morning affirmation and anonymous stories"),
    (
        "send_messages_in_threads",
        "post encouragement and the author's anonymous replies in story threads",
    ),
    ("create_public_threads", "open a peer-encouragement thread under every story"),
    ("embed_links", "affirmations and stories are posted as tidy embeds"),
    ("attach_files", "streak summaries come as a small image"),
    (
        "read_message_history",
        "find and update its own earlier posts (for example a story's thread)",
    ),
)
SCOPES = ("bot", "applications.commands")


def required_permissions() -> discord.Permissions:
    return discord.Permissions(**{name: True for name, _ in REQUIRED})


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


def invite_url(client_id: int | str) -> str:
    query = urlencode(
        {
            "client_id": str(client_id),
            "scope": " ".join(SCOPES),
            "permissions": str(required_permissions().value),
            "integration_type": "0",
        }
    )
    return f"https://discord.com/oauth2/authorize?{query}"
