"""The least permissions Rebound asks for when invited, and why each is needed."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Collection
from urllib.parse import urlencode

import discord

from bot.features import among

# Discord's permission flags in the order the invite explains them; which ones are asked for,
# and why, each feature declares (bot/features.py): the invite asks only for what the features in
# this build use, and `python -m bot invite` says why.
FLAG_ORDER = (
    "view_channel",
    "send_messages",
    "embed_links",
    "send_messages_in_threads",
    "create_public_threads",
    "create_private_threads",
    "manage_threads",
    "attach_files",
    "read_message_history",
)
SCOPES = ("bot", "applications.commands")


def needed(features: Collection[str]) -> list[tuple[str, str]]:
    """(flag, reason) for every permission a feature in ``features`` uses: the reason the first
    of them (in listing order) gives, flags in `FLAG_ORDER`."""
    reasons: dict[str, str] = {}
    for feature in among(features):
        for permission in feature.permissions:
            reasons.setdefault(permission.flag, permission.why)
    rank = {flag: i for i, flag in enumerate(FLAG_ORDER)}
    return sorted(reasons.items(), key=lambda item: rank.get(item[0], len(rank)))


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
