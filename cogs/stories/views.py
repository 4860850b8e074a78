"""Modals and buttons of anonymous stories.

Every button is one `StoryButton` DynamicItem with the custom_id `story:<action>:<opaque id>`:
the opaque id is a random token of the story (never a member id), and DynamicItems keep working
after a restart. The cog decides what each action does (`StoriesCog.on_button`).

`story_post_view` builds the components of a public story post: other features' buttons come
first (encouragement's, through the core's seam `bot.seams.STORY_POST_ITEMS`), then Report.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, Self

import discord

from bot.ui import PersistentButton, PersistentModal, custom_id, handler_of, label_of
from cogs.stories import logic
from cogs.stories import messages as msg
from cogs.stories.comeback_views import follow_button
from cogs.stories.repository import Story

if TYPE_CHECKING:
    from bot.app import Bot

log = logging.getLogger(__name__)

COG_NAME = "Stories"
PUBLIC_ID = r"[A-Za-z0-9_-]{16}"
ButtonStyle = discord.ButtonStyle


class StoryHandlers(Protocol):
    """What the cog offers the views (kept as a protocol so views never import the cog)."""

    async def on_button(
        self, interaction: discord.Interaction[Bot], action: str, public_id: str
    ) -> None: ...

    async def on_share_modal(
        self, interaction: discord.Interaction[Bot], modal: ShareModal
    ) -> None: ...

    async def on_reject_modal(
        self, interaction: discord.Interaction[Bot], public_id: str, note: str
    ) -> None: ...

    async def on_report_modal(
        self, interaction: discord.Interaction[Bot], public_id: str, reason: str
    ) -> None: ...


def handlers(interaction: discord.Interaction[Bot]) -> StoryHandlers:
    cog: StoryHandlers = handler_of(interaction, COG_NAME)
    return cog


class StoryButton(PersistentButton, template=rf"story:(?P<action>[a-z]+):(?P<sid>{PUBLIC_ID})"):
    def __init__(
        self,
        action: str,
        public_id: str,
        *,
        label: str,
        style: discord.ButtonStyle = ButtonStyle.secondary,
        disabled: bool = False,
    ) -> None:
        super().__init__("story", action, public_id, label=label, style=style, disabled=disabled)
        self.action = action
        self.public_id = public_id

    @classmethod
    def from_match(cls, match: re.Match[str], button: discord.ui.Button[Any] | None) -> Self:
        style = button.style if button else ButtonStyle.secondary
        return cls(match["action"], match["sid"], label=label_of(button), style=style)

    async def on_click(self, interaction: discord.Interaction[Bot]) -> None:
        await handlers(interaction).on_button(interaction, self.action, self.public_id)


def _view(*buttons: StoryButton) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    for button in buttons:
        view.add_item(button)
    return view


def story_post_view(story: Story, others: Sequence[discord.ui.Item[Any]] = ()) -> discord.ui.View:
    """The buttons under a public story post: other features' (`others`, e.g. encouragement's
    Encourage and Me too) first, then Follow (the comeback's updates by DM) and Report."""
    view = discord.ui.View(timeout=None)
    report = StoryButton("report", story.public_id, label=msg.REPORT)
    for item in (*others, follow_button(story.public_id), report):
        view.add_item(item)
    return view


def ack_view(story: Story) -> discord.ui.View:
    return _view(StoryButton("dm", story.public_id, label=msg.DM_OPT_IN))


def nudge_view(story: Story, *, too_long: bool, can_post: bool = True) -> discord.ui.View:
    edit = StoryButton("edit", story.public_id, label=msg.EDIT, style=ButtonStyle.primary)
    if not can_post:  # too few words of its own: edit only
        return _view(edit)
    post_label = msg.POST_SHORTENED if too_long else msg.POST_ANYWAY
    return _view(edit, StoryButton("post", story.public_id, label=post_label))


def unconfirmed_view(story: Story) -> discord.ui.View:
    """A story whose acknowledgement never reached its author: post it, edit it or discard it."""
    return _view(
        StoryButton("post", story.public_id, label=msg.POST_IT, style=ButtonStyle.primary),
        StoryButton("edit", story.public_id, label=msg.EDIT_IT),
        StoryButton("discard", story.public_id, label=msg.DISCARD_IT, style=ButtonStyle.danger),
    )


def queue_view(story: Story) -> discord.ui.View:
    return _view(
        StoryButton("approve", story.public_id, label=msg.APPROVE, style=ButtonStyle.success),
        StoryButton("reject", story.public_id, label=msg.REJECT),
        StoryButton("block", story.public_id, label=msg.BLOCK, style=ButtonStyle.danger),
    )


def unblock_view(story: Story) -> discord.ui.View:
    return _view(StoryButton("unblock", story.public_id, label=msg.UNBLOCK))


def report_view(story: Story) -> discord.ui.View:
    return _view(
        StoryButton("remove", story.public_id, label=msg.REMOVE, style=ButtonStyle.danger),
        StoryButton("block", story.public_id, label=msg.BLOCK, style=ButtonStyle.danger),
        StoryButton("dismiss", story.public_id, label=msg.DISMISS),
    )


def report_blocked_view(story: Story) -> discord.ui.View:
    """A report whose author was blocked: the story can still be removed, the block undone."""
    return _view(
        StoryButton("remove", story.public_id, label=msg.REMOVE, style=ButtonStyle.danger),
        StoryButton("unblock", story.public_id, label=msg.UNBLOCK),
    )


def mine_view(
    stories: Sequence[Story], others: Sequence[discord.ui.Item[Any]] = ()
) -> discord.ui.View | None:
    buttons = [
        StoryButton("delete", story.public_id, label=msg.DELETE.format(n=n))
        for n, story in enumerate(stories, start=1)
    ]
    if not buttons:
        return None
    # Room for other features' buttons (encouragement's digest switches): 25 in all.
    view = _view(*buttons[: 25 - len(others)])
    for item in others:
        view.add_item(item)
    return view


# -- modals ---------------------------------------------------------------------------------------


# The form's custom_id: "story:share:new:<token>", or the draft's public id for an edit.
NEW_STORY = "new"


class ShareModal(PersistentModal, template=rf"story:share:(?P<draft>{PUBLIC_ID}|{NEW_STORY})"):
    """What happened, the stage, what I'm taking from it, what would help, a name to keep out.
    The fields have plain custom_ids (what_happened, stage, takeaway, help, company): they are
    the same for everyone and carry nothing personal.
    With `draft`, the fields come back filled in (the "Edit" of the identifying-info nudge).
    Answered whenever it is submitted, after a restart too (a story can take a while to write)."""

    def __init__(self, draft: Story | None = None, *, draft_id: str | None = None) -> None:
        self.draft_id = draft.public_id if draft else draft_id
        super().__init__(
            title=msg.MODAL_TITLE,
            custom_id=custom_id("story", "share", self.draft_id or NEW_STORY),
        )
        self.story = discord.ui.TextInput[Any](
            custom_id="what_happened",
            style=discord.TextStyle.paragraph,
            placeholder=msg.FIELD_STORY_PLACEHOLDER,
            max_length=logic.STORY_FORM_MAX,
            default=draft.body if draft else None,
        )
        self.stage = discord.ui.Select[Any](
            custom_id="stage",
            placeholder=msg.FIELD_STAGE_PLACEHOLDER,
            options=[
                discord.SelectOption(
                    label=name, value=key, default=bool(draft and draft.stage == key)
                )
                for key, name in logic.STAGES
            ],
        )
        self.takeaway = discord.ui.TextInput[Any](
            custom_id="takeaway",
            style=discord.TextStyle.paragraph,
            required=False,
            max_length=logic.TAKEAWAY_MAX_INPUT,
            default=(draft.takeaway or None) if draft else None,
        )
        self.help = discord.ui.Select[Any](
            custom_id="help",
            placeholder=msg.FIELD_HELP_PLACEHOLDER,
            min_values=0,
            required=False,
            options=[
                discord.SelectOption(
                    label=name, value=key, default=bool(draft and draft.help == key)
                )
                for key, name in logic.HELP_OPTIONS
            ],
        )
        self.company = discord.ui.TextInput[Any](
            custom_id="company",
            required=False,
            max_length=logic.COMPANY_MAX_INPUT,
            default=(draft.watch_terms or None) if draft else None,
        )
        self.add_item(
            discord.ui.Label(
                text=msg.FIELD_STORY, description=msg.FIELD_STORY_HINT, component=self.story
            )
        )
        self.add_item(discord.ui.Label(text=msg.FIELD_STAGE, component=self.stage))
        self.add_item(discord.ui.Label(text=msg.FIELD_TAKEAWAY, component=self.takeaway))
        self.add_item(discord.ui.Label(text=msg.FIELD_HELP, component=self.help))
        self.add_item(
            discord.ui.Label(
                text=msg.FIELD_COMPANY, description=msg.FIELD_COMPANY_HINT, component=self.company
            )
        )

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], match: re.Match[str], /
    ) -> Self:
        draft = match["draft"]
        return cls(draft_id=None if draft == NEW_STORY else draft)

    async def on_submit(self, interaction: discord.Interaction[Bot]) -> None:  # type: ignore[override]
        await handlers(interaction).on_share_modal(interaction, self)


