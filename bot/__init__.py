"""Rebound: a Discord bot that helps career-support communities get up again after a rejection."""

from importlib.metadata import PackageNotFoundError, version

from bot.timekeeping.zone_data import use_packaged_zone_data

try:
    __version__ = version("rebound")
except PackageNotFoundError:  # running from a checkout that was never installed
    __version__ = "0.0.0+local"

# Before any module reads a zone: names and rules from the pinned tzdata package, never the
# operating system's zone files (bot/timekeeping/zone_data.py says why).
use_packaged_zone_data()
