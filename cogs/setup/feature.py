"""/setup and /config show, declared once (see bot/features.py). Its pages are the loaded
features' own, then the server's settings (see pages.py)."""

from __future__ import annotations

from bot.features import Feature

FEATURE = Feature(name="setup", order=90, prefix="setup", prefix_for="server setup")
