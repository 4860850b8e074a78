"""Feature packages; each is a discord.py extension loaded by the Bot."""

# Importing the core first pins the time-zone data (bot/timekeeping/zone_data.py), so even a
# feature module that builds ZoneInfo without importing bot reads the same rules as the core.
import bot  # noqa: F401
