"""Submitting a modal the bot showed, as a person does."""

from __future__ import annotations

from typing import Any

from ..interactions import (
    MESSAGE_COMPONENT,
    MODAL_SUBMIT,
    InteractionResult,
    InvocationError,
    PendingInteraction,
    modal_submission,
)
from ..models import AnyChannel, FakeMember, FakeUser, as_user
from ..util import JSON
from .sender import Acting


class Modals(Acting):
    """``fake.modals``: ``submit_modal`` and ``start_modal``."""

    async def submit_modal(
        self,
        member: FakeMember | FakeUser,
        channel: AnyChannel,
        modal: JSON | InteractionResult | None,
        values: dict[str, Any],
    ) -> InteractionResult:
        """Submit a modal the bot showed (``r.modal``), ``values`` keyed by each field's label
        or custom_id. Fields left out submit their pre-filled value (required ones must be
        given)."""
        await self.sender.require_bot(channel)
        return await self.sender.send(self._modal_interaction(member, channel, modal, values))

    async def start_modal(
        self,
        member: FakeMember | FakeUser,
        channel: AnyChannel,
        modal: JSON | InteractionResult | None,
        values: dict[str, Any],
    ) -> InteractionResult:
        """Like ``submit_modal`` but returns once MODAL_SUBMIT is queued for the bot (see
        ``start_invoke``); wait with ``await fake.answered(r)``."""
        await self.sender.require_bot(channel)
        p = self._modal_interaction(member, channel, modal, values)
        return self.sender.start(p)

    def _modal_interaction(
        self,
        member: FakeMember | FakeUser,
        channel: AnyChannel,
        modal: JSON | InteractionResult | None,
        values: dict[str, Any],
    ) -> PendingInteraction:
        if isinstance(modal, InteractionResult):
            modal = modal.modal
        if modal is None:
            raise InvocationError("no modal: the bot did not answer with one (r.modal is None)")
        user = as_user(member)
        self.sender.check_channel_user(user, channel)
        self.sender.member_for(member, channel)
        components = modal_submission(modal, values)
        origin = self.interactions.modal_origins.get(str(modal.get("custom_id")))
        message = None
        if origin is not None and origin.type == MESSAGE_COMPONENT:
            message = origin.source_message
        data: JSON = {"custom_id": modal["custom_id"], "components": components}
        return self.interactions.create(
            MODAL_SUBMIT, user, channel, data, message=message, origin=origin
        )
