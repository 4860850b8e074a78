"""Each member's time zone, declared once (see bot/features.py). What it keeps is said in the
check-ins' privacy line, where the zone is used."""

from __future__ import annotations

from bot.features import Feature
from cogs.timezone import messages

FEATURE = Feature(
    name="timezone", order=60, privacy_provider="timezone", row_names=messages.ROW_NAMES
)
