"""The confirm step of /privacy delete: two buttons that work across restarts.

custom_ids are "privacy:delete:confirm" and "privacy:delete:cancel" and carry no id: the prompt
is ephemeral, so only the member who asked sees it, and the deletion is always of the member
who clicks.
"""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING, Any, Self

import discord

from bot import features
from bot.ui import PersistentButton, handler_of
from cogs.privacy import messages
from cogs.privacy.logic import describe_counts

if TYPE_CHECKING:
    from bot.app import Bot
    from cogs.privacy.service import PrivacyService

log = logging.getLogger(__name__)


def delete_prompt_view() -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(DeleteChoice("confirm"))
    view.add_item(DeleteChoice("cancel"))
    return view


class DeleteChoice(PersistentButton, template=r"privacy:delete:(?P<choice>confirm|cancel)"):
    def __init__(self, choice: str) -> None:
        confirm = choice == "confirm"
        super().__init__(
            "privacy",
            "delete",
            choice,
            label=messages.CONFIRM if confirm else messages.CANCEL,
            style=discord.ButtonStyle.danger if confirm else discord.ButtonStyle.secondary,
        )
        self.choice = choice

    @classmethod
    def from_match(cls, match: re.Match[str], button: discord.ui.Button[Any] | None) -> Self:
        return cls(match["choice"])

    async def on_click(self, interaction: discord.Interaction[Bot]) -> None:
        if self.choice != "confirm":
            await interaction.response.edit_message(content=messages.CANCELLED, view=None)
            return
        service: PrivacyService = handler_of(interaction, "PrivacyCog").service
        # Taking posts down from Discord may take longer than an answer's three seconds.
        await interaction.response.defer()
        try:
            removed = await service.delete(interaction.user.id)
        except Exception:
            log.exception("Deleting a member's data failed; no row was deleted")
            await interaction.edit_original_response(
                content=messages.SOMETHING_WENT_WRONG, view=None
            )
            return
        summary = describe(removed)
        text = (
            messages.DELETED.format(summary=summary) if summary else messages.DELETED_NOTHING_LEFT
        )
        await interaction.edit_original_response(content=text, view=None)


def describe(counts: dict[str, int]) -> str:
    return describe_counts(counts, {**messages.ROW_NAMES, **features.row_names()})
