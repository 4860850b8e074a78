"""Everything /setup and /config show say, in one place."""

from __future__ import annotations

SETUP_DESCRIPTION = "Set Rebound up for this server, step by step (Manage Server)."
CONFIG_DESCRIPTION = "This server's Rebound settings at a glance (Manage Server)."
CONFIG_SHOW_DESCRIPTION = "Show every setting and any permission Rebound is missing."

TITLE = "Set up Rebound · step {step} of {steps}: {page}"
INTRO = (
    "Pick what you’d like below — each choice is saved right away, and I check I can work in "
    "every channel you choose. Run /setup again any time; it starts from what’s set."
)
NOT_SET = "not set"
SAVED = "✅ Saved: {what}."
NOT_SAVED = (
    "⚠️ Not saved. {why} Give me {perms} there (channel settings → Permissions), then pick it again."
)
CHECK_OK = "✅ I can work there."
BACK = "‹ Back"
NEXT = "Next ›"
DONE = "Done"
SEARCH_ZONES = "Search time zones…"
ZONE_PLACEHOLDER = "Time zone: {zone}"
ZONE_MODAL_TITLE = "Find your time zone"
ZONE_MODAL_LABEL = "A city or region, e.g. Berlin or New York"
ZONE_NO_MATCH = "⚠️ No time zone matches “{query}”. Try a big city near you."
# {count} is filled by bot.i18n.plural, then {{query}} (doubled so that first pass leaves it).
ZONE_FOUND_ONE = "Found {count} time zone for “{{query}}” — pick it from the list."
ZONE_FOUND_MANY = "Found {count} time zones for “{{query}}” — pick one from the list."
TIME_MODAL_TITLE = "Morning affirmation time"
TIME_MODAL_LABEL = "Local time, 24-hour HH:MM (e.g. 08:00)"
TOGGLE_LABEL = "{label}: {state}"
ON = "on"
OFF = "off"
CHANNEL_PLACEHOLDER = "{label} — pick a channel"
NOT_YOURS = "Setting Rebound up is for people who can manage this server."
DONE_NOTE = "All done. Here’s everything in one place — /config show brings it back any time."

CONFIG_TITLE = "Rebound settings for {server}"
CONFIG_FOOTER = (
    "Change these with /setup. If Rebound is removed from this server, its data is deleted "
    "after {days} days unless it comes back."
)
PROBLEMS = "⚠️ Needs attention"
DELETED_CHANNEL = "a channel that was deleted"
CHANNEL_GONE = (
    "The channel chosen for {label} no longer exists (it was deleted). "
    "Pick another one with /setup."
)
ALL_GOOD = "✅ I have every permission I need in the chosen channels."
SETTING_GONE = "That setting isn’t available any more — run /setup again to see what is."

# -- the server's own settings in /setup
# The notices channel shares its page with the accountability channel (cogs/streaks): pages are
# grouped by their title.
PAGE_NOTICES = "Accountability and notices"
PAGE_TIME_ZONE = "Time zone"
NOTICES_CHANNEL = "Notices channel (for admins)"
SERVER_ZONE = "Server time zone"
