"""The buttons encouragement adds to a story post, and its two modals.

custom_ids are "enc:<action>:<story id>": the opaque story id only, never a member. The buttons
are DynamicItems, so they work on every story ever posted, across restarts.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Self

import discord

from bot.errors import UserFacingError
from bot.tree import send_ephemeral
from bot.ui import PersistentButton, PersistentModal, custom_id, handler_of
from cogs.encouragement import messages as m
from cogs.encouragement.kind_words import MaybePosted
from cogs.encouragement.logic import ENCOURAGEMENT_LIMIT, REPLY_LIMIT

if TYPE_CHECKING:
    from bot.app import Bot
    from cogs.encouragement.kind_words import KindWords
    from cogs.encouragement.service import DigestChoice, EncouragementService


# The stories feature's opaque story id (random, URL-safe); never a member id.
PUBLIC_ID = r"[A-Za-z0-9_-]{8,32}"
# One form's submission token (random, URL-safe): the nonce of its post, never a member id.
TOKEN = r"[A-Za-z0-9_-]{16}"
_NAMED, _ANONYMOUS = "named", "anonymous"


def _service(interaction: discord.Interaction[Bot]) -> EncouragementService:
    service: EncouragementService = handler_of(interaction, "Encouragement").service
    return service


def _kind_words(interaction: discord.Interaction[Bot]) -> KindWords:
    return _service(interaction).kind_words


def new_token() -> str:
    """A fresh submission token: one per opened form, so one submission is one post."""
    return secrets.token_urlsafe(12)


async def answer_maybe_posted(interaction: discord.Interaction[Bot], error: MaybePosted) -> None:
    """Discord did not confirm the post: say so truthfully, with a Try again that cannot
    double it (it carries the submission's token, and so its nonce)."""
    view = discord.ui.View(timeout=None)
    view.add_item(RetryButton(error.token))
    view.stop()  # the DynamicItem answers; no need to keep this copy
    await interaction.followup.send(error.message, view=view, ephemeral=True)


def me_too_label(count: int) -> str:
    return m.ME_TOO_BUTTON_COUNTED.format(count=count) if count else m.ME_TOO_BUTTON


class EncourageButton(PersistentButton, template=rf"enc:write:(?P<story>{PUBLIC_ID})"):
    def __init__(self, public_id: str) -> None:
        super().__init__(
            "enc",
            "write",
            public_id,
            label=m.ENCOURAGE_BUTTON,
            emoji="💬",
            style=discord.ButtonStyle.primary,
        )
        self.public_id = public_id

    @classmethod
    def from_match(cls, match: re.Match[str], button: discord.ui.Button[Any] | None) -> Self:
        return cls(match["story"])

    async def on_click(self, interaction: discord.Interaction[Bot]) -> None:
        await interaction.response.send_modal(EncourageModal(self.public_id))


class RetryButton(PersistentButton, template=rf"enc:retry:(?P<token>{TOKEN})"):
    """Under a "may have been posted" answer (ephemeral): sends that submission again with its
    own nonce, or finds it already posted."""

    def __init__(self, token: str) -> None:
        super().__init__(
            "enc", "retry", token, label=m.TRY_AGAIN, style=discord.ButtonStyle.primary
        )
        self.token = token

    @classmethod
    def from_match(cls, match: re.Match[str], button: discord.ui.Button[Any] | None) -> Self:
        return cls(match["token"])

    async def on_click(self, interaction: discord.Interaction[Bot]) -> None:
        if interaction.guild is None:
            await send_ephemeral(interaction, m.SERVER_ONLY)
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        try:
            link = await _kind_words(interaction).retry(
                self.token, interaction.guild.id, interaction.user.id
            )
        except MaybePosted as error:
            await answer_maybe_posted(interaction, error)
            return
        await interaction.followup.send(m.ALREADY_POSTED.format(link=link), ephemeral=True)


class MeTooButton(PersistentButton, template=rf"enc:metoo:(?P<story>{PUBLIC_ID})"):
    def __init__(self, public_id: str, count: int = 0) -> None:
        super().__init__("enc", "metoo", public_id, label=me_too_label(count), emoji="🤝")
        self.public_id = public_id

    @classmethod
    def from_match(cls, match: re.Match[str], button: discord.ui.Button[Any] | None) -> Self:
        return cls(match["story"])

    async def on_click(self, interaction: discord.Interaction[Bot]) -> None:
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


# "enc:digests" on messages sent before custom_ids had their (here empty) third part.
class DigestsButton(PersistentButton, template=r"enc:digests:?"):
    """In /mystories: opens the member's own list of digest switches (carries no id at all)."""

    def __init__(self) -> None:
        super().__init__("enc", "digests", label=m.DIGESTS_BUTTON)

    @classmethod
    def from_match(cls, match: re.Match[str], button: discord.ui.Button[Any] | None) -> Self:
        return cls()

    async def on_click(self, interaction: discord.Interaction[Bot]) -> None:
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


class DigestToggle(PersistentButton, template=rf"enc:digest:(?P<story>{PUBLIC_ID})"):
    def __init__(self, public_id: str, label: str = "", on: bool = False) -> None:
        super().__init__(
            "enc",
            "digest",
            public_id,
            label=(m.DIGEST_TOGGLE_ON if on else m.DIGEST_TOGGLE_OFF).format(label=label),
            style=discord.ButtonStyle.success if on else discord.ButtonStyle.secondary,
        )
        self.public_id = public_id

    @classmethod
    def from_match(cls, match: re.Match[str], button: discord.ui.Button[Any] | None) -> Self:
        return cls(match["story"])

    async def on_click(self, interaction: discord.Interaction[Bot]) -> None:
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
    me_too = custom_id("enc", "metoo", public_id)
    mine = {custom_id("enc", "write", public_id), me_too}
    present = False
    for child in view.children:
        if isinstance(child, discord.ui.Button) and child.custom_id in mine:
            present = True
            if child.custom_id == me_too:
                child.label = me_too_label(me_too_count)
    if not present:
        for item in story_items(public_id, me_too_count):
            view.add_item(item)
    # Only the components are wanted: the DynamicItems answer the clicks, so this copy must not
    # be kept in discord.py's view store (a stopped view is not).
    view.stop()
    return view


class EncourageModal(
    PersistentModal, template=rf"enc:encourage:(?P<story>{PUBLIC_ID}):(?P<send>{TOKEN})"
):
    def __init__(self, public_id: str, token: str | None = None) -> None:
        # One token per opened form, in its custom_id (the story's opaque id and the token,
        # never a member): a second delivery of this submission posts nothing new.
        self.token = token or new_token()
        super().__init__(
            title=m.ENCOURAGE_TITLE,
            custom_id=custom_id("enc", "encourage", f"{public_id}:{self.token}"),
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
            # Anonymous unless the member picks their name, each time (a community about
            # rejection: "a member" is the kind default).
            options=[
                discord.SelectOption(
                    label=m.SIGN_ANONYMOUS,
                    value=_ANONYMOUS,
                    description=m.SIGN_ANONYMOUS_HINT,
                    default=True,
                ),
                discord.SelectOption(
                    label=m.SIGN_NAMED, value=_NAMED, description=m.SIGN_NAMED_HINT
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
        return cls(match["story"], match["send"])

    @property
    def anonymous(self) -> bool:
        return _NAMED not in self.sign.values

    async def on_submit(self, interaction: discord.Interaction[Bot]) -> None:  # type: ignore[override]
        if interaction.guild is None:
            raise UserFacingError(m.SERVER_ONLY)
        # Posting takes a moment; the acknowledgement is private and names nobody.
        await interaction.response.defer(ephemeral=True, thinking=True)
        display = None if self.anonymous else interaction.user.display_name
        try:
            link = await _kind_words(interaction).encourage(
                self.public_id,
                interaction.guild.id,
                interaction.user.id,
                self.words.value,
                display,
                token=self.token,
                # Exempt from the limit across stories only (never from the one per story).
                moderator=interaction.permissions.manage_messages,
            )
        except MaybePosted as error:
            await answer_maybe_posted(interaction, error)
            return
        text = m.ENCOURAGED_ANONYMOUSLY if self.anonymous else m.ENCOURAGED
        await interaction.followup.send(text.format(link=link), ephemeral=True)


class ReplyModal(PersistentModal, template=rf"enc:reply:(?P<story>{PUBLIC_ID}):(?P<send>{TOKEN})"):
    def __init__(self, public_id: str, token: str | None = None) -> None:
        self.token = token or new_token()
        super().__init__(
            title=m.REPLY_TITLE, custom_id=custom_id("enc", "reply", f"{public_id}:{self.token}")
        )
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
        return cls(match["story"], match["send"])

    async def on_submit(self, interaction: discord.Interaction[Bot]) -> None:  # type: ignore[override]
        if interaction.guild is None:
            raise UserFacingError(m.SERVER_ONLY)
        await interaction.response.defer(ephemeral=True, thinking=True)
        try:
            await _kind_words(interaction).reply_as_op(
                self.public_id,
                interaction.guild.id,
                interaction.user.id,
                self.words.value,
                token=self.token,
            )
        except MaybePosted as error:
            await answer_maybe_posted(interaction, error)
            return
        await interaction.followup.send(m.REPLIED, ephemeral=True)
