"""The server side of interactions: creating INTERACTION_CREATE, finding an interaction by id
or token (15-minute tokens), and its callback (the deadline, 40060 on a second ack)."""

from __future__ import annotations

import secrets
import time
from typing import TYPE_CHECKING

from .. import permissions as P
from ..messages import ATTACHMENT_SIZE_LIMIT, EPHEMERAL, LOADING, UploadedFile, apply_edit, public
from ..models import AnyChannel, FakeDMChannel, FakeUser
from ..util import JSON, ApiError, unknown_interaction, unknown_message, unknown_webhook
from .model import (
    ALLOWED_CALLBACKS,
    MODAL_SUBMIT,
    TOKEN_LIFETIME,
    InvocationError,
    PendingInteraction,
)
from .payloads import channel_payload, member_payload
from .responses import ResponseMessages

if TYPE_CHECKING:
    from ..state import FakeState


class InteractionManager:
    """All interactions of an emulator: creating them, finding them, and their callbacks.
    Their response messages are ``self.responses``."""

    def __init__(self, state: FakeState, *, deadline: float = 3.0) -> None:
        self.state = state
        self.deadline = deadline
        self.token_lifetime = TOKEN_LIFETIME
        self.clock_offset = 0.0
        self.by_id: dict[int, PendingInteraction] = {}
        self.by_token: dict[str, PendingInteraction] = {}
        self.modal_origins: dict[str, PendingInteraction] = {}
        self.permission_bypasses: list[PendingInteraction] = []
        self.responses = ResponseMessages(state)

    def now(self) -> float:
        return time.monotonic() + self.clock_offset

    def advance_time(self, seconds: float) -> None:
        """Age the tokens of interactions made so far (they live 15 minutes) without waiting."""
        self.clock_offset += seconds

    def create(
        self,
        itype: int,
        user: FakeUser,
        channel: AnyChannel,
        data: JSON,
        *,
        message: JSON | None = None,
        command_name: str | None = None,
        origin: PendingInteraction | None = None,
    ) -> PendingInteraction:
        state = self.state
        iid = state.next_id()
        token = "aW50ZXJhY3Rpb24" + secrets.token_urlsafe(48)
        guild = channel.guild
        member = guild.get_member(user) if guild is not None else None
        if guild is not None and member is None:
            raise InvocationError(f"{user.name!r} is not a member of guild {guild.name!r}")
        payload: JSON = {
            "id": str(iid),
            "application_id": str(state.application_id),
            "type": itype,
            "data": data,
            "token": token,
            "version": 1,
            "locale": user.locale,
            "entitlements": [],
            "entitlement_sku_ids": [],
            "attachment_size_limit": ATTACHMENT_SIZE_LIMIT,
            "channel_id": str(channel.id),
        }
        if isinstance(channel, FakeDMChannel):
            payload["user"] = user.to_payload()
            payload["context"] = 1
            payload["authorizing_integration_owners"] = {"0": "0"}
            payload["app_permissions"] = str(P.DM_PERMISSIONS)
            payload["channel"] = channel_payload(state, channel, None)
        else:
            assert member is not None and guild is not None
            payload["guild_id"] = str(guild.id)
            payload["guild"] = {"id": str(guild.id), "locale": guild.locale, "features": []}
            payload["guild_locale"] = guild.locale
            payload["member"] = member_payload(member, channel)
            payload["context"] = 0
            payload["authorizing_integration_owners"] = {"0": str(guild.id)}
            bot = guild.get_member(state.bot_user)
            payload["app_permissions"] = str(bot.permissions_in(channel) if bot else 0)
            payload["channel"] = channel_payload(state, channel, member)
        if message is not None:
            payload["message"] = public(message)
        pending = PendingInteraction(
            iid,
            token,
            itype,
            payload,
            channel,
            user,
            member,
            deadline=time.monotonic() + self.deadline,
            clock_offset=self.clock_offset,
            command_name=command_name,
            source_message=message,
            origin=origin,
        )
        if itype == MODAL_SUBMIT and origin is not None and origin.source_message is not None:
            pending.source_message = origin.source_message
        self.by_id[iid] = pending
        self.by_token[token] = pending
        state.dispatch("INTERACTION_CREATE", payload, on_written=pending.mark_dispatched)
        return pending

    def _expired(self, p: PendingInteraction) -> bool:
        return self.now() - (p.created + p.clock_offset) > self.token_lifetime

    def for_callback(self, interaction_id: int, token: str) -> PendingInteraction:
        p = self.by_id.get(interaction_id)
        if p is None or p.token != token or self._expired(p):
            raise unknown_interaction()
        return p

    def for_webhook(self, application_id: int, token: str) -> PendingInteraction:
        if application_id != self.state.application_id:
            raise unknown_webhook()
        p = self.by_token.get(token)
        if p is None or self._expired(p):
            raise ApiError(401, 50027, "Invalid Webhook Token")
        return p

    def callback(self, p: PendingInteraction, body: JSON, files: list[UploadedFile]) -> JSON:
        if p.response_type is not None:
            raise ApiError(400, 40060, "Interaction has already been acknowledged.")
        if time.monotonic() > p.deadline:
            p.missed_deadline = True
            p.late_callbacks += 1
            raise unknown_interaction()
        ctype = int(body.get("type") or 0)
        if ctype not in ALLOWED_CALLBACKS.get(p.type, set()) or (
            ctype in (6, 7) and p.source_message is None
        ):
            raise ApiError(
                400,
                50035,
                "Invalid Form Body",
                {
                    "type": {
                        "_errors": [
                            {
                                "code": "INTERACTION_CALLBACK_TYPE_INVALID",
                                "message": f"Callback type {ctype} is not valid for "
                                f"interaction type {p.type}",
                            }
                        ]
                    }
                },
            )
        data: JSON = body.get("data") or {}
        resource: JSON | None = None
        if ctype == 4:
            msg = self.responses.new_message(p, data, files, initial=True)
            self.responses.store(p, msg)
            p.original = msg
            resource = {"type": 4, "message": public(msg)}
        elif ctype == 5:
            flags = LOADING | (int(data.get("flags") or 0) & EPHEMERAL)
            msg = self.responses.new_message(p, {"content": "\u200b"}, [], initial=True)
            msg["content"] = ""
            msg["flags"] = flags
            self.responses.store(p, msg)
            p.original = msg
        elif ctype == 6:
            p.original = p.source_message
        elif ctype == 7:
            assert p.source_message is not None
            found = self.state.find_message(int(p.source_message["id"]))
            if found is None:
                raise unknown_message()
            chan, msg = found
            apply_edit(self.state, chan, msg, data, files)
            self.state.message_updated(chan, msg)
            p.original = msg
            resource = {"type": 7, "message": public(msg)}
        elif ctype == 8:
            p.choices = list(data.get("choices") or [])
        elif ctype == 9:
            p.modal = data
            self.modal_origins[str(data.get("custom_id"))] = p
        p.response_type = ctype
        p.response_body = body
        p.responded.set()
        p.touch()
        info: JSON = {"id": str(p.id), "type": p.type}
        if p.original is not None and ctype in (4, 5, 6, 7):
            info["response_message_id"] = p.original["id"]
            info["response_message_loading"] = ctype == 5
            info["response_message_ephemeral"] = bool(p.original["flags"] & EPHEMERAL)
        answer: JSON = {"interaction": info}
        if resource is not None:
            answer["resource"] = resource
        return answer
