"""Where features meet without importing each other (bot/seams.py)."""

from __future__ import annotations

from typing import Any

import discord
import pytest

from bot.seams import Seams


def _button(custom_id: str) -> discord.ui.Button[Any]:
    return discord.ui.Button(label=custom_id, custom_id=custom_id)


def test_a_slot_gathers_every_owners_buttons_in_the_order_they_came() -> None:
    seams = Seams()
    seams.add_items("post", "a", lambda key: [_button(f"a:x:{key}")])
    seams.add_items("post", "b", lambda key: [_button(f"b:x:{key}"), _button(f"b:y:{key}")])
    assert [i.custom_id for i in seams.items("post", "7")] == ["a:x:7", "b:x:7", "b:y:7"]  # type: ignore[attr-defined]
    seams.remove_items("post", "a")
    assert [i.custom_id for i in seams.items("post", "7")] == ["b:x:7", "b:y:7"]  # type: ignore[attr-defined]
    assert seams.items("nobody fills this") == []


async def test_a_reader_is_found_by_name_and_only_one_per_name() -> None:
    seams = Seams()
    reader, other = object(), object()
    assert seams.reader("stories") is None
    await seams.provide("stories", reader)
    await seams.provide("stories", reader)  # the same one again (a reload) is fine
    assert seams.reader("stories") is reader
    with pytest.raises(ValueError, match="already provided"):
        await seams.provide("stories", other)
    seams.withdraw("stories")
    assert seams.reader("stories") is None


async def test_start_up_work_waits_for_a_reader_provided_later() -> None:
    seams = Seams()
    seen: list[object] = []

    async def repair(reader: object) -> None:
        seen.append(reader)

    await seams.when_provided("stories", "encouragement", repair)
    assert seen == []  # the stories feature loads after this one
    reader = object()
    await seams.provide("stories", reader)
    assert seen == [reader]
    # Already there: it runs at once.
    await seams.when_provided("stories", "other", repair)
    assert seen == [reader, reader]
    seams.stop_waiting("stories", "encouragement")
    seams.stop_waiting("stories", "other")
    seams.withdraw("stories")
    await seams.provide("stories", reader)
    assert seen == [reader, reader]
