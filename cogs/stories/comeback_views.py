"""Buttons and forms of the comeback (a story's update).

Every button is one `UpdateButton` DynamicItem, custom_id `story:cb-<action>:<opaque id>`: the
opaque id is a story's or an update's random token (never a member id). The actions start with
"cb-" so that a stories button (`story:<letters>:<id>`) never matches one of these. The cog
(`ComebackCog`, cogs/stories/comeback_cog.py) decides what each does and who may do it: a
forged custom_id gets the same checks as a real one.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Protocol, Self

import discord

from bot.ui import PersistentButton, PersistentModal, custom_id, handler_of, label_of
from cogs.stories import comeback_logic as cb
from cogs.stories import logic
from cogs.stories import messages as msg
from cogs.stories.update_rows import Update

if TYPE_CHECKING:
    from bot.app import Bot

COG_NAME = "Comebacks"
PUBLIC_ID = r"[A-Za-z0-9_-]{16}"
ButtonStyle = discord.ButtonStyle

# Actions on a story (its public id): follow it, share an update, see its updates.
STORY_ACTIONS = ("follow", "new", "list")
# Actions on an update (its public id).
UPDATE_ACTIONS = ("post", "edit", "discard", "delete", "report", "approve", "reject", "remove",
                  "dismiss")  # fmt: skip


class ComebackHandlers(Protocol):
    async def on_update_button(
        self, interaction: discord.Interaction[Bot], action: str, public_id: str
    ) -> None: ...

    async def on_update_modal(
        self, interaction: discord.Interaction[Bot], modal: UpdateModal
    ) -> None: ...

    async def on_update_report(
        self, interaction: discord.Interaction[Bot], public_id: str, reason: str
    ) -> None: ...

    async def on_update_reject(
        self, interaction: discord.Interaction[Bot], public_id: str, note: str
    ) -> None: ...


def handlers(interaction: discord.Interaction[Bot]) -> ComebackHandlers:
    cog: ComebackHandlers = handler_of(interaction, COG_NAME)
    return cog


class UpdateButton(PersistentButton, template=rf"story:cb-(?P<action>[a-z]+):(?P<id>{PUBLIC_ID})"):
    def __init__(
        self,
        action: str,
        public_id: str,
        *,
        label: str,
        style: discord.ButtonStyle = ButtonStyle.secondary,
    ) -> None:
        super().__init__("story", f"cb-{action}", public_id, label=label, style=style)
        self.action = action
        self.public_id = public_id

    @classmethod
    def from_match(cls, match: re.Match[str], button: discord.ui.Button[Any] | None) -> Self:
        style = button.style if button else ButtonStyle.secondary
        return cls(match["action"], match["id"], label=label_of(button), style=style)

    async def on_click(self, interaction: discord.Interaction[Bot]) -> None:
        await handlers(interaction).on_update_button(interaction, self.action, self.public_id)


def follow_button(story_public_id: str) -> UpdateButton:
    """Under every story post: follow it for a DM on each update (opt-in)."""
    return UpdateButton("follow", story_public_id, label=msg.FOLLOW)


def _view(*buttons: discord.ui.Item[Any]) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    for button in buttons:
        view.add_item(button)
    return view


def mine_buttons(numbered: Sequence[tuple[int, str]]) -> list[UpdateButton]:
    """/mystories: "Update N" for each posted story (its place in the list, its public id)."""
    return [
        UpdateButton("list", sid, label=msg.CB_UPDATE_BUTTON.format(n=n)) for n, sid in numbered
    ]


def updates_view(story_public_id: str, updates: Sequence[Update]) -> discord.ui.View:
    buttons: list[UpdateButton] = [
        UpdateButton("new", story_public_id, label=msg.CB_NEW, style=ButtonStyle.primary)
    ]
    for n, update in enumerate(updates[:12], start=1):
        buttons.append(UpdateButton("edit", update.public_id, label=msg.CB_EDIT.format(n=n)))
        buttons.append(UpdateButton("delete", update.public_id, label=msg.CB_DELETE.format(n=n)))
    return _view(*buttons)


def nudge_view(update: Update) -> discord.ui.View:
    return _view(
        UpdateButton("edit", update.public_id, label=msg.EDIT, style=ButtonStyle.primary),
        UpdateButton("post", update.public_id, label=msg.POST_ANYWAY),
        UpdateButton("discard", update.public_id, label=msg.DISCARD_IT, style=ButtonStyle.danger),
    )


def post_view(update: Update) -> discord.ui.View:
    return _view(UpdateButton("report", update.public_id, label=msg.REPORT))


def queue_view(update: Update) -> discord.ui.View:
    return _view(
        UpdateButton("approve", update.public_id, label=msg.APPROVE, style=ButtonStyle.success),
        UpdateButton("reject", update.public_id, label=msg.REJECT),
    )


def report_view(update: Update) -> discord.ui.View:
    return _view(
        UpdateButton("remove", update.public_id, label=msg.REMOVE, style=ButtonStyle.danger),
        UpdateButton("dismiss", update.public_id, label=msg.DISMISS),
    )


# -- forms -----------------------------------------------------------------------------------------

NEW = "new"
EDIT = "edit"


FORM = rf"story:cbform:(?P<mode>new|edit):(?P<id>{PUBLIC_ID})"


class UpdateModal(PersistentModal, template=FORM):
    """A new update to a story (`mode` new, the story's id) or an edit (`mode` edit, the
    update's id). Fixed input custom_ids (update_text, update_kind, update_card)."""

    def __init__(self, mode: str, public_id: str, update: Update | None = None) -> None:
        super().__init__(
            title=msg.CB_MODAL_TITLE, custom_id=custom_id("story", "cbform", f"{mode}:{public_id}")
        )
        self.mode = mode
        self.public_id = public_id
        self.text = discord.ui.TextInput[Any](
            custom_id="update_text",
            style=discord.TextStyle.paragraph,
            max_length=cb.UPDATE_MAX_CHARS,
            default=update.body if update else None,
        )
        self.kind = discord.ui.Select[Any](
            custom_id="update_kind",
            options=[
                discord.SelectOption(
                    label=label, value=key, default=bool(update and update.kind == key)
                )
                for key, label, _ in cb.KINDS
            ],
        )
        card_on = update.card if update else True
        self.card = discord.ui.Select[Any](
            custom_id="update_card",
            options=[
                discord.SelectOption(label=msg.CB_CARD_YES, value="yes", default=card_on),
                discord.SelectOption(label=msg.CB_CARD_NO, value="no", default=not card_on),
            ],
        )
        self.add_item(
            discord.ui.Label(
                text=msg.CB_FIELD_TEXT, description=msg.CB_FIELD_TEXT_HINT, component=self.text
            )
        )
        self.add_item(discord.ui.Label(text=msg.CB_FIELD_KIND, component=self.kind))
        self.add_item(discord.ui.Label(text=msg.CB_FIELD_CARD, component=self.card))

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], match: re.Match[str], /
    ) -> Self:
        return cls(match["mode"], match["id"])

    @property
    def chosen_kind(self) -> str:
        return cb.kind_of(self.kind.values[0] if self.kind.values else None)

    @property
    def wants_card(self) -> bool:
        return not self.card.values or self.card.values[0] != "no"

    async def on_submit(self, interaction: discord.Interaction[Bot]) -> None:  # type: ignore[override]
        await handlers(interaction).on_update_modal(interaction, self)


