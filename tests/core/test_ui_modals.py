"""PersistentModal and ModalRouter: the rules that let any form be answered by its custom_id."""

from __future__ import annotations

import importlib
import pkgutil
import re
from pathlib import Path
from typing import Any, Self

import discord
import pytest

import cogs
from bot.ui import ModalRouter, PersistentModal
from tests.harness import running_bot


class NoteModal(PersistentModal, title="A note", template=r"help:note:(?P<n>[0-9]{1,3})"):
    def __init__(self, n: int, *, named: bool = True) -> None:
        super().__init__(custom_id=f"help:note:{n}")
        self.n = n
        field: discord.ui.TextInput[NoteModal] = (
            discord.ui.TextInput(label="Note", custom_id="note")
            if named
            else discord.ui.TextInput(label="Note")
        )
        self.add_item(field)

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], match: re.Match[str], /
    ) -> Self:
        return cls(int(match["n"]))


async def test_each_opened_form_has_its_own_custom_id_matching_its_template() -> None:
    first, second = NoteModal(7), NoteModal(7)
    assert first.custom_id != second.custom_id
    assert first.submission_key == first.custom_id
    router = ModalRouter()
    router.add(NoteModal)
    found = router.find(first.custom_id)
    assert found is not None and found[0] is NoteModal and found[1]["n"] == "7"
    assert router.find("help:note:7") is None  # the token is part of every form's id
    router.remove(NoteModal)
    assert router.find(first.custom_id) is None


async def test_a_form_is_never_kept_in_discord_pys_store() -> None:
    # send_modal stores only unfinished modals; a kept copy would expire or die in a restart.
    assert NoteModal(1).is_finished()


async def test_an_input_without_a_fixed_custom_id_is_refused_when_sent() -> None:
    with pytest.raises(ValueError, match="custom_id"):
        NoteModal(1, named=False).to_dict()
    assert NoteModal(1).to_dict()["custom_id"].startswith("help:note:1:")


async def test_a_custom_id_outside_the_template_is_refused() -> None:
    class Odd(PersistentModal, title="Odd", template=r"help:odd:[a-z]+"):
        pass

    with pytest.raises(ValueError, match="template"):
        Odd(custom_id="help:odd:123")


def _modal_classes() -> set[type[discord.ui.Modal]]:
    for module in pkgutil.walk_packages(cogs.__path__, "cogs."):
        if module.name.endswith((".views", ".cog")):
            importlib.import_module(module.name)
    found: set[type[discord.ui.Modal]] = set()
    todo: list[type[discord.ui.Modal]] = [discord.ui.Modal]
    while todo:
        for sub in todo.pop().__subclasses__():
            todo.append(sub)
            if sub.__module__.startswith("cogs."):
                found.add(sub)
    return found


async def test_every_form_the_features_open_is_persistent_and_registered(
    world: Any, tmp_path: Path
) -> None:
    classes = _modal_classes()
    assert len(classes) >= 9
    plain = sorted(c.__name__ for c in classes if not issubclass(c, PersistentModal))
    assert plain == [], f"make these PersistentModal: {plain}"
    async with running_bot(world.fake, data_dir=tmp_path) as app:
        registered = set(app.bot.modals.classes)
    missing = sorted(c.__name__ for c in classes if c not in registered)
    assert missing == [], f"register these with bot.modals.add in cog_load: {missing}"
