"""``InteractionResult``: what a test reads of the bot's answer to one interaction."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from ..messages import EPHEMERAL
from ..util import JSON
from .model import FakeFile, PendingInteraction

if TYPE_CHECKING:
    from ..state import FakeState


class InteractionResult:
    """What the bot answered to one interaction. Live: later edits and followups show up."""

    def __init__(self, pending: PendingInteraction, state: FakeState) -> None:
        self._p = pending
        self._state = state

    def __repr__(self) -> str:
        return (
            f"<InteractionResult type={self.type} ephemeral={self.ephemeral} "
            f"missed_deadline={self.missed_deadline} followups={len(self._p.followups)}>"
        )

    @property
    def pending(self) -> PendingInteraction:
        return self._p

    @property
    def id(self) -> int:
        return self._p.id

    @property
    def token(self) -> str:
        return self._p.token

    @property
    def interaction(self) -> JSON:
        """The INTERACTION_CREATE payload that was sent."""
        return self._p.payload

    @property
    def type(self) -> int | None:
        """The callback type the bot answered with (4, 5, 6, 7, 8 or 9), None if none."""
        return self._p.response_type

    @property
    def deferred(self) -> bool:
        return self._p.response_type in (5, 6)

    @property
    def bot_latency(self) -> float | None:
        """Seconds from INTERACTION_CREATE leaving the emulator to the callback arriving."""
        return self._p.bot_latency

    @property
    def missed_deadline(self) -> bool:
        return self._p.missed_deadline

    @property
    def lacked_default_permissions(self) -> bool:
        """The member lacked the command's default_member_permissions (dispatched anyway)."""
        return self._p.lacked_default_permissions

    @property
    def message(self) -> JSON | None:
        """The response message dict (for 6/7: the component's message), None if deleted."""
        if self._p.original_deleted:
            return None
        return self._p.original

    @property
    def deleted(self) -> bool:
        return self._p.original_deleted

    @property
    def content(self) -> str | None:
        msg = self.message
        return None if msg is None else msg["content"]

    @property
    def embeds(self) -> list[JSON]:
        msg = self.message
        return [] if msg is None else msg["embeds"]

    @property
    def components(self) -> list[JSON]:
        msg = self.message
        return [] if msg is None else msg["components"]

    @property
    def ephemeral(self) -> bool:
        msg = self.message
        if msg is not None:
            return bool(msg["flags"] & EPHEMERAL)
        body = self._p.response_body or {}
        return bool(int((body.get("data") or {}).get("flags") or 0) & EPHEMERAL)

    @property
    def files(self) -> list[FakeFile]:
        msg = self.message
        return [] if msg is None else files_of(self._state, msg)

    @property
    def modal(self) -> JSON | None:
        """For a type 9 answer: ``{"custom_id", "title", "components"}`` as the bot sent them."""
        return self._p.modal

    @property
    def choices(self) -> list[JSON] | None:
        return self._p.choices

    @property
    def followups(self) -> list[JSON]:
        return list(self._p.followups)

    async def wait_for_followups(self, count: int = 1, timeout: float = 3.0) -> list[JSON]:  # noqa: ASYNC109
        """Wait until at least ``count`` followups arrived."""
        async with asyncio.timeout(timeout):
            while len(self._p.followups) < count:
                self._p.progressed.clear()
                await self._p.progressed.wait()
        return self.followups

    async def wait_for_update(self, timeout: float = 3.0) -> None:  # noqa: ASYNC109
        """Wait for the next edit of the original response or a followup."""
        before = self._p.updates
        async with asyncio.timeout(timeout):
            while self._p.updates == before:
                self._p.progressed.clear()
                await self._p.progressed.wait()


def files_of(state: FakeState, msg: JSON) -> list[FakeFile]:
    out = []
    for att in msg.get("attachments", []):
        stored = state.files.get(int(att["id"]))
        if stored is not None:
            out.append(FakeFile(stored.filename, stored.data, stored.content_type, att))
    return out
