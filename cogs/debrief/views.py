"""The debrief forms and buttons (custom_ids "debrief:<action>:<opaque id>").

An opaque id is a debrief's or a reminder's random id, never a member id. Every click and form
is answered for whoever clicked: the cog opens the debrief with the clicker's own key, so a
forged or forwarded id finds nothing. Forms are PersistentModals and buttons DynamicItems, so
both work after a restart.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Self

import discord

from bot.ui import PersistentButton, PersistentModal, custom_id, handler_of, label_of
from bot.ui.pager import NEXT, PREVIOUS
from cogs.debrief import logic
from cogs.debrief import messages as m
from cogs.debrief.logic import Debrief

if TYPE_CHECKING:
    from bot.app import Bot

# The cog that answers these buttons and forms (bot.ui.handler_of).
COG_NAME = "Debrief"
ID = r"[A-Za-z0-9_-]{12}"


def _text(
    custom: str, *, limit: int, paragraph: bool = False, default: str = "", placeholder: str = ""
) -> discord.ui.TextInput[Any]:
    return discord.ui.TextInput[Any](
        custom_id=custom,
        style=discord.TextStyle.paragraph if paragraph else discord.TextStyle.short,
        required=False,
        max_length=limit,
        default=default or None,
        placeholder=placeholder or None,
    )


class StartModal(PersistentModal, template=r"debrief:start:new"):
    """Step 1: the role, the company, where it ended and the date."""

    def __init__(self) -> None:
        super().__init__(title=m.FORM_START_TITLE, custom_id=custom_id("debrief", "start", "new"))
        self.role = _text("role", limit=logic.ROLE_MAX)
        self.company = _text("company", limit=logic.COMPANY_MAX)
        self.stage = discord.ui.Select[Any](
            custom_id="stage",
            placeholder=m.FIELD_STAGE_PLACEHOLDER,
            options=[discord.SelectOption(label=label, value=key) for key, label in logic.STAGES],
        )
        self.day = _text("date", limit=logic.DATE_MAX, placeholder=m.FIELD_DATE_PLACEHOLDER)
        self.add_item(discord.ui.Label(text=m.FIELD_ROLE, component=self.role))
        self.add_item(discord.ui.Label(text=m.FIELD_COMPANY, component=self.company))
        self.add_item(discord.ui.Label(text=m.FIELD_STAGE, component=self.stage))
        self.add_item(discord.ui.Label(text=m.FIELD_DATE, component=self.day))

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], match: re.Match[str], /
    ) -> Self:
        return cls()

    async def on_submit(self, interaction: discord.Interaction[Bot]) -> None:  # type: ignore[override]
        stage = self.stage.values[0] if self.stage.values else ""
        await handler_of(interaction, COG_NAME).on_start(
            interaction, self.role.value, self.company.value, stage, self.day.value
        )


class ThoughtsModal(PersistentModal, template=rf"debrief:thoughtsform:(?P<entry>{ID})"):
    """Step 2: the kinds of question that threw the member and four short answers."""

    def __init__(self, entry_id: str, debrief: Debrief | None = None) -> None:
        super().__init__(
            title=m.FORM_QUESTIONS_TITLE, custom_id=custom_id("debrief", "thoughtsform", entry_id)
        )
        self.entry_id = entry_id
        d = debrief or Debrief()
        self.kinds = discord.ui.Select[Any](
            custom_id="kinds",
            placeholder=m.FIELD_KINDS_PLACEHOLDER,
            min_values=0,
            max_values=len(logic.KINDS),
            required=False,
            options=[
                discord.SelectOption(label=label, value=key, default=key in d.kinds)
                for key, label in logic.KINDS
            ],
        )
        self.threw = _text("threw", limit=logic.ANSWER_MAX, paragraph=True, default=d.threw)
        self.came_across = _text(
            "came_across", limit=logic.ANSWER_MAX, paragraph=True, default=d.came_across
        )
        self.research = _text(
            "research", limit=logic.ANSWER_MAX, paragraph=True, default=d.research
        )
        self.went_well = _text(
            "went_well", limit=logic.ANSWER_MAX, paragraph=True, default=d.went_well
        )
        self.add_item(discord.ui.Label(text=m.FIELD_KINDS, component=self.kinds))
        self.add_item(
            discord.ui.Label(
                text=m.FIELD_THREW, description=m.FIELD_THREW_HINT, component=self.threw
            )
        )
        self.add_item(
            discord.ui.Label(
                text=m.FIELD_CAME_ACROSS,
                description=m.FIELD_CAME_ACROSS_HINT,
                component=self.came_across,
            )
        )
        self.add_item(discord.ui.Label(text=m.FIELD_RESEARCH, component=self.research))
        self.add_item(
            discord.ui.Label(
                text=m.FIELD_WENT_WELL, description=m.FIELD_WENT_WELL_HINT, component=self.went_well
            )
        )

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], match: re.Match[str], /
    ) -> Self:
        return cls(match["entry"])

    async def on_submit(self, interaction: discord.Interaction[Bot]) -> None:  # type: ignore[override]
        answers = {
            "threw": self.threw.value,
            "came_across": self.came_across.value,
            "research": self.research.value,
            "went_well": self.went_well.value,
        }
        await handler_of(interaction, COG_NAME).on_thoughts(
            interaction, self.entry_id, list(self.kinds.values), answers
        )


class FeedbackModal(PersistentModal, template=rf"debrief:feedbackform:(?P<entry>{ID})"):
    """The interviewer's name (asked only now) and the draft's tone."""

    def __init__(self, entry_id: str, interviewer: str = "") -> None:
        super().__init__(
            title=m.FORM_FEEDBACK_TITLE, custom_id=custom_id("debrief", "feedbackform", entry_id)
        )
        self.entry_id = entry_id
        self.name = _text("interviewer", limit=logic.NAME_MAX, default=interviewer)
        self.tone = discord.ui.Select[Any](
            custom_id="tone",
            options=[
                discord.SelectOption(label=label, value=key, default=key == "warm")
                for key, label in logic.TONES
            ],
        )
        self.add_item(
            discord.ui.Label(
                text=m.FIELD_INTERVIEWER, description=m.FIELD_INTERVIEWER_HINT, component=self.name
            )
        )
        self.add_item(discord.ui.Label(text=m.FIELD_TONE, component=self.tone))

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], match: re.Match[str], /
    ) -> Self:
        return cls(match["entry"])

    async def on_submit(self, interaction: discord.Interaction[Bot]) -> None:  # type: ignore[override]
        tone = self.tone.values[0] if self.tone.values else "warm"
        await handler_of(interaction, COG_NAME).on_feedback(
            interaction, self.entry_id, self.name.value, tone
        )


class RemindModal(PersistentModal, template=rf"debrief:remindform:(?P<entry>{ID})"):
    """In how many days (3-14, 7 by default) and at what local time (09:00 by default)."""

    def __init__(self, entry_id: str) -> None:
        super().__init__(
            title=m.FORM_REMIND_TITLE, custom_id=custom_id("debrief", "remindform", entry_id)
        )
        self.entry_id = entry_id
        self.days = discord.ui.Select[Any](
            custom_id="days",
            options=[
                discord.SelectOption(
                    label=m.REMIND_DAYS_OPTION.format(days=n),
                    value=str(n),
                    default=n == logic.REMIND_DAYS_DEFAULT,
                )
                for n in range(logic.REMIND_DAYS_MIN, logic.REMIND_DAYS_MAX + 1)
            ],
        )
        self.at = _text("time", limit=logic.TIME_MAX, placeholder="09:00")
        self.add_item(discord.ui.Label(text=m.FIELD_REMIND_DAYS, component=self.days))
        self.add_item(
            discord.ui.Label(
                text=m.FIELD_REMIND_TIME, description=m.FIELD_REMIND_TIME_HINT, component=self.at
            )
        )

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], match: re.Match[str], /
    ) -> Self:
        return cls(match["entry"])

    async def on_submit(self, interaction: discord.Interaction[Bot]) -> None:  # type: ignore[override]
        days = self.days.values[0] if self.days.values else ""
        await handler_of(interaction, COG_NAME).on_remind(
            interaction, self.entry_id, days, self.at.value
        )


class EntryButton(
    PersistentButton,
    template=rf"debrief:(?P<action>thoughts|feedback|remind|delete|erase|keep):(?P<entry>{ID})",
):
    """What a member can do with one of their debriefs (and the delete confirmation)."""

    def __init__(
        self,
        action: str,
        entry_id: str,
        label: str,
        style: discord.ButtonStyle = discord.ButtonStyle.secondary,
    ) -> None:
        super().__init__("debrief", action, entry_id, label=label, style=style)
        self.action = action
        self.entry_id = entry_id

    @classmethod
    def from_match(cls, match: re.Match[str], button: discord.ui.Button[Any] | None) -> Self:
        return cls(match["action"], match["entry"], label_of(button) or match["action"])

    async def on_click(self, interaction: discord.Interaction[Bot]) -> None:
        await handler_of(interaction, COG_NAME).on_entry_button(
            interaction, self.action, self.entry_id
        )


class PageButton(PersistentButton, template=r"debrief:(?P<what>list|show):(?P<page>[0-9]{1,4})"):
    def __init__(self, what: str, page: int, label: str, *, disabled: bool = False) -> None:
        super().__init__("debrief", what, page, label=label, disabled=disabled)
        self.what = what
        self.page = page

    @classmethod
    def from_match(cls, match: re.Match[str], button: discord.ui.Button[Any] | None) -> Self:
        return cls(match["what"], int(match["page"]), label_of(button) or match["page"])

    async def on_click(self, interaction: discord.Interaction[Bot]) -> None:
        await handler_of(interaction, COG_NAME).on_page(interaction, self.what, self.page)


class ReminderButton(
    PersistentButton, template=rf"debrief:(?P<answer>heard|noanswer|stop):(?P<rid>{ID})"
):
    """The three answers under a reminder DM."""

    def __init__(self, answer: str, reminder_id: str, label: str) -> None:
        style = discord.ButtonStyle.success if answer == "heard" else discord.ButtonStyle.secondary
        super().__init__("debrief", answer, reminder_id, label=label, style=style)
        self.answer = answer
        self.reminder_id = reminder_id

    @classmethod
    def from_match(cls, match: re.Match[str], button: discord.ui.Button[Any] | None) -> Self:
        return cls(match["answer"], match["rid"], label_of(button) or match["answer"])

    async def on_click(self, interaction: discord.Interaction[Bot]) -> None:
        answer = "no_answer" if self.answer == "noanswer" else self.answer
        await handler_of(interaction, COG_NAME).on_reminder_answer(
            interaction, self.reminder_id, answer
        )


BUTTON_CLASSES: Sequence[type[PersistentButton]] = (EntryButton, PageButton, ReminderButton)
MODAL_CLASSES: Sequence[type[PersistentModal]] = (
    StartModal,
    ThoughtsModal,
    FeedbackModal,
    RemindModal,
)


def reminder_view(reminder_id: str) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(ReminderButton("heard", reminder_id, m.BUTTON_HEARD))
    view.add_item(ReminderButton("noanswer", reminder_id, m.BUTTON_NO_ANSWER))
    view.add_item(ReminderButton("stop", reminder_id, m.BUTTON_STOP))
    return view


def entry_view(
    entry_id: str, has_thoughts: bool, page: int | None = None, pages: int = 1
) -> discord.ui.View:
    """Under one debrief: add (or edit) thoughts, ask for feedback, remind me, delete; and the
    pager over the journal when shown from /debrief show."""
    view = discord.ui.View(timeout=None)
    thoughts = m.BUTTON_EDIT_QUESTIONS if has_thoughts else m.BUTTON_QUESTIONS
    primary = discord.ButtonStyle.secondary if has_thoughts else discord.ButtonStyle.primary
    view.add_item(EntryButton("thoughts", entry_id, thoughts, primary))
    view.add_item(EntryButton("feedback", entry_id, m.BUTTON_FEEDBACK))
    view.add_item(EntryButton("remind", entry_id, m.BUTTON_REMIND))
    view.add_item(EntryButton("delete", entry_id, m.BUTTON_DELETE, discord.ButtonStyle.danger))
    if page is not None and pages > 1:
        add_pager(view, "show", page, pages)
    return view


def add_pager(view: discord.ui.View, what: str, page: int, pages: int) -> None:
    previous = PageButton(what, max(1, page - 1), PREVIOUS, disabled=page <= 1)
    after = PageButton(what, min(pages, page + 1), NEXT, disabled=page >= pages)
    previous.item.row = after.item.row = 1
    view.add_item(previous)
    view.add_item(after)


def list_view(page: int, pages: int) -> discord.ui.View | None:
    if pages <= 1:
        return None
    view = discord.ui.View(timeout=None)
    add_pager(view, "list", page, pages)
    return view


def delete_view(entry_id: str) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(
        EntryButton("erase", entry_id, m.BUTTON_CONFIRM_DELETE, discord.ButtonStyle.danger)
    )
    view.add_item(EntryButton("keep", entry_id, m.BUTTON_KEEP))
    return view
