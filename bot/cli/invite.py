"""`python -m bot invite`: the invite URL with the least permissions, and why each is asked."""

from __future__ import annotations

import sys

from bot.cli import EXIT_CONFIG
from bot.permissions import application_id_from_token, invite_url, needed
from bot.settings import Settings


def build_features() -> list[str]:
    """The feature packages in this build ("affirmations", …)."""
    from bot.app import feature_extensions

    return [name.removeprefix("cogs.") for name in feature_extensions()]


def print_invite(settings: Settings, client_id: str | None) -> int:
    if client_id is not None and not (client_id.isdigit() and 17 <= len(client_id) <= 20):
        print(
            f"--client-id must be the application id: 17 to 20 digits (got {client_id!r}). "
            "Find it on the application's General Information page.",
            file=sys.stderr,
        )
        return EXIT_CONFIG
    resolved: int | str | None = client_id or application_id_from_token(settings.discord_token)
    if resolved is None:
        print(
            "No application id yet (set DISCORD_TOKEN or pass --client-id, found on the "
            "application's General Information page). With CLIENT_ID filled in:"
        )
        resolved = "CLIENT_ID"
    features = build_features()
    print(invite_url(resolved, features))
    print(f"\nFeatures in this build: {', '.join(features)}.")
    print("Permissions it asks for, and why:")
    for name, reason in needed(features):
        print(f"  - {name.replace('_', ' ').title()}: {reason}")
    print("\nIt asks for no privileged intents and never needs Administrator.")
    return 0
