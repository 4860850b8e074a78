"""Weekly accountability check-ins, declared once (see bot/features.py)."""

from __future__ import annotations

from bot.features import Feature, Permission
from cogs.accountability import messages
from cogs.accountability.repository import THREAD_JOB, WEEKLY_JOB, ZONE_JOB

FEATURE = Feature(
    name="accountability",
    order=50,
    prefix="acct",
    prefix_for="weekly accountability check-ins",
    permissions=(
        Permission("view_channel", "see the channels you choose for its posts"),
        Permission("send_messages", "post shared weekly summaries"),
        Permission("embed_links", "posts are tidy embeds"),
        Permission(
            "send_messages_in_threads",
            "a weekly check-in in a private thread for a member whose DMs are closed",
        ),
        Permission(
            "create_private_threads",
            "a weekly check-in in a private thread for a member whose DMs are closed",
        ),
    ),
    blurb=messages.ABOUT_BLURB,
    privacy_line=messages.PRIVACY_LINE,
    privacy_provider="accountability",
    row_names=messages.ROW_NAMES,
    jobs=(WEEKLY_JOB, THREAD_JOB, ZONE_JOB),
)
