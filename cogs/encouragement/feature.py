"""Peer encouragement, declared once (see bot/features.py)."""

from __future__ import annotations

from bot.features import Feature, Permission
from bot.setup_pages import ChannelNeeds, SetupPart
from cogs.encouragement import messages
from cogs.encouragement.repository import DIGEST_JOB, ROUNDUP_JOB, STORY_GONE_JOB, STORY_THREAD_JOB


def setup_part(service: object) -> SetupPart:
    """Encouragement opens a thread under each story (in a forum, the post is the thread)."""
    return SetupPart(
        channel_needs={
            "stories_channel": ChannelNeeds(
                text=("create_public_threads", "send_messages_in_threads", "read_message_history"),
                forum=("send_messages_in_threads",),
            )
        }
    )


FEATURE = Feature(
    name="encouragement",
    order=30,
    prefix="enc",
    prefix_for="encouragement threads",
    permissions=(
        Permission("view_channel", "see the channels you choose for its posts"),
        Permission("send_messages", "post encouragement and the weekly roundup"),
        Permission("embed_links", "posts are tidy embeds"),
        Permission("send_messages_in_threads", "post encouragement in story threads"),
        Permission("create_public_threads", "open a peer-encouragement thread under every story"),
        Permission("manage_threads", "remove a story's thread when the story is deleted"),
        Permission("read_message_history", "find and update its own earlier posts"),
    ),
    blurb=messages.ABOUT_BLURB,
    privacy_line=messages.PRIVACY_LINE,
    privacy_provider="encouragement",
    row_names=messages.ROW_NAMES,
    keyed_pseudonyms=True,
    setup=setup_part,
    jobs=(DIGEST_JOB, ROUNDUP_JOB, STORY_THREAD_JOB, STORY_GONE_JOB),
)
