"""The messages an interaction answers with: the original response and followups, read, edited
and deleted through the interaction's webhook (``@original``, ``/webhooks/{app}/{token}``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..messages import (
    EPHEMERAL,
    LOADING,
    WEBHOOK_DEFAULT_PARSE,
    UploadedFile,
    apply_edit,
    build_message,
)
from ..models import AnyChannel, FakeThread
from ..util import JSON, ApiError, unknown_message, unknown_webhook
from .model import APPLICATION_COMMAND, PendingInteraction

if TYPE_CHECKING:
    from ..state import FakeState


class ResponseMessages:
    """Every interaction's response messages; the webhook routes call these."""

    def __init__(self, state: FakeState) -> None:
        self.state = state

    def new_message(
        self, p: PendingInteraction, body: JSON, files: list[UploadedFile], *, initial: bool
    ) -> JSON:
        mtype = 20 if p.type == APPLICATION_COMMAND else 0
        msg = build_message(
            self.state,
            p.channel,
            self.state.bot_user,
            body,
            files,
            default_parse=WEBHOOK_DEFAULT_PARSE,
            message_type=mtype,
        )
        msg["webhook_id"] = str(self.state.application_id)
        msg["application_id"] = str(self.state.application_id)
        meta = p.metadata()
        if not initial and p.original is not None:
            meta["original_response_message_id"] = p.original["id"]
        msg["interaction_metadata"] = meta
        if p.type == APPLICATION_COMMAND:
            msg["interaction"] = {
                "id": str(p.id),
                "type": p.type,
                "name": p.command_name or "",
                "user": p.user.to_payload(),
            }
        return msg

    def store(self, p: PendingInteraction, msg: JSON) -> None:
        if int(msg["id"]) in self.state.messages:
            return
        self.state.store_message(p.channel, msg, ephemeral=bool(msg["flags"] & EPHEMERAL))

    def get_original(self, p: PendingInteraction) -> JSON:
        if p.original is None or p.original_deleted:
            raise unknown_message()
        return p.original

    def edit_original(self, p: PendingInteraction, body: JSON, files: list[UploadedFile]) -> JSON:
        msg = self.get_original(p)
        found = self.state.find_message(int(msg["id"]))
        if found is None:
            raise unknown_message()
        chan, msg = found
        apply_edit(self.state, chan, msg, body, files)
        self.state.message_updated(chan, msg)
        p.touch()
        return msg

    def delete_original(self, p: PendingInteraction) -> None:
        msg = self.get_original(p)
        found = self.state.find_message(int(msg["id"]))
        if found is not None:
            self.state.delete_message(*found)
        p.original_deleted = True
        p.touch()

    def followup(
        self,
        p: PendingInteraction,
        body: JSON,
        files: list[UploadedFile],
        *,
        thread_id: int | None = None,
    ) -> JSON:
        if p.response_type is None:
            raise unknown_webhook()
        original = p.original
        if (
            p.response_type == 5
            and original is not None
            and not p.original_deleted
            and original["flags"] & LOADING
        ):
            # Discord: the first followup after a deferred "thinking" answer replaces it
            found = self.state.find_message(int(original["id"]))
            assert found is not None
            chan, msg = found
            apply_edit(self.state, chan, msg, body, files)
            self.state.message_updated(chan, msg)
            p.followups.append(msg)
            p.touch()
            return msg
        target: AnyChannel = p.channel
        if thread_id is not None:
            chan_obj = self.state.channels.get(thread_id)
            if not isinstance(chan_obj, FakeThread) or chan_obj.deleted:
                raise ApiError(
                    400,
                    50035,
                    "Invalid Form Body",
                    {
                        "thread_id": {
                            "_errors": [{"code": "UNKNOWN_CHANNEL", "message": "Unknown channel"}]
                        }
                    },
                )
            target = chan_obj
        saved_channel = p.channel
        p.channel = target
        try:
            msg = self.new_message(p, body, files, initial=False)
        finally:
            p.channel = saved_channel
        self.state.store_message(target, msg, ephemeral=bool(msg["flags"] & EPHEMERAL))
        p.followups.append(msg)
        p.touch()
        return msg

    def webhook_message(self, p: PendingInteraction, message_id: int) -> tuple[AnyChannel, JSON]:
        found = self.state.find_message(message_id)
        if found is None or found[1].get("webhook_id") != str(self.state.application_id):
            raise unknown_message()
        return found

    def edit_webhook_message(
        self, p: PendingInteraction, message_id: int, body: JSON, files: list[UploadedFile]
    ) -> JSON:
        chan, msg = self.webhook_message(p, message_id)
        apply_edit(self.state, chan, msg, body, files)
        self.state.message_updated(chan, msg)
        p.touch()
        return msg

    def delete_webhook_message(self, p: PendingInteraction, message_id: int) -> None:
        chan, msg = self.webhook_message(p, message_id)
        self.state.delete_message(chan, msg)
        if p.original is msg:
            p.original_deleted = True
        p.touch()
