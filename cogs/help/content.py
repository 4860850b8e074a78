"""The schema of data/help.yaml: pillars, and each command's pillar, audience and plain words."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from cogs.help.logic import CommandHelp, HelpContent, Moderation, Pillar


class HelpContentError(ValueError):
    """data/help.yaml is malformed; the message names the entry."""


def load_help(path: Path) -> HelpContent:
    raw: Any = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(raw, dict):
        raise HelpContentError(f"{path} must be a mapping with pillars: and commands:")
    pillars = tuple(Pillar(str(p["key"]), str(p["title"])) for p in raw.get("pillars") or [])
    keys = {p.key for p in pillars}
    commands: dict[str, CommandHelp] = {}
    for name, entry in (raw.get("commands") or {}).items():
        if not isinstance(entry, dict) or entry.get("pillar") not in keys or not entry.get("text"):
            raise HelpContentError(f"{path}: command {name!r} needs a known pillar and a text")
        commands[str(name)] = CommandHelp(
            str(entry["pillar"]), str(entry["text"]), bool(entry.get("admin", False))
        )
    return HelpContent(pillars, commands, _moderation(path, raw.get("moderation")))


def _moderation(path: Path, raw: Any) -> Moderation | None:
    if raw is None:
        return None
    lines = raw.get("lines") if isinstance(raw, dict) else None
    if not isinstance(lines, list) or not lines or not raw.get("title"):
        raise HelpContentError(f"{path}: moderation needs a title and a list of lines")
    return Moderation(str(raw["title"]), tuple(str(line) for line in lines))
