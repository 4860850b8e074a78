"""The buttons encouragement adds to a story post, and its two modals.

custom_ids are "enc:<action>:<story id>": the opaque story id only, never a member. The buttons
are DynamicItems, so they work on every story ever posted, across restarts.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Self

import discord

from bot.errors import UserFacingError
from bot.tree import send_ephemeral
from bot.ui import PersistentModal, custom_id, guarded_callback
from cogs.encouragement import messages as m
from cogs.encouragement.logic import ENCOURAGEMENT_LIMIT, REPLY_LIMIT

if TYPE_CHECKING:
    from bot.app import Bot
    from cogs.encouragement.service import DigestChoice, EncouragementService


WRITE_PREFIX = "enc:write:"
ME_TOO_PREFIX = "enc:metoo:"
# The stories feature's opaque story id (random, URL-safe); never a member id.
PUBLIC_ID = r"[A-Za-z0-9_-]{8,32}"
_NAMED, _ANONYMOUS = "named", "anonymous"


def _service(interaction: discord.Interaction[Bot]) -> EncouragementService:
    cog: Any = interaction.client.get_cog("Encouragement")
    return cog.service


def me_too_label(count: int) -> str:
    return m.ME_TOO_BUTTON_COUNTED.format(count=count) if count else m.ME_TOO_BUTTON


class EncourageButton(
    discord.ui.DynamicItem[discord.ui.Button[discord.ui.View]],
    template=rf"enc:write:(?P<story>{PUBLIC_ID})",
):
    def __init__(self, public_id: str) -> None:
        super().__init__(
            discord.ui.Button(
                label=m.ENCOURAGE_BUTTON,
                emoji="💬",
                style=discord.ButtonStyle.primary,
                custom_id=f"{WRITE_PREFIX}{public_id}",
            )
        )
        self.public_id = public_id

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> EncourageButton:
        return cls(match["story"])

    @guarded_callback
    async def callback(self, interaction: discord.Interaction[Bot]) -> None:  # type: ignore[override]
        await interaction.response.send_modal(EncourageModal(self.public_id))


class MeTooButton(
    discord.ui.DynamicItem[discord.ui.Button[discord.ui.View]],
    template=rf"enc:metoo:(?P<story>{PUBLIC_ID})",
):
    def __init__(self, public_id: str, count: int = 0) -> None:
        super().__init__(
            discord.ui.Button(
                label=me_too_label(count),
                emoji="🤝",
                style=discord.ButtonStyle.secondary,
                custom_id=f"{ME_TOO_PREFIX}{public_id}",
            )
        )
        self.public_id = public_id

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> MeTooButton:
        return cls(match["story"])

    @guarded_callback
    async def callback(self, interaction: discord.Interaction[Bot]) -> None:  # type: ignore[override]
        if interaction.guild is None or interaction.message is None:
            await send_ephemeral(interaction, m.SERVER_ONLY)
            return
        change = await _service(interaction).toggle_me_too(
            self.public_id, interaction.guild.id, interaction.user.id
        )
        if change is None:
            await send_ephemeral(interaction, m.STORY_GONE)
            return
        # The count on the post changes as the click's own answer (no extra request, no ping).
        await interaction.response.edit_message(
            view=with_story_items(interaction.message, self.public_id, change.count)
        )
        await interaction.followup.send(
            m.ME_TOO_ADDED if change.added else m.ME_TOO_REMOVED, ephemeral=True
        )


class DigestsButton(
    discord.ui.DynamicItem[discord.ui.Button[discord.ui.View]], template=r"enc:digests"
):
    """In /mystories: opens the member's own list of digest switches (carries no id at all)."""

    def __init__(self) -> None:
        super().__init__(
            discord.ui.Button(
                label=m.DIGESTS_BUTTON, style=discord.ButtonStyle.secondary, custom_id="enc:digests"
            )
        )

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> DigestsButton:
        return cls()

    @guarded_callback
    async def callback(self, interaction: discord.Interaction[Bot]) -> None:  # type: ignore[override]
        if interaction.guild is None:
            await send_ephemeral(interaction, m.SERVER_ONLY)
            return
        choices = await _service(interaction).digest_choices(
            interaction.guild.id, interaction.user.id
        )
        if not choices:
            await send_ephemeral(interaction, m.DIGESTS_NONE)
            return
        await interaction.response.send_message(
            m.DIGESTS_TITLE, view=digest_switches(choices), ephemeral=True
        )


class DigestToggle(
    discord.ui.DynamicItem[discord.ui.Button[discord.ui.View]],
    template=rf"enc:digest:(?P<story>{PUBLIC_ID})",
):
    def __init__(self, public_id: str, label: str = "", on: bool = False) -> None:
        super().__init__(
            discord.ui.Button(
                label=(m.DIGEST_TOGGLE_ON if on else m.DIGEST_TOGGLE_OFF).format(label=label),
                style=discord.ButtonStyle.success if on else discord.ButtonStyle.secondary,
                custom_id=f"enc:digest:{public_id}",
            )
        )
        self.public_id = public_id

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> DigestToggle:
        return cls(match["story"])

    @guarded_callback
    async def callback(self, interaction: discord.Interaction[Bot]) -> None:  # type: ignore[override]
        if interaction.guild is None:
            await send_ephemeral(interaction, m.SERVER_ONLY)
            return
        service = _service(interaction)
        try:
            await service.toggle_digest(self.public_id, interaction.guild.id, interaction.user.id)
        except UserFacingError as exc:
            await send_ephemeral(interaction, exc.message)
            return
        choices = await service.digest_choices(interaction.guild.id, interaction.user.id)
        await interaction.response.edit_message(view=digest_switches(choices))


