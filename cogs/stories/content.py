"""The schema of data/crisis.yaml lives in the core now (bot/crisis.py), shared with debriefs;
stories keep importing it from here."""

from __future__ import annotations

from bot.crisis import CrisisContent, Resource, load_crisis

__all__ = ["CrisisContent", "Resource", "load_crisis"]