# One optional paragraph about an update, as the stories' NoteModal: a report's reason
# (`cbreport`) or a moderator's note when not approving it (`cbreject`).
_NOTE_FORMS = {
    "cbreport": (msg.REPORT_MODAL_TITLE, "reason", msg.REPORT_FIELD, msg.REPORT_PLACEHOLDER),
    "cbreject": (msg.CB_REJECT_MODAL_TITLE, "note", msg.REJECT_FIELD, msg.CB_REJECT_PLACEHOLDER),
}


class UpdateNoteModal(
    PersistentModal, template=rf"story:(?P<form>cbreport|cbreject):(?P<id>{PUBLIC_ID})"
):
    """Answered by its custom_id, after a restart too; the handler checks who sends it."""

    def __init__(self, form: str, public_id: str) -> None:
        title, field, label, placeholder = _NOTE_FORMS[form]
        super().__init__(title=title, custom_id=custom_id("story", form, public_id))
        self.form = form
        self.public_id = public_id
        self.reason = discord.ui.TextInput[Any](
            custom_id=field,
            label=label,
            style=discord.TextStyle.paragraph,
            placeholder=placeholder,
            required=False,
            max_length=logic.REASON_MAX_INPUT,
        )
        self.add_item(self.reason)

    @classmethod
    def report(cls, public_id: str) -> Self:
        return cls("cbreport", public_id)

    @classmethod
    def reject(cls, public_id: str) -> Self:
        return cls("cbreject", public_id)

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], match: re.Match[str], /
    ) -> Self:
        return cls(match["form"], match["id"])

    async def on_submit(self, interaction: discord.Interaction[Bot]) -> None:  # type: ignore[override]
        handler = handlers(interaction)
        answer = handler.on_update_report if self.form == "cbreport" else handler.on_update_reject
        await answer(interaction, self.public_id, self.reason.value)
