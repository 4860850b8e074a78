"""Where features meet without importing each other.

A feature never imports another feature. When one adds to what another shows, or needs to read
what another keeps, they meet here, on names both know (the catalogue below):

- **components**: buttons one feature adds to a message another posts. The feature that owns
  the message reads ``seams.items(slot, opaque_id)``; the one that adds fills the slot with a
  factory in its ``cog_load`` (``seams.add_items``). The buttons are the adding feature's own
  DynamicItems, so their clicks go to it.
- **readers**: a small object a feature exports for others to read its data through (never its
  tables). The owner provides it in ``cog_load``; a reader describes what it needs as a
  Protocol of its own and looks the reader up when it uses it (features load in any order).
  Work that needs another feature's reader at start-up waits for it (``when_provided``): it
  runs once the reader is there, still before the engine starts.

Events between features are named here too, so the feature that emits and the ones that
listen share the name without importing each other: durable ones (``bot.scheduling.events``,
delivered by the scheduler). None is an in-process ``bot.dispatch``: a crash would lose it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any

import discord

__all__ = [
    "MEMBER_TIMEZONE_CHANGED",
    "MY_STORIES_ITEMS",
    "STORIES_READER",
    "STORY_DELETED",
    "STORY_POSTED",
    "STORY_POST_ITEMS",
    "STREAK_SHOW_LINES",
    "ItemFactory",
    "Seams",
]

# -- the catalogue: names features share -----------------------------------------------------------

#: Durable event: a story is up (key: the story's public id; data: ids and labels only).
STORY_POSTED = "stories.posted"
#: Durable event: a story is gone (deleted, or removed by a moderator), emitted in the
#: transaction that deletes (or removes) its row. Key: a random token (the cleanup's run
#: history names no story); data: {"story_id", "public_id"}, never a member id or text.
#: Encouragement drops the story's thread, kind words and me-toos as a job of its own.
STORY_DELETED = "stories.deleted"
#: Durable event: a member changed their time zone; features that keep local times follow.
#: Key: a random token; data: {"member": the member id sealed} (bot/member_settings.py emits
#: it and opens it), never the id in clear.
MEMBER_TIMEZONE_CHANGED = "timezone.changed"
#: Buttons under a public story post (opaque id: the story's public id).
STORY_POST_ITEMS = "stories.post_buttons"
#: Buttons under a member's own list of stories in /mystories (no opaque id).
MY_STORIES_ITEMS = "stories.mine_buttons"
#: What the stories feature lets others read about a story (see cogs/stories/reader.py).
STORIES_READER = "stories"
#: Lines another feature adds to a member's own /streak show (debrief: feedback asked, answers
#: received, when the member opted in). A reader with ``async def private_lines(user_id: int)
#: -> list[str]``; streaks asks it only for the member's private view, never for share:True.
STREAK_SHOW_LINES = "streaks.show_lines"


ItemFactory = Callable[[str], Sequence[discord.ui.Item[Any]]]
ReaderListener = Callable[[Any], Awaitable[None]]


class Seams:
    """One per Bot (``bot.seams``): component slots and readers, filled by the features."""

    def __init__(self) -> None:
        self._items: dict[str, dict[str, ItemFactory]] = {}
        self._readers: dict[str, object] = {}
        self._listeners: dict[str, dict[str, ReaderListener]] = {}

    # -- components ------------------------------------------------------------------------------

    def add_items(self, slot: str, owner: str, factory: ItemFactory) -> None:
        """``owner`` (a feature's name) adds ``factory``'s buttons to every message of ``slot``,
        in the order the owners were added."""
        self._items.setdefault(slot, {})[owner] = factory

    def remove_items(self, slot: str, owner: str) -> None:
        self._items.get(slot, {}).pop(owner, None)

    def items(self, slot: str, opaque_id: str = "") -> list[discord.ui.Item[Any]]:
        """Every other feature's buttons for one message of ``slot``."""
        return [item for make in self._items.get(slot, {}).values() for item in make(opaque_id)]

    # -- readers ---------------------------------------------------------------------------------

    async def provide(self, name: str, reader: object) -> None:
        """Offer ``reader`` under ``name``; what waits for it (``when_provided``) runs now."""
        existing = self._readers.get(name)
        if existing is not None and existing is not reader:
            raise ValueError(f"a reader named {name!r} is already provided")
        self._readers[name] = reader
        for listener in list(self._listeners.get(name, {}).values()):
            await listener(reader)

    async def when_provided(self, name: str, owner: str, listener: ReaderListener) -> None:
        """Run ``listener(reader)`` when the reader ``name`` is provided (now, if it is), and
        again whenever it is provided anew (the feature was reloaded)."""
        self._listeners.setdefault(name, {})[owner] = listener
        reader = self._readers.get(name)
        if reader is not None:
            await listener(reader)

    def stop_waiting(self, name: str, owner: str) -> None:
        self._listeners.get(name, {}).pop(owner, None)

    def withdraw(self, name: str) -> None:
        self._readers.pop(name, None)

    def reader(self, name: str) -> object | None:
        """The reader a feature provides under ``name``; None while that feature is not loaded."""
        return self._readers.get(name)
