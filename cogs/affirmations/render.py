"""How an affirmation looks when posted: one embed, the affirmation and today's step."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import discord

from cogs.affirmations.content import Step
from cogs.affirmations.messages import DM_FOOTER, LATE_NOTE, SERVER_FOOTER, STEP_HEADING

COLOUR = discord.Colour.from_rgb(94, 170, 168)
# Discord's embed limits; content is validated shorter, this is a last guard.
_DESCRIPTION_LIMIT = 4096
_FIELD_LIMIT = 1024


def action_line(
    step: Step, mention_for: Callable[[str, str], str | None], *, personal: bool = False
) -> str:
    """The call to action, pointing at the server's own feature when it is installed.

    `mention_for(feature, command)` returns a clickable command mention, or None when that
    feature is not available, in which case the step's plain fallback is used. A personal DM
    gets the step's personal line: its reader already has DMs on and is not in a channel.
    """
    if personal:
        return step.action.personal
    mention = mention_for(step.action.feature, step.action.command)
    return step.action.text.replace("{command}", mention) if mention else step.action.fallback


def affirmation_embed(
    *,
    text: str,
    step: Step,
    local_date: date,
    action: str,
    late: bool = False,
    personal: bool = False,
) -> discord.Embed:
    embed = discord.Embed(
        title=local_date.strftime("%A, %-d %B"),
        description=text[:_DESCRIPTION_LIMIT],
        colour=COLOUR,
    )
    prompt = step.prompt_for_week(local_date.isocalendar().week)
    embed.add_field(
        name=STEP_HEADING.format(title=step.title),
        value=f"{prompt}\n{action}"[:_FIELD_LIMIT],
        inline=False,
    )
    footer = DM_FOOTER if personal else SERVER_FOOTER
    embed.set_footer(text=f"{LATE_NOTE} {footer}" if late else footer)
    return embed
