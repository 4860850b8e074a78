"""Accountability streaks, declared once (see bot/features.py)."""

from __future__ import annotations

from bot.features import Feature, Permission
from cogs.streaks import messages

FEATURE = Feature(
    name="streaks",
    order=40,
    prefix="streak",
    prefix_for="streaks and check-ins",
    permissions=(
        Permission("view_channel", "see the channels you choose for its posts"),
        Permission("send_messages", "post milestones in the accountability channel"),
        Permission("embed_links", "posts are tidy embeds"),
        Permission("attach_files", "streak summaries come as a small image"),
    ),
    blurb=messages.ABOUT_BLURB,
    privacy_line=messages.PRIVACY_LINE,
    privacy_provider="streaks",
    row_names=messages.ROW_NAMES,
    # Milestones and shared summaries go to the server's accountability channel.
    server_settings=("accountability_channel",),
    jobs=("streaks.milestone",),
)
