"""The check-in modal and the settings buttons (custom_ids "streak:<action>:<value>").

No member id is ever in a custom_id: the member is whoever clicks, the server comes from the
interaction. The settings buttons are DynamicItems, so they keep working after a restart.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Self

import discord

from bot.ui import PersistentButton, PersistentModal, custom_id, handler_of, label_of
from cogs.streaks import messages as m

if TYPE_CHECKING:
    from bot.app import Bot

# The cog that answers these buttons and forms (bot.ui.handler_of).
COG_NAME = "Streaks"


class CheckinModal(PersistentModal, template=r"streak:checkin:(?P<day>today|yesterday)"):
    def __init__(self, *, yesterday: bool) -> None:
        super().__init__(
            title=m.MODAL_TITLE_YESTERDAY if yesterday else m.MODAL_TITLE,
            custom_id=custom_id("streak", "checkin", "yesterday" if yesterday else "today"),
        )
        self.yesterday = yesterday
        self.applications: discord.ui.TextInput[CheckinModal] = discord.ui.TextInput(
            label=m.FIELD_APPLICATIONS,
            custom_id="applications",
            required=False,
            max_length=5,
            placeholder="0",
        )
        self.networking: discord.ui.TextInput[CheckinModal] = discord.ui.TextInput(
            label=m.FIELD_NETWORKING,
            custom_id="networking",
            required=False,
            max_length=5,
            placeholder="0",
        )
        self.skills: discord.ui.TextInput[CheckinModal] = discord.ui.TextInput(
            label=m.FIELD_SKILLS, custom_id="skills", required=False, max_length=5, placeholder="0"
        )
        self.note: discord.ui.TextInput[CheckinModal] = discord.ui.TextInput(
            label=m.FIELD_NOTE,
            custom_id="note",
            style=discord.TextStyle.paragraph,
            required=False,
            max_length=500,
            placeholder=m.PLACEHOLDER_NOTE,
        )
        for item in (self.applications, self.networking, self.skills, self.note):
            self.add_item(item)

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], match: re.Match[str], /
    ) -> Self:
        return cls(yesterday=match["day"] == "yesterday")

    async def on_submit(self, interaction: discord.Interaction[Bot]) -> None:  # type: ignore[override]
        values = {
            "applications": self.applications.value,
            "networking": self.networking.value,
            "skills": self.skills.value,
            "note": self.note.value,
        }
        await handler_of(interaction, COG_NAME)._modal_checkin(interaction, values, self.yesterday)


class SettingsButton(
    PersistentButton,
    template=r"streak:(?P<setting>rest|celebrate|board):(?P<value>weekends|none|on|off)",
):
    def __init__(self, setting: str, value: str, label: str) -> None:
        style = (
            discord.ButtonStyle.primary
            if value in ("on", "weekends")
            else discord.ButtonStyle.secondary
        )
        super().__init__("streak", setting, value, label=label, style=style)
        self.setting = setting
        self.value = value

    @classmethod
    def from_match(cls, match: re.Match[str], button: discord.ui.Button[Any] | None) -> Self:
        return cls(match["setting"], match["value"], label_of(button))

    async def on_click(self, interaction: discord.Interaction[Bot]) -> None:
        await handler_of(interaction, COG_NAME).apply_setting(interaction, self.setting, self.value)


def settings_view(rest_mask: int, celebrate: bool, leaderboard: bool) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    if rest_mask == 0:
        view.add_item(SettingsButton("rest", "weekends", m.BUTTON_WEEKENDS))
    else:
        view.add_item(SettingsButton("rest", "none", m.BUTTON_NO_REST))
    view.add_item(
        SettingsButton("celebrate", "off", m.BUTTON_CELEBRATE_OFF)
        if celebrate
        else SettingsButton("celebrate", "on", m.BUTTON_CELEBRATE_ON)
    )
    view.add_item(
        SettingsButton("board", "off", m.BUTTON_BOARD_OFF)
        if leaderboard
        else SettingsButton("board", "on", m.BUTTON_BOARD_ON)
    )
    return view
