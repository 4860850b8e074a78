"""The /setup flow: one ephemeral message, a page per area, every choice saved at once.

The view is rebuilt after every choice from what is stored, so what it shows is always the
truth. custom_ids are "setup:pick:<setting>", "setup:nav:<where>" and the like: nothing about
the member.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import time
from typing import TYPE_CHECKING, Any

import discord

from bot.i18n import plural
from bot.ui import BaseModal, BaseView, custom_id
from cogs.setup import messages
from cogs.setup.service import Check, Setting, SetupService

if TYPE_CHECKING:
    from bot.app import Bot

ZoneSuggest = Callable[[str], list[str]]
TimeParse = Callable[[str], time]


@dataclass(frozen=True, slots=True)
class Flow:
    """Where the admin is in /setup; rebuilt on every step."""

    page: int = 0
    note: str = ""
    zone_choices: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True, slots=True)
class Tools:
    service: SetupService
    suggest_zones: ZoneSuggest
    parse_time: TimeParse
    may_manage: Callable[[discord.Interaction[Any]], bool]


def check_line(check: Check) -> str:
    from cogs.setup.logic import missing_sentence

    if check.missing:
        return f"{check.shown}\n⚠️ {missing_sentence(check.shown, list(check.missing))}"
    if check.setting.kind == "channel" and check.value is not None:
        return f"{check.shown} · {messages.CHECK_OK}"
    return check.shown


async def render(
    tools: Tools, guild: discord.Guild, flow: Flow
) -> tuple[discord.Embed, discord.ui.View]:
    pages = tools.service.pages()
    page_index = max(0, min(flow.page, len(pages) - 1))
    page = pages[page_index]
    checks = [await tools.service.check(guild, s) for s in tools.service.on_page(page)]
    description = messages.INTRO + (f"\n\n{flow.note}" if flow.note else "")
    embed = discord.Embed(
        title=messages.TITLE.format(step=page_index + 1, steps=len(pages), page=page),
        description=description,
        colour=discord.Colour.teal(),
    )
    for check in checks:
        embed.add_field(name=check.setting.label, value=check_line(check)[:1024], inline=False)
    flow = replace(flow, page=page_index)
    return embed, SetupView(tools, flow, checks, len(pages))


async def show(
    interaction: discord.Interaction[Bot], tools: Tools, flow: Flow, *, first: bool = False
) -> None:
    assert interaction.guild is not None
    embed, view = await render(tools, interaction.guild, flow)
    if first:
        await interaction.response.send_message(embed=embed, view=view, ephemeral=True)
    else:
        await interaction.response.edit_message(embed=embed, view=view)


class SetupView(BaseView):
    def __init__(self, tools: Tools, flow: Flow, checks: Sequence[Check], pages: int) -> None:
        super().__init__(timeout=900)
        self.tools = tools
        self.flow = flow
        row = 0
        buttons_row = 3
        for check in checks:
            setting = check.setting
            if setting.kind == "channel":
                self.add_item(ChannelChoice(setting, check, row))
                row += 1
            elif setting.kind == "zone":
                self.add_item(ZoneChoice(setting, check, flow, tools, row))
                row += 1
                self.add_item(ZoneSearch(setting, buttons_row))
            elif setting.kind == "time":
                self.add_item(TimeButton(setting, check, buttons_row))
            elif setting.kind == "toggle":
                self.add_item(ToggleButton(setting, check, buttons_row))
        self.add_item(NavButton("back", messages.BACK, flow.page - 1, disabled=flow.page == 0))
        self.add_item(
            NavButton("next", messages.NEXT, flow.page + 1, disabled=flow.page >= pages - 1)
        )
        self.add_item(NavButton("done", messages.DONE, -1))

    async def interaction_check(self, interaction: discord.Interaction[Any]) -> bool:
        if interaction.guild is None or not self.tools.may_manage(interaction):
            await interaction.response.send_message(messages.NOT_YOURS, ephemeral=True)
            return False
        return True

    async def step(self, interaction: discord.Interaction[Bot], **changes: Any) -> None:
        await show(interaction, self.tools, replace(self.flow, **changes))


class ChannelChoice(discord.ui.ChannelSelect[SetupView]):
    def __init__(self, setting: Setting, check: Check, row: int) -> None:
        super().__init__(
            custom_id=custom_id("setup", "pick", setting.key),
            channel_types=list(setting.channel_types),
            placeholder=messages.CHANNEL_PLACEHOLDER.format(label=setting.label)[:150],
            min_values=1,
            max_values=1,
            row=row,
        )
        self.setting = setting

    async def callback(self, interaction: discord.Interaction[Bot]) -> None:  # type: ignore[override]
        assert self.view is not None and interaction.guild is not None
        channel = self.values[0]
        note = await self.view.tools.service.choose_channel(
            interaction.guild, self.setting.key, channel.id
        )
        await self.view.step(interaction, note=note)


class ZoneChoice(discord.ui.Select[SetupView]):
    def __init__(self, setting: Setting, check: Check, flow: Flow, tools: Tools, row: int) -> None:
        names: list[str] = []
        for name in (
            ([str(check.value)] if check.value else [])
            + list(flow.zone_choices)
            + tools.suggest_zones("")
        ):
            if name not in names:
                names.append(name)
        options = [
            discord.SelectOption(label=name[:100], value=name[:100], default=name == check.value)
            for name in names[:25]
        ]
        super().__init__(
            custom_id=custom_id("setup", "pick", setting.key),
            placeholder=messages.ZONE_PLACEHOLDER.format(zone=check.shown)[:150],
            options=options,
            min_values=1,
            max_values=1,
            row=row,
        )
        self.setting = setting

    async def callback(self, interaction: discord.Interaction[Bot]) -> None:  # type: ignore[override]
        assert self.view is not None and interaction.guild is not None
        zone = self.values[0]
        note = await self.view.tools.service.choose(interaction.guild, self.setting.key, zone, zone)
        await self.view.step(interaction, note=note)


class ZoneSearch(discord.ui.Button[SetupView]):
    def __init__(self, setting: Setting, row: int) -> None:
        super().__init__(
            label=messages.SEARCH_ZONES,
            custom_id=custom_id("setup", "search", setting.key),
            style=discord.ButtonStyle.secondary,
            row=row,
        )

    async def callback(self, interaction: discord.Interaction[Bot]) -> None:  # type: ignore[override]
        assert self.view is not None
        await interaction.response.send_modal(ZoneSearchModal(self.view))


class ZoneSearchModal(BaseModal, title=messages.ZONE_MODAL_TITLE):
    query: discord.ui.TextInput[ZoneSearchModal] = discord.ui.TextInput(
        label=messages.ZONE_MODAL_LABEL, max_length=60, custom_id=custom_id("setup", "query")
    )

    def __init__(self, view: SetupView) -> None:
        super().__init__(custom_id=custom_id("setup", "searchform"), timeout=600)
        self.setup_view = view

    async def on_submit(self, interaction: discord.Interaction[Bot]) -> None:  # type: ignore[override]
        text = self.query.value.strip()
        found = self.setup_view.tools.suggest_zones(text)[:24]
        if not found:
            note = messages.ZONE_NO_MATCH.format(query=text[:40])
            await self.setup_view.step(interaction, note=note)
            return
        note = plural(len(found), messages.ZONE_FOUND_ONE, messages.ZONE_FOUND_MANY).format(
            query=text[:40]
        )
        await self.setup_view.step(interaction, note=note, zone_choices=tuple(found))


class TimeButton(discord.ui.Button[SetupView]):
    def __init__(self, setting: Setting, check: Check, row: int) -> None:
        super().__init__(
            label=f"{setting.label}: {check.shown}"[:80],
            custom_id=custom_id("setup", "pick", setting.key),
            style=discord.ButtonStyle.secondary,
            row=row,
        )
        self.setting = setting
        self.current = check.shown if check.value is not None else ""

    async def callback(self, interaction: discord.Interaction[Bot]) -> None:  # type: ignore[override]
        assert self.view is not None
        await interaction.response.send_modal(TimeModal(self.view, self.setting, self.current))


class TimeModal(BaseModal, title=messages.TIME_MODAL_TITLE):
    def __init__(self, view: SetupView, setting: Setting, current: str) -> None:
        super().__init__(custom_id=custom_id("setup", "timeform", setting.key), timeout=600)
        self.setup_view = view
        self.setting = setting
        self.value_input: discord.ui.TextInput[TimeModal] = discord.ui.TextInput(
            label=messages.TIME_MODAL_LABEL,
            default=current or None,
            max_length=10,
            custom_id=custom_id("setup", "time"),
        )
        self.add_item(self.value_input)

    async def on_submit(self, interaction: discord.Interaction[Bot]) -> None:  # type: ignore[override]
        assert interaction.guild is not None
        try:
            value = self.setup_view.tools.parse_time(self.value_input.value)
        except ValueError as exc:
            await self.setup_view.step(interaction, note=f"⚠️ {exc}")
            return
        note = await self.setup_view.tools.service.choose(
            interaction.guild, self.setting.key, value, value.strftime("%H:%M")
        )
        await self.setup_view.step(interaction, note=note)


class ToggleButton(discord.ui.Button[SetupView]):
    def __init__(self, setting: Setting, check: Check, row: int) -> None:
        super().__init__(
            label=messages.TOGGLE_LABEL.format(label=setting.label, state=check.shown)[:80],
            custom_id=custom_id("setup", "pick", setting.key),
            style=discord.ButtonStyle.success if check.value else discord.ButtonStyle.secondary,
            row=row,
        )
        self.setting = setting
        self.state = bool(check.value)

    async def callback(self, interaction: discord.Interaction[Bot]) -> None:  # type: ignore[override]
        assert self.view is not None and interaction.guild is not None
        new = not self.state
        note = await self.view.tools.service.choose(
            interaction.guild, self.setting.key, new, messages.ON if new else messages.OFF
        )
        await self.view.step(interaction, note=note)


class NavButton(discord.ui.Button[SetupView]):
    def __init__(self, where: str, label: str, target: int, *, disabled: bool = False) -> None:
        super().__init__(
            label=label,
            custom_id=custom_id("setup", "nav", where),
            style=discord.ButtonStyle.primary if where == "done" else discord.ButtonStyle.secondary,
            disabled=disabled,
            row=4,
        )
        self.target = target

    async def callback(self, interaction: discord.Interaction[Bot]) -> None:  # type: ignore[override]
        assert self.view is not None and interaction.guild is not None
        if self.target < 0:
            from cogs.setup.cog import config_embed

            embed = await config_embed(
                interaction.client, self.view.tools.service, interaction.guild
            )
            await interaction.response.edit_message(
                content=messages.DONE_NOTE, embed=embed, view=None
            )
            return
        await self.view.step(interaction, page=self.target, note="")
