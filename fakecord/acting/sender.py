"""Sending an interaction to the bot as Discord's app does for a person, and waiting for the
answer: the deadline, a deferred "thinking" answer, then quiet."""

from __future__ import annotations

import asyncio
import logging
import time

from ..gateway import GatewayHub
from ..interactions import (
    InteractionManager,
    InteractionResult,
    InvocationError,
    PendingInteraction,
)
from ..models import (
    AnyChannel,
    FakeChannel,
    FakeDMChannel,
    FakeMember,
    FakeThread,
    FakeUser,
    as_user,
)
from ..settling import Settler
from ..state import FakeState

log = logging.getLogger("fakecord")


class InteractionSender:
    """``fake.sender``: every interaction goes through it (``fake.sent_interactions``)."""

    def __init__(
        self,
        state: FakeState,
        hub: GatewayHub,
        interactions: InteractionManager,
        settler: Settler,
        *,
        deferred_timeout: float = 3.0,
    ) -> None:
        self.state = state
        self.hub = hub
        self.interactions = interactions
        self.settler = settler
        #: how long invoke() and friends wait for a deferred (type 5) answer to be completed
        self.deferred_timeout = deferred_timeout
        #: how long interactions wait for a (re)connecting bot before InvocationError
        self.reconnect_grace = 5.0
        self.sent_interactions: list[PendingInteraction] = []

    def start(self, p: PendingInteraction) -> InteractionResult:
        """Record ``p`` as sent and return its live result without waiting for the answer."""
        self.sent_interactions.append(p)
        return InteractionResult(p, self.state)

    async def require_bot(self, channel: object = None) -> None:
        """A connected session (of the shard that gets ``channel``'s guild, when sharded),
        waiting up to ``reconnect_grace`` s for a reconnecting client."""
        guild = getattr(channel, "guild", None)
        guild_id: int | None = getattr(guild, "id", None)

        def connected() -> bool:
            return any(s.owns(guild_id, self.state) for s in self.hub.connected_sessions)

        if connected():
            return
        try:
            await self.hub.wait_until(connected, self.reconnect_grace)
        except TimeoutError:
            where = "" if guild_id is None else f" for guild {guild_id}'s shard"
            raise InvocationError(
                f"the bot has no connected gateway session{where}: start it before interacting"
            ) from None

    async def send(self, p: PendingInteraction, *, wait_deferred: bool = True) -> InteractionResult:
        self.sent_interactions.append(p)
        result = InteractionResult(p, self.state)
        remaining = p.deadline - time.monotonic()
        try:
            await asyncio.wait_for(p.responded.wait(), timeout=max(remaining, 0.0))
        except TimeoutError:
            if p.response_type is None:
                p.missed_deadline = True
                log.warning("fakecord: interaction %s got no answer within the deadline", p.id)
        if p.response_type == 5 and wait_deferred:
            try:
                await asyncio.wait_for(self._deferred_done(p), self.deferred_timeout)
            except TimeoutError:
                log.warning("fakecord: deferred interaction %s was never completed", p.id)
        await self.settler.settle()
        return result

    @staticmethod
    async def _deferred_done(p: PendingInteraction) -> None:
        while True:
            original = p.original
            loading = original is not None and original["flags"] & (1 << 7)
            if p.followups or p.original_deleted or not loading:
                return
            p.progressed.clear()
            await p.progressed.wait()

    async def answered(self, result: InteractionResult) -> InteractionResult:
        """Wait for the initial answer of a ``start_invoke``/``start_modal`` interaction, up to
        its deadline (then ``missed_deadline`` is set). No deferred wait, no settle."""
        p = result.pending
        remaining = p.deadline - time.monotonic()
        try:
            await asyncio.wait_for(p.responded.wait(), timeout=max(remaining, 0.0))
        except TimeoutError:
            if p.response_type is None:
                p.missed_deadline = True
        return result

    def member_for(self, member: FakeMember | FakeUser, channel: AnyChannel) -> FakeMember | None:
        guild = channel.guild
        if guild is None:
            return None
        found = guild.get_member(as_user(member))
        if found is None:
            raise InvocationError(f"{as_user(member).name!r} is not in guild {guild.name!r}")
        return found

    def check_channel_user(self, user: FakeUser, channel: AnyChannel) -> None:
        if isinstance(channel, FakeDMChannel) and channel.recipient.id != user.id:
            raise InvocationError(
                f"{user.name!r} cannot act in the DM of {channel.recipient.name!r}"
            )
        if isinstance(channel, FakeChannel | FakeThread) and channel.deleted:
            raise InvocationError(f"channel {channel.name!r} was deleted")


class Acting:
    """Base of what a person does: the sender every interaction goes through, and the world."""

    def __init__(self, sender: InteractionSender) -> None:
        self.sender = sender
        self.state = sender.state
        self.interactions = sender.interactions
