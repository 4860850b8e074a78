"""The list pager: Previous/Next buttons that survive restarts.

custom_ids are namespaced "affirmations:list:<page>" and carry nothing but the page number: the
server comes from the interaction, and only someone with Manage Server gets a page.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import discord

from cogs.affirmations.repository import CustomAffirmation

if TYPE_CHECKING:
    from bot.app import Bot

PAGE_SIZE = 10
LIST_TITLE = "This server’s own affirmations"
LIST_FOOTER = "Page {page} of {pages} · {count} in all · bundled affirmations rotate too"
PREVIOUS = "‹ Previous"
NEXT = "Next ›"
PAGER_NOT_YOURS = "Paging through the list is for people who can manage this server."
LIST_GONE = "This list has changed — run /affirmations list again for a fresh one."


def page_count(total: int) -> int:
    return max(1, (total + PAGE_SIZE - 1) // PAGE_SIZE)


def list_page(
    items: Sequence[CustomAffirmation], page: int
) -> tuple[discord.Embed, discord.ui.View | None]:
    """The embed for one page (1-based, already in range) and its pager, if there is more."""
    pages = page_count(len(items))
    chunk = items[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    embed = discord.Embed(
        title=LIST_TITLE,
        description="\n".join(f"**#{item.id}** · {item.text}" for item in chunk),
        colour=discord.Colour.teal(),
    )
    embed.set_footer(text=LIST_FOOTER.format(page=page, pages=pages, count=len(items)))
    if pages == 1:
        return embed, None
    view = discord.ui.View(timeout=None)
    view.add_item(ListPageButton(page - 1, PREVIOUS, disabled=page == 1))
    view.add_item(ListPageButton(page + 1, NEXT, disabled=page == pages))
    return embed, view


class ListPageButton(
    discord.ui.DynamicItem[discord.ui.Button[discord.ui.View]],
    template=r"affirmations:list:(?P<page>[0-9]{1,4})",
):
    def __init__(self, page: int, label: str, *, disabled: bool = False) -> None:
        super().__init__(
            discord.ui.Button(
                label=label,
                custom_id=f"affirmations:list:{page}",
                style=discord.ButtonStyle.secondary,
                disabled=disabled,
            )
        )
        self.page = page

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> ListPageButton:
        label = item.label if isinstance(item, discord.ui.Button) else None
        return cls(int(match["page"]), label or "")

    async def callback(self, interaction: discord.Interaction[Bot]) -> None:  # type: ignore[override]
        from cogs.affirmations.repository import AffirmationRepository

        if interaction.guild is None or not interaction.permissions.manage_guild:
            await interaction.response.send_message(PAGER_NOT_YOURS, ephemeral=True)
            return
        items = await AffirmationRepository(interaction.client.store).custom(interaction.guild.id)
        if not items or not 1 <= self.page <= page_count(len(items)):
            await interaction.response.send_message(LIST_GONE, ephemeral=True)
            return
        embed, view = list_page(items, self.page)
        await interaction.response.edit_message(embed=embed, view=view)
