"""Every sentence /about shows a member."""

from __future__ import annotations

TITLE = "About Rebound"
# What each feature package in the build adds; /about names only the features installed.
FEATURE_BLURBS = {
    "affirmations": "a morning affirmation (and one by DM if you like)",
    "stories": "anonymous rejection stories",
    "encouragement": "peer encouragement threads",
    "streaks": "accountability streaks",
    "accountability": "weekly accountability check-ins",
}
DESCRIPTION = "Rebound helps this community get up again after a job rejection: {features}."
SUMMARY = "Rebound {version} · up {uptime} · latency {latency} · {servers} server{plural}"
PRIVACY_LINES = {
    "affirmations": (
        "• **Affirmation settings:** the channel, time, time zone and days a server chose; your "
        "own time and zone if you turn on affirmation DMs."
    ),
    "stories": (
        "• **Stories:** the text you share, posted without your name. Who wrote it is kept only "
        "as a keyed pseudonym — moderators can't read it back to you. Only if you ask for DMs "
        "about a story is your id also kept, encrypted, so the bot can message you."
    ),
    "encouragement": (
        "• **Encouragement:** your kind words and “me too”s under a keyed pseudonym, never your "
        "id; a word's text only until the author's digest has carried it."
    ),
    "streaks": (
        "• **Check-ins:** the dates, counts and notes you log, your streak choices (rest days, "
        "pauses, celebrations, leaderboard) and the /timezone you set, so days end at your "
        "midnight."
    ),
    "accountability": (
        "• **Weekly check-ins:** your day and time, and the goals, reviews and reflections you "
        "write."
    ),
}
# Said exactly (README, "What the key unlocks"): shown when stories or encouragement are installed.
KEY_FEATURES = ("stories", "encouragement")
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
