"""Daily affirmations, declared once (see bot/features.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.features import Feature, FeatureSetting, Permission
from cogs.affirmations import messages
from cogs.affirmations.repository import DM_JOB, GUILD_JOB

if TYPE_CHECKING:
    from bot.setup_pages import SetupPart
    from cogs.affirmations.service import AffirmationService


def setup_part(service: AffirmationService) -> SetupPart:
    from cogs.affirmations.setup_pages import setup_part as build

    return build(service)


FEATURE = Feature(
    name="affirmations",
    order=10,
    prefix="aff",
    prefix_for="daily affirmations",
    permissions=(
        Permission("view_channel", "see the channels you choose for its posts"),
        Permission("send_messages", "post the morning affirmation (and the other features' posts)"),
        Permission("embed_links", "posts are tidy embeds"),
    ),
    blurb=messages.ABOUT_BLURB,
    privacy_line=messages.PRIVACY_LINE,
    privacy_provider="affirmations",
    row_names=messages.ROW_NAMES,
    setup=setup_part,
    jobs=(GUILD_JOB, DM_JOB),
    settings=(
        # How late a missed morning affirmation may still be posted after its set time, minutes.
        FeatureSetting("affirmation_grace_minutes", low=0, high=24 * 60, default=180),
    ),
)
