"""Private interview debriefs and asking for feedback, declared once (see bot/features.py)."""

from __future__ import annotations

from bot.features import Feature
from cogs.debrief import messages
from cogs.debrief.jobs import REMINDER_JOB, ZONE_JOB

FEATURE = Feature(
    name="debrief",
    order=45,
    prefix="debrief",
    prefix_for="private interview debriefs and feedback reminders",
    # No permission of its own: every answer is private, and reminders are DMs.
    blurb=messages.ABOUT_BLURB,
    privacy_line=messages.PRIVACY_LINE,
    privacy_provider="debrief",
    row_names=messages.ROW_NAMES,
    keyed_pseudonyms=True,
    jobs=(REMINDER_JOB, ZONE_JOB),
)
