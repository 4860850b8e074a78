"""Rebound: a Discord bot that helps career-support communities get up again after a rejection."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("rebound")
except PackageNotFoundError:  # running from a checkout that was never installed
    __version__ = "0.0.0+local"
