"""/about, declared once (see bot/features.py)."""

from __future__ import annotations

from bot.features import Feature

FEATURE = Feature(name="about", order=80)
