"""/help, declared once (see bot/features.py)."""

from __future__ import annotations

from bot.features import Feature

FEATURE = Feature(name="help", order=85, prefix="help", prefix_for="help pages")
