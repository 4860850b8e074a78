"""Command names and descriptions through discord.py's Translator, from each feature's
cogs/<feature>/locales/*.yaml (and data/locales/*.yaml, for catalogs kept in one file).

Keys come from the command tree itself, so a feature added later needs only entries in its own
locales/en.yaml (a test lists what is missing). The catalog format: docs/design.md, "Command
names in other languages".
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import discord
import yaml
from discord import app_commands
from discord.app_commands import TranslationContextLocation as Where

from bot.content import parse_yaml

COMMAND_LOCATIONS = (Where.command_name, Where.group_name)
DESCRIPTION_LOCATIONS = (Where.command_description, Where.group_description)
PARAMETER_LOCATIONS = (Where.parameter_name, Where.parameter_description)


# File names that stand for several Discord locales.
LOCALE_ALIASES = {"en": ["en-US", "en-GB"]}


class CatalogError(ValueError):
    """A locale file is malformed; the message names the file."""


@dataclass(frozen=True, slots=True)
class Catalog:
    """One language's strings: (command path, field) and choice names."""

    commands: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    choices: Mapping[str, str] = field(default_factory=dict)

    def command(self, path: str, what: str) -> str | None:
        entry = self.commands.get(path) or {}
        value = entry.get(what)
        return str(value) if value is not None else None

    def option(self, path: str, option: str, what: str) -> str | None:
        options = (self.commands.get(path) or {}).get("options") or {}
        value = (options.get(option) or {}).get(what)
        return str(value) if value is not None else None

    def choice(self, name: str) -> str | None:
        value = self.choices.get(name)
        return str(value) if value is not None else None


def load_catalogs(folder: Path, *more: Path) -> dict[str, Catalog]:
    """Discord locale code -> catalog, from every YAML file in `folder` and in `more` (each
    feature keeps its own in cogs/<feature>/locales): files for one locale are merged."""
    commands: dict[str, dict[str, Any]] = {}
    choices: dict[str, dict[str, str]] = {}
    known = {locale.value for locale in discord.Locale}
    for path in sorted(p for f in (folder, *more) for p in f.glob("*.yaml")):
        try:
            raw = parse_yaml(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as exc:
            raise CatalogError(f"{path} is not valid YAML: {exc}") from exc
        if not isinstance(raw, dict):
            raise CatalogError(f"{path} must be a mapping with commands: and choices:")
        locales = raw.get("locales") or LOCALE_ALIASES.get(path.stem, [path.stem])
        unknown = [code for code in locales if code not in known]
        if unknown:
            raise CatalogError(f"{path} names locales Discord does not have: {unknown}")
        key = ",".join(locales)
        commands.setdefault(key, {}).update(raw.get("commands") or {})
        choices.setdefault(key, {}).update(raw.get("choices") or {})
    catalogs: dict[str, Catalog] = {}
    for key, entries in commands.items():
        catalog = Catalog(commands=entries, choices=choices[key])
        for code in key.split(","):
            catalogs[code] = catalog
    return catalogs


def _path_of(data: Any) -> str | None:
    qualified = getattr(data, "qualified_name", None)
    return str(qualified) if qualified is not None else None


def lookup(catalog: Catalog, string: app_commands.locale_str, context: Any) -> str | None:
    """The catalog's text for one translatable string of the command tree."""
    location, data = context.location, context.data
    if location in COMMAND_LOCATIONS or location in DESCRIPTION_LOCATIONS:
        path = _path_of(data)
        what = "name" if location in COMMAND_LOCATIONS else "description"
        return catalog.command(path, what) if path else None
    if location in PARAMETER_LOCATIONS:
        path = _path_of(getattr(data, "command", None))
        what = "name" if location is Where.parameter_name else "description"
        return catalog.option(path, data.name, what) if path else None
    if location is Where.choice_name:
        return catalog.choice(string.message)
    return None


class CatalogTranslator(app_commands.Translator):
    def __init__(self, catalogs: Mapping[str, Catalog]) -> None:
        self.catalogs = dict(catalogs)

    @classmethod
    def from_folder(cls, folder: Path, *more: Path) -> CatalogTranslator:
        return cls(load_catalogs(folder, *more))

    async def translate(
        self,
        string: app_commands.locale_str,
        locale: discord.Locale,
        context: app_commands.TranslationContextTypes,
    ) -> str | None:
        catalog = self.catalogs.get(locale.value)
        if catalog is None:
            return None
        text = lookup(catalog, string, context)
        if text is None or text == string.message:
            return None
        return text


# -- walking the tree (for the catalog test and `python -m bot locales`) ---------------------------


def tree_strings(
    commands: list[app_commands.Command[Any, ..., Any] | app_commands.Group | Any],
) -> Iterator[tuple[str, str, str | None, str]]:
    """(command path, field, option or None, code text) for every translatable string."""
    for command in commands:
        yield from _command_strings(command)


def _command_strings(command: Any) -> Iterator[tuple[str, str, str | None, str]]:
    path = command.qualified_name
    yield path, "name", None, command.name
    if getattr(command, "description", None):
        yield path, "description", None, command.description
    if isinstance(command, app_commands.Group):
        for child in command.commands:
            yield from _command_strings(child)
        return
    for parameter in getattr(command, "parameters", []):
        yield path, "name", parameter.name, parameter.name
        yield path, "description", parameter.name, parameter.description
        for choice in parameter.choices:
            yield path, "choice", parameter.name, choice.name


def catalog_template(
    commands: list[Any],
) -> dict[str, Any]:
    """A catalog with every string of these commands in the code's own words (a feature's
    locales/en.yaml holds those of its commands)."""
    out: dict[str, Any] = {"locales": ["en-US", "en-GB"], "commands": {}, "choices": {}}
    for path, what, option, text in tree_strings(commands):
        entry = out["commands"].setdefault(path, {})
        if what == "choice":
            out["choices"][text] = text
        elif option is None:
            entry[what] = text
        else:
            entry.setdefault("options", {}).setdefault(option, {})[what] = text
    return out


# -- plurals in member-facing sentences --------------------------------------------------------


def plural(count: int, one: str, other: str) -> str:
    """`one` or `other` by English plural rules, with ``{count}`` filled in.

    Messages modules keep both forms side by side (``STORIES_ONE``/``STORIES_MANY``, or a pair
    in a tuple) so a translator sees each whole sentence; no "story(ies)" or "author(s)"."""
    return (one if count == 1 else other).format(count=count)
