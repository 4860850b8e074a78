"""The list pager: Previous/Next buttons that survive restarts.

custom_ids are "aff:list:<page>" and carry nothing but the page number: the server comes from the
interaction, and only someone with Manage Server (server-wide) gets a page.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Self

import discord

from bot.ui import (
    PersistentButton,
    handler_of,
    is_manager,
    label_of,
    page_count,
    page_items,
    pager_view,
)
from cogs.affirmations.logic import one_line
from cogs.affirmations.messages import LIST_FOOTER, LIST_GONE, LIST_TITLE, PAGER_NOT_YOURS
from cogs.affirmations.repository import AffirmationRepository, CustomAffirmation

if TYPE_CHECKING:
    from bot.app import Bot

__all__ = ["ListPageButton", "list_page", "page_count"]

# The cog that answers these buttons (bot.ui.handler_of): discord.py names it after its class.
COG_NAME = "AffirmationsCog"


def list_page(
    items: Sequence[CustomAffirmation], page: int
) -> tuple[discord.Embed, discord.ui.View | None]:
    """The embed for one page (1-based, already in range) and its pager, if there is more."""
    pages = page_count(len(items))
    embed = discord.Embed(
        title=LIST_TITLE,
        description="\n".join(
            f"**#{item.number}** · {one_line(item.text)}" for item in page_items(items, page)
        ),
        colour=discord.Colour.teal(),
    )
    embed.set_footer(text=LIST_FOOTER.format(page=page, pages=pages, count=len(items)))
    return embed, pager_view("aff", "list", page, pages)


class ListPageButton(PersistentButton, template=r"aff:list:(?P<page>[0-9]{1,4})"):
    def __init__(self, page: int, label: str = "", *, disabled: bool = False) -> None:
        super().__init__("aff", "list", page, label=label or str(page), disabled=disabled)
        self.page = page

    @classmethod
    def from_match(cls, match: re.Match[str], button: discord.ui.Button[Any] | None) -> Self:
        return cls(int(match["page"]), label_of(button))

    async def on_click(self, interaction: discord.Interaction[Bot]) -> None:
        if interaction.guild is None or not is_manager(interaction):
            await interaction.response.send_message(PAGER_NOT_YOURS, ephemeral=True)
            return
        repo: AffirmationRepository = handler_of(interaction, COG_NAME).repo
        items = await repo.custom(interaction.guild.id)
        if not items or not 1 <= self.page <= page_count(len(items)):
            await interaction.response.send_message(LIST_GONE, ephemeral=True)
            return
        embed, view = list_page(items, self.page)
        await interaction.response.edit_message(embed=embed, view=view)
