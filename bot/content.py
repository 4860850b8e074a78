"""Loads the YAML content in data/, relative to the project, never the cwd.

The core knows no feature's schema: each feature package with a `content.py` that defines
`load_content(folder)` validates its own files (the affirmations' schema lives in
`cogs/affirmations/content.py`). Content is checked when the bot starts and by
`python -m bot check`; a bad file stops the bot with a message naming the file and the entry,
rather than posting something broken.
"""

from __future__ import annotations

import importlib
import importlib.util
import pkgutil
from collections.abc import Mapping
from pathlib import Path
from typing import Any, TypeVar, cast

import yaml

from bot.text import normalize_text

__all__ = ["Content", "ContentError", "normalize_text", "parse_yaml", "read_yaml", "text_field"]

T = TypeVar("T")

# libyaml's safe loader when PyYAML was built with it (about ten times faster than the pure-Python
# one: every start reads each feature's help, locales and content), else the same rules in Python.
_SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class ContentError(ValueError):
    """A content file is malformed; the message names the file and the entry."""


def parse_yaml(text: str) -> Any:
    """``yaml.safe_load``, with libyaml when it is there (raises ``yaml.YAMLError``)."""
    return yaml.load(text, Loader=_SafeLoader)


def read_yaml(path: Path) -> Any:
    """Parse one YAML file; a missing or malformed file is a :class:`ContentError`."""
    try:
        return parse_yaml(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ContentError(f"{path.name}: the file is missing (expected at {path})") from exc
    except yaml.YAMLError as exc:
        raise ContentError(f"{path.name}: not valid YAML: {exc}") from exc


def text_field(value: Any, where: str, limit: int) -> str:
    """A required, non-empty string of at most ``limit`` characters, stripped."""
    if not isinstance(value, str) or not value.strip():
        raise ContentError(f"{where}: must be a non-empty string")
    text = value.strip()
    if len(text) > limit:
        raise ContentError(f"{where}: is {len(text)} characters; the limit is {limit}")
    return text


def _feature_loaders() -> dict[str, Any]:
    """feature name -> its `load_content`, for every cogs/<feature>/content.py that has one."""
    import cogs

    loaders: dict[str, Any] = {}
    for module in sorted(pkgutil.iter_modules(cogs.__path__), key=lambda m: m.name):
        name = f"cogs.{module.name}.content"
        if module.ispkg and importlib.util.find_spec(name) is not None:
            loader = getattr(importlib.import_module(name), "load_content", None)
            if loader is not None:
                loaders[module.name] = loader
    return loaders


class Content:
    """Every feature's loaded content, by feature name."""

    def __init__(self, parts: Mapping[str, Any]) -> None:
        self._parts = dict(parts)

    @classmethod
    def load(cls, folder: Path) -> Content:
        return cls({feature: load(folder) for feature, load in _feature_loaders().items()})

    def part(self, feature: str, kind: type[T]) -> T:
        found = self._parts.get(feature)
        # Compared by name, not isinstance: discord.py drops a feature's modules from
        # sys.modules when its extension unloads, so a reloaded feature has a new class object.
        if found is None or type(found).__qualname__ != kind.__qualname__:
            raise LookupError(f"no {kind.__name__} content loaded for {feature!r}")
        return cast(T, found)

    def summary(self) -> dict[str, dict[str, Any]]:
        """Per feature, what its content's `summary()` says (for `python -m bot check`)."""
        return {
            feature: part.summary() if hasattr(part, "summary") else {}
            for feature, part in sorted(self._parts.items())
        }
