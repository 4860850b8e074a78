"""The /setup flow: one ephemeral message, a page per area, every choice saved at once.

The view is rebuilt after every choice from what is stored, so what it shows is always the
truth. custom_ids are "setup:pick:<setting>", "setup:search:<setting>", "setup:nav:next-<page>"
and the like: nothing about the member. Every control is one `SetupControl` DynamicItem and the
two forms are persistent modals, so a /setup left open for an hour, or across a restart, still
answers: all a step needs is in its custom_id and the stored settings.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import time
from typing import TYPE_CHECKING, Any, Self

import discord

from bot.errors import UserFacingError
from bot.i18n import plural
from bot.timekeeping import canonical_timezone_name
from bot.ui import PersistentModal, custom_id, guarded_callback, handler_of
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
    if check.problem:
        return f"{check.shown}\n⚠️ {check.problem}"
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
    return embed, setup_view(
        tools, Flow(page_index, flow.note, flow.zone_choices), checks, len(pages)
    )


async def show(
    interaction: discord.Interaction[Bot], tools: Tools, flow: Flow, *, first: bool = False
) -> None:
    assert interaction.guild is not None
    embed, view = await render(tools, interaction.guild, flow)
    if first:
        await interaction.response.send_message(embed=embed, view=view, ephemeral=True)
    else:
        await interaction.response.edit_message(embed=embed, view=view)


def setup_view(tools: Tools, flow: Flow, checks: Sequence[Check], pages: int) -> discord.ui.View:
    """The controls of one page; each answers by its custom_id (see `SetupControl`)."""
    view = discord.ui.View(timeout=None)
    row = 0
    buttons_row = 3
    for check in checks:
        setting = check.setting
        if setting.kind == "channel":
            view.add_item(SetupControl(channel_select(setting, row)))
            row += 1
        elif setting.kind == "zone":
            view.add_item(SetupControl(zone_select(setting, check, flow, tools, row)))
            row += 1
            view.add_item(
                SetupControl(button(messages.SEARCH_ZONES, "search", setting.key, row=buttons_row))
            )
        elif setting.kind == "time":
            label = f"{setting.label}: {check.shown}"[:80]
            view.add_item(SetupControl(button(label, "pick", setting.key, row=buttons_row)))
        elif setting.kind == "toggle":
            label = messages.TOGGLE_LABEL.format(label=setting.label, state=check.shown)[:80]
            style = discord.ButtonStyle.success if check.value else discord.ButtonStyle.secondary
            view.add_item(
                SetupControl(button(label, "pick", setting.key, row=buttons_row, style=style))
            )
    last = pages - 1
    for where, label, target, disabled in (
        ("back", messages.BACK, flow.page - 1, flow.page == 0),
        ("next", messages.NEXT, flow.page + 1, flow.page >= last),
    ):
        nav = button(label, "nav", f"{where}-{max(0, min(target, last))}", row=4)
        nav.disabled = disabled
        view.add_item(SetupControl(nav))
    done = button(messages.DONE, "nav", "done", row=4, style=discord.ButtonStyle.primary)
    view.add_item(SetupControl(done))
    # Only the components are wanted: the DynamicItems answer, so no copy is kept in memory.
    view.stop()
    return view


def button(
    label: str,
    action: str,
    arg: str,
    *,
    row: int,
    style: discord.ButtonStyle = discord.ButtonStyle.secondary,
) -> discord.ui.Button[Any]:
    return discord.ui.Button(
        label=label, custom_id=custom_id("setup", action, arg), style=style, row=row
    )


def channel_select(setting: Setting, row: int) -> discord.ui.ChannelSelect[Any]:
    return discord.ui.ChannelSelect(
        custom_id=custom_id("setup", "pick", setting.key),
        channel_types=list(setting.channel_types),
        placeholder=messages.CHANNEL_PLACEHOLDER.format(label=setting.label)[:150],
        min_values=1,
        max_values=1,
        row=row,
    )


def zone_select(
    setting: Setting, check: Check, flow: Flow, tools: Tools, row: int
) -> discord.ui.Select[Any]:
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
    return discord.ui.Select(
        custom_id=custom_id("setup", "pick", setting.key),
        placeholder=messages.ZONE_PLACEHOLDER.format(zone=check.shown)[:150],
        options=options,
        min_values=1,
        max_values=1,
        row=row,
    )


def tools_of(interaction: discord.Interaction[Any]) -> Tools:
    tools: Tools = handler_of(interaction, "SetupCog").tools()
    return tools


def setting_of(tools: Tools, key: str) -> tuple[Setting, int]:
    """The setting a control or form is about, and the page it is on."""
    for setting in tools.service.settings:
        if setting.key == key:
            return setting, tools.service.pages().index(setting.page)
    raise UserFacingError(messages.SETTING_GONE)


def _guild(interaction: discord.Interaction[Any]) -> discord.Guild:
    if interaction.guild is None:
        raise UserFacingError(messages.NOT_YOURS)
    return interaction.guild


class SetupControl(
    discord.ui.DynamicItem[discord.ui.Item[Any]],
    template=r"setup:(?P<action>pick|search|nav):(?P<arg>[a-z_]{1,40})(?:-(?P<page>[0-9]{1,2}))?",
):
    """Any control of /setup: a channel or zone select, a time, toggle, search or nav button.

    Not a `bot.ui.PersistentButton`: that base wraps a button, and most of these are selects
    (a channel select, a zone select) whose chosen value arrives with the click; one item for
    both keeps one custom_id scheme and one route for every control of the flow. It takes the
    same friendly path on failure (`guarded_callback`) and names no member in its custom_id."""

    def __init__(self, item: discord.ui.Item[Any]) -> None:
        super().__init__(item)
        match = self.template.fullmatch(getattr(item, "custom_id", "") or "")
        if match is None:
            raise ValueError("not a /setup control")
        self.action = match["action"]
        self.arg = match["arg"]  # a setting's key, or where a nav button goes
        self.page = int(match["page"] or 0)  # for back and next: the page they lead to

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> SetupControl:
        return cls(item)

    async def interaction_check(self, interaction: discord.Interaction[Any]) -> bool:
        return await _may_set_up(interaction)

    @guarded_callback
    async def callback(self, interaction: discord.Interaction[Bot]) -> None:  # type: ignore[override]
        tools = tools_of(interaction)
        guild = _guild(interaction)
        if self.action == "nav":
            await self._navigate(interaction, tools, guild)
            return
        setting, page = setting_of(tools, self.arg)
        if self.action == "search":
            await interaction.response.send_modal(ZoneSearchModal(setting.key))
            return
        check = await tools.service.check(guild, setting)
        if setting.kind == "time":
            current = check.shown if check.value is not None else ""
            await interaction.response.send_modal(TimeModal(setting, current))
            return
        if setting.kind == "channel":
            channel = self._chosen()
            if not isinstance(channel, discord.abc.Snowflake):
                raise UserFacingError(messages.SETTING_GONE)
            note = await tools.service.choose_channel(guild, setting.key, channel.id)
        elif setting.kind == "zone":
            zone = canonical_timezone_name(str(self._chosen()))
            note = await tools.service.choose(guild, setting.key, zone, zone)
        else:  # a toggle flips what is stored, not what an old message showed
            new = not check.value
            shown = messages.ON if new else messages.OFF
            note = await tools.service.choose(guild, setting.key, new, shown)
        await show(interaction, tools, Flow(page=page, note=note))

    def _chosen(self) -> object:
        values = getattr(self.item, "values", None) or [None]
        return values[0]

    async def _navigate(
        self, interaction: discord.Interaction[Bot], tools: Tools, guild: discord.Guild
    ) -> None:
        if self.arg == "done":
            from cogs.setup.cog import config_embed

            embed = await config_embed(interaction.client, tools.service, guild)
            await interaction.response.edit_message(
                content=messages.DONE_NOTE, embed=embed, view=None
            )
            return
        await show(interaction, tools, Flow(page=self.page))


class ZoneSearchModal(
    PersistentModal,
    title=messages.ZONE_MODAL_TITLE,
    template=r"setup:searchform:(?P<key>[a-z_]{1,40})",
):
    query: discord.ui.TextInput[ZoneSearchModal] = discord.ui.TextInput(
        label=messages.ZONE_MODAL_LABEL, max_length=60, custom_id=custom_id("setup", "query")
    )

    def __init__(self, key: str) -> None:
        super().__init__(custom_id=custom_id("setup", "searchform", key))
        self.key = key

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], match: re.Match[str], /
    ) -> Self:
        return cls(match["key"])

    async def interaction_check(self, interaction: discord.Interaction[Any]) -> bool:
        return await _may_set_up(interaction)

    async def on_submit(self, interaction: discord.Interaction[Bot]) -> None:  # type: ignore[override]
        tools = tools_of(interaction)
        _, page = setting_of(tools, self.key)
        text = self.query.value.strip()
        found = tools.suggest_zones(text)[:24]
        if not found:
            note = messages.ZONE_NO_MATCH.format(query=text[:40])
            await show(interaction, tools, Flow(page=page, note=note))
            return
        note = plural(len(found), messages.ZONE_FOUND_ONE, messages.ZONE_FOUND_MANY).format(
            query=text[:40]
        )
        await show(interaction, tools, Flow(page=page, note=note, zone_choices=tuple(found)))


class TimeModal(
    PersistentModal,
    title=messages.TIME_MODAL_TITLE,
    template=r"setup:timeform:(?P<key>[a-z_]{1,40})",
):
    def __init__(self, setting: Setting, current: str = "") -> None:
        super().__init__(custom_id=custom_id("setup", "timeform", setting.key))
        self.setting = setting
        self.value_input: discord.ui.TextInput[TimeModal] = discord.ui.TextInput(
            label=messages.TIME_MODAL_LABEL,
            default=current or None,
            max_length=10,
            custom_id=custom_id("setup", "time"),
        )
        self.add_item(self.value_input)

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], match: re.Match[str], /
    ) -> Self:
        setting, _ = setting_of(tools_of(interaction), match["key"])
        return cls(setting)

    async def interaction_check(self, interaction: discord.Interaction[Any]) -> bool:
        return await _may_set_up(interaction)

    async def on_submit(self, interaction: discord.Interaction[Bot]) -> None:  # type: ignore[override]
        tools = tools_of(interaction)
        guild = _guild(interaction)
        _, page = setting_of(tools, self.setting.key)
        try:
            value = tools.parse_time(self.value_input.value)
        except ValueError as exc:
            await show(interaction, tools, Flow(page=page, note=f"⚠️ {exc}"))
            return
        note = await tools.service.choose(guild, self.setting.key, value, value.strftime("%H:%M"))
        await show(interaction, tools, Flow(page=page, note=note))


async def _may_set_up(interaction: discord.Interaction[Any]) -> bool:
    if interaction.guild is None or not tools_of(interaction).may_manage(interaction):
        await interaction.response.send_message(messages.NOT_YOURS, ephemeral=True)
        return False
    return True