def digest_switches(choices: Sequence[DigestChoice]) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    for choice in choices[:25]:
        view.add_item(DigestToggle(choice.public_id, choice.label, choice.on))
    view.stop()  # the DynamicItems answer; no need to keep this copy
    return view


def story_items(public_id: str, me_too_count: int = 0) -> list[discord.ui.Item[Any]]:
    """The buttons encouragement puts on a story post (next to the stories feature's own)."""
    return [EncourageButton(public_id), MeTooButton(public_id, me_too_count)]


def with_story_items(
    message: discord.Message, public_id: str, me_too_count: int
) -> discord.ui.View:
    """The post's current buttons (Report and whatever else it has), with ours added or, if
    already there, the Me too count brought up to date."""
    view = discord.ui.View.from_message(message, timeout=None)
    assert isinstance(view, discord.ui.View)
    mine = {f"{WRITE_PREFIX}{public_id}", f"{ME_TOO_PREFIX}{public_id}"}
    present = False
    for child in view.children:
        if isinstance(child, discord.ui.Button) and child.custom_id in mine:
            present = True
            if child.custom_id.startswith(ME_TOO_PREFIX):
                child.label = me_too_label(me_too_count)
    if not present:
        for item in story_items(public_id, me_too_count):
            view.add_item(item)
    # Only the components are wanted: the DynamicItems answer the clicks, so this copy must not
    # be kept in discord.py's view store (a stopped view is not).
    view.stop()
    return view


class EncourageModal(PersistentModal, template=rf"enc:encourage:(?P<story>{PUBLIC_ID})"):
    def __init__(self, public_id: str) -> None:
        super().__init__(
            title=m.ENCOURAGE_TITLE, custom_id=custom_id("enc", "encourage", public_id)
        )
        self.public_id = public_id
        self.words: discord.ui.TextInput[EncourageModal] = discord.ui.TextInput(
            label=m.ENCOURAGE_FIELD,
            custom_id="words",
            style=discord.TextStyle.paragraph,
            placeholder=m.ENCOURAGE_PLACEHOLDER,
            max_length=ENCOURAGEMENT_LIMIT,
        )
        self.sign: discord.ui.Select[EncourageModal] = discord.ui.Select(
            custom_id="sign",
            options=[
                discord.SelectOption(label=m.SIGN_NAMED, value=_NAMED, default=True),
                discord.SelectOption(
                    label=m.SIGN_ANONYMOUS, value=_ANONYMOUS, description=m.SIGN_ANONYMOUS_HINT
                ),
            ],
            min_values=1,
            max_values=1,
            required=False,
        )
        self.add_item(self.words)
        self.add_item(discord.ui.Label(text=m.SIGN_FIELD, component=self.sign))

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], match: re.Match[str], /
    ) -> Self:
        return cls(match["story"])

    @property
    def anonymous(self) -> bool:
        return _ANONYMOUS in self.sign.values

    async def on_submit(self, interaction: discord.Interaction[Bot]) -> None:  # type: ignore[override]
        if interaction.guild is None:
            raise UserFacingError(m.SERVER_ONLY)
        # Posting takes a moment; the acknowledgement is private and names nobody.
        await interaction.response.defer(ephemeral=True, thinking=True)
        display = None if self.anonymous else interaction.user.display_name
        link = await _service(interaction).encourage(
            self.public_id, interaction.guild.id, interaction.user.id, self.words.value, display
        )
        text = m.ENCOURAGED_ANONYMOUSLY if self.anonymous else m.ENCOURAGED
        await interaction.followup.send(text.format(link=link), ephemeral=True)


class ReplyModal(PersistentModal, template=rf"enc:reply:(?P<story>{PUBLIC_ID})"):
    def __init__(self, public_id: str) -> None:
        super().__init__(title=m.REPLY_TITLE, custom_id=custom_id("enc", "reply", public_id))
        self.public_id = public_id
        self.words: discord.ui.TextInput[ReplyModal] = discord.ui.TextInput(
            label=m.REPLY_FIELD,
            custom_id="words",
            style=discord.TextStyle.paragraph,
            placeholder=m.REPLY_PLACEHOLDER,
            max_length=REPLY_LIMIT,
        )
        self.add_item(self.words)

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], match: re.Match[str], /
    ) -> Self:
        return cls(match["story"])

    async def on_submit(self, interaction: discord.Interaction[Bot]) -> None:  # type: ignore[override]
        if interaction.guild is None:
            raise UserFacingError(m.SERVER_ONLY)
        await interaction.response.defer(ephemeral=True, thinking=True)
        await _service(interaction).reply_as_op(
            self.public_id, interaction.guild.id, interaction.user.id, self.words.value
        )
        await interaction.followup.send(m.REPLIED, ephemeral=True)
