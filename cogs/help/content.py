"""The schema of /help's files: data/help.yaml (the general pillars) and each feature's
help.yaml (its commands' pillar, audience and plain words; a pillar and moderators' part of its
own if it has them)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bot import features as registry
from bot.content import parse_yaml
from cogs.help.logic import CommandHelp, HelpContent, Moderation, Pillar


class HelpContentError(ValueError):
    """A help file is malformed; the message names the file and the entry."""


def load_help(path: Path, features: Sequence[registry.Feature] | None = None) -> HelpContent:
    """The general file at `path` with the help files of `features` (every registered feature
    when None): the features' pillars first, in their order, then the general ones."""
    general = _read(path)
    files = [
        (f.help_path, _read(f.help_path))
        for f in (registry.discover() if features is None else features)
        if f.help_path is not None and f.help_path.exists()
    ]
    pillars: dict[str, Pillar] = {}
    for raw in [own for _, own in files] + [general]:
        for pillar in _pillars(path, raw):
            pillars.setdefault(pillar.key, pillar)
    commands: dict[str, CommandHelp] = {}
    moderation: Moderation | None = None
    for file, raw in [(path, general), *files]:
        assert file is not None
        for name, entry in (raw.get("commands") or {}).items():
            if (
                not isinstance(entry, dict)
                or entry.get("pillar") not in pillars
                or not entry.get("text")
            ):
                raise HelpContentError(f"{file}: command {name!r} needs a known pillar and a text")
            if str(name) in commands:
                raise HelpContentError(f"{file}: command {name!r} is described twice")
            commands[str(name)] = CommandHelp(
                str(entry["pillar"]), str(entry["text"]), bool(entry.get("admin", False))
            )
        moderation = moderation or _moderation(file, raw.get("moderation"))
    return HelpContent(tuple(pillars.values()), commands, moderation)


def _read(path: Path) -> dict[str, Any]:
    raw: Any = parse_yaml(path.read_text(encoding="utf-8")) or {}
    if not isinstance(raw, dict):
        raise HelpContentError(f"{path} must be a mapping (pillars:, commands:)")
    return raw


def _pillars(path: Path, raw: dict[str, Any]) -> list[Pillar]:
    declared = raw.get("pillars") or ([raw["pillar"]] if raw.get("pillar") else [])
    try:
        return [Pillar(str(p["key"]), str(p["title"])) for p in declared]
    except (KeyError, TypeError):
        raise HelpContentError(f"{path}: a pillar needs a key and a title") from None


def _moderation(path: Path, raw: Any) -> Moderation | None:
    if raw is None:
        return None
    lines = raw.get("lines") if isinstance(raw, dict) else None
    if not isinstance(lines, list) or not lines or not raw.get("title"):
        raise HelpContentError(f"{path}: moderation needs a title and a list of lines")
    return Moderation(str(raw["title"]), tuple(str(line) for line in lines))