@dataclass(frozen=True, slots=True)
class _NoteForm:
    title: str
    field: str  # the input's custom_id
    label: str
    placeholder: str


# A moderator's optional note when rejecting, a member's optional reason when reporting.
NOTE_FORMS = {
    "rejectform": _NoteForm(
        msg.REJECT_MODAL_TITLE, "note", msg.REJECT_FIELD, msg.REJECT_PLACEHOLDER
    ),
    "reportform": _NoteForm(
        msg.REPORT_MODAL_TITLE, "reason", msg.REPORT_FIELD, msg.REPORT_PLACEHOLDER
    ),
}


class NoteModal(
    PersistentModal, template=rf"story:(?P<form>rejectform|reportform):(?P<sid>{PUBLIC_ID})"
):
    """One optional paragraph about a story: a rejection's note (``NoteModal.reject``) or a
    report's reason (``NoteModal.report``). Answered after a restart too."""

    def __init__(self, form: str, public_id: str) -> None:
        spec = NOTE_FORMS[form]
        super().__init__(title=spec.title, custom_id=custom_id("story", form, public_id))
        self.form = form
        self.public_id = public_id
        self.text = discord.ui.TextInput[Any](
            custom_id=spec.field,
            label=spec.label,
            style=discord.TextStyle.paragraph,
            placeholder=spec.placeholder,
            required=False,
            max_length=logic.REASON_MAX_INPUT,
        )
        self.add_item(self.text)

    @classmethod
    def reject(cls, public_id: str) -> Self:
        return cls("rejectform", public_id)

    @classmethod
    def report(cls, public_id: str) -> Self:
        return cls("reportform", public_id)

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], match: re.Match[str], /
    ) -> Self:
        return cls(match["form"], match["sid"])

    async def on_submit(self, interaction: discord.Interaction[Bot]) -> None:  # type: ignore[override]
        handler = handlers(interaction)
        answer = handler.on_reject_modal if self.form == "rejectform" else handler.on_report_modal
        await answer(interaction, self.public_id, self.text.value)
