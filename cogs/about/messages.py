"""Every sentence /about shows a member."""

from __future__ import annotations

TITLE = "About Rebound"
DESCRIPTION = "Rebound helps this community get up again after a job rejection: {features}."
# When no installed feature says what it adds.
NO_FEATURES = "a calm place to start again"
SUMMARY = "Rebound {version} · up {uptime} · latency {latency} · {servers} server{plural}"
# Said exactly (README, "What the key unlocks"): shown when a feature that keeps keyed
# pseudonyms (stories, encouragement) is installed.
KEY_LINES = (
    "Whoever runs Rebound and holds both its database and its secret key could work out who "
    "wrote a story, an encouragement or a “me too” (by trying member ids), and read the id of "
    "authors who asked for DMs about a story. The database alone shows neither, only which "
    "stories share an author. Rebound keeps the key apart from the database and out of its "
    "backups."
)
PRIVACY_NEVER = (
    "• **Never:** message content you didn't send to Rebound, your member list, or your presence. "
    "Logs carry no names or story text."
)

FIELD_VERSION = "Version"
FIELD_UPTIME = "Up for"
FIELD_LATENCY = "Latency"
FIELD_SERVERS = "Servers"
FIELD_ZONE_DATA = "Time-zone data"
FIELD_PRIVACY = "What Rebound stores, and why"
FIELD_KEY = "What the bot's operator could learn"
