"""Buttons ("acct:<action>:<week id>") and the review and goals modals.

A custom_id carries only the week's row id: who may use it is checked against the stored
subscription when clicked, never read from the id. The buttons are DynamicItems, so a prompt
sent before a restart still works after it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Self

import discord

from bot.errors import UserFacingError
from bot.ui import PersistentButton, PersistentModal, custom_id, handler_of, label_of
from cogs.accountability import logic
from cogs.accountability import messages as m

if TYPE_CHECKING:
    from bot.app import Bot

# The cog that answers these buttons and forms (bot.ui.handler_of).
COG_NAME = "Accountability"


class WeekButton(
    PersistentButton,
    template=r"acct:(?P<action>open|goals|share):(?P<week>[0-9]{1,18})",
):
    def __init__(self, action: str, week_id: int, label: str) -> None:
        style = discord.ButtonStyle.secondary if action == "share" else discord.ButtonStyle.primary
        super().__init__("acct", action, week_id, label=label, style=style)
        self.action = action
        self.week_id = week_id

    @classmethod
    def from_match(cls, match: re.Match[str], button: discord.ui.Button[Any] | None) -> Self:
        return cls(match["action"], int(match["week"]), label_of(button))

    async def on_click(self, interaction: discord.Interaction[Bot]) -> None:
        cog = handler_of(interaction, COG_NAME)
        await cog.on_week_button(interaction, self.action, self.week_id)


def one_button(action: str, week_id: int, label: str) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(WeekButton(action, week_id, label[:80]))
    return view


class ReviewModal(
    PersistentModal,
    template=r"acct:review:(?P<week>[0-9]{1,18})-(?P<previous>[0-9]{1,18})",
):
    """Last week's goals, each done / partly / not yet, and a line of reflection."""

    def __init__(self, week_id: int, previous_id: int, goals: Sequence[logic.Goal]) -> None:
        super().__init__(
            title=m.REVIEW_TITLE,
            custom_id=custom_id("acct", "review", f"{week_id}-{previous_id}"),
        )
        self.week_id = week_id
        self.previous_id = previous_id
        self.selects: dict[int, discord.ui.Select[ReviewModal]] = {}
        for goal in goals[: logic.MAX_GOALS]:
            select: discord.ui.Select[ReviewModal] = discord.ui.Select(
                custom_id=custom_id("acct", "review-goal", goal.position),
                options=[
                    discord.SelectOption(label=m.REVIEW_LABELS[value], value=value)
                    for value in logic.REVIEWS
                ],
            )
            self.selects[goal.position] = select
            label = m.REVIEW_GOAL_LABEL.format(n=goal.position, text=goal.text)
            if len(label) > 45:
                label = label[:44] + "…"
            self.add_item(
                discord.ui.Label(text=label, description=goal.text[:100], component=select)
            )
        self.reflection: discord.ui.TextInput[ReviewModal] = discord.ui.TextInput(
            custom_id="reflection",
            style=discord.TextStyle.short,
            required=False,
            max_length=logic.REFLECTION_MAX,
            placeholder=m.REVIEW_REFLECTION_HINT[:100],
        )
        self.add_item(discord.ui.Label(text=m.REVIEW_REFLECTION, component=self.reflection))

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], match: re.Match[str], /
    ) -> Self:
        cog = handler_of(interaction, COG_NAME)
        week_id, previous_id = int(match["week"]), int(match["previous"])
        # Only ids come back from Discord: the week reviewed must still be the one before it.
        week = await cog.repo.week(week_id)
        previous = await cog.repo.previous_week(week) if week is not None else None
        if previous is None or previous.id != previous_id:
            raise UserFacingError(m.WEEK_GONE)
        goals = await cog.repo.goals(previous_id)
        return cls(week_id, previous_id, goals)

    async def on_submit(self, interaction: discord.Interaction[Bot]) -> None:  # type: ignore[override]
        reviews = {pos: select.values[0] for pos, select in self.selects.items() if select.values}
        await handler_of(interaction, COG_NAME)._review_submitted(
            interaction, self.week_id, self.previous_id, reviews, self.reflection.value
        )


class GoalsModal(PersistentModal, template=r"acct:goals-modal:(?P<week>[0-9]{1,18})"):
    """Up to three goals for the week (the first one required)."""

    def __init__(self, week_id: int, existing: Sequence[str]) -> None:
        super().__init__(title=m.GOALS_TITLE, custom_id=custom_id("acct", "goals-modal", week_id))
        self.week_id = week_id
        self.fields: list[discord.ui.TextInput[GoalsModal]] = []
        for n in range(1, logic.MAX_GOALS + 1):
            field: discord.ui.TextInput[GoalsModal] = discord.ui.TextInput(
                label=m.GOAL_LABEL.format(n=n),
                custom_id=f"goal-{n}",
                required=n == 1,
                max_length=logic.GOAL_MAX,
                placeholder=m.GOAL_HINT if n == 1 else None,
                default=existing[n - 1] if len(existing) >= n else None,
            )
            self.fields.append(field)
            self.add_item(field)

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], match: re.Match[str], /
    ) -> Self:
        return cls(int(match["week"]), ())

    async def on_submit(self, interaction: discord.Interaction[Bot]) -> None:  # type: ignore[override]
        cog = handler_of(interaction, COG_NAME)
        await cog._goals_submitted(interaction, self.week_id, [f.value for f in self.fields])
