"""Accountability streaks, declared once (see bot/features.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.features import Feature, Permission
from cogs.streaks import messages
from cogs.streaks.jobs import MILESTONE_JOB, ZONE_JOB

if TYPE_CHECKING:
    from bot.setup_pages import SetupPart
    from cogs.streaks.service import StreakService


def setup_part(service: StreakService) -> SetupPart:
    from cogs.streaks.setup_pages import setup_part as build

    return build(service)


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
    # The server's accountability channel (milestones, shared summaries, check-in threads).
    setup=setup_part,
    jobs=(MILESTONE_JOB, ZONE_JOB),
)
