"""Base View and Modal, and a guard for DynamicItem callbacks: errors take the commands' path.

discord.py's own handlers log "Ignoring exception in view …" and leave the member with "This
interaction failed". Here the member gets the same friendly, private sentence as for a command
(a :class:`~bot.errors.UserFacingError` is shown as written)
and the log gets a reference code, never who clicked.

A view (a button, a select, a form) reaches the feature that answers it ONE way:
:func:`handler_of`, the feature's cog looked up by its name on the interaction's client, then
a method of it (or its ``service``). Why this way rather than a handler handed in when the view
is made: a persistent button or form is rebuilt from its custom_id after a restart, and nothing
given at construction survives that, so the handler must be found from the interaction anyway;
doing it the same way for fresh views too means one path, tested by every click. A view module
never imports its cog (no cycle), and it never takes or stores the Bot.
"""

from __future__ import annotations

import functools
import re
import secrets
from collections.abc import Awaitable, Callable
from typing import Any, Self, TypeVar

import discord

from bot.tree import report_error
from bot.ui.custom_ids import custom_id as build_custom_id

__all__ = [
    "BaseModal",
    "BaseView",
    "PersistentButton",
    "action_of",
    "guarded_callback",
    "handler_of",
    "label_of",
]


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


class PersistentButton(
    discord.ui.DynamicItem[discord.ui.Button[discord.ui.View]],
    template=r"(?!)",  # the base matches nothing; each button class gives its own template
):
    """A button that keeps working after a restart (a DynamicItem), the one way every feature
    makes one: its custom_id is built by :func:`bot.ui.custom_id` ("<prefix>:<action>:<opaque
    id>", never a member id), and a failed click gets the commands' friendly answer.

    A subclass gives its ``template`` (class keyword), calls ``super().__init__`` with the
    custom_id's parts and the button's looks, rebuilds itself from a click (:meth:`from_match`,
    the button as Discord sent it back) and answers it (:meth:`on_click`)::

        class PageButton(PersistentButton, template=r"aff:list:(?P<page>[0-9]{1,4})"):
            def __init__(self, page: int, label: str = "") -> None:
                super().__init__("aff", "list", page, label=label or str(page))
                self.page = page

            @classmethod
            def from_match(cls, match: re.Match[str], button: Button | None) -> Self:
                return cls(int(match["page"]), label_of(button))

            async def on_click(self, interaction: discord.Interaction[Bot]) -> None: ...
    """

    def __init__(
        self,
        prefix: str,
        action: str,
        opaque: str | int = "",
        *,
        label: str,
        style: discord.ButtonStyle = discord.ButtonStyle.secondary,
        emoji: str | None = None,
        disabled: bool = False,
    ) -> None:
        super().__init__(
            discord.ui.Button(
                label=label,
                style=style,
                emoji=emoji,
                disabled=disabled,
                custom_id=build_custom_id(prefix, action, opaque),
            )
        )

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> Self:
        return cls.from_match(match, item if isinstance(item, discord.ui.Button) else None)

    @classmethod
    def from_match(cls, match: re.Match[str], button: discord.ui.Button[Any] | None) -> Self:
        """The button again, from its custom_id's match (and the clicked button, for looks)."""
        raise NotImplementedError

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        try:
            await self.on_click(interaction)
        except Exception as error:
            where = f"Component {action_of(self.custom_id)}"
            await report_error(interaction, error, where=where)

    async def on_click(self, interaction: discord.Interaction[Any]) -> None:
        raise NotImplementedError


def label_of(button: discord.ui.Button[Any] | None) -> str:
    """A clicked button's label (or "" when Discord sent none back)."""
    return (button.label if button is not None else None) or ""


def handler_of(interaction: discord.Interaction[Any], cog_name: str) -> Any:
    """The feature's cog that answers this click or form, found from the interaction (so it
    works after a restart). A feature being unloaded raises, and the member gets the commands'
    friendly answer."""
    cog = interaction.client.get_cog(cog_name)
    if cog is None:
        raise RuntimeError(f"the {cog_name} feature is not loaded")
    return cog
