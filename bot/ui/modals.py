"""Forms answered whenever Discord delivers them: after a restart, or an hour after opening.

A `PersistentModal` is never kept in memory: the `ModalRouter` matches a submission's custom_id
("feature:form:<opaque>:<token>") and the class rebuilds the form from it. Why, and what the
custom_id may carry: docs/design.md, "Forms that survive a restart".
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator, Mapping
from typing import Any, ClassVar, Self

import discord
from discord.ui.select import BaseSelect

from bot.tree import report_error, send_ephemeral
from bot.ui.views import BaseModal, action_of

__all__ = ["FORM_CLOSED", "ModalRouter", "PersistentModal"]

log = logging.getLogger(__name__)

# The random part BaseModal appends to a feature's custom_id.
TOKEN = r"(?P<token>[0-9a-f]{8})"

#: For a form nobody can answer any more (a feature removed since it was opened).
FORM_CLOSED = (
    "I couldn’t take that form, sorry: it belongs to something I no longer do. "
    "Nothing was saved — please start again from the command."
)


class PersistentModal(BaseModal):
    """A modal answered by its custom_id, live or after a restart, through one path.

    Subclasses name their custom_id's shape with ``template=`` (a regular expression of
    "feature:form:<opaque>" with named groups; the token is added) and rebuild themselves from a
    match in :meth:`from_custom_id`. Every input needs a fixed ``custom_id``: that is how the
    submitted values find their field in the rebuilt form.
    """

    __modal_template__: ClassVar[re.Pattern[str] | None] = None

    def __init_subclass__(cls, *, template: str | None = None, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if template is not None:
            cls.__modal_template__ = re.compile(rf"(?:{template}):{TOKEN}")

    def __init__(self, *, custom_id: str, title: str | None = None) -> None:
        if title is None:
            super().__init__(custom_id=custom_id, timeout=None)
        else:
            super().__init__(title=title, custom_id=custom_id, timeout=None)
        if self.template().fullmatch(self.custom_id) is None:
            raise ValueError(f"{type(self).__name__}'s custom_id does not match its template")
        # Never kept in discord.py's store (send_modal keeps only unfinished modals), so no copy
        # can expire or vanish in a restart: the router answers every submission.
        self.stop()

    @classmethod
    def template(cls) -> re.Pattern[str]:
        if cls.__modal_template__ is None:
            raise TypeError(f"{cls.__name__} needs template= in its class definition")
        return cls.__modal_template__

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], match: re.Match[str], /
    ) -> Self:
        """The form as it was opened, rebuilt from its custom_id (as a DynamicItem is)."""
        raise NotImplementedError

    @property
    def submission_key(self) -> str:
        """The same for every delivery of one opened form, different for each form opened."""
        return self.custom_id

    def to_dict(self) -> dict[str, Any]:
        unnamed = [type(item).__name__ for item in _inputs(self) if not item._provided_custom_id]
        if unnamed:
            # discord.py would give them random ids, which a rebuilt form cannot match.
            raise ValueError(f"{type(self).__name__}: give every input a custom_id ({unnamed})")
        return super().to_dict()


def _inputs(modal: discord.ui.Modal) -> Iterator[Any]:
    for item in modal.walk_children():
        if isinstance(item, discord.ui.TextInput | BaseSelect):
            yield item


class ModalRouter:
    """Which form class answers which custom_id; one per bot, filled by features as they load
    (``bot.modals.add(ShareModal, …)``, next to ``add_dynamic_items``)."""

    def __init__(self) -> None:
        self._classes: dict[re.Pattern[str], type[PersistentModal]] = {}

    def add(self, *classes: type[PersistentModal]) -> None:
        for cls in classes:
            self._classes[cls.template()] = cls

    def remove(self, *classes: type[PersistentModal]) -> None:
        for cls in classes:
            self._classes.pop(cls.template(), None)

    @property
    def classes(self) -> tuple[type[PersistentModal], ...]:
        return tuple(self._classes.values())

    def find(self, custom_id: str) -> tuple[type[PersistentModal], re.Match[str]] | None:
        for pattern, cls in self._classes.items():
            match = pattern.fullmatch(custom_id)
            if match is not None:
                return cls, match
        return None

    async def dispatch(self, interaction: discord.Interaction[Any]) -> None:
        """Answer a submitted form (the bot's interaction listener calls this for every one)."""
        if interaction.type is not discord.InteractionType.modal_submit:
            return
        data: Mapping[str, Any] = interaction.data or {}
        custom_id = str(data.get("custom_id", ""))
        where = f"Modal {action_of(custom_id)}"
        found = self.find(custom_id)
        if found is None:
            if _live_modal(interaction, custom_id):
                return  # a plain discord.py modal still open: discord.py answers it
            log.warning("%s: a form no feature answers arrived", where)
            await send_ephemeral(interaction, FORM_CLOSED)
            return
        cls, match = found
        try:
            modal = await cls.from_custom_id(interaction, match)
        except Exception as error:
            await report_error(interaction, error, where=where)
            return
        modal.custom_id = custom_id
        # discord.py's own submit path for a live modal (values filled in by custom_id, the
        # interaction check, on_submit, on_error), run on the rebuilt form.
        resolved: Any = data.get("resolved") or {}
        await modal._dispatch_submit(interaction, list(data.get("components") or []), resolved)


def _live_modal(interaction: discord.Interaction[Any], custom_id: str) -> bool:
    """Whether discord.py holds an open modal of this custom_id (one not made persistent)."""
    store = getattr(interaction.client._connection, "_view_store", None)
    return custom_id in getattr(store, "_modals", {})
