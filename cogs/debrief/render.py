"""A debrief, the journal's list, the patterns and the counts, as the member reads them (all
private: ephemeral answers, mentions off, within Discord's limits)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import discord

from bot.ui import discord_timestamp, page_count, page_items
from cogs.debrief import logic
from cogs.debrief import messages as m
from cogs.debrief.logic import Entry, Patterns
from cogs.debrief.repository import MemberCounts, Reminder

LIST_PAGE = 10
# A list line shows this much of a title, so ten lines stay within a message's 2,000 characters.
LIST_TITLE = 80
# An embed field holds at most 1,024 characters; an answer is at most 1,000.
_FIELD = 1024


def day_label(debrief: logic.Debrief) -> str:
    return f"{date.fromisoformat(debrief.day):%-d %b %Y}" if debrief.day else ""


def shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def list_page(journal: Sequence[Entry], page: int) -> tuple[str, int, int]:
    """The text of one page of /debrief list, the page shown and the number of pages."""
    pages = page_count(len(journal), LIST_PAGE)
    page = max(1, min(page, pages))
    lines = [m.LIST_HEADER.format(page=page, pages=pages)]
    first = (page - 1) * LIST_PAGE
    for offset, entry in enumerate(page_items(journal, page, LIST_PAGE)):
        d = entry.debrief
        lines.append(
            m.LIST_LINE.format(
                number=first + offset + 1,
                day=day_label(d),
                title=shorten(d.title(), LIST_TITLE),
                stage=d.stage_label,
                thoughts=m.LIST_THOUGHTS if d.has_answers else "",
            )
        )
    lines.append(m.LIST_FOOTER)
    return "\n".join(lines), page, pages


def entry_embed(entry: Entry, number: int, count: int, reminder: Reminder | None) -> discord.Embed:
    d = entry.debrief
    embed = discord.Embed(
        title=m.SHOW_TITLE.format(number=number, title=d.title())[:256],
        description=m.SHOW_DESCRIPTION.format(stage=d.stage_label, day=day_label(d)),
        colour=discord.Colour.from_rgb(120, 160, 200),
    )
    if d.kinds:
        kinds = ", ".join(logic.KIND_LABELS[k] for k in d.kinds if k in logic.KIND_LABELS)
        embed.add_field(name=m.SHOW_KINDS, value=kinds, inline=False)
    for key, label in (
        ("threw", m.FIELD_THREW),
        ("came_across", m.FIELD_CAME_ACROSS),
        ("research", m.FIELD_RESEARCH),
        ("went_well", m.FIELD_WENT_WELL),
    ):
        value = getattr(d, key)
        if value:
            embed.add_field(name=label, value=value[:_FIELD], inline=False)
    if not d.has_answers:
        embed.add_field(name="\u200b", value=m.SHOW_NO_THOUGHTS, inline=False)
    notes = []
    if entry.feedback_asked:
        notes.append(m.SHOW_FEEDBACK_ASKED)
    if reminder is not None and reminder.status == "waiting":
        notes.append(m.SHOW_REMINDER.format(when=discord_timestamp(reminder.due_at, "f")))
    if notes:
        embed.add_field(name="\u200b", value="\n".join(notes), inline=False)
    embed.set_footer(text=m.SHOW_FOOTER.format(number=number, count=count))
    return embed


def patterns_text(found: Patterns) -> str:
    if found.debriefs < logic.PATTERNS_AFTER:
        return m.PATTERNS_TOO_FEW.format(needed=logic.PATTERNS_AFTER, count=found.debriefs)
    lines = [m.PATTERNS_HEADER.format(count=found.debriefs)]
    (top, times), *others = found.stages
    lines.append(
        m.PATTERNS_STAGE.format(
            stage=logic.STAGE_LABELS.get(top, top), times=times, count=found.debriefs
        )
    )
    if others:
        listed = ", ".join(
            m.TIMES.format(label=logic.STAGE_LABELS.get(k, k), n=n) for k, n in others
        )
        lines.append(m.PATTERNS_STAGES_OTHER.format(others=listed))
    if found.kinds:
        kinds = ", ".join(m.TIMES.format(label=logic.KIND_LABELS[k], n=n) for k, n in found.kinds)
        lines.append(m.PATTERNS_KINDS.format(kinds=kinds))
    else:
        lines.append(m.PATTERNS_NO_KINDS)
    if found.words:
        words = ", ".join(m.TIMES.format(label=f"“{w}”", n=n) for w, n in found.words)
        lines.append(m.PATTERNS_WORDS.format(words=words))
    lines.append(m.PATTERNS_CLOSE)
    return "\n".join(lines)


def counts_text(counts: MemberCounts) -> str:
    return m.COUNTS_TEXT.format(
        asked=counts.feedback_asked,
        answers=counts.answers_received,
        shown=m.SHOWN_YES if counts.in_streak else m.SHOWN_NO,
    )
