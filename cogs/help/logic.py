"""Pure: which commands a person sees in /help, grouped by pillar, in order."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

MORE_KEY = "__more__"


@dataclass(frozen=True, slots=True)
class Pillar:
    key: str
    title: str


@dataclass(frozen=True, slots=True)
class CommandHelp:
    pillar: str
    text: str
    admin: bool


@dataclass(frozen=True, slots=True)
class Moderation:
    """What moderators do, in plain words: their tools are buttons on the messages Rebound
    sends them, not commands, so the command tree cannot say it."""

    title: str
    lines: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class HelpContent:
    """The help files as read (see cogs/help/content.py)."""

    pillars: tuple[Pillar, ...]
    commands: dict[str, CommandHelp]
    moderation: Moderation | None = None


@dataclass(frozen=True, slots=True)
class Listed:
    """A command as the tree has it: its full name, description, and whether Discord itself
    limits it to Manage Server (default_member_permissions)."""

    path: str
    description: str
    needs_manage_guild: bool


@dataclass(frozen=True, slots=True)
class Line:
    path: str
    text: str


@dataclass(frozen=True, slots=True)
class Section:
    pillar: str
    admin: bool
    lines: tuple[Line, ...]


def entry_for(content: HelpContent, command: Listed) -> CommandHelp:
    known = content.commands.get(command.path)
    if known is not None:
        return CommandHelp(known.pillar, known.text, known.admin or command.needs_manage_guild)
    root = content.commands.get(command.path.split(" ", 1)[0])
    pillar = root.pillar if root is not None else MORE_KEY
    return CommandHelp(pillar, command.description, command.needs_manage_guild)


def sections(content: HelpContent, commands: Iterable[Listed], *, is_admin: bool) -> list[Section]:
    """Member sections per pillar in the file's order, then (for admins) admin sections."""
    by_key: dict[tuple[str, bool], list[Line]] = {}
    for command in sorted(commands, key=lambda c: c.path):
        entry = entry_for(content, command)
        if entry.admin and not is_admin:
            continue
        by_key.setdefault((entry.pillar, entry.admin), []).append(Line(command.path, entry.text))
    order: Sequence[str] = [p.key for p in content.pillars] + [MORE_KEY]
    out = []
    for admin in (False, True):
        for key in order:
            lines = by_key.get((key, admin))
            if lines:
                out.append(Section(key, admin, tuple(lines)))
    return out


def chunk_lines(lines: Sequence[str], limit: int = 1024) -> list[str]:
    """Join lines into blocks of at most `limit` characters (an embed field's value)."""
    blocks: list[str] = []
    current = ""
    for line in lines:
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit and current:
            blocks.append(current)
            current = line[:limit]
        else:
            current = candidate[:limit]
    if current:
        blocks.append(current)
    return blocks
