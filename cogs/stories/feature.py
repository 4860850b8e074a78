"""Anonymous stories, declared once (see bot/features.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.features import Feature, Permission
from cogs.stories import messages
from cogs.stories.repository import POST_JOB
from cogs.stories.update_rows import FOLLOWER_DM_JOB, UPDATE_JOB

if TYPE_CHECKING:
    from bot.setup_pages import SetupPart
    from cogs.stories.service import StoryService


def setup_part(service: StoryService) -> SetupPart:
    from cogs.stories.setup_pages import setup_part as build

    return build(service)


FEATURE = Feature(
    name="stories",
    order=20,
    prefix="story",
    prefix_for="anonymous stories",
    permissions=(
        Permission("view_channel", "see the channels you choose for its posts"),
        Permission("send_messages", "post the stories members share"),
        Permission("embed_links", "posts are tidy embeds"),
        Permission(
            "send_messages_in_threads",
            "post encouragement and the author's anonymous replies in story threads",
        ),
        Permission("create_public_threads", "open a peer-encouragement thread under every story"),
        Permission(
            "manage_threads",
            "remove a story's thread or forum post when its author or a moderator deletes the "
            "story",
        ),
        Permission(
            "read_message_history",
            "find and update its own earlier posts (for example a story's thread)",
        ),
    ),
    blurb=messages.ABOUT_BLURB,
    privacy_line=messages.PRIVACY_LINE,
    privacy_provider="stories",
    row_names=messages.ROW_NAMES,
    keyed_pseudonyms=True,
    setup=setup_part,
    jobs=(POST_JOB, UPDATE_JOB, FOLLOWER_DM_JOB),
)
