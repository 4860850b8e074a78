"""Crisis words and the support resources shown privately: data/crisis.yaml and its matcher.

Any feature where a member writes about a hard moment (stories, debriefs) checks the text with
`crisis_match` and, on a match, shows `CrisisContent.text()` to that member only. Moved here from
cogs/stories so two features share one list and one rule.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bot.content import ContentError, parse_yaml

__all__ = ["CrisisContent", "Resource", "crisis_form", "crisis_match", "load_crisis"]

FILE_NAME = "crisis.yaml"
MAX_MESSAGE_CHARS = 600
MAX_RESOURCES = 10
# A private reply holds at most 2000 characters: message + resources + a server's note.
MAX_TOTAL_CHARS = 1700


@dataclass(frozen=True, slots=True)
class Resource:
    name: str
    detail: str
    url: str

    def line(self) -> str:
        return f"• **{self.name}**: {self.detail} — <{self.url}>"


@dataclass(frozen=True, slots=True)
class CrisisContent:
    phrases: tuple[str, ...]
    message: str
    resources: tuple[Resource, ...]

    def text(self, server_note: str | None = None) -> str:
        """The private message: kind words, the resources, and the server's own line."""
        lines = [self.message, *(r.line() for r in self.resources)]
        if server_note:
            lines.append(server_note)
        return "\n".join(lines)


def _string(value: Any, where: str, limit: int) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ContentError(f"{where}: must be a non-empty string")
    text = " ".join(value.split())
    if len(text) > limit:
        raise ContentError(f"{where}: is {len(text)} characters; the limit is {limit}")
    return text


def load_crisis(folder: Path) -> CrisisContent:
    path = folder / FILE_NAME
    try:
        data = parse_yaml(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ContentError(f"{FILE_NAME}: the file is missing (expected at {path})") from exc
    except yaml.YAMLError as exc:
        raise ContentError(f"{FILE_NAME}: not valid YAML: {exc}") from exc
    if not isinstance(data, dict) or set(data) != {"phrases", "message", "resources"}:
        raise ContentError(f"{FILE_NAME}: needs exactly the keys phrases, message, resources")
    raw_phrases = data["phrases"]
    if not isinstance(raw_phrases, list) or not raw_phrases:
        raise ContentError(f"{FILE_NAME}: phrases must be a non-empty list")
    phrases = tuple(
        _string(p, f"{FILE_NAME}: phrase {i + 1}", 60).lower() for i, p in enumerate(raw_phrases)
    )
    if len(set(phrases)) != len(phrases):
        raise ContentError(f"{FILE_NAME}: a phrase is listed twice")
    raw_resources = data["resources"]
    if not isinstance(raw_resources, list) or not 1 <= len(raw_resources) <= MAX_RESOURCES:
        raise ContentError(f"{FILE_NAME}: resources must be a list of 1 to {MAX_RESOURCES}")
    resources = []
    for i, entry in enumerate(raw_resources):
        where = f"{FILE_NAME}: resource {i + 1}"
        if not isinstance(entry, dict) or set(entry) != {"name", "detail", "url"}:
            raise ContentError(f"{where}: needs exactly the keys name, detail, url")
        url = _string(entry["url"], f"{where}: url", 200)
        if not url.startswith("https://"):
            raise ContentError(f"{where}: url must start with https://")
        resources.append(
            Resource(_string(entry["name"], where, 80), _string(entry["detail"], where, 160), url)
        )
    content = CrisisContent(
        phrases,
        _string(data["message"], f"{FILE_NAME}: message", MAX_MESSAGE_CHARS),
        tuple(resources),
    )
    if len(content.text()) > MAX_TOTAL_CHARS:
        raise ContentError(f"{FILE_NAME}: message and resources exceed {MAX_TOTAL_CHARS} chars")
    if "@" in content.text() or "<@" in content.text():
        raise ContentError(f"{FILE_NAME}: must not contain '@' (no mentions in content)")
    return content


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def crisis_form(text: str) -> str:
    """Text as phrases are compared: folded, apostrophes unified, punctuation as spaces."""
    folded = _fold(text).replace("\u2019", "'").replace("\u2018", "'")
    return " ".join(re.sub(r"[^\w']+", " ", folded).split())


def crisis_match(text: str, phrases: Iterable[str]) -> bool:
    """True if any phrase appears in the text as whole words (case, accents, punctuation and
    spacing ignored)."""
    haystack = f" {crisis_form(text)} "
    for phrase in phrases:
        needle = crisis_form(phrase)
        if needle and f" {needle} " in haystack:
            return True
    return False
