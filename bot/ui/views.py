"""Base View and Modal, and a guard for DynamicItem callbacks: errors take the commands' path.

discord.py's own handlers log "Ignoring exception in view …" and leave the member with "This
interaction failed". Here the member gets the same friendly, private sentence as for a command
(a :class:`~bot.errors.UserFacingError` or :class:`~bot.inputs.InvalidInput` is shown as written)
and the log gets a reference code, never who clicked.
"""

from __future__ import annotations

import functools
import secrets
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import discord

from bot.tree import report_error

__all__ = ["BaseModal", "BaseView", "action_of", "guarded_callback"]


class BaseView(discord.ui.View):
    async def on_error(
        self,
        interaction: discord.Interaction[Any],
        error: Exception,
        item: discord.ui.Item[Any],
        /,
    ) -> None:
        custom_id = getattr(item, "custom_id", None) or type(item).__name__
        await report_error(interaction, error, where=f"View {action_of(custom_id)}")


class BaseModal(discord.ui.Modal):
    """A modal whose errors take the friendly path, and whose custom_id is unique per instance.

    discord.py keeps open modals keyed by custom_id alone, so two members with the same modal
    open at once (say two bare /checkin) would replace each other's and lose a submission. A
    feature's custom_id gets a random suffix; without one, discord.py already makes a random id.
    """

    def __init__(self, *args: Any, custom_id: str | None = None, **kwargs: Any) -> None:
        if custom_id is not None:
            custom_id = f"{custom_id}:{secrets.token_hex(4)}"
            kwargs["custom_id"] = custom_id
        super().__init__(*args, **kwargs)

    async def on_error(  # type: ignore[override]  # discord.py's Modal drops the item argument
        self, interaction: discord.Interaction[Any], error: Exception, /
    ) -> None:
        await report_error(interaction, error, where=f"Modal {action_of(self.custom_id)}")


def action_of(custom_id: str) -> str:
    """ "aff:list:3" → "aff:list": the opaque part stays out of the log."""
    return ":".join(custom_id.split(":")[:2])


CallbackT = TypeVar("CallbackT", bound=Callable[..., Awaitable[Any]])


def guarded_callback(func: CallbackT) -> CallbackT:
    """For a DynamicItem's ``callback``: discord.py calls those outside any View.on_error."""

    @functools.wraps(func)
    async def wrapper(self: discord.ui.Item[Any], interaction: discord.Interaction[Any]) -> Any:
        try:
            return await func(self, interaction)
        except Exception as error:
            custom_id = getattr(getattr(self, "item", self), "custom_id", None) or "dynamic"
            await report_error(interaction, error, where=f"Component {action_of(custom_id)}")
            return None

    return wrapper  # type: ignore[return-value]
