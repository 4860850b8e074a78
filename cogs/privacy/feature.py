"""/privacy export and delete, and a server's data after the bot leaves, declared once (see
bot/features.py)."""

from __future__ import annotations

from bot.features import Feature
from cogs.privacy.service import PURGE_JOB

FEATURE = Feature(
    name="privacy",
    order=70,
    prefix="privacy",
    prefix_for="privacy requests",
    privacy_provider="servers",
    jobs=(PURGE_JOB,),
)
