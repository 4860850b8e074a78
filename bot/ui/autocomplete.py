"""Autocomplete answers that always fit Discord's limits, and never leak an error to the log.

Discord takes at most 25 choices, each with a name of 1-100 characters and a string value of at
most 100 characters; anything else makes it drop the whole answer (the member sees nothing).
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable, Iterable
from typing import Any, TypeVar

import discord
from discord import app_commands

from bot.tree import report_error

__all__ = ["MAX_CHOICES", "MAX_CHOICE_LENGTH", "choices", "safe_autocomplete"]

MAX_CHOICES = 25
MAX_CHOICE_LENGTH = 100

ChoiceT = TypeVar("ChoiceT", str, int, float)


def _shorten(text: str) -> str:
    flat = " ".join(text.split())
    if len(flat) <= MAX_CHOICE_LENGTH:
        return flat
    return flat[: MAX_CHOICE_LENGTH - 1].rstrip() + "…"


def choices(items: Iterable[tuple[str, ChoiceT]]) -> list[app_commands.Choice[ChoiceT]]:
    """(name, value) pairs as Discord choices: names shortened to 100 characters, string values
    longer than 100 (which Discord cannot take) and empty names dropped, at most 25."""
    picked: list[app_commands.Choice[ChoiceT]] = []
    for name, value in items:
        shown = _shorten(name)
        if not shown or (isinstance(value, str) and not 1 <= len(value) <= MAX_CHOICE_LENGTH):
            continue
        picked.append(app_commands.Choice(name=shown, value=value))
        if len(picked) == MAX_CHOICES:
            break
    return picked


AutocompleteT = TypeVar("AutocompleteT", bound=Callable[..., Awaitable[list[Any]]])


def safe_autocomplete(func: AutocompleteT) -> AutocompleteT:
    """Wrap an autocomplete callback (a cog method or a plain function): an exception goes
    through the one error path (which logs no member id, unlike discord.py's own handler) and
    the member gets no choices. Answers are cut to 25."""

    @functools.wraps(func)
    async def wrapper(*args: Any, **kwargs: Any) -> list[Any]:
        try:
            answer = await func(*args, **kwargs)
        except Exception as error:
            interaction = next(a for a in args if isinstance(a, discord.Interaction))
            command = interaction.command.qualified_name if interaction.command else "unknown"
            await report_error(interaction, error, where=f"Autocomplete of /{command}")
            return []
        return answer[:MAX_CHOICES]

    wrapper.__rebound_safe_autocomplete__ = True  # type: ignore[attr-defined]
    return wrapper  # type: ignore[return-value]
