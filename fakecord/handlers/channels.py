"""Channels: ``/channels/{id}`` itself, typing, pins and permission overwrites."""

from __future__ import annotations

from .. import permissions as P
from ..messages import public
from ..models import FakeChannel, FakeDMChannel, FakeThread
from ..rest import ApiRequest, Reply
from ..util import ApiError, missing_permissions
from .base import Endpoints, Route, route

CHANNEL = "/channels/{channel_id}"


class ChannelEndpoints(Endpoints):
    def routes(self) -> list[Route]:
        return [
            route("GET", CHANNEL, self.get_channel),
            route("PATCH", CHANNEL, self.edit_channel),
            route("DELETE", CHANNEL, self.delete_channel),
            route("POST", CHANNEL + "/typing", self.typing),
            route("GET", CHANNEL + "/messages/pins", self.list_pins),
            route("PUT", CHANNEL + "/messages/pins/{message_id}", self.pin),
            route("DELETE", CHANNEL + "/messages/pins/{message_id}", self.unpin),
            route("PUT", CHANNEL + "/pins/{message_id}", self.pin),
            route("DELETE", CHANNEL + "/pins/{message_id}", self.unpin),
            route("PUT", CHANNEL + "/permissions/{overwrite_id}", self.put_overwrite),
        ]

    async def get_channel(self, req: ApiRequest) -> Reply:
        return Reply(200, self.channel_payload(self.channel(req.params["channel_id"])))

    async def edit_channel(self, req: ApiRequest) -> Reply:
        chan = self.channel(req.params["channel_id"])
        body = req.json or {}
        if isinstance(chan, FakeDMChannel):
            raise ApiError(400, 50024, "Cannot execute action on this channel type")
        if isinstance(chan, FakeThread):
            owner = chan.owner_id == self.state.bot_user.id
            manage = bool(self.bot_perms(chan) & P.MANAGE_THREADS)
            if not (owner or manage) or ("locked" in body and not manage):
                raise missing_permissions()
            if "name" in body:
                chan.name = body["name"]
            for key in ("archived", "locked", "invitable"):
                if key in body and body[key] is not None:
                    setattr(chan, key, bool(body[key]))
            if "archived" in body and body["archived"] is not None:
                chan.archived_at = self.state.now()
            if body.get("auto_archive_duration"):
                chan.auto_archive_duration = int(body["auto_archive_duration"])
            if "applied_tags" in body:
                chan.applied_tags = self._tags(chan.parent, body["applied_tags"] or [])
        else:
            self.require(chan, P.MANAGE_CHANNELS)
            if "name" in body:
                chan.name = body["name"]
            if "topic" in body:
                chan.topic = body["topic"]
        self.state.channel_updated(chan)
        return Reply(200, self.channel_payload(chan))

    async def delete_channel(self, req: ApiRequest) -> Reply:
        chan = self.channel(req.params["channel_id"])
        if isinstance(chan, FakeDMChannel):
            return Reply(200, chan.to_payload())
        self.require(chan, P.MANAGE_THREADS if isinstance(chan, FakeThread) else P.MANAGE_CHANNELS)
        payload = self.channel_payload(chan)
        self.state.delete_channel(chan)
        return Reply(200, payload)

    async def typing(self, req: ApiRequest) -> Reply:
        chan = self.channel(req.params["channel_id"])
        if not isinstance(chan, FakeDMChannel):
            self.require(
                chan,
                P.SEND_MESSAGES_IN_THREADS if isinstance(chan, FakeThread) else P.SEND_MESSAGES,
            )
        return Reply(204)

    async def list_pins(self, req: ApiRequest) -> Reply:
        chan = self.channel(req.params["channel_id"])
        pinned = [m for m in reversed(chan.messages) if m.get("pinned")]
        items = [{"pinned_at": m["timestamp"], "message": public(m)} for m in pinned]
        return Reply(200, {"items": items, "has_more": False})

    async def pin(self, req: ApiRequest) -> Reply:
        chan = self.channel(req.params["channel_id"])
        msg = self.message(chan, req.params["message_id"])
        if not isinstance(chan, FakeDMChannel):
            self.require(chan, P.MANAGE_MESSAGES)
        msg["pinned"] = True
        self.state.message_updated(chan, msg)
        return Reply(204)

    async def unpin(self, req: ApiRequest) -> Reply:
        chan = self.channel(req.params["channel_id"])
        msg = self.message(chan, req.params["message_id"])
        if not isinstance(chan, FakeDMChannel):
            self.require(chan, P.MANAGE_MESSAGES)
        msg["pinned"] = False
        self.state.message_updated(chan, msg)
        return Reply(204)

    async def put_overwrite(self, req: ApiRequest) -> Reply:
        chan = self.channel(req.params["channel_id"])
        if not isinstance(chan, FakeChannel):
            raise ApiError(400, 50024, "Cannot execute action on this channel type")
        self.require(chan, P.MANAGE_ROLES)
        body = req.json or {}
        chan.set_overwrite(
            int(req.params["overwrite_id"]),
            int(body.get("type") or 0),
            allow=int(body.get("allow") or 0),
            deny=int(body.get("deny") or 0),
        )
        return Reply(204)
